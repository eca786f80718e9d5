//! The reporting chain (第九条、第十条): its levels, per-hop deadlines (R01–R03) and the 续报
//! frequency (R04).

use super::{DAY_MS, HOUR_MS, Severity};
use serde::Serialize;

/// A level of the reporting chain (第九条、第十条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportLevel {
    Unit,
    County,
    City,
    Province,
    National,
}

impl ReportLevel {
    pub const ABOVE_COUNTY: [ReportLevel; 3] = [Self::City, Self::Province, Self::National];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unit => "unit",
            Self::County => "county",
            Self::City => "city",
            Self::Province => "province",
            Self::National => "national",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Unit => "事故单位",
            Self::County => "县级应急管理部门",
            Self::City => "设区的市级应急管理部门",
            Self::Province => "省级应急管理部门",
            Self::National => "国务院应急管理部门",
        }
    }
    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ABOVE_COUNTY
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| "上报层级应为 市级、省级 或 国务院".into())
    }
}

/// Where the chain ends (第十条): 一般 (and 较大涉险) at the city, 较大 at the province,
/// 重大/特别重大 at the State Council's ministry.
pub fn chain_end(severity: Severity) -> ReportLevel {
    match severity {
        Severity::General => ReportLevel::City,
        Severity::Larger => ReportLevel::Province,
        Severity::Major | Severity::ExtraMajor => ReportLevel::National,
    }
}

/// One hop of the chain: `to` must have the report by `due_ms`, counted from when `from`
/// received it (None while `from` has not).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Hop {
    pub from: ReportLevel,
    pub to: ReportLevel,
    pub to_label: &'static str,
    pub due_ms: Option<i64>,
    pub received_ms: Option<i64>,
    /// Unmet and past due at `now`, or met late.
    pub overdue: bool,
    /// The 21号令 direct report from the unit to the province (较大 and above).
    pub direct: bool,
}

/// Per-hop deadlines (R01–R03): the unit reports to the county within 1 h of its head learning
/// of the accident, each level above within 2 h of receiving it; for 较大 and above the unit
/// also reports to the province within 1 h (21号令). `received` gives when each level above
/// the unit had it (county, city, province, national).
pub fn reporting_hops(
    severity: Severity,
    unit_learned_ms: i64,
    received: &dyn Fn(ReportLevel) -> Option<i64>,
    now_ms: i64,
) -> Vec<Hop> {
    let end = chain_end(severity);
    let hop = |from, to, due_ms: Option<i64>, direct| {
        let received_ms = received(to);
        let overdue = match (due_ms, received_ms) {
            (Some(due), Some(r)) => r > due,
            (Some(due), None) => now_ms > due,
            (None, _) => false,
        };
        Hop {
            from,
            to,
            to_label: to.label(),
            due_ms,
            received_ms,
            overdue,
            direct,
        }
    };
    let mut hops = vec![hop(
        ReportLevel::Unit,
        ReportLevel::County,
        Some(unit_learned_ms + HOUR_MS),
        false,
    )];
    let mut from = ReportLevel::County;
    for to in ReportLevel::ABOVE_COUNTY {
        if to > end {
            break;
        }
        hops.push(hop(
            from,
            to,
            received(from).map(|r| r + 2 * HOUR_MS),
            false,
        ));
        from = to;
    }
    if severity >= Severity::Larger {
        hops.push(hop(
            ReportLevel::Unit,
            ReportLevel::Province,
            Some(unit_learned_ms + HOUR_MS),
            true,
        ));
    }
    hops
}

/// 重大/特别重大: the province and the ministry report to the State Council at once (R03).
pub fn must_report_state_council(severity: Severity) -> bool {
    severity >= Severity::Major
}

/// 续报 at least once a day (一般、较大、较大涉险) or twice (重大、特别重大) — R04.
pub fn followups_per_day(severity: Severity) -> i64 {
    if severity >= Severity::Major { 2 } else { 1 }
}

