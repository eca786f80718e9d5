//! 突发事件接报: categories, the grading of 生产安全事故 (493号令 第三条), the 较大涉险 flag
//! (21号令), the reporting chain with per-hop deadlines, 续报 frequency and the 补报 window with
//! regrading (shared/reference/cn-standards.md §1, §2, vectors A01–A11, R01–R08, W01–W03).
//! Pure rules: every "now" is an argument.

mod category;
pub use category::{Category, SUBTYPES, Subtype, subtype, warning_colour};
mod grade;
pub use grade::{Casualties, Severity, grade_accident, yuan_label};
mod reporting;
pub use reporting::{
    Hop, ReportLevel, chain_end, followups_per_day, must_report_state_council,
    next_followup_due_ms, reporting_hops,
};
mod supplementary;
pub use supplementary::{DayCounting, IncidentConfig, Regrade, regrade};
mod intake;
pub use intake::{
    CheckedIntake, CheckedTexts, IntakeFacts, REPORT_CHANNELS, ReportTexts, check_intake,
    check_reporter, pending_items,
};

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Helpers shared by the unit tests of the submodules.
#[cfg(test)]
mod test_support {
    use super::Casualties;

    pub(super) fn at(s: &str) -> i64 {
        crate::kernel::clock::parse_instant(s).expect("datetime")
    }

    pub(super) fn deaths(n: i64) -> Casualties {
        Casualties {
            deaths: n,
            ..Default::default()
        }
    }
}
