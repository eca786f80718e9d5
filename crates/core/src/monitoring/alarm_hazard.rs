//! 报警转隐患: when a district's rule proposes that an alarm be registered as a hidden hazard
//! (it lasted too long, or its sensor keeps alarming), and the description the hazard gets.

use crate::kernel::validation::Invalid;
use crate::monitoring::alarm::AlarmConfig;

/// Why this alarm should become a hazard, if the district's rule says so: active for at least
/// `hazard_after_secs`, or its sensor's alarms in the last 24 hours reach `hazard_repeats_24h`.
pub fn proposal(
    cfg: &AlarmConfig,
    opened_ms: i64,
    resolved_ms: Option<i64>,
    now_ms: i64,
    sensor_alarms_24h: i64,
) -> Option<String> {
    let lasted_s = (resolved_ms.unwrap_or(now_ms) - opened_ms) / 1000;
    if cfg.hazard_after_secs > 0 && lasted_s >= cfg.hazard_after_secs {
        return Some(format!(
            "报警已持续{}，达到转隐患条件（{}）",
            duration(lasted_s),
            duration(cfg.hazard_after_secs)
        ));
    }
    if cfg.hazard_repeats_24h > 0 && sensor_alarms_24h >= cfg.hazard_repeats_24h {
        return Some(format!(
            "该监测点24小时内报警{sensor_alarms_24h}次，达到转隐患条件（{}次）",
            cfg.hazard_repeats_24h
        ));
    }
    None
}

fn duration(secs: i64) -> String {
    match secs {
        s if s >= 3600 && s % 3600 == 0 => format!("{}小时", s / 3600),
        s if s >= 3600 => format!("{}小时{}分钟", s / 3600, s % 3600 / 60),
        s => format!("{}分钟", (s / 60).max(1)),
    }
}

/// The hazard's description from the alarm, unless the handler wrote one.
pub fn description(
    given: Option<&str>,
    enterprise: &str,
    sensor: &str,
    level_label: &str,
    peak: &str,
    unit: &str,
) -> String {
    match given.map(str::trim).filter(|s| !s.is_empty()) {
        Some(d) => d.chars().take(4000).collect(),
        None => format!(
            "{enterprise}监测点{sensor}{level_label}报警（峰值 {peak}{unit}），由监测报警转为隐患，须排查原因并整改"
        ),
    }
}

/// The refusal for a role that does not report hazards.
pub const CONVERT_DENIED: &str = crate::prevention::hazard::wording::MAY_NOT_REPORT;

/// Checks that an alarm may become an enterprise hazard: its sensor belongs to an enterprise,
/// and the description given (if any) is at most 4000 characters.
pub fn check_conversion(has_enterprise: bool, description: Option<&str>) -> Result<(), Invalid> {
    if !has_enterprise {
        return Err(Invalid::one("id", "该监测点不属于企业，不能转为企业隐患"));
    }
    if description.is_some_and(|d| d.chars().count() > 4000) {
        return Err(Invalid::one("description", "隐患描述不能超过 4000 字"));
    }
    Ok(())
}

/// The audit summary of an alarm converted into a hazard.
pub fn converted_summary(description: &str) -> String {
    format!("报警转为隐患：{description}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_or_repeated_alarms_are_proposed() {
        let cfg = AlarmConfig::default();
        assert_eq!(proposal(&cfg, 0, None, 3_599_000, 1), None);
        assert!(
            proposal(&cfg, 0, None, 3_600_000, 1)
                .unwrap()
                .contains("1小时")
        );
        assert!(
            proposal(&cfg, 0, Some(60_000), 9_999_999, 3)
                .unwrap()
                .contains("3次")
        );
        let off = AlarmConfig {
            hazard_after_secs: 0,
            hazard_repeats_24h: 0,
            ..AlarmConfig::default()
        };
        assert_eq!(proposal(&off, 0, None, i64::MAX / 2, 99), None);
        assert!(description(None, "甲厂", "LT-101", "高高", "9.5", "m").contains("LT-101"));
        assert_eq!(
            description(Some(" 液位计失灵 "), "", "", "", "", ""),
            "液位计失灵"
        );
    }

    #[test]
    fn conversions_are_checked() {
        assert_eq!(check_conversion(false, None).unwrap_err().0[0].field, "id");
        let long = "字".repeat(4001);
        assert_eq!(
            check_conversion(true, Some(&long)).unwrap_err().0[0].field,
            "description"
        );
        assert!(check_conversion(true, Some("储罐液位高")).is_ok());
        assert_eq!(converted_summary("x"), "报警转为隐患：x");
    }
}
