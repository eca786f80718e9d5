//! The party's rights after the 行政处罚告知书 (行政处罚法 第四十四条、第四十五条、第六十三条):
//! 陈述、申辩 within 3 days and a 听证 requested within 5 days (the windows `approve` sets,
//! penalty::CaseDays). The steps that record them — `statement` (made or waived),
//! `hearing_request`, `hearing` — and the hold on `decide`: refused until the 陈述申辩 window has
//! passed unless the statement is recorded (made or waived); until the 听证 request window has
//! passed unless the party declined the hearing (`hearing_request` with `waived`); and, once a
//! 听证 was requested, until the hearing is recorded. A decision made inside the 听证 window would
//! take a right the 告知书 gave (行政处罚法 第六十四条).

use jiff::civil::Date;

use super::case::{Refusal, Step, StepInput, StepOutcome};
use crate::kernel::validation::Invalid;

/// The statement's record: made (陈述申辩已完成) or waived (放弃陈述申辩).
pub const STATEMENT_MADE: &str = "made";
pub const STATEMENT_WAIVED: &str = "waived";
/// The hearing's record: requested (申请听证), held (听证已举行).
pub const HEARING_REQUESTED: &str = "requested";
pub const HEARING_HELD: &str = "held";
/// The party declined the 听证 (放弃听证) before its window ended.
pub const HEARING_DECLINED: &str = "declined";

/// A case's windows as recorded (all `None` before the 告知书).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Windows {
    pub statement_until: Option<Date>,
    pub hearing_until: Option<Date>,
    pub statement: Option<String>,
    pub hearing: Option<String>,
}

/// The label of a statement or hearing record.
pub fn record_label(code: &str) -> &'static str {
    match code {
        STATEMENT_MADE => "陈述申辩已完成",
        STATEMENT_WAIVED => "放弃陈述申辩",
        HEARING_REQUESTED => "已申请听证，待听证",
        HEARING_HELD => "听证已举行",
        HEARING_DECLINED => "放弃听证",
        _ => "",
    }
}

fn conflict(m: String) -> Refusal {
    Refusal::WrongState(m)
}

