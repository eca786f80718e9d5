//! 整改复查: the enterprise's rectification of an inspection's findings and the inspector's
//! 复查, both taken through the hazard closed loop (each finding is a hazard, source 执法检查):
//! the enterprise submits its rectification (说明 and photos) as the loop's 提交整改, the task's
//! inspector accepts (验收) or rejects it (驳回, back to 整改中) with an opinion.

use crate::kernel::validation::{Errors, Invalid, optional_text};
use serde::Deserialize;

/// A hazard named that is not a finding of this task's inspection.
pub const NOT_A_FINDING: &str = "该隐患不是本次检查发现的问题";
/// Only the task's inspectors do its 复查.
pub const NOT_ON_TASK: &str = "只有本任务的执法人员可以复查";
/// Only the enterprise inspected submits its rectification here.
pub const NOT_THE_ENTERPRISE: &str = "只有被检查企业的用户可以提交整改";
/// A finding not yet given a deadline (定级) and no 责令限期整改指令书 to take it from.
pub const NO_DEADLINE: &str = "执法人员尚未下达责令限期整改指令书（整改期限），暂不能提交整改";
/// At most this many photos of the rectification.
pub const MAX_PHOTOS: usize = 9;

/// The 复查 decisions: (code, label).
pub const DECISIONS: [(&str, &str); 2] = [
    ("accept", "复查合格（验收销号）"),
    ("reject", "复查不合格（驳回重新整改）"),
];

/// The enterprise's rectification of one finding.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RectificationInput {
    /// 整改情况说明.
    #[serde(default)]
    pub note: Option<String>,
    /// Photos of the rectification (attachment ids uploaded first).
    #[serde(default)]
    pub attachments: Vec<String>,
}

/// The inspector's 复查 of one finding.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// accept or reject.
    pub decision: String,
    /// 复查意见 (required to reject).
    #[serde(default)]
    pub note: Option<String>,
}

/// Checks a rectification before it goes to the loop (which checks the note again).
pub fn check_rectification(r: &RectificationInput) -> Result<(), Invalid> {
    let mut errs = Errors::default();
    let note = errs
        .check(
            "note",
            optional_text("整改情况说明", r.note.as_deref().unwrap_or("").trim(), 2000),
        )
        .flatten();
    if note.is_none() && errs.is_empty() {
        errs.add("note", "请填写整改情况说明");
    }
    if r.attachments.is_empty() {
        errs.add("attachments", "请上传整改后的照片");
    } else if r.attachments.len() > MAX_PHOTOS {
        errs.add("attachments", format!("整改照片至多 {MAX_PHOTOS} 张"));
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    Ok(())
}

/// Checks a 复查: a known decision, an opinion to reject. Answers whether it accepts.
pub fn check_review(r: &ReviewInput) -> Result<bool, Invalid> {
    let mut errs = Errors::default();
    let accept = match r.decision.trim() {
        "accept" => Some(true),
        "reject" => Some(false),
        _ => {
            errs.add("decision", "复查结论须为合格（验收）或不合格（驳回）");
            None
        }
    };
    let note = errs
        .check(
            "note",
            optional_text("复查意见", r.note.as_deref().unwrap_or("").trim(), 2000),
        )
        .flatten();
    if accept == Some(false) && note.is_none() && errs.is_empty() {
        errs.add("note", "复查不合格须填写复查意见");
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    Ok(accept.unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rectification_needs_note_and_photos() {
        let e = check_rectification(&RectificationInput::default()).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["note", "attachments"]);
        assert!(
            check_rectification(&RectificationInput {
                note: Some("已更换灭火器".into()),
                attachments: vec!["a".into()],
            })
            .is_ok()
        );
    }

    #[test]
    fn reject_needs_an_opinion() {
        let r = |d: &str, n: Option<&str>| ReviewInput {
            decision: d.into(),
            note: n.map(Into::into),
        };
        assert_eq!(check_review(&r("accept", None)), Ok(true));
        assert_eq!(check_review(&r("reject", Some("照片不清楚"))), Ok(false));
        assert_eq!(
            check_review(&r("reject", None)).unwrap_err().0[0].field,
            "note"
        );
        assert_eq!(
            check_review(&r("ok", None)).unwrap_err().0[0].field,
            "decision"
        );
    }
}
