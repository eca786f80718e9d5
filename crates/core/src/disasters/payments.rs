//! 一卡通 payment batches (disasters.md §2, 2024 work plan item 12): a list per township and
//! phase, 草稿 → 公示中 (the configured days) → 待发放 → 已导出 (the bank's payment file) → 已完成
//! (results imported back). Nobody is paid twice for one phase of one process. The states, the
//! checks of a batch's lines and of the bank's results.

use crate::credit::insurance::parse_fen;
use crate::directory::import::RowError;
use crate::kernel::validation::{Errors, Invalid, required_text};

/// 草稿 → 公示中 → 待发放 → 已导出 → 已完成.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Notice,
    Ready,
    Exported,
    Done,
}

impl Status {
    pub const ALL: [Self; 5] = [
        Self::Draft,
        Self::Notice,
        Self::Ready,
        Self::Exported,
        Self::Done,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Notice => "notice",
            Self::Ready => "ready",
            Self::Exported => "exported",
            Self::Done => "done",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "草稿",
            Self::Notice => "公示中",
            Self::Ready => "待发放",
            Self::Exported => "已导出",
            Self::Done => "已完成",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// A line's state: in the batch, removed on an objection, paid, failed at the bank.
pub const LINE_STATES: &[(&str, &str)] = &[
    ("active", "待发放"),
    ("objected", "异议移除"),
    ("paid", "已发放"),
    ("failed", "发放失败"),
];

/// The district's default 公示 days.
pub const DEFAULT_NOTICE_DAYS: i64 = 7;

pub fn check_notice_days(days: i64) -> Result<i64, Invalid> {
    if (1..=30).contains(&days) {
        Ok(days)
    } else {
        Err(Invalid::one("notice_days", "公示天数应为 1 至 30 的整数"))
    }
}

pub fn wrong_state(s: Status, want: &str) -> String {
    format!("批次当前为“{}”，{want}", s.label())
}

/// A line of a new batch as asked: an entry and its amount (empty: the entry's).
#[derive(Debug, Clone, Default)]
pub struct LineInput {
    pub entry_id: String,
    pub amount: Option<String>,
}

/// The amount of line `i` (exact 分, above zero).
pub fn line_amount(
    errs: &mut Errors,
    i: usize,
    amount: Option<&str>,
    entry_fen: i64,
) -> Option<i64> {
    let field = format!("lines[{i}].amount");
    let fen = match amount.map(str::trim).filter(|s| !s.is_empty()) {
        None => entry_fen,
        Some(a) => errs.check(&field, parse_fen(&format!("第{}行金额", i + 1), a))?,
    };
    if fen <= 0 {
        errs.add(&field, format!("第{}行：发放金额应大于 0", i + 1));
        return None;
    }
    Some(fen)
}

pub fn check_objection(reason: &str) -> Result<String, Invalid> {
    required_text("异议内容", reason, 500).map_err(|m| Invalid::one("reason", m))
}

/// The bank's payment reference of line `position` of batch `code`: RB-…-0003.
pub fn reference(code: &str, position: i64) -> String {
    format!("{code}-{position:04}")
}

/// The headers of the bank's payment file.
pub const FILE_HEADERS: [&str; 6] = [
    "参考号",
    "姓名",
    "公民身份号码",
    "银行卡（社保卡）号",
    "金额（元）",
    "村（社区）",
];

/// The headers of the results file: 参考号, 结果 (成功/失败), 原因.
pub const RESULT_HEADERS: [&str; 3] = ["参考号", "结果", "原因"];

/// One line of the bank's results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultLine {
    pub reference: String,
    pub paid: bool,
    pub reason: Option<String>,
}

/// Reads the results file's rows (the header row first) against the references of the batch's
/// lines to pay: every error names its row; every line needs exactly one result.
pub fn check_results(
    rows: &[Vec<String>],
    references: &[String],
) -> Result<Vec<ResultLine>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut out: Vec<ResultLine> = Vec::new();
    let err = |row: usize, column: &str, reason: String| RowError {
        row,
        column: column.into(),
        reason,
    };
    let header_ok = rows.first().is_some_and(|h| {
        h.iter()
            .map(|c| c.trim())
            .take(3)
            .eq(RESULT_HEADERS.iter().copied())
    });
    if !header_ok {
        return Err(vec![err(
            1,
            "",
            format!("首行应为表头：{}", RESULT_HEADERS.join("、")),
        )]);
    }
    for (i, r) in rows.iter().enumerate().skip(1) {
        let row = i + 1;
        let cell = |c: usize| r.get(c).map_or("", |s| s.trim());
        if r.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let reference = cell(0).to_string();
        if !references.contains(&reference) {
            errors.push(err(
                row,
                "参考号",
                format!("参考号“{reference}”不是本批次待发放的明细"),
            ));
            continue;
        }
        if out.iter().any(|l| l.reference == reference) {
            errors.push(err(row, "参考号", format!("参考号“{reference}”重复")));
            continue;
        }
        let paid = match cell(1) {
            "成功" | "已发放" => true,
            "失败" => false,
            other => {
                errors.push(err(row, "结果", format!("结果“{other}”应为“成功”或“失败”")));
                continue;
            }
        };
        let reason = Some(cell(2)).filter(|s| !s.is_empty()).map(str::to_string);
        if !paid && reason.is_none() {
            errors.push(err(row, "原因", "发放失败的明细须填写银行退回原因".into()));
            continue;
        }
        out.push(ResultLine {
            reference,
            paid,
            reason,
        });
    }
    for r in references {
        if errors.is_empty() && !out.iter().any(|l| &l.reference == r) {
            errors.push(err(0, "参考号", format!("缺少参考号“{r}”的发放结果")));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(c: &[&str]) -> Vec<String> {
        c.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn results_name_their_rows() {
        let refs = vec!["RB1-0001".to_string(), "RB1-0002".to_string()];
        let ok = check_results(
            &[
                row(&RESULT_HEADERS),
                row(&["RB1-0001", "成功", ""]),
                row(&["RB1-0002", "失败", "账户已销户"]),
            ],
            &refs,
        )
        .unwrap();
        assert!(ok[0].paid && !ok[1].paid);
        let bad = check_results(
            &[
                row(&RESULT_HEADERS),
                row(&["RB1-0001", "成功", ""]),
                row(&["RB1-0002", "失败", ""]),
            ],
            &refs,
        )
        .unwrap_err();
        assert_eq!((bad[0].row, bad[0].column.as_str()), (3, "原因"));
    }
}
