use super::*;
use proptest::prelude::*;

fn m(s: &str) -> Milli4 {
    Milli4::parse(s).expect(s)
}

#[test]
fn rate_of_change_is_per_minute_and_exact() {
    let limit = m("0.5");
    // 0.5 in exactly one minute is at the limit, not over it.
    assert!(!rate_exceeded((0, m("1")), (60_000, m("1.5")), limit));
    assert!(rate_exceeded((0, m("1")), (60_000, m("1.5001")), limit));
    // Falling counts as much as rising; 0.3 in 30 s is 0.6 per minute.
    assert!(rate_exceeded((0, m("1")), (30_000, m("0.7")), limit));
    // Same or earlier timestamps never exceed (out-of-order readings are not evaluated).
    assert!(!rate_exceeded((60_000, m("1")), (60_000, m("9")), limit));
    assert!(!rate_exceeded((60_000, m("1")), (0, m("9")), limit));
    // Extreme values do not overflow.
    assert!(rate_exceeded(
        (i64::MIN, Milli4(i64::MIN)),
        (i64::MAX, Milli4(i64::MAX)),
        Milli4(1)
    ));
}

fn policy() -> Vec<PolicyStep> {
    [
        (0, "企业安全员"),
        (300, "主要负责人"),
        (600, "街道"),
        (900, "行业部门"),
    ]
    .iter()
    .map(|(s, l)| PolicyStep {
        after_secs: *s,
        targets: vec![(*l).into()],
        label: (*l).into(),
    })
    .collect()
}

#[test]
fn decimals_parse_exactly() {
    assert_eq!(m("12.34"), Milli4(123_400));
    assert_eq!(m("-0.01"), Milli4(-100));
    assert_eq!(m("17"), Milli4(170_000));
    assert_eq!(m("0.00005"), Milli4(1));
    assert_eq!(m(".5"), Milli4(5_000));
    assert_eq!(m("18.5").to_string(), "18.5");
    assert_eq!(m("-3").to_string(), "-3");
    for bad in [
        "NaN",
        "inf",
        "-inf",
        "1e3",
        "",
        "-",
        "1.2.3",
        "12a",
        "9999999999999",
    ] {
        assert!(Milli4::parse(bad).is_none(), "{bad}");
    }
}

#[test]
fn thresholds_with_hysteresis() {
    let t = Thresholds {
        ll: Some(m("1")),
        l: Some(m("2")),
        h: Some(m("17")),
        hh: Some(m("18.5")),
        hysteresis: m("0.5"),
    };
    assert!(t.check().is_ok());
    assert_eq!(t.evaluate(m("10"), &[]), vec![]);
    assert_eq!(t.evaluate(m("17"), &[]), vec![Level::H]);
    assert_eq!(
        t.evaluate(m("18.5"), &[Level::H]),
        vec![Level::H, Level::Hh]
    );
    // Back under HH but inside its dead band: HH stays; under by more: it clears.
    assert_eq!(
        t.evaluate(m("18.1"), &[Level::H, Level::Hh]),
        vec![Level::H, Level::Hh]
    );
    assert_eq!(
        t.evaluate(m("17.9"), &[Level::H, Level::Hh]),
        vec![Level::H]
    );
    assert_eq!(t.evaluate(m("16.6"), &[Level::H]), vec![Level::H]);
    assert_eq!(t.evaluate(m("16.5"), &[Level::H]), vec![Level::H]);
    assert_eq!(t.evaluate(m("16.4"), &[Level::H]), vec![]);
    assert_eq!(t.evaluate(m("0.9"), &[]), vec![Level::Ll, Level::L]);
    assert_eq!(Level::Hh.inhibits(), Some(Level::H));
    let bad = Thresholds {
        h: Some(m("5")),
        hh: Some(m("5")),
        ..Default::default()
    };
    assert_eq!(bad.check().map_err(|e| e.0), Err("threshold_hh"));
}

#[test]
fn escalation_follows_the_snapshot_until_acknowledged() {
    let TriggerOutcome::Opened(mut i) = Incident::trigger(None, 0, &policy()) else {
        panic!("opens");
    };
    assert_eq!(i.fire_due(0), vec![0]);
    assert_eq!(i.fire_due(299_999), Vec::<usize>::new());
    assert_eq!(i.fire_due(650_000), vec![1, 2]);
    i.ack().expect("ack");
    assert_eq!(i.fire_due(10_000_000), Vec::<usize>::new());
    assert_eq!(i.ack(), Err(Refusal::AlreadyAcked));
    i.start_handling().expect("handle");
    assert_eq!(i.close("maybe"), Err(Refusal::DispositionRequired));
    i.close("false_alarm").expect("close");
    assert_eq!(i.ack(), Err(Refusal::AlreadyClosed));
}

#[derive(Debug, Clone)]
enum Op {
    Trigger,
    Ack,
    Resolve,
    Close,
    Tick(i64),
    EditPolicy,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => Just(Op::Trigger),
        2 => Just(Op::Ack),
        2 => Just(Op::Resolve),
        1 => Just(Op::Close),
        4 => (1i64..400_000).prop_map(Op::Tick),
        1 => Just(Op::EditPolicy),
    ]
}

proptest! {
    /// alerting.md G7 over random sequences: acknowledgement stops every further step; a
    /// trigger on an open incident never notifies again; a trigger after resolution opens a
    /// new incident; each incident keeps the policy it opened with; no step fires twice.
    #[test]
    fn ack_semantics(ops in proptest::collection::vec(op(), 1..60)) {
        let mut now = 0i64;
        let mut current_policy = policy();
        let mut incidents: Vec<(Incident, Vec<PolicyStep>)> = Vec::new();
        let mut fired: Vec<(usize, usize)> = Vec::new();
        for op in ops {
            let open = incidents.len().checked_sub(1);
            match op {
                Op::Trigger => {
                    let before = incidents.len();
                    let existing = incidents.last_mut().map(|(i, _)| i);
                    let absorbs = existing.as_ref().is_some_and(|i| i.absorbs_triggers());
                    match Incident::trigger(existing, now, &current_policy) {
                        TriggerOutcome::Opened(i) => {
                            prop_assert!(!absorbs);
                            incidents.push((i, current_policy.clone()));
                        }
                        TriggerOutcome::Deduplicated => prop_assert!(absorbs && incidents.len() == before),
                    }
                }
                Op::Ack => if let Some(k) = open {
                    let _ = incidents[k].0.ack();
                },
                Op::Resolve => if let Some(k) = open {
                    incidents[k].0.resolve(now);
                },
                Op::Close => if let Some(k) = open {
                    let _ = incidents[k].0.close("real");
                },
                Op::Tick(d) => now += d,
                Op::EditPolicy => {
                    current_policy.truncate(2);
                    current_policy[1].after_secs = 1;
                }
            }
            for (k, (i, snapshot)) in incidents.iter_mut().enumerate() {
                let acked = i.response != Response::Unacked;
                let steps = i.fire_due(now);
                prop_assert!(!acked || steps.is_empty(), "acknowledged incident escalated");
                prop_assert_eq!(&i.policy, snapshot);
                for s in steps {
                    prop_assert!(!fired.contains(&(k, s)), "step fired twice");
                    prop_assert!(i.opened_ms + i.policy[s].after_secs * 1000 <= now);
                    fired.push((k, s));
                }
            }
        }
    }
}