/// When the next 续报 is due: the last report plus the interval its frequency allows.
pub fn next_followup_due_ms(severity: Severity, last_report_ms: i64) -> i64 {
    last_report_ms + DAY_MS / followups_per_day(severity)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::at;
    use super::*;

    fn hops_of(severity: Severity, unit: &str, rec: &[(ReportLevel, &str)], now: &str) -> Vec<Hop> {
        let rec: Vec<(ReportLevel, i64)> = rec.iter().map(|(l, t)| (*l, at(t))).collect();
        reporting_hops(
            severity,
            at(unit),
            &|l| rec.iter().find(|(x, _)| *x == l).map(|(_, t)| *t),
            at(now),
        )
    }

    #[test]
    fn general_accident_chain_ends_at_the_city_r01() {
        let hops = hops_of(
            Severity::General,
            "2024-05-01T10:00",
            &[(ReportLevel::County, "2024-05-01T10:40")],
            "2024-05-01T12:00",
        );
        assert_eq!(hops.len(), 2);
        assert_eq!(hops[0].to, ReportLevel::County);
        assert_eq!(hops[0].due_ms, Some(at("2024-05-01T11:00")));
        assert!(!hops[0].overdue);
        assert_eq!(hops[1].to, ReportLevel::City);
        assert_eq!(hops[1].due_ms, Some(at("2024-05-01T12:40")));
        assert!(!hops[1].overdue);
        let late = hops_of(
            Severity::General,
            "2024-05-01T10:00",
            &[(ReportLevel::County, "2024-05-01T10:40")],
            "2024-05-01T12:41",
        );
        assert!(late[1].overdue);
    }

    #[test]
    fn larger_accident_chain_ends_at_the_province_r02() {
        let hops = hops_of(
            Severity::Larger,
            "2024-05-01T08:30",
            &[
                (ReportLevel::County, "2024-05-01T09:00"),
                (ReportLevel::City, "2024-05-01T10:30"),
            ],
            "2024-05-01T10:31",
        );
        let to = |l| hops.iter().find(|h| h.to == l && !h.direct).expect("hop");
        assert_eq!(to(ReportLevel::City).due_ms, Some(at("2024-05-01T11:00")));
        assert_eq!(
            to(ReportLevel::Province).due_ms,
            Some(at("2024-05-01T12:30"))
        );
        assert!(hops.iter().all(|h| h.to != ReportLevel::National));
        let direct = hops.iter().find(|h| h.direct).expect("direct hop");
        assert_eq!(direct.to, ReportLevel::Province);
        assert_eq!(direct.due_ms, Some(at("2024-05-01T09:30")));
        // The province's hop counts from the city's receipt; unmet before then is not overdue.
        assert!(!to(ReportLevel::Province).overdue);
        assert!(direct.overdue);
    }

    #[test]
    fn major_accident_goes_to_the_ministry_and_state_council_r03() {
        assert_eq!(chain_end(Severity::Major), ReportLevel::National);
        assert_eq!(chain_end(Severity::ExtraMajor), ReportLevel::National);
        assert!(must_report_state_council(Severity::Major));
        assert!(!must_report_state_council(Severity::Larger));
        let hops = hops_of(Severity::Major, "2024-05-01T08:00", &[], "2024-05-01T08:10");
        assert!(hops.iter().any(|h| h.to == ReportLevel::National));
        // Nobody above the unit has it yet: only the unit's own hops have deadlines.
        assert!(
            hops.iter()
                .filter(|h| h.from != ReportLevel::Unit)
                .all(|h| h.due_ms.is_none())
        );
    }

    #[test]
    fn followup_frequency_r04() {
        assert_eq!(followups_per_day(Severity::General), 1);
        assert_eq!(followups_per_day(Severity::Larger), 1);
        assert_eq!(followups_per_day(Severity::Major), 2);
        assert_eq!(followups_per_day(Severity::ExtraMajor), 2);
        let t = at("2024-05-01T10:00");
        assert_eq!(
            next_followup_due_ms(Severity::Major, t),
            at("2024-05-01T22:00")
        );
        assert_eq!(
            next_followup_due_ms(Severity::General, t),
            at("2024-05-02T10:00")
        );
    }
}
