//! 断、禁、停、撤、疏 orders: road closures, bans on activities, stopping work and classes,
//! evacuation and dispersal, issued in a warning's or an incident's response with their scope,
//! then carried out by someone at some time.

use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};
use serde::Deserialize;

pub const KINDS: &[(&str, &str)] = &[
    ("road_closure", "断路"),
    ("activity_ban", "禁止活动"),
    ("suspension", "停工停课"),
    ("withdrawal", "撤离"),
    ("dispersal", "疏散"),
];

pub fn kind_label(code: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

/// An order as issued.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisasterOrderInput {
    /// road_closure 断路 / activity_ban 禁止活动 / suspension 停工停课 / withdrawal 撤离 / dispersal 疏散
    pub kind: String,
    /// The scope in words (which road, which area, which schools).
    pub scope_text: String,
    /// The area it applies in (street, community or grid).
    pub region_code: String,
    /// The 承灾体 it concerns, if any.
    #[serde(default)]
    pub object_ids: Vec<String>,
    /// The warning it answers; this or `incident_id` is required.
    #[serde(default)]
    pub warning_id: Option<String>,
    #[serde(default)]
    pub incident_id: Option<String>,
}

/// Checks the order's own fields: (kind, scope text).
pub fn check_order(input: &DisasterOrderInput) -> Result<String, Invalid> {
    let mut errs = Errors::default();
    if !KINDS.iter().any(|(c, _)| *c == input.kind) {
        errs.add(
            "kind",
            format!(
                "指令类型“{}”无效（应为断路、禁止活动、停工停课、撤离或疏散）",
                input.kind
            ),
        );
    }
    let scope = errs.check("scope_text", required_text("范围", &input.scope_text, 1000));
    let none = |o: &Option<String>| o.as_deref().is_none_or(str::is_empty);
    if none(&input.warning_id) && none(&input.incident_id) {
        errs.add("warning_id", "请关联一条预警或一起突发事件");
    }
    if input.object_ids.len() > 200 {
        errs.add("object_ids", "关联的承灾体不能超过200个");
    }
    match (scope, errs.is_empty()) {
        (Some(s), true) => Ok(s),
        _ => Err(errs.into_invalid()),
    }
}

/// The order was carried out, as reported.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisasterOrderCarryOut {
    /// Who carried it out (unit and person).
    pub carried_out_by: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// Checks a carried-out report: (by, note).
pub fn check_carry_out(input: &DisasterOrderCarryOut) -> Result<(String, Option<String>), Invalid> {
    let by = required_text("执行人", &input.carried_out_by, 100)
        .map_err(|m| Invalid::one("carried_out_by", m))?;
    let note = optional_text("执行情况", input.note.as_deref().unwrap_or(""), 1000)
        .map_err(|m| Invalid::one("note", m))?;
    Ok((by, note))
}

/// The order was already carried out.
pub const ALREADY_DONE: &str = "该指令已执行完毕";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_needs_a_kind_a_scope_and_a_link() {
        let input = DisasterOrderInput {
            kind: "nap".into(),
            scope_text: String::new(),
            region_code: "x".into(),
            object_ids: vec![],
            warning_id: None,
            incident_id: None,
        };
        let fields: Vec<String> = check_order(&input)
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["kind", "scope_text", "warning_id"]);
    }
}
