//! A new case's own fields (立案) and the wording of a case's audit records and timeline notes.

use jiff::civil::Date;

use super::case::{Deadline, SOURCES, Step, TOO_FEW_INVESTIGATORS};
use crate::kernel::validation::{Errors, Invalid, required_text};

/// A case to open, as given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewCaseInput {
    pub title: String,
    pub facts: Option<String>,
    /// 法律依据 (the provisions the violation is against; printed on the case's documents).
    pub legal_basis: Option<String>,
    pub source: String,
    pub source_id: Option<String>,
    pub investigators: Vec<String>,
}

/// A finding named as the case's source that the caller cannot see.
pub const FINDING_NOT_FOUND: &str = "检查发现的问题不存在或不在您的管辖范围内";
/// A finding named as the case's source that is another enterprise's.
pub const FINDING_OF_ANOTHER_ENTERPRISE: &str = "所选检查发现的问题不属于当事企业，请重新选择";

/// Checks a new case's own fields (the enterprise, department and 承办人 are the app's).
pub fn check_new_case(c: &NewCaseInput) -> Result<(), Invalid> {
    let mut e = Errors::default();
    e.check("title", required_text("案由", &c.title, 100));
    if c.facts.as_deref().is_some_and(|f| f.chars().count() > 4000) {
        e.add("facts", "简要案情不能超过 4000 字");
    }
    if c.legal_basis
        .as_deref()
        .is_some_and(|f| f.chars().count() > 2000)
    {
        e.add("legal_basis", "法律依据不能超过 2000 字");
    }
    if !SOURCES.iter().any(|(code, _)| *code == c.source) {
        e.add(
            "source",
            format!("案件来源“{}”无效，应为检查发现、投诉举报或移送", c.source),
        );
    }
    let mut ids = c.investigators.clone();
    ids.sort();
    ids.dedup();
    if ids.len() < 2 {
        e.add("investigators", TOO_FEW_INVESTIGATORS);
    }
    if e.is_empty() {
        Ok(())
    } else {
        Err(e.into_invalid())
    }
}

/// The audit summary of a case opened.
pub fn filed_summary(title: &str, enterprise: &str, due: Date) -> String {
    format!("立案“{title}”（{enterprise}），应于 {due} 前作出处罚决定")
}

/// The audit summary of a step.
pub fn step_summary(title: &str, step: Step, note: Option<&str>) -> String {
    match note {
        Some(n) if !n.trim().is_empty() => {
            format!("案件“{title}”：{}（{}）", step.label(), n.trim())
        }
        _ => format!("案件“{title}”：{}", step.label()),
    }
}

/// The note and summary of a missed deadline.
pub fn overdue_note(d: Deadline, due: Date) -> String {
    format!("已超过{}期限（{due}）", d.label())
}
