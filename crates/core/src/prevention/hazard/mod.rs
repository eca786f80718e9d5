//! 事故隐患: levels, sources, the major-hazard criteria lists, and the closed loop as a state
//! machine (shared/reference/cn-standards.md §5, vectors §9.8). Whether a transition is allowed
//! is decided here, from the hazard's state and who is asking; each step's input is checked here
//! and worded here; the store only records it.

mod terms;
pub use terms::{Action, CATEGORIES, HazardLevel, SOURCES, Status, label_of};
mod config;
pub use config::{EscalationStep, HazardConfig};
mod transition;
pub use transition::{HazardFacts, Refusal, Standing, transition};
mod deadline;
pub use deadline::{
    is_overdue, overdue_from_ms, parse_deadline, start_of_day_ms, step_due_ms, today,
};
mod criteria;
pub use criteria::{
    CriteriaFile, Criterion, Finding, NumericRule, PLAN_ITEMS, criterion_met, level_from_findings,
    shipped_criteria,
};
mod step;
pub use step::{
    CheckedStep, Grade, Listing, StepFacts, TransferTo, TransitionInput, check_funds, check_grade,
    check_step,
};
mod report;
pub use report::{
    CheckedPublicReport, CheckedReport, HazardInput, PublicReportInput, check_public, check_report,
    check_source,
};
pub mod periodic;
pub mod wording;
