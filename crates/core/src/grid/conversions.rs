//! 网格事件 that turn out to be something else (issue 24 item 4): a hidden hazard (转隐患, into
//! the hazard's closed loop, by the handling unit) or an emergency (转接报, to the duty room's
//! 接报). Who may, when, and the wording of the result, the timeline and the audit log.

use crate::grid::events::{Source, Status};
use crate::grid::events_config::Category;

/// 转隐患 of a category the catalogue does not mark as a possible hazard.
pub const NOT_A_HAZARD_CATEGORY: &str = "该类事件不能转为隐患（事件分类未设为“可转隐患”）";
/// 转隐患 before the unit 签收s, or after it reported 处置.
pub const HAZARD_NOT_NOW: &str = "只有处置中的事件可以转为隐患";
/// 转接报 of an event already closed or merged.
pub const INCIDENT_NOT_NOW: &str = "已办结或已合并的事件不能转接报";
/// An event already turned into a hazard or an incident.
pub const ALREADY_CONVERTED: &str = "该事件已转为隐患或突发事件，不能重复转换";
/// 转接报 by someone who is not the duty room.
pub const NOT_THE_DUTY_ROOM: &str = "只有值班员、局领导和系统管理员可以将网格事件转为突发事件接报";

/// May the unit turn the event into a hazard now: in hand (处置中), of a category that may turn
/// out to be a hazard, not converted yet.
pub fn check_to_hazard(
    status: Status,
    category: Option<&Category>,
    converted: bool,
) -> Result<(), &'static str> {
    if converted {
        return Err(ALREADY_CONVERTED);
    }
    if !category.is_some_and(|c| c.hazard) {
        return Err(NOT_A_HAZARD_CATEGORY);
    }
    if status != Status::Accepted {
        return Err(HAZARD_NOT_NOW);
    }
    Ok(())
}

/// May the duty room turn the event into an incident now: still open, not converted yet.
pub fn check_to_incident(status: Status, converted: bool) -> Result<(), &'static str> {
    if converted {
        return Err(ALREADY_CONVERTED);
    }
    if matches!(status, Status::Closed | Status::Merged) {
        return Err(INCIDENT_NOT_NOW);
    }
    Ok(())
}

/// The 接报's channel (response::incident::REPORT_CHANNELS) for an event's source.
pub fn report_channel(source: Source) -> &'static str {
    match source {
        Source::Grid => "grid",
        Source::Hotline => "hotline",
        Source::Opinion => "media",
        Source::Duty => "phone",
        Source::Public => "other",
    }
}

/// The event's 处置结果 once it became a hazard.
pub fn hazard_result(hazard_code: &str) -> String {
    format!("经核实为安全隐患，已转为隐患 {hazard_code}，纳入隐患排查治理闭环管理")
}

/// The event's result once it became an incident (the event is closed; the incident goes on).
pub fn incident_result(incident_code: &str) -> String {
    format!("经核实为突发事件，已转值班室接报 {incident_code}，按突发事件处置")
}

pub fn to_hazard_summary(title: &str, unit: &str, hazard_code: &str) -> String {
    format!("{unit}将网格事件“{title}”转为隐患 {hazard_code}")
}

pub fn to_incident_summary(title: &str, incident_code: &str) -> String {
    format!("网格事件“{title}”转为突发事件接报 {incident_code}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::events_config::GridEventConfig;

    #[test]
    fn hazard_only_in_hand_of_a_hazard_category_once() {
        let config = GridEventConfig::default();
        let hazard = config.categories.iter().find(|c| c.hazard);
        let other = config.categories.iter().find(|c| !c.hazard);
        assert!(check_to_hazard(Status::Accepted, hazard, false).is_ok());
        assert_eq!(
            check_to_hazard(Status::Dispatched, hazard, false),
            Err(HAZARD_NOT_NOW)
        );
        assert_eq!(
            check_to_hazard(Status::Accepted, other, false),
            Err(NOT_A_HAZARD_CATEGORY)
        );
        assert_eq!(
            check_to_hazard(Status::Accepted, hazard, true),
            Err(ALREADY_CONVERTED)
        );
    }

    #[test]
    fn incident_while_open_once() {
        for s in Status::ALL {
            let open = !matches!(s, Status::Closed | Status::Merged);
            assert_eq!(check_to_incident(s, false).is_ok(), open, "{s:?}");
            assert_eq!(check_to_incident(s, true), Err(ALREADY_CONVERTED));
        }
    }

    #[test]
    fn every_source_has_a_report_channel() {
        for s in Source::ALL {
            assert!(
                crate::response::incident::REPORT_CHANNELS
                    .iter()
                    .any(|(k, _)| *k == report_channel(s))
            );
        }
    }
}
