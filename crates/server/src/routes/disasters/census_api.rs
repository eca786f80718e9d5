//! 风险普查: the API types of the import report and the kinds, apart from the app's records.

use serde::Serialize;
use yingji_app::disasters::census::CensusImport;
use yingji_core::directory::import::MAX_LISTED_ERRORS;
use yingji_core::disasters::census::{self as rules, Outcome, Target};

/// The most rows the report lists (errors first).
pub const MAX_LISTED_ROWS: usize = MAX_LISTED_ERRORS;

/// A kind a census row may have.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CensusKind {
    pub code: String,
    pub label: String,
    /// protected_object (承灾体) / teams / shelters / warehouses (减灾能力, the resource register).
    pub register: String,
}

/// The kinds, 承灾体 then 减灾能力.
pub fn kinds() -> Vec<CensusKind> {
    rules::kinds()
        .map(|(code, label)| CensusKind {
            code: code.into(),
            label: label.into(),
            register: match rules::kind_of(code) {
                Some((_, Target::Register(r))) => r.segment().into(),
                _ => "protected_object".into(),
            },
        })
        .collect()
}

/// Counts of one kind.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CensusKindCount {
    /// The kind's code (empty for rows whose kind could not be read).
    pub kind: String,
    pub label: String,
    pub created: usize,
    pub updated: usize,
    pub errors: usize,
}

/// A line of the report: a row's outcome, or one of its errors.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CensusRowReport {
    /// The row (sheet, header = 1) or the feature (GeoJSON, from 1).
    pub row: usize,
    /// 普查编码.
    pub code: String,
    pub kind: String,
    pub kind_label: String,
    /// created / updated / error
    pub outcome: String,
    /// 新增 / 更新 / 错误
    pub outcome_label: String,
    /// The column of an error (its Chinese header).
    pub column: String,
    /// An error's message, naming the row and the field.
    pub reason: String,
}

/// 风险普查 import report.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CensusImportReport {
    /// strict / valid_only / check
    pub mode: String,
    pub total_rows: usize,
    pub created: usize,
    pub updated: usize,
    pub error_rows: usize,
    /// Properties that no field of the record kept.
    pub ignored_attributes: usize,
    /// Whether the rows were kept (strict: only with no error; check: never).
    pub stored: bool,
    pub by_kind: Vec<CensusKindCount>,
    /// Errors first (by row), then the other rows, at most `MAX_LISTED_ROWS`.
    pub rows: Vec<CensusRowReport>,
    /// Lines not listed.
    pub unlisted: usize,
}

fn line(row: usize, code: &str, kind: Option<&str>, outcome: Outcome) -> CensusRowReport {
    let kind = kind.unwrap_or("");
    CensusRowReport {
        row,
        code: code.into(),
        kind: kind.into(),
        kind_label: rules::kind_label(kind).into(),
        outcome: outcome.as_str().into(),
        outcome_label: outcome.label().into(),
        column: String::new(),
        reason: String::new(),
    }
}

impl CensusImportReport {
    pub fn of(mode: &str, mut done: CensusImport) -> Self {
        done.errors.sort_by_key(|e| e.row);
        let by_row: std::collections::HashMap<usize, (&str, Option<&'static str>)> = done
            .rows
            .iter()
            .filter(|r| r.outcome == Outcome::Error)
            .map(|r| (r.row, (r.code.as_str(), r.kind)))
            .collect();
        let mut rows: Vec<CensusRowReport> = Vec::new();
        for e in done.errors.iter().take(MAX_LISTED_ROWS) {
            let (code, kind) = by_row.get(&e.row).copied().unwrap_or(("", None));
            rows.push(CensusRowReport {
                column: e.column.clone(),
                reason: e.reason.clone(),
                ..line(e.row, code, kind, Outcome::Error)
            });
        }
        let room = MAX_LISTED_ROWS.saturating_sub(rows.len());
        rows.extend(
            done.rows
                .iter()
                .filter(|r| r.outcome != Outcome::Error)
                .take(room)
                .map(|r| line(r.row, &r.code, r.kind, r.outcome)),
        );
        let lines = done.errors.len() + done.created + done.updated;
        Self {
            mode: mode.into(),
            total_rows: done.total_rows,
            created: done.created,
            updated: done.updated,
            error_rows: done.error_rows,
            ignored_attributes: done.ignored_attributes,
            stored: done.stored,
            by_kind: done
                .by_kind
                .iter()
                .map(|(k, c)| CensusKindCount {
                    kind: (*k).into(),
                    label: rules::kind_label(k).into(),
                    created: c.created,
                    updated: c.updated,
                    errors: c.errors,
                })
                .collect(),
            unlisted: lines.saturating_sub(rows.len()),
            rows,
        }
    }
}
