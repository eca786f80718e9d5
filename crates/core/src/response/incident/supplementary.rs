//! The 补报 window (第十三条) and its day counting, the district's incident rules, and what a 补报
//! does to the grade (R05–R07).

use super::{Casualties, DAY_MS, Severity, Subtype};
use crate::kernel::validation::{Errors, Invalid};
use jiff::ToSpan;
use serde::{Deserialize, Serialize};

/// How the 补报 window's days are counted. 民法典 第二百零一条 starts on the day after the
/// event and ends at the end of the last day; the simpler reading counts 24-hour periods from
/// the moment it occurred. A legal-policy choice, so configurable (§1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DayCounting {
    #[default]
    FromNextDay,
    Elapsed,
}

/// The district's incident rules (versioned with the other district rules).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct IncidentConfig {
    pub window_day_counting: DayCounting,
    /// 补报 window in days (第十三条: 30).
    pub supplementary_days: i64,
    /// For 道路交通 and 火灾 (第十三条: 7).
    pub supplementary_days_short: i64,
}

impl Default for IncidentConfig {
    fn default() -> Self {
        Self {
            window_day_counting: DayCounting::FromNextDay,
            supplementary_days: 30,
            supplementary_days_short: 7,
        }
    }
}

impl IncidentConfig {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errs = Errors::default();
        if !(1..=365).contains(&self.supplementary_days) {
            errs.add("supplementary_days", "补报期限应为 1 至 365 天");
        }
        if !(1..=365).contains(&self.supplementary_days_short) {
            errs.add(
                "supplementary_days_short",
                "道路交通、火灾事故补报期限应为 1 至 365 天",
            );
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.into_invalid())
        }
    }

    /// The instant the 补报 window closes for an accident of `subtype` that occurred at `occurred_ms`.
    pub fn window_end_ms(&self, subtype: &Subtype, occurred_ms: i64) -> i64 {
        let days = if subtype.short_window {
            self.supplementary_days_short
        } else {
            self.supplementary_days
        };
        match self.window_day_counting {
            DayCounting::Elapsed => occurred_ms + days * DAY_MS,
            DayCounting::FromNextDay => {
                let date = crate::kernel::clock::today(occurred_ms);
                let last = date.checked_add((days + 1).days()).unwrap_or(date);
                crate::prevention::hazard::start_of_day_ms(last)
            }
        }
    }
}

/// What a 补报 (changed counts) does to the grade: inside the window the grade follows the new
/// counts (R05, R07); after it the grade is frozen and no 补报 is required (R06) — the report is
/// still recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Regrade {
    pub within_window: bool,
    pub severity: Severity,
    pub changed: bool,
}

pub fn regrade(current: Severity, new: &Casualties, at_ms: i64, window_end_ms: i64) -> Regrade {
    let within_window = at_ms < window_end_ms;
    let severity = if within_window { new.grade() } else { current };
    Regrade {
        within_window,
        severity,
        changed: severity != current,
    }
}

#[cfg(test)]
mod tests {
    use super::super::subtype;
    use super::super::test_support::{at, deaths};
    use super::*;

    #[test]
    fn supplementary_window_regrades_inside_and_freezes_after_r05_r06() {
        let cfg = IncidentConfig::default();
        let industrial = subtype("industrial").expect("subtype");
        let occurred = at("2024-05-01T14:00");
        let end = cfg.window_end_ms(industrial, occurred);
        let initial = deaths(2).grade();
        assert_eq!(initial, Severity::General);
        let r05 = regrade(initial, &deaths(3), at("2024-05-10T09:00"), end);
        assert!(r05.within_window && r05.changed);
        assert_eq!(r05.severity, Severity::Larger);
        let r06 = regrade(initial, &deaths(3), at("2024-06-15T09:00"), end);
        assert!(!r06.within_window && !r06.changed);
        assert_eq!(r06.severity, Severity::General);
    }

    #[test]
    fn fire_and_road_traffic_have_seven_days_r07() {
        let cfg = IncidentConfig::default();
        let fire = subtype("fire").expect("subtype");
        let occurred = at("2024-05-01T14:00");
        let end = cfg.window_end_ms(fire, occurred);
        let r = regrade(Severity::General, &deaths(3), at("2024-05-05T08:00"), end);
        assert!(r.within_window);
        assert_eq!(r.severity, Severity::Larger);
        let late = regrade(Severity::General, &deaths(3), at("2024-05-20T08:00"), end);
        assert!(!late.within_window);
        assert_eq!(late.severity, Severity::General);
        assert!(subtype("road_traffic").expect("subtype").short_window);
    }

    #[test]
    fn day_counting_policies_differ_only_at_the_edge() {
        let fire = subtype("fire").expect("subtype");
        let occurred = at("2024-05-01T14:00");
        let next_day = IncidentConfig::default().window_end_ms(fire, occurred);
        // 5月1日发生, 次日起算 7 日: the window closes at the end of 5月8日.
        assert_eq!(next_day, at("2024-05-09T00:00"));
        let elapsed = IncidentConfig {
            window_day_counting: DayCounting::Elapsed,
            ..Default::default()
        }
        .window_end_ms(fire, occurred);
        assert_eq!(elapsed, at("2024-05-08T14:00"));
    }
}
