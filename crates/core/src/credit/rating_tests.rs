use super::*;
use crate::credit::facts::{AccidentFact, DatedFact, PenaltyFact, PeriodFact};

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn penalty(day: &str, n: &str) -> PenaltyFact {
    PenaltyFact {
        case_id: format!("case-{n}"),
        day: d(day),
        number: Some(format!("浔应急罚决〔2026〕{n}号")),
        title: "未按规定开展隐患排查".into(),
    }
}

#[test]
fn clean_record_is_a() {
    let r = rate(&CreditScheme::default(), &Facts::default(), d("2026-06-01"));
    assert_eq!((r.tier.as_str(), r.score), ("A", 90));
    assert_eq!(r.reasons.len(), 1);
}

#[test]
fn penalty_names_its_document() {
    let facts = Facts {
        penalties: vec![penalty("2026-05-03", "12")],
        ..Facts::default()
    };
    let r = rate(&CreditScheme::default(), &facts, d("2026-06-01"));
    assert_eq!((r.tier.as_str(), r.score), ("B", 80));
    assert_eq!(
        r.reasons[1].text,
        "2026-05-03 行政处罚决定 浔应急罚决〔2026〕12号（未按规定开展隐患排查） 扣 10 分"
    );
    assert_eq!(r.reasons[1].record_id.as_deref(), Some("case-12"));
}

#[test]
fn replay_keeps_only_the_window() {
    let facts = Facts {
        penalties: vec![penalty("2025-03-01", "1"), penalty("2026-05-03", "2")],
        accidents: vec![AccidentFact {
            id: "i1".into(),
            day: d("2026-04-01"),
            title: "仓库火灾".into(),
            severity: Severity::Larger,
        }],
        ..Facts::default()
    };
    let s = CreditScheme::default();
    // Before any record: A; on 2026-01-01 only the first penalty (2025-03-01): 80 → B.
    assert_eq!(rate(&s, &facts, d("2025-02-28")).tier, "A");
    assert_eq!(rate(&s, &facts, d("2026-01-01")).tier, "B");
    let now = rate(&s, &facts, d("2026-06-01"));
    assert_eq!((now.tier.as_str(), now.score), ("D", 90 - 30 - 10));
    // The first penalty left the window on 2026-03-01.
    assert!(
        !now.reasons
            .iter()
            .any(|r| r.record_id.as_deref() == Some("case-1"))
    );
    // And the day after the window ends for the accident, it no longer counts.
    assert_eq!(rate(&s, &facts, d("2027-04-01")).score, 90 - 10);
}

#[test]
fn listing_forces_the_lowest_tier_and_bonuses_count() {
    let s = CreditScheme::default();
    let period = |id: &str, from: &str, until: &str, grade| PeriodFact {
        id: id.into(),
        from: d(from),
        until: Some(d(until)),
        grade,
    };
    let mut facts = Facts {
        standardisations: vec![period("s", "2025-01-01", "2027-12-31", 2)],
        insurance: vec![period("p", "2026-01-01", "2026-12-31", 0)],
        overdue_major_hazards: vec![DatedFact {
            id: "h".into(),
            day: d("2026-05-10"),
            text: "重大隐患 YH-1 逾期未整改".into(),
        }],
        ..Facts::default()
    };
    let r = rate(&s, &facts, d("2026-06-01"));
    assert_eq!(r.score, 90 + 6 + 2 - 10);
    assert_eq!(r.tier, "B");
    facts.listings = vec![period("l", "2026-05-20", "2029-05-19", 0)];
    let r = rate(&s, &facts, d("2026-06-01"));
    assert_eq!(r.tier, "D");
    assert!(
        r.reasons
            .last()
            .unwrap()
            .text
            .contains("严重失信主体名单 → D")
    );
    assert_eq!(rate(&s, &facts, d("2026-05-19")).tier, "B");
}

#[test]
fn explanations_and_plan_codes() {
    assert_eq!(
        change_explanation("2026-05-03 行政处罚决定 X 扣 10 分", Some("A"), "B"),
        "2026-05-03 行政处罚决定 X 扣 10 分（A → B）"
    );
    let code = plan_reason("D", 4);
    assert_eq!(plan_minimum(&code), 4);
    assert_eq!(plan_minimum("major_hazard"), 0);
    assert_eq!(
        plan_reason_label(&code).unwrap(),
        "信用等级 D（每年至少检查 4 次）"
    );
}
