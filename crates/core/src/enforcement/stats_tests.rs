use super::*;

fn tally(inspections: i64, findings: i64, major: i64, cases: i64, penalties: i64) -> Tally {
    Tally {
        inspections,
        findings,
        major_findings: major,
        cases,
        penalties,
        fine_yuan: 0,
    }
}

fn codes(f: &[Flag]) -> Vec<&str> {
    f.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn zero_penalty_at_the_threshold_and_not_below() {
    let c = StatsConfig::default();
    let f = flags(&c, &tally(20, 0, 0, 0, 0));
    assert_eq!(codes(&f), ["zero_penalty"]);
    assert_eq!(f[0].label, "零处罚");
    assert_eq!(f[0].reason, "检查 20 次（达到 20 次），未作出行政处罚决定");
    assert!(flags(&c, &tally(19, 0, 0, 0, 0)).is_empty());
    assert!(flags(&c, &tally(200, 0, 0, 1, 1)).is_empty());
}

#[test]
fn lax_on_major_findings_without_a_case() {
    let c = StatsConfig::default();
    let f = flags(&c, &tally(5, 3, 3, 0, 0));
    assert_eq!(codes(&f), ["lax"]);
    assert_eq!(f[0].reason, "发现重大隐患 3 项（达到 3 项），未立案查处");
    assert!(flags(&c, &tally(5, 3, 2, 0, 0)).is_empty());
    assert!(flags(&c, &tally(5, 3, 3, 1, 0)).is_empty());
}

#[test]
fn lax_on_a_low_case_rate_exactly() {
    let c = StatsConfig::default();
    // 1 case of 30 findings is 3.3 %, below 5 %.
    let f = flags(&c, &tally(10, 30, 0, 1, 1));
    assert_eq!(codes(&f), ["lax"]);
    assert_eq!(
        f[0].reason,
        "发现隐患 30 项，立案 1 件，立案率 3.3% 低于 5%"
    );
    // 2 of 40 is exactly 5 %: not below.
    assert!(flags(&c, &tally(10, 40, 0, 2, 1)).is_empty());
    // Fewer findings than the threshold: no judgement on the rate.
    assert!(flags(&c, &tally(10, 29, 0, 0, 1)).is_empty());
}

#[test]
fn both_flags_together_under_district_thresholds() {
    let c = StatsConfig {
        zero_penalty_min_inspections: 2,
        lax_min_major_findings: 1,
        ..StatsConfig::default()
    };
    assert_eq!(
        codes(&flags(&c, &tally(2, 1, 1, 0, 0))),
        ["zero_penalty", "lax"]
    );
}

#[test]
fn config_bounds_name_the_field() {
    assert!(StatsConfig::default().validate().is_ok());
    let bad = StatsConfig {
        zero_penalty_min_inspections: 0,
        lax_min_case_rate_percent: 101,
        ..StatsConfig::default()
    };
    let e = bad.validate().unwrap_err();
    let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        ["zero_penalty_min_inspections", "lax_min_case_rate_percent"]
    );
}

#[test]
fn period_parsed_and_bad_input_named() {
    let p = parse_period(Some("2026"), Some("3"), 2026).unwrap();
    assert_eq!(
        p,
        Period {
            year: 2026,
            month: Some(3)
        }
    );
    assert_eq!(p.label(), "2026年3月");
    assert_eq!(
        p.range_days(),
        ("2026-03-01".to_string(), "2026-04-01".to_string())
    );
    let e = parse_period(Some("二〇二六"), None, 2026).unwrap_err();
    assert_eq!(e.0[0].field, "year");
    assert!(e.0[0].message.contains("统计年度"), "{e:?}");
    assert_eq!(
        parse_period(None, None, 2026).unwrap_err().0[0].field,
        "year"
    );
    assert_eq!(
        parse_period(Some("2028"), None, 2026).unwrap_err().0[0].field,
        "year"
    );
    let e = parse_period(Some("2026"), Some("13"), 2026).unwrap_err();
    assert_eq!(e.0[0].field, "month");
    let dec = parse_period(Some("2025"), Some("12"), 2026).unwrap();
    assert_eq!(dec.range_days().1, "2026-01-01");
}

#[test]
fn months_start_at_midnight_in_shanghai() {
    let p = Period {
        year: 2026,
        month: None,
    };
    let s = p.month_starts_ms();
    // 2026-01-01T00:00+08:00 is 2025-12-31T16:00Z.
    assert_eq!(s[0], 1_767_196_800_000);
    assert!(s.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(p.range_ms(), (s[0], s[12]));
    let m = Period {
        year: 2026,
        month: Some(2),
    };
    assert_eq!(m.range_ms(), (s[1], s[2]));
}

#[test]
fn primary_category_prefers_the_departments() {
    let dept = vec!["industry_trade".to_string()];
    assert_eq!(
        primary_category(",hazardous_chemicals,industry_trade,", &dept),
        "industry_trade"
    );
    assert_eq!(
        primary_category(",hazardous_chemicals,", &dept),
        "hazardous_chemicals"
    );
    assert_eq!(primary_category("", &dept), "");
}

#[test]
fn percent_rounds_half_up() {
    assert_eq!(percent(1, 30), "3.3%");
    assert_eq!(percent(1, 8), "12.5%");
    assert_eq!(percent(2, 3), "66.7%");
    assert_eq!(percent(0, 0), "—");
}
