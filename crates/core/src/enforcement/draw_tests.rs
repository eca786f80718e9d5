use super::*;

fn day(s: &str) -> Date {
    s.parse().unwrap()
}

fn inspector(id: &str, name: &str, until: &str, conflicts: &[&str]) -> InspectorEntry {
    InspectorEntry {
        id: id.into(),
        name: name.into(),
        cert_valid_until: day(until),
        conflicts: conflicts.iter().map(|c| c.to_string()).collect(),
    }
}

fn team() -> Vec<InspectorEntry> {
    (0..6)
        .map(|i| inspector(&format!("i{i}"), &format!("人员{i}"), "2030-12-31", &[]))
        .collect()
}

/// D01: pool = 1751 工贸 enterprises, 重点 list = 16, random quota = 8, seed = 42 → 8 distinct
/// enterprises, none on the 重点 list; rerunning with seed 42 gives the same 8.
#[test]
fn d01_reproducible_and_key_list_excluded() {
    let pool: Vec<String> = (0..1751).map(|i| format!("e{i:05}")).collect();
    let key: BTreeSet<String> = pool.iter().step_by(100).take(16).cloned().collect();
    assert_eq!(key.len(), 16);
    let inspectors = team();
    let input = DrawInput {
        pool: &pool,
        excluded: &key,
        quota: Quota::Count(8),
        inspectors: &inspectors,
        team_size: 2,
        on: day("2026-03-01"),
        seed: 42,
    };
    let a = draw(&input).unwrap();
    assert_eq!(a.picks.len(), 8);
    assert_eq!((a.pool_size, a.candidates, a.quota), (1751, 1735, 8));
    let ids: BTreeSet<&String> = a.picks.iter().map(|p| &p.enterprise_id).collect();
    assert_eq!(ids.len(), 8, "distinct");
    assert!(ids.iter().all(|id| !key.contains(*id)));
    assert_eq!(draw(&input).unwrap(), a, "same seed, same draw");
    // The pool's order as the database returns it does not matter.
    let mut reversed = pool.clone();
    reversed.reverse();
    assert_eq!(
        draw(&DrawInput {
            pool: &reversed,
            ..input.clone()
        })
        .unwrap(),
        a
    );
    let other = draw(&DrawInput {
        seed: 43,
        ..input.clone()
    })
    .unwrap();
    assert_ne!(other.picks, a.picks);
    for p in &a.picks {
        assert_eq!(p.inspector_ids.len(), 2);
        assert_ne!(p.inspector_ids[0], p.inspector_ids[1]);
    }
}

/// D02: inspectors {张, 李, 王}, 王 with a conflict with the drawn enterprise → two from {张, 李};
/// with only one eligible → an error.
#[test]
fn d02_recusal_and_two_inspectors() {
    let pool = vec!["e1".to_string()];
    let none = BTreeSet::new();
    let inspectors = vec![
        inspector("zhang", "张", "2030-12-31", &[]),
        inspector("li", "李", "2030-12-31", &[]),
        inspector("wang", "王", "2030-12-31", &["e1"]),
    ];
    for seed in 0..50 {
        let d = draw(&DrawInput {
            pool: &pool,
            excluded: &none,
            quota: Quota::Count(1),
            inspectors: &inspectors,
            team_size: 2,
            on: day("2026-03-01"),
            seed,
        })
        .unwrap();
        let mut got = d.picks[0].inspector_ids.clone();
        got.sort();
        assert_eq!(got, vec!["li".to_string(), "zhang".to_string()]);
    }
    // 李's 执法证 expired the day before: only 张 is eligible.
    let expired = vec![
        inspectors[0].clone(),
        inspector("li", "李", "2026-02-28", &[]),
        inspectors[2].clone(),
    ];
    let e = draw(&DrawInput {
        pool: &pool,
        excluded: &none,
        quota: Quota::Count(1),
        inspectors: &expired,
        team_size: 2,
        on: day("2026-03-01"),
        seed: 1,
    })
    .unwrap_err();
    assert_eq!(e.0[0].field, "inspectors");
    assert!(e.0[0].message.contains("只有 1 人"), "{}", e.0[0].message);
}

/// D03: ratio 5 %, pool 30 → quota ceil(1.5) = 2 with the default rounding.
#[test]
fn d03_ratio_rounding() {
    let five = Quota::parse(None, Some("5"), Rounding::default()).unwrap();
    assert_eq!(five.of(30), 2);
    let half_up = Quota::Ratio {
        basis_points: 500,
        rounding: Rounding::HalfUp,
    };
    assert_eq!(half_up.of(30), 2);
    assert_eq!(half_up.of(29), 1); // 1.45
    let floor = Quota::Ratio {
        basis_points: 500,
        rounding: Rounding::Floor,
    };
    assert_eq!(floor.of(30), 1);
    assert_eq!(
        five.of(1),
        1,
        "ceil gives one whenever the ratio is above zero"
    );
    let q = Quota::parse(None, Some("2.75"), Rounding::Ceil).unwrap();
    assert_eq!(q.of(400), 11);
    assert_eq!(
        Quota::parse(None, Some("100"), Rounding::Ceil)
            .unwrap()
            .of(7),
        7
    );
}

