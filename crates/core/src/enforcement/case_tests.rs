use super::*;

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

fn facts(state: CaseState) -> CaseFacts {
    CaseFacts {
        state,
        filed: day("2026-01-10"),
        decision_due: CaseDays::default().decision_due(day("2026-01-10")),
        extended_until: None,
        accident_grade: None,
        aggravated: false,
        proposed_fine: Some(300_000),
        windows: Default::default(),
    }
}

#[test]
fn reviewer_who_investigated_is_refused() {
    let inv = vec!["u1".to_string(), "u2".to_string()];
    let s = Standing::of(Role::LegalReviewer, "u1", &inv);
    assert_eq!(s, Standing::ReviewerWhoInvestigated);
    let e = check_step(
        &facts(CaseState::Reviewing),
        s,
        Step::Approve,
        &StepInput::default(),
        day("2026-02-01"),
    )
    .unwrap_err();
    assert_eq!(e, Refusal::Forbidden(REVIEWER_INVESTIGATED.into()));
    let ok = Standing::of(Role::LegalReviewer, "u9", &inv);
    let out = check_step(
        &facts(CaseState::Reviewing),
        ok,
        Step::Approve,
        &StepInput::default(),
        day("2026-03-02"),
    )
    .unwrap();
    assert_eq!(out.to, Some(CaseState::Notified));
    assert_eq!(out.statement_until, Some(day("2026-03-05")));
    assert_eq!(out.hearing_until, Some(day("2026-03-07")));
}

#[test]
fn wrong_state_and_fine_range() {
    let e = check_step(
        &facts(CaseState::Filed),
        Standing::Manager,
        Step::Decide,
        &StepInput::default(),
        day("2026-02-01"),
    )
    .unwrap_err();
    assert_eq!(
        e,
        Refusal::WrongState("案件处于“立案”阶段，不能“作出行政处罚决定”".into())
    );
    let mut input = StepInput {
        accident_grade: Some("general".into()),
        amount_yuan: Some(200_000),
        ..Default::default()
    };
    let e = check_step(
        &facts(CaseState::Investigating),
        Standing::Investigator,
        Step::SubmitReview,
        &input,
        day("2026-02-01"),
    )
    .unwrap_err();
    let Refusal::Invalid(i) = e else { panic!() };
    assert_eq!(i.0[0].field, "amount_yuan");
    input.fine_reason = Some("主动消除危害后果，依法减轻处罚".into());
    let out = check_step(
        &facts(CaseState::Investigating),
        Standing::Investigator,
        Step::SubmitReview,
        &input,
        day("2026-02-01"),
    )
    .unwrap();
    assert_eq!(out.proposed_fine, Some(200_000));
    assert_eq!(out.transfer_reason, None);
}

#[test]
fn large_accident_is_flagged_for_transfer_and_decision_sets_payment() {
    let input = StepInput {
        accident_grade: Some("large".into()),
        amount_yuan: Some(1_500_000),
        ..Default::default()
    };
    let out = check_step(
        &facts(CaseState::Notified),
        Standing::Manager,
        Step::Decide,
        &input,
        day("2026-05-01"),
    )
    .unwrap();
    assert!(out.transfer_reason.unwrap().contains("较大事故"));
    assert_eq!(out.payment_due, Some(day("2026-05-16")));
    assert_eq!(out.deadline, Some((Deadline::Payment, day("2026-05-16"))));
    assert!(
        check_step(
            &facts(CaseState::Notified),
            Standing::Investigator,
            Step::Decide,
            &input,
            day("2026-05-01"),
        )
        .is_err()
    );
}

#[test]
fn extension_and_deadline_instants() {
    let input = StepInput {
        extend_until: Some("2026-05-10".into()),
        note: Some("案情复杂，经负责人批准延长30日".into()),
        ..Default::default()
    };
    let out = check_step(
        &facts(CaseState::Investigating),
        Standing::Manager,
        Step::Extend,
        &input,
        day("2026-04-01"),
    )
    .unwrap();
    assert_eq!(out.extended_until, Some(day("2026-05-10")));
    assert_eq!(out.to, None);
    // 2026-04-10 in Shanghai ends at 2026-04-10T16:00:00Z.
    assert_eq!(day_end_ms(day("2026-04-10")), 1_775_836_800_000);
    assert_eq!(days_left(day("2026-04-10"), day("2026-04-11")), -1);
}
