//! 灾情报告 初报 / 续报 / 核报 (disasters.md §1): one 初报 first, 续报 only after it, one 核报 only
//! after the process is stable; one row of 快报表 figures per affected township, summed to the
//! district; text on the disaster and the relief work. Bad input names the field and the row.

use crate::disasters::processes::{Status, TOWNSHIP_OUTSIDE_SCOPE, covers};
use crate::disasters::reports_figures::{Figures, parse_row};
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    Initial,
    Update,
    Final,
}

impl ReportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Initial => "initial",
            Self::Update => "update",
            Self::Final => "final",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Initial => "初报",
            Self::Update => "续报",
            Self::Final => "核报",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Initial, Self::Update, Self::Final]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

/// What the sequence rule needs to know of the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sequence {
    pub status: Status,
    pub has_initial: bool,
    pub has_final: bool,
}

/// One 初报 first, 续报 after it while the process is not 核报'd, one 核报 once it is stable.
pub fn check_sequence(kind: ReportKind, s: Sequence) -> Result<(), Invalid> {
    let err = |m: &str| Err(Invalid::one("kind", m));
    match kind {
        ReportKind::Initial if s.has_initial => err("该灾害过程已有初报，请报送续报或核报"),
        ReportKind::Update | ReportKind::Final if !s.has_initial => {
            err(&format!("尚未报送初报，不能报送{}", kind.label()))
        }
        _ if s.has_final || s.status == Status::Verified => err("该灾害过程已核报，不能再报送"),
        ReportKind::Final if s.status != Status::Stable => {
            err("灾情稳定后才能报送核报，请先标记灾情稳定")
        }
        _ => Ok(()),
    }
}

/// One township's row as sent: the values as written (see `reports_figures::FIGURES`).
#[derive(Debug, Clone, Default)]
pub struct RowInput {
    pub township: String,
    pub values: [Option<String>; 15],
}

#[derive(Debug, Clone, Default)]
pub struct ReportInput {
    /// initial / update / final
    pub kind: String,
    pub rows: Vec<RowInput>,
    /// 灾情描述.
    pub description: String,
    /// 救灾工作情况.
    pub relief: Option<String>,
    /// 变化说明: required when a main figure jumps (`reports_rules::jumps`).
    pub explanation: Option<String>,
    /// Photos uploaded before (`POST /api/v1/attachments`).
    pub attachments: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedRow {
    pub township: String,
    pub name: String,
    pub figures: Figures,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedReport {
    pub kind: ReportKind,
    pub rows: Vec<CheckedRow>,
    /// The district's totals: the sum of the rows.
    pub totals: Figures,
    pub description: String,
    pub relief: Option<String>,
    pub explanation: Option<String>,
}

/// The process's townships (code, name) and the caller's region prefix (None: the whole
/// district).
pub struct Townships<'a> {
    pub affected: &'a [(String, String)],
    pub prefix: Option<&'a str>,
}

/// Checks a report: its kind, one row per township (each an affected township of the process,
/// covered by the caller, once), the figures and their consistency, the texts.
pub fn check_report(input: &ReportInput, t: &Townships<'_>) -> Result<CheckedReport, Invalid> {
    let mut errs = Errors::default();
    let kind = ReportKind::parse(input.kind.trim());
    if kind.is_none() {
        errs.add(
            "kind",
            "报告类型应为初报（initial）、续报（update）或核报（final）",
        );
    }
    if input.rows.is_empty() {
        errs.add("rows", "请至少填写一个乡镇（街道）的灾情");
    }
    let mut rows: Vec<CheckedRow> = Vec::new();
    for (i, r) in input.rows.iter().enumerate() {
        let prefix = format!("rows[{i}]");
        let code = r.township.trim();
        let n = i + 1;
        let Some((code, name)) = t.affected.iter().find(|a| a.0 == code) else {
            errs.add(
                &format!("{prefix}.township"),
                format!("第{n}行：乡镇（街道）“{code}”不在该灾害过程的受灾乡镇（街道）中"),
            );
            continue;
        };
        if !covers(t.prefix, code) {
            errs.add(
                &format!("{prefix}.township"),
                format!("第{n}行：{name}：{TOWNSHIP_OUTSIDE_SCOPE}"),
            );
            continue;
        }
        if rows.iter().any(|x| &x.township == code) {
            errs.add(
                &format!("{prefix}.township"),
                format!("第{n}行：{name}重复填报"),
            );
            continue;
        }
        let figures = parse_row(&mut errs, &prefix, &format!("第{n}行{name}"), &r.values);
        rows.push(CheckedRow {
            township: code.clone(),
            name: name.clone(),
            figures,
        });
    }
    let description = errs.check(
        "description",
        required_text("灾情描述", &input.description, 4000),
    );
    let relief = errs
        .check(
            "relief",
            optional_text("救灾工作情况", input.relief.as_deref().unwrap_or(""), 4000),
        )
        .flatten();
    let explanation = errs
        .check(
            "explanation",
            optional_text("变化说明", input.explanation.as_deref().unwrap_or(""), 2000),
        )
        .flatten();
    if input.attachments.len() > 20 {
        errs.add("attachments", crate::kernel::wording::TOO_MANY_ATTACHMENTS);
    }
    match (errs.is_empty(), kind, description) {
        (true, Some(kind), Some(description)) => Ok(CheckedReport {
            kind,
            totals: Figures::sum(rows.iter().map(|r| &r.figures)),
            rows,
            description,
            relief,
            explanation,
        }),
        _ => Err(errs.into_invalid()),
    }
}