#[test]
fn bad_quotas_name_the_field() {
    for bad in [
        "0", "100.01", "-5", "5%", "1.234", "abc", ".", "1e2", "1000",
    ] {
        let e = Quota::parse(None, Some(bad), Rounding::Ceil).unwrap_err();
        assert_eq!(e.0[0].field, "ratio_percent", "{bad}");
    }
    assert_eq!(
        Quota::parse(Some(0), None, Rounding::Ceil).unwrap_err().0[0].field,
        "count"
    );
    assert_eq!(
        Quota::parse(None, None, Rounding::Ceil).unwrap_err().0[0].field,
        "count"
    );
    assert!(Quota::parse(Some(3), Some("5"), Rounding::Ceil).is_err());
    assert!(Rounding::parse("up").is_err());
}

#[test]
fn empty_pool_and_small_teams_are_refused() {
    let none = BTreeSet::new();
    let inspectors = team();
    let base = DrawInput {
        pool: &[],
        excluded: &none,
        quota: Quota::Count(1),
        inspectors: &inspectors,
        team_size: 2,
        on: day("2026-03-01"),
        seed: 7,
    };
    assert_eq!(draw(&base).unwrap_err().0[0].field, "pool");
    let pool = vec!["e1".to_string()];
    let one = DrawInput {
        pool: &pool,
        team_size: 1,
        ..base.clone()
    };
    assert_eq!(draw(&one).unwrap_err().0[0].field, "team_size");
}

#[test]
fn quota_is_capped_at_the_candidates() {
    let pool: Vec<String> = (0..5).map(|i| format!("e{i}")).collect();
    let excluded: BTreeSet<String> = ["e0".to_string(), "e1".to_string()].into();
    let inspectors = team();
    let d = draw(&DrawInput {
        pool: &pool,
        excluded: &excluded,
        quota: Quota::Count(10),
        inspectors: &inspectors,
        team_size: 3,
        on: day("2026-03-01"),
        seed: 9,
    })
    .unwrap();
    assert_eq!((d.quota, d.candidates, d.picks.len()), (10, 3, 3));
    assert!(d.picks.iter().all(|p| p.inspector_ids.len() == 3));
}

/// Every enterprise is about equally likely to be drawn (no bias from the order or the modulo).
#[test]
fn draw_is_fair() {
    let pool: Vec<String> = (0..10).map(|i| format!("e{i}")).collect();
    let none = BTreeSet::new();
    let inspectors = team();
    let mut hits = [0u32; 10];
    for seed in 0..5_000 {
        let d = draw(&DrawInput {
            pool: &pool,
            excluded: &none,
            quota: Quota::Count(3),
            inspectors: &inspectors,
            team_size: 2,
            on: day("2026-03-01"),
            seed,
        })
        .unwrap();
        for p in d.picks {
            hits[p.enterprise_id[1..].parse::<usize>().unwrap()] += 1;
        }
    }
    // Expected 1500 each; a fair draw stays well within ±10 %.
    assert!(hits.iter().all(|h| (1350..=1650).contains(h)), "{hits:?}");
}

/// The draw as ADR 0024 writes it down, building each enterprise's eligible list and shuffling it:
/// the optimised draw must give exactly this, or published draws would no longer 复核.
fn reference_draw(input: &DrawInput) -> Vec<Pick> {
    let mut candidates: Vec<&String> = input
        .pool
        .iter()
        .filter(|id| !input.excluded.contains(*id))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let take = input.quota.of(input.pool.len()).min(candidates.len());
    let mut rng = Rng::new(input.seed);
    shuffle_prefix(&mut rng, &mut candidates, take);
    let mut inspectors: Vec<&InspectorEntry> = input.inspectors.iter().collect();
    inspectors.sort_by(|a, b| a.id.cmp(&b.id));
    let mut picks = Vec::new();
    for enterprise_id in candidates.into_iter().take(take) {
        let mut eligible: Vec<&InspectorEntry> = inspectors
            .iter()
            .copied()
            .filter(|i| i.cert_valid_until >= input.on && !i.conflicts.contains(enterprise_id))
            .collect();
        shuffle_prefix(&mut rng, &mut eligible, input.team_size);
        picks.push(Pick {
            enterprise_id: enterprise_id.clone(),
            inspector_ids: eligible[..input.team_size]
                .iter()
                .map(|i| i.id.clone())
                .collect(),
        });
    }
    picks
}

#[test]
fn optimised_draw_equals_the_written_algorithm() {
    let pool: Vec<String> = (0..400)
        .map(|i| format!("e{:05}", (i * 7919) % 1000))
        .collect();
    for seed in 0..40u64 {
        let mut rng = Rng::new(seed + 1000);
        let inspectors: Vec<InspectorEntry> = (0..12)
            .map(|i| {
                let conflicts: Vec<&str> = (0..rng.uniform(40))
                    .map(|_| pool[rng.uniform(pool.len())].as_str())
                    .collect();
                let until = if rng.uniform(5) == 0 {
                    "2025-01-01"
                } else {
                    "2030-12-31"
                };
                inspector(&format!("i{:02}", (i * 5) % 12), "人员", until, &conflicts)
            })
            .collect();
        let excluded: BTreeSet<String> = pool.iter().step_by(9).cloned().collect();
        let input = DrawInput {
            pool: &pool,
            excluded: &excluded,
            quota: Quota::Count(60),
            inspectors: &inspectors,
            team_size: 2 + (seed as usize % 3),
            on: day("2026-03-01"),
            seed,
        };
        assert_eq!(
            draw(&input).unwrap().picks,
            reference_draw(&input),
            "seed {seed}"
        );
    }
}
