//! R01–R03 (disasters.md §5), the figures' checks, the sequence and the jump rule.

use super::processes::Status;
use super::reports::{
    ReportInput, ReportKind, RowInput, Sequence, Townships, check_report, check_sequence,
};
use super::reports_figures::{Figure, Figures, parse_count, parse_hundredths, show_hundredths};
use super::reports_rules::{
    Facts, JumpRule, jumps, lateness, next_due, tells_higher_levels, trigger_facts,
};
use crate::kernel::clock::parse_instant;

fn at(s: &str) -> i64 {
    parse_instant(s).expect("instant")
}

fn facts(last: Option<(ReportKind, &str)>, status: Status, stable: Option<&str>) -> Facts {
    Facts {
        started_ms: at("2026-07-10T14:00:00+08:00"),
        status,
        stable_ms: stable.map(at),
        major: false,
        last: last.map(|(k, s)| (k, at(s))),
    }
}

#[test]
fn r01_initial_due_two_hours_after_the_start() {
    let f = facts(None, Status::Ongoing, None);
    let due = next_due(&f).expect("due");
    assert_eq!(due.kind, ReportKind::Initial);
    assert_eq!(due.due_ms, at("2026-07-10T16:00:00+08:00"));
    let late = lateness(
        Some(&due),
        ReportKind::Initial,
        at("2026-07-10T16:05:00+08:00"),
    );
    assert_eq!(late.as_deref(), Some("迟报 5 分钟"));
    assert_eq!(
        lateness(
            Some(&due),
            ReportKind::Initial,
            at("2026-07-10T16:00:00+08:00")
        ),
        None
    );
}

#[test]
fn r02_updates_every_seven_days() {
    let f = facts(
        Some((ReportKind::Initial, "2026-07-10T15:00:00+08:00")),
        Status::Ongoing,
        None,
    );
    let due = next_due(&f).expect("due");
    assert_eq!(
        due.due_day.map(|d| d.to_string()).as_deref(),
        Some("2026-07-17")
    );
    assert_eq!(
        lateness(
            Some(&due),
            ReportKind::Update,
            at("2026-07-11T10:00:00+08:00")
        ),
        None
    );
    let f = facts(
        Some((ReportKind::Update, "2026-07-11T10:00:00+08:00")),
        Status::Ongoing,
        None,
    );
    let due = next_due(&f).expect("due");
    assert_eq!(
        due.due_day.map(|d| d.to_string()).as_deref(),
        Some("2026-07-18")
    );
    assert_eq!(
        lateness(
            Some(&due),
            ReportKind::Update,
            at("2026-07-18T23:59:00+08:00")
        ),
        None
    );
    assert_eq!(
        lateness(
            Some(&due),
            ReportKind::Update,
            at("2026-07-19T09:00:00+08:00")
        )
        .as_deref(),
        Some("迟报 1 天")
    );
    let major = Facts { major: true, ..f };
    assert_eq!(
        next_due(&major)
            .and_then(|d| d.due_day)
            .map(|d| d.to_string())
            .as_deref(),
        Some("2026-07-12")
    );
}

#[test]
fn r03_final_five_days_after_stable() {
    let f = facts(
        Some((ReportKind::Update, "2026-07-19T09:00:00+08:00")),
        Status::Stable,
        Some("2026-07-20T08:00:00+08:00"),
    );
    let due = next_due(&f).expect("due");
    assert_eq!(due.kind, ReportKind::Final);
    assert_eq!(
        due.due_day.map(|d| d.to_string()).as_deref(),
        Some("2026-07-25")
    );
    assert_eq!(due.due_ms, at("2026-07-26T00:00:00+08:00"));
    let done = Facts {
        status: Status::Verified,
        ..f
    };
    assert_eq!(next_due(&done), None);
}

#[test]
fn counts_and_decimals_are_exact() {
    assert_eq!(parse_count("x", "12"), Ok(12));
    assert_eq!(parse_count("x", "12.0"), Ok(12));
    assert!(parse_count("x", "1.5").is_err());
    assert_eq!(parse_count("x", "-3"), Err("x不能为负数".into()));
    assert_eq!(parse_hundredths("x", "12.3"), Ok(1230));
    assert_eq!(parse_hundredths("x", "0.07"), Ok(7));
    assert_eq!(parse_hundredths("x", "5"), Ok(500));
    assert!(parse_hundredths("x", "1.234").is_err());
    assert!(parse_hundredths("x", "1e3").is_err());
    // 0.1 + 0.2 is 0.3 exactly.
    let a = Figures([0, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 10]);
    let b = Figures([0, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 20]);
    let t = Figures::sum([&a, &b]);
    assert_eq!(show_hundredths(t.get(Figure::CropsAffected)), "0.30");
}

fn row(code: &str, pairs: &[(Figure, &str)]) -> RowInput {
    let mut values: [Option<String>; 15] = Default::default();
    for (f, v) in pairs {
        values[f.index()] = Some((*v).into());
    }
    RowInput {
        township: code.into(),
        values,
    }
}

