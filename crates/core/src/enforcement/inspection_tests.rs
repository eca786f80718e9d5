use super::*;

fn criteria() -> Vec<Criterion> {
    crate::prevention::hazard::shipped_criteria().items
}

fn trade() -> Vec<String> {
    vec!["industry_trade".to_string()]
}

#[test]
fn checklist_is_the_industry_criteria_and_the_bureau_items() {
    let c = criteria();
    let list = build_checklist(&c, &trade(), Some("安全生产责任制、教育培训；隐患排查治理"));
    assert_eq!(list.iter().filter(|i| i.source == "criterion").count(), 58);
    assert!(
        list.iter()
            .all(|i| i.source == "bureau" || i.list.as_deref() == Some("GM-2023"))
    );
    let bureau: Vec<&str> = list
        .iter()
        .filter(|i| i.source == "bureau")
        .map(|i| i.text.as_str())
        .collect();
    assert_eq!(bureau, ["安全生产责任制", "教育培训", "隐患排查治理"]);
    assert_eq!(list.last().unwrap().code, "B-3");
    let chem = build_checklist(&c, &["hazchem".to_string()], None);
    assert_eq!(chem.len(), 20);
}

#[test]
fn a_matched_criterion_is_major_and_rows_are_named() {
    let c = criteria();
    let list = build_checklist(&c, &trade(), Some("教育培训"));
    let code = c
        .iter()
        .find(|k| k.list == "GM-2023" && k.numeric.is_none())
        .unwrap()
        .code
        .clone();
    let input = InspectionInput {
        summary: "检查了作业现场".into(),
        checks: vec![CheckInput {
            code: "B-1".into(),
            result: "fail".into(),
            department_id: None,
        }],
        findings: vec![
            FindingInput {
                criterion_code: Some(code.clone()),
                category: "site".into(),
                description: "有限空间未审批".into(),
                ..Default::default()
            },
            FindingInput {
                category: "equipment".into(),
                description: "灭火器过期".into(),
                ..Default::default()
            },
        ],
    };
    let checked = check_inspection(&input, &list, &c).unwrap();
    assert_eq!(checked.findings[0].level, HazardLevel::Major);
    assert_eq!(checked.findings[1].level, HazardLevel::General);
    let mut bad = input.clone();
    bad.findings.push(FindingInput {
        category: "site".into(),
        ..Default::default()
    });
    bad.findings[1].criterion_code = Some("HG-2017-01".into());
    let e = check_inspection(&bad, &list, &c).unwrap_err();
    let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(
        fields,
        ["findings[1].criterion_code", "findings[2].description"]
    );
}

#[test]
fn signatures_name_the_field() {
    let team = [("u1", "张明"), ("u2", "李华")];
    let drawn = |id: &str| SignatureInput {
        kind: "inspector".into(),
        user_id: Some(id.into()),
        method: "drawn".into(),
        image_id: Some("a".into()),
        ..Default::default()
    };
    assert_eq!(
        check_signature(&drawn("u1"), &team, &[])
            .unwrap()
            .signer_name,
        "张明"
    );
    let e = check_signature(&drawn("u9"), &team, &[]).unwrap_err();
    assert_eq!(
        (e.0[0].field.as_str(), e.0[0].message.as_str()),
        ("user_id", SIGNER_NOT_ON_TASK)
    );
    assert!(check_signature(&drawn("u1"), &team, &[Some("u1")]).is_err());
    let refuse = SignatureInput {
        kind: "enterprise".into(),
        signer_name: Some("王五".into()),
        method: "refused".into(),
        refusal_reason: Some("对检查结论有异议".into()),
        ..Default::default()
    };
    let r = check_signature(&refuse, &team, &[Some("u1")]).unwrap();
    assert_eq!(
        (r.image_id, r.refusal_reason.as_deref()),
        (None, Some("对检查结论有异议"))
    );
    assert!(check_signature(&refuse, &team, &[None]).is_err());
    assert!(may_record("u1", &["u1", "u2"]));
    assert!(!may_record("u3", &["u1", "u2"]));
}