fn note(input: &StepInput) -> Option<String> {
    input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Checks a window step (`statement`, `hearing_request`, `hearing`) and fills what it records.
pub fn window_step(
    w: &Windows,
    step: Step,
    input: &StepInput,
    today: Date,
    out: &mut StepOutcome,
) -> Result<(), Refusal> {
    match step {
        Step::Statement => {
            if let Some(s) = &w.statement {
                return Err(conflict(format!(
                    "已记录“{}”，不能重复记录",
                    record_label(s)
                )));
            }
            let code = if input.waived {
                STATEMENT_WAIVED
            } else {
                if note(input).is_none() {
                    return Err(Invalid::one("note", "请填写当事人陈述申辩的要点").into());
                }
                STATEMENT_MADE
            };
            out.statement = Some(code.into());
            out.window_note = Some(record_label(code).into());
        }
        Step::HearingRequest => {
            if let Some(h) = &w.hearing {
                return Err(conflict(format!(
                    "已记录“{}”，不能重复记录",
                    record_label(h)
                )));
            }
            if let Some(until) = w.hearing_until
                && today > until
            {
                return Err(conflict(format!(
                    "听证申请期限已于 {until} 届满，逾期视为放弃听证"
                )));
            }
            let code = if input.waived {
                HEARING_DECLINED
            } else {
                HEARING_REQUESTED
            };
            out.hearing = Some(code.into());
            out.window_note = Some(match code {
                HEARING_DECLINED => "当事人放弃听证".into(),
                _ => "当事人要求听证".into(),
            });
        }
        Step::Hearing => {
            if w.hearing.as_deref() != Some(HEARING_REQUESTED) {
                return Err(conflict(match w.hearing.as_deref() {
                    Some(HEARING_DECLINED) => "当事人已放弃听证，不能记录听证".into(),
                    Some(_) => "听证已记录，不能重复记录".into(),
                    None => "当事人未申请听证，不能记录听证".into(),
                }));
            }
            if note(input).is_none() {
                return Err(Invalid::one(
                    "note",
                    "请填写听证情况（时间、地点、主持人、当事人意见）",
                )
                .into());
            }
            out.hearing = Some(HEARING_HELD.into());
        }
        _ => {}
    }
    Ok(())
}

/// Whether the decision may be made on `today`: 409 (naming `step`, with the date) while the
/// 陈述申辩 window runs without a recorded statement, or while a requested 听证 is not recorded.
pub fn decision_hold(w: &Windows, today: Date) -> Result<(), Refusal> {
    if w.hearing.as_deref() == Some(HEARING_REQUESTED) {
        return Err(conflict(
            "当事人已申请听证，须记录听证后方可作出行政处罚决定".into(),
        ));
    }
    if w.statement.is_none()
        && let Some(until) = w.statement_until
        && today <= until
    {
        let next = until.tomorrow().unwrap_or(until);
        return Err(conflict(format!(
            "陈述申辩期限至 {until}，{next} 起或记录当事人陈述申辩（或放弃）后方可作出行政处罚决定"
        )));
    }
    if w.hearing.is_none()
        && let Some(until) = w.hearing_until
        && today <= until
    {
        let next = until.tomorrow().unwrap_or(until);
        return Err(conflict(format!(
            "听证申请期限至 {until}，{next} 起或记录当事人放弃听证后方可作出行政处罚决定"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn served() -> Windows {
        Windows {
            statement_until: Some(day("2026-03-05")),
            hearing_until: Some(day("2026-03-07")),
            ..Default::default()
        }
    }

    #[test]
    fn decide_waits_for_the_statement_window() {
        let e = decision_hold(&served(), day("2026-03-05")).unwrap_err();
        let Refusal::WrongState(m) = e else {
            panic!("{e:?}")
        };
        assert!(m.contains("2026-03-05") && m.contains("2026-03-06"), "{m}");
        // Then the 听证 window (E03: requests accepted through 2026-03-07).
        let e = decision_hold(&served(), day("2026-03-07")).unwrap_err();
        assert!(
            matches!(&e, Refusal::WrongState(m) if m.contains("2026-03-08")),
            "{e:?}"
        );
        decision_hold(&served(), day("2026-03-08")).unwrap();
        let waived = Windows {
            statement: Some(STATEMENT_WAIVED.into()),
            ..served()
        };
        assert!(decision_hold(&waived, day("2026-03-02")).is_err());
        let both = Windows {
            hearing: Some(HEARING_DECLINED.into()),
            ..waived
        };
        decision_hold(&both, day("2026-03-02")).unwrap();
    }

    #[test]
    fn a_requested_hearing_holds_the_decision_until_held() {
        let mut w = served();
        let mut out = StepOutcome::default();
        window_step(
            &w,
            Step::HearingRequest,
            &StepInput::default(),
            day("2026-03-07"),
            &mut out,
        )
        .unwrap();
        w.hearing = out.hearing.clone();
        assert!(decision_hold(&w, day("2026-04-01")).is_err());
        let e = window_step(
            &w,
            Step::Hearing,
            &StepInput::default(),
            day("2026-03-09"),
            &mut out,
        );
        assert!(
            matches!(e, Err(Refusal::Invalid(_))),
            "a hearing needs its note"
        );
        let input = StepInput {
            note: Some("2026-03-09 听证，当事人申辩".into()),
            ..Default::default()
        };
        window_step(&w, Step::Hearing, &input, day("2026-03-09"), &mut out).unwrap();
        w.hearing = out.hearing.clone();
        decision_hold(&w, day("2026-04-01")).unwrap();
    }

    #[test]
    fn a_late_hearing_request_is_refused_with_the_date() {
        let mut out = StepOutcome::default();
        let e = window_step(
            &served(),
            Step::HearingRequest,
            &StepInput::default(),
            day("2026-03-08"),
            &mut out,
        )
        .unwrap_err();
        assert_eq!(
            e,
            Refusal::WrongState("听证申请期限已于 2026-03-07 届满，逾期视为放弃听证".into())
        );
        let e = window_step(
            &served(),
            Step::Hearing,
            &StepInput::default(),
            day("2026-03-08"),
            &mut out,
        );
        assert!(matches!(e, Err(Refusal::WrongState(_))));
    }

    #[test]
    fn a_statement_is_recorded_once() {
        let mut out = StepOutcome::default();
        let e = window_step(
            &served(),
            Step::Statement,
            &StepInput::default(),
            day("2026-03-03"),
            &mut out,
        );
        assert!(
            matches!(e, Err(Refusal::Invalid(_))),
            "a statement made needs its note"
        );
        let waive = StepInput {
            waived: true,
            ..Default::default()
        };
        window_step(
            &served(),
            Step::Statement,
            &waive,
            day("2026-03-03"),
            &mut out,
        )
        .unwrap();
        assert_eq!(out.statement.as_deref(), Some(STATEMENT_WAIVED));
        let w = Windows {
            statement: out.statement.clone(),
            ..served()
        };
        assert!(window_step(&w, Step::Statement, &waive, day("2026-03-03"), &mut out).is_err());
    }
}
