//! 上报 and the close: their inputs and checks, the refusals and the wording of their timeline
//! steps.

use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};
use crate::response::incident::{Hop, ReportLevel};

use super::instant;

/// Who may not record a 上报 is told so.
pub const ESCALATION_DENIED: &str = "只有值班员和局领导可以登记上报";

/// Who may not close an incident is told so.
pub const CLOSE_DENIED: &str = "只有值班员和局领导可以结束事件";

/// Closing an incident already closed is refused.
pub const ALREADY_CLOSED: &str = "事件已结束";

#[derive(Debug, Clone)]
pub struct EscalationInput {
    /// city / province / national
    pub level: String,
    /// When that level had the report; defaults to now.
    pub received_at: Option<String>,
    pub note: Option<String>,
}

/// What an incident looks like to a 上报: when the bureau received it and which 第十二条 items
/// are still 待核实.
#[derive(Debug, Clone, Copy)]
pub struct EscalationFacts<'a> {
    pub received_ms: i64,
    pub pending_items: &'a [String],
}

/// A checked 上报: the level, when it had the report, the note.
pub type CheckedEscalation = (ReportLevel, i64, Option<String>);

pub fn check_escalation(
    input: &EscalationInput,
    incident: EscalationFacts,
    now_ms: i64,
) -> Result<CheckedEscalation, Invalid> {
    let mut errs = Errors::default();
    let level = errs.check("level", ReportLevel::parse(&input.level));
    let at = match input
        .received_at
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        Some(raw) => instant(&mut errs, "received_at", "上报时间", raw),
        None => Some(now_ms),
    };
    let note = errs
        .check(
            "note",
            optional_text("备注", input.note.as_deref().unwrap_or(""), 500),
        )
        .flatten();
    // 第十二条: the report goes up only with every item, not 待核实.
    if !incident.pending_items.is_empty() {
        errs.add(
            "level",
            format!(
                "上报前须核实补全：{}（可在续报中补充）",
                incident.pending_items.join("、")
            ),
        );
    }
    if let Some(at) = at {
        if at < incident.received_ms {
            errs.add("received_at", "上报时间不能早于本级接报时间");
        }
        if at > now_ms + 5 * 60_000 {
            errs.add("received_at", "上报时间不能晚于当前时间");
        }
    }
    match (level, at, errs.is_empty()) {
        (Some(level), Some(at), true) => Ok((level, at, note)),
        _ => Err(errs.into_invalid()),
    }
}

/// Why a level that already has the report is not recorded again.
pub fn already_escalated(level: ReportLevel) -> String {
    format!("已登记报送{}", level.label())
}

/// The timeline text of a 上报.
pub fn escalation_text(level: ReportLevel, note: Option<&str>) -> String {
    format!(
        "已报送{}{}",
        level.label(),
        note.map(|n| format!("：{n}")).unwrap_or_default()
    )
}

#[derive(Debug, Clone)]
pub struct CloseInput {
    pub note: String,
    /// Why the incident closes with 上报 hops still unreported (required then; audited).
    pub unreported_reason: Option<String>,
}

/// The hops of the bureau's own chain not yet reported (the unit's direct report to the
/// province is the unit's): closing with any of them needs a reason.
pub fn unreported_hops(hops: &[Hop]) -> Vec<&'static str> {
    hops.iter()
        .filter(|h| !h.direct && h.received_ms.is_none())
        .map(|h| h.to_label)
        .collect()
}

/// The close's note (结束说明), required.
pub fn close_note(input: &CloseInput) -> Result<String, Invalid> {
    required_text("结束说明", &input.note, 2000).map_err(|m| Invalid::one("note", m))
}

/// Checks a close against the hops of the bureau's own chain not yet reported; returns the
/// timeline text. `note` is the checked note.
pub fn close_text(input: &CloseInput, note: &str, unreported: &[&str]) -> Result<String, Invalid> {
    let reason = optional_text(
        "未上报原因",
        input.unreported_reason.as_deref().unwrap_or(""),
        500,
    )
    .map_err(|m| Invalid::one("unreported_reason", m))?;
    match (unreported, reason) {
        ([], _) => Ok(format!("应急处置结束：{note}")),
        (hops, None) => Err(Invalid::one(
            "unreported_reason",
            format!("尚未报送{}，请说明未上报的原因后再结束", hops.join("、")),
        )),
        (hops, Some(r)) => Ok(format!(
            "应急处置结束：{note}（未报送{}，原因：{r}）",
            hops.join("、")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::response::incident::Severity;

    #[test]
    fn closing_with_unreported_hops_needs_a_reason() {
        let input = CloseInput {
            note: "处置完毕".into(),
            unreported_reason: None,
        };
        let note = close_note(&input).unwrap();
        assert_eq!(
            close_text(&input, &note, &[]).unwrap(),
            "应急处置结束：处置完毕"
        );
        assert_eq!(
            close_text(&input, &note, &["市应急管理局"])
                .unwrap_err()
                .summary(),
            "尚未报送市应急管理局，请说明未上报的原因后再结束"
        );
        let input = CloseInput {
            unreported_reason: Some("未达上报标准".into()),
            ..input
        };
        assert_eq!(
            close_text(&input, &note, &["市应急管理局"]).unwrap(),
            "应急处置结束：处置完毕（未报送市应急管理局，原因：未达上报标准）"
        );
    }

    #[test]
    fn an_escalation_waits_for_verified_items() {
        let pending = vec!["伤亡人数".to_string()];
        let input = EscalationInput {
            level: "city".into(),
            received_at: None,
            note: None,
        };
        let facts = EscalationFacts {
            received_ms: 0,
            pending_items: &pending,
        };
        assert_eq!(
            check_escalation(&input, facts, 1_000)
                .unwrap_err()
                .summary(),
            "上报前须核实补全：伤亡人数（可在续报中补充）"
        );
        let facts = EscalationFacts {
            pending_items: &[],
            ..facts
        };
        let (level, at, note) = check_escalation(&input, facts, 1_000).unwrap();
        assert_eq!((at, note), (1_000, None));
        assert_eq!(
            escalation_text(level, Some("电话")),
            format!("已报送{}：电话", level.label())
        );
    }

    #[test]
    fn only_the_bureaus_own_unreported_hops_hold_a_close() {
        let hops = crate::response::incident::reporting_hops(
            Severity::Larger,
            0,
            &|l| (l == ReportLevel::County).then_some(0),
            0,
        );
        assert_eq!(
            unreported_hops(&hops),
            ["设区的市级应急管理部门", "省级应急管理部门"]
        );
    }
}
