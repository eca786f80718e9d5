use super::*;
use crate::enforcement::document_pdf::{LayoutInput, layout, render};

fn day(s: &str) -> Date {
    s.parse().expect("a day")
}

fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn numbers() {
    assert_eq!(
        format_number(2026, "浔应急", "现记", 12),
        "〔2026〕浔应急现记〔0012〕号"
    );
    assert_eq!(bureau_short_name(None, "浔阳区", "区应急管理局"), "浔应急");
    assert_eq!(
        bureau_short_name(None, "浔阳区", "区住房和城乡建设局"),
        "浔住建"
    );
    assert_eq!(bureau_short_name(Some("浔应急"), "x", "y"), "浔应急");
    assert_eq!(authority_name("浔阳区", "区应急管理局"), "浔阳区应急管理局");
    assert_eq!(
        authority_name("浔阳区", "浔阳区交通运输局"),
        "浔阳区交通运输局"
    );
    let codes: Vec<&str> = KINDS.iter().map(|k| k.short).collect();
    assert_eq!(
        codes,
        [
            "现记", "责改", "复查", "立审", "告知", "陈申", "罚决", "催告", "结审"
        ]
    );
}

#[test]
fn fields_named() {
    let k = kind("rectify_order").expect("kind");
    let e =
        check_fields(k, &fields(&[("party", "甲公司")]), day("2026-12-03")).expect_err("missing");
    let named: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(named, ["fields.facts", "fields.basis", "fields.deadline"]);
    assert!(e.0[2].message.contains("整改期限不能为空"));
    let e = check_fields(
        k,
        &fields(&[
            ("party", "甲公司"),
            ("facts", "a"),
            ("basis", "b"),
            ("deadline", "2026-12-01"),
            ("colour", "x"),
        ]),
        day("2026-12-03"),
    )
    .expect_err("past deadline");
    assert_eq!(e.0[0].field, "fields.colour");
    assert!(e.0[1].message.contains("整改期限不能早于开具当日"));
    assert!(parse_kind("fax").is_err());
}

#[test]
fn renders_a_pdf() {
    let k = kind("rectify_order").expect("kind");
    let f = fields(&[
        ("party", "浔阳鑫源化工有限公司"),
        ("facts", "1. 有限空间作业未审批；\n2. 粉尘清扫记录缺失。"),
        ("basis", "《中华人民共和国安全生产法》第一百零二条"),
        ("deadline", "2026-12-20"),
    ]);
    let l = layout(&LayoutInput {
        kind: k,
        authority: "浔阳区应急管理局",
        number: "〔2026〕浔应急责改〔0001〕号",
        version: 2,
        corrects: Some("第1版"),
        fields: &f,
        day: day("2026-12-03"),
    });
    assert!(
        l.closing
            .as_deref()
            .unwrap_or("")
            .contains("2026年12月20日前")
    );
    assert_eq!(l.parties[0].1, "浔阳鑫源化工有限公司");
    let a = render(&l).expect("pdf");
    assert!(a.starts_with(b"%PDF"));
    if let Ok(path) = std::env::var("YINGJI_DOCUMENT_PDF") {
        std::fs::write(path, &a).expect("write the sample");
    }
    assert_eq!(
        a,
        render(&l).expect("pdf"),
        "the same layout, the same bytes"
    );
}
