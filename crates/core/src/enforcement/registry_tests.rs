use super::*;

#[test]
fn items_are_checked_whole() {
    let ok = ItemInput {
        name: " 工贸企业安全生产检查 ".into(),
        legal_basis: "《中华人民共和国安全生产法》第六十五条".into(),
        method: "random".into(),
        category: Some("industry_trade".into()),
        content: None,
    };
    let c = check_item(&ok, |c| c == "industry_trade").unwrap();
    assert_eq!(c.name, "工贸企业安全生产检查");
    let bad = ItemInput {
        method: "lottery".into(),
        category: Some("nope".into()),
        ..Default::default()
    };
    let e = check_item(&bad, |_| false).unwrap_err();
    let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, vec!["name", "legal_basis", "method", "category"]);
}

#[test]
fn inspectors_are_checked() {
    let c = check_inspector(&InspectorInput {
        user_id: "u1".into(),
        cert_no: "36040300123-a".into(),
        cert_valid_until: "2028-12-31".into(),
    })
    .unwrap();
    assert_eq!(c.cert_no, "36040300123-A");
    let e = check_inspector(&InspectorInput {
        user_id: " ".into(),
        cert_no: "12 34".into(),
        cert_valid_until: "31.12.2028".into(),
    })
    .unwrap_err();
    let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, vec!["user_id", "cert_no", "cert_valid_until"]);
    assert!(check_conflict_reason("  ").is_err());
}

#[test]
fn draw_requests_are_checked() {
    let ok = DrawRequest {
        title: "2026年第一季度工贸企业双随机抽查".into(),
        item_id: "i1".into(),
        ratio_percent: Some("5".into()),
        ..Default::default()
    };
    let c = check_draw(&ok).unwrap();
    assert_eq!(c.team_size, 2);
    assert_eq!(c.quota.of(30), 2);
    let bad = DrawRequest {
        ratio_percent: Some("120".into()),
        team_size: Some(1),
        rounding: Some("up".into()),
        region: Some("甘棠".into()),
        ..Default::default()
    };
    let e = check_draw(&bad).unwrap_err();
    let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        vec![
            "title",
            "item_id",
            "rounding",
            "ratio_percent",
            "team_size",
            "region"
        ]
    );
}
