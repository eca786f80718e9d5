use super::*;

fn ids(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i:03}")).collect()
}

fn quota(category: &str, count: Option<i64>, pct: Option<&str>) -> QuotaInput {
    QuotaInput {
        category: category.into(),
        count,
        ratio_percent: pct.map(Into::into),
        rounding: None,
    }
}

#[test]
fn key_list_takes_the_largest_minimum_capped_per_year() {
    let config = PlanConfig::default();
    let mut reasons: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    reasons.insert("a".into(), vec!["red_orange_risk_point"]);
    reasons.insert("b".into(), vec!["major_hazard", "red_orange_risk_point"]);
    let out = compute(&config, &reasons, &[], &[]);
    assert_eq!(out.key.len(), 2);
    assert_eq!(out.key[0].enterprise_id, "b");
    assert_eq!(out.key[0].times, 2);
    assert_eq!(out.key[1].times, 1);
    assert_eq!(out.key_inspections, 3);

    let capped = PlanConfig {
        key_min_major_hazard: 3,
        max_per_year: 3,
        ..PlanConfig::default()
    };
    let tighter = PlanConfig {
        max_per_year: 2,
        ..capped.clone()
    };
    assert_eq!(compute(&capped, &reasons, &[], &[]).key[0].times, 3);
    assert!(
        tighter.validate().is_err(),
        "a minimum above the cap is refused"
    );
}

#[test]
fn a_zero_minimum_leaves_the_enterprise_to_the_draws() {
    let config = PlanConfig {
        key_min_red_orange_risk_point: 0,
        ..PlanConfig::default()
    };
    let mut reasons: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    reasons.insert("c000".into(), vec!["red_orange_risk_point"]);
    let pools = vec![("hazardous_chemicals".to_string(), ids("c", 10))];
    let out = compute(&config, &reasons, &pools, &[]);
    assert!(out.key.is_empty());
    assert_eq!(out.categories[0].candidates, 10);
    assert_eq!(out.categories[0].quota, "不抽查");
}

#[test]
fn quotas_draw_from_the_pool_less_the_key_list() {
    let mut reasons: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    reasons.insert("w001".into(), vec!["major_hazard"]);
    reasons.insert("w002".into(), vec!["open_major_hazard"]);
    let pools = vec![
        ("industry_trade".to_string(), ids("w", 41)),
        ("hazardous_chemicals".to_string(), ids("h", 7)),
    ];
    let checked = check_plan(
        &PlanInput {
            year: 2026,
            title: "2026年度执法检查计划".into(),
            quotas: vec![
                quota("industry_trade", None, Some("5")),
                quota("hazardous_chemicals", Some(10), None),
            ],
        },
        2026,
        |c| c == "industry_trade" || c == "hazardous_chemicals",
    )
    .unwrap();
    let out = compute(&PlanConfig::default(), &reasons, &pools, &checked.quotas);
    let trade = &out.categories[0];
    assert_eq!((trade.pool, trade.key, trade.candidates), (41, 2, 39));
    // 39 × 5% = 1.95, rounded up.
    assert_eq!(trade.draws, 2);
    assert_eq!(trade.quota, "5%（向上取整）");
    // A count above the candidates draws them all.
    assert_eq!(out.categories[1].draws, 7);
    assert_eq!(out.random_inspections, 9);
    assert_eq!(out.key_inspections, 4);
}

#[test]
fn bad_plans_name_the_field_and_row() {
    let err = check_plan(
        &PlanInput {
            year: 2030,
            title: " ".into(),
            quotas: vec![
                quota("industry_trade", None, Some("120")),
                quota("mines", Some(3), None),
                quota("industry_trade", Some(3), None),
            ],
        },
        2026,
        |c| c == "industry_trade",
    )
    .unwrap_err();
    let fields: Vec<&str> = err.0.iter().map(|f| f.field.as_str()).collect();
    assert!(fields.contains(&"title"), "{fields:?}");
    assert!(fields.contains(&"year"), "{fields:?}");
    assert!(fields.contains(&"quotas[0].ratio_percent"), "{fields:?}");
    assert!(fields.contains(&"quotas[1].category"), "{fields:?}");
    assert!(err.0.iter().any(|f| f.message.starts_with("第2行")));
}

#[test]
fn quota_text_keeps_every_decimal() {
    assert_eq!(
        quota_text(Quota::Ratio {
            basis_points: 525,
            rounding: Rounding::Floor
        }),
        "5.25%（向下取整）"
    );
    assert_eq!(
        quota_text(Quota::Ratio {
            basis_points: 250,
            rounding: Rounding::HalfUp
        }),
        "2.5%（四舍五入）"
    );
    assert_eq!(quota_text(Quota::Count(12)), "抽 12 家");
}
