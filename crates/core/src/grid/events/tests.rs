use super::*;
use crate::grid::events_config::{DispatchRule, Subject, Supervisor, dispatch};

fn input() -> EventInput {
    EventInput {
        category: "gas".into(),
        description: "小区燃气管道有异味".into(),
        lon: Some(115.99),
        lat: Some(29.72),
        region_code: "360403001001".into(),
        reporter_phone: Some("13812345678".into()),
        ..Default::default()
    }
}

#[test]
fn checks_name_the_field() {
    let config = GridEventConfig::default();
    let ok = check_event(&input(), &config, true).unwrap();
    assert_eq!(ok.title, "【燃气安全】小区燃气管道有异味");
    let mut bad = input();
    bad.category = "nope".into();
    bad.lon = None;
    bad.reporter_phone = Some("123".into());
    let e = check_event(&bad, &config, true).unwrap_err();
    let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert!(
        fields.contains(&"category")
            && fields.contains(&"lon")
            && fields.contains(&"reporter_phone"),
        "{fields:?}"
    );
    let mut opinion = input();
    opinion.category = "opinion".into();
    assert_eq!(
        check_event(&opinion, &config, true).unwrap_err().0[0].field,
        "category"
    );
}

#[test]
fn the_most_specific_rule_decides() {
    let mut config = GridEventConfig::default();
    let rule = |prefix: &str, ec: &str, unit: &str| DispatchRule {
        category: "production_hazard".into(),
        region_prefix: prefix.into(),
        enterprise_category: ec.into(),
        unit_kind: UnitKind::Department,
        unit_id: unit.into(),
    };
    config.rules = vec![
        rule("", "", "d-any"),
        rule("360403001", "", "d-street"),
        rule("360403001", "hazchem", "d-chem"),
    ];
    let chem = vec!["hazchem".to_string()];
    let s = Subject {
        category: "production_hazard",
        region_code: "360403001001",
        enterprise_categories: &chem,
    };
    assert_eq!(dispatch(&config, &s, &[]).unwrap().unit_id, "d-chem");
    let s = Subject {
        category: "production_hazard",
        region_code: "360403001001",
        enterprise_categories: &[],
    };
    assert_eq!(dispatch(&config, &s, &[]).unwrap().unit_id, "d-street");
    let s = Subject {
        category: "production_hazard",
        region_code: "360403002001",
        enterprise_categories: &[],
    };
    assert_eq!(dispatch(&config, &s, &[]).unwrap().unit_id, "d-any");
}

#[test]
fn defaults_street_supervisor_or_duty_room() {
    let config = GridEventConfig::default();
    let s = Subject {
        category: "gas",
        region_code: "360403001001",
        enterprise_categories: &[],
    };
    let a = dispatch(&config, &s, &[]).unwrap();
    assert_eq!(
        (a.unit_kind, a.unit_id.as_str()),
        (UnitKind::Street, "360403001")
    );
    let cats = vec!["hazchem".to_string()];
    let other = vec!["mining".to_string()];
    let sup = [
        Supervisor {
            id: "d1",
            categories: &cats,
            region_code: "360403",
        },
        Supervisor {
            id: "d2",
            categories: &other,
            region_code: "360403",
        },
    ];
    let s = Subject {
        category: "production_hazard",
        region_code: "360403001001",
        enterprise_categories: &cats,
    };
    assert_eq!(dispatch(&config, &s, &sup).unwrap().unit_id, "d1");
    // no enterprise: the duty room
    let s = Subject {
        category: "production_hazard",
        region_code: "360403001001",
        enterprise_categories: &[],
    };
    assert!(dispatch(&config, &s, &sup).is_none());
    let s = Subject {
        category: "opinion",
        region_code: "360403001001",
        enterprise_categories: &[],
    };
    assert!(dispatch(&config, &s, &sup).is_none());
}

#[test]
fn config_errors_name_the_row() {
    let mut config = GridEventConfig::default();
    config.categories[1].code = config.categories[0].code.clone();
    config.rules.push(DispatchRule {
        category: "x".into(),
        region_prefix: "36a".into(),
        enterprise_category: String::new(),
        unit_kind: UnitKind::Street,
        unit_id: "3604".into(),
    });
    let e = config.validate().unwrap_err();
    let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "categories[1].code",
            "rules[0].category",
            "rules[0].region_prefix",
            "rules[0].unit_id"
        ]
    );
    assert!(GridEventConfig::default().validate().is_ok());
}

#[test]
fn reporters_are_masked_for_the_unit() {
    assert!(!reporter_visible(Role::DepartmentStaff, "hotline", false));
    assert!(!reporter_visible(Role::DutyOfficer, "public", false));
    assert!(reporter_visible(Role::DutyOfficer, "hotline", false));
    assert!(reporter_visible(Role::DepartmentStaff, "public", true));
    assert_eq!(
        reporter_as_seen(false, Some("张三"), Some("13812345678")),
        (Some("张*".into()), Some("138****5678".into()))
    );
}

#[test]
fn deadlines_from_the_category() {
    let c = GridEventConfig::default();
    let d = deadlines(c.category("gas").unwrap(), 0);
    assert_eq!(
        (d.accept_ms, d.handle_ms, d.feedback_ms),
        (1_800_000, 86_400_000, 172_800_000)
    );
}