fn affected() -> Vec<(String, String)> {
    vec![
        ("360403001".into(), "甘棠街道".into()),
        ("360403002".into(), "湓浦街道".into()),
    ]
}

#[test]
fn rows_are_checked_and_summed() {
    let a = affected();
    let t = Townships {
        affected: &a,
        prefix: None,
    };
    let input = ReportInput {
        kind: "initial".into(),
        rows: vec![
            row(
                "360403001",
                &[
                    (Figure::AffectedPeople, "100"),
                    (Figure::Deaths, "1"),
                    (Figure::Loss, "1.25"),
                ],
            ),
            row(
                "360403002",
                &[(Figure::AffectedPeople, "50"), (Figure::Loss, "0.75")],
            ),
        ],
        description: "暴雨".into(),
        ..Default::default()
    };
    let c = check_report(&input, &t).expect("valid");
    assert_eq!(c.totals.get(Figure::AffectedPeople), 150);
    assert_eq!(c.totals.get(Figure::Loss), 200);
    let bad = ReportInput {
        rows: vec![
            row(
                "360403001",
                &[
                    (Figure::AffectedPeople, "5"),
                    (Figure::Deaths, "4"),
                    (Figure::Missing, "2"),
                ],
            ),
            row(
                "360403002",
                &[
                    (Figure::CropsAffected, "1"),
                    (Figure::CropsDamaged, "2"),
                    (Figure::Relocated, "-1"),
                ],
            ),
            row("360404001", &[]),
        ],
        ..input
    };
    let e = check_report(&bad, &t).expect_err("invalid");
    let fields: Vec<&str> = e.0.iter().map(|x| x.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "rows[0].deaths",
            "rows[1].relocated",
            "rows[1].crops_damaged_ha",
            "rows[2].township"
        ]
    );
    assert!(
        e.0[0].message.contains("第1行甘棠街道"),
        "{}",
        e.0[0].message
    );
    let street = Townships {
        affected: &a,
        prefix: Some("360403001001"),
    };
    let e = check_report(
        &ReportInput {
            rows: vec![row("360403002", &[])],
            ..bad
        },
        &street,
    )
    .expect_err("outside");
    assert!(e.0[0].message.contains("湓浦街道"));
}

#[test]
fn sequence() {
    let s = |status, has_initial, has_final| Sequence {
        status,
        has_initial,
        has_final,
    };
    assert!(check_sequence(ReportKind::Initial, s(Status::Ongoing, false, false)).is_ok());
    let e = check_sequence(ReportKind::Final, s(Status::Ongoing, false, false))
        .expect_err("no initial");
    assert_eq!(e.0[0].message, "尚未报送初报，不能报送核报");
    assert!(check_sequence(ReportKind::Update, s(Status::Ongoing, false, false)).is_err());
    assert!(check_sequence(ReportKind::Initial, s(Status::Ongoing, true, false)).is_err());
    assert!(check_sequence(ReportKind::Final, s(Status::Ongoing, true, false)).is_err());
    assert!(check_sequence(ReportKind::Final, s(Status::Stable, true, false)).is_ok());
    assert!(check_sequence(ReportKind::Update, s(Status::Verified, true, true)).is_err());
}

#[test]
fn jumps_need_both_the_ratio_and_the_minimum() {
    let r = JumpRule::default();
    assert!(!r.is_jump(100, 150));
    assert!(r.is_jump(100, 151));
    assert!(!r.is_jump(4, 12), "8 persons: below the minimum");
    assert!(r.is_jump(0, 10));
    assert!(r.is_jump(40, 10));
    let mut before = Figures::default();
    before.0[Figure::Deaths.index()] = 2;
    let mut after = before;
    after.0[Figure::Deaths.index()] = 20;
    after.0[Figure::CollapsedRooms.index()] = 500; // not a main figure
    let j = jumps(
        r,
        &[("360403001".into(), before)],
        &[("360403001".into(), "甘棠街道".into(), after)],
    );
    assert_eq!(j.len(), 1);
    assert_eq!(j[0].0, "rows[0].deaths");
    assert!(
        j[0].1.contains("甘棠街道的因灾死亡人口由2人变为20人"),
        "{}",
        j[0].1
    );
}

#[test]
fn r04_and_trigger_facts() {
    let mut f = Figures::default();
    f.0[Figure::Deaths.index()] = 7;
    f.0[Figure::Missing.index()] = 5;
    assert!(tells_higher_levels(None, &f));
    assert!(!tells_higher_levels(Some(&f), &f), "told once");
    f.0[Figure::Relocated.index()] = 100;
    f.0[Figure::NeedRelief.index()] = 20;
    f.0[Figure::CollapsedRooms.index()] = 3;
    f.0[Figure::SevereRooms.index()] = 4;
    f.0[Figure::DamagedRooms.index()] = 50;
    let t = trigger_facts(&f);
    assert_eq!(t.casualties.evacuated, 120);
    assert_eq!(t.houses_rooms, 7);
}
