//! Risk points (风险点, 城市风险源): the register input, its field checks with Chinese messages
//! (the assessment under the district's rules included), and the wording of its audit records
//! and refusals.

use crate::directory::enterprise::join_codes;
use crate::kernel::validation::{
    Errors, Invalid, coordinates, optional_text, phone, required_text,
};
use crate::prevention::hazard::label_of;
use crate::prevention::risk::{
    ACCIDENT_TYPES, Assessment, CONTROL_LEVELS, PUBLIC_SOURCE_KINDS, RiskConfig, RiskInput,
    RiskLevel, assess,
};

#[derive(Debug, Clone)]
pub struct RiskPointInput {
    /// The enterprise (an enterprise user's own is implied).
    pub enterprise_id: Option<String>,
    /// 城市风险源 kind, for a point without an enterprise.
    pub public_kind: Option<String>,
    /// Region (grid or community) of a public risk source.
    pub region_code: Option<String>,
    pub name: String,
    pub location: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub hazard_factors: String,
    pub accident_types: Vec<String>,
    pub assessment: RiskInput,
    /// A level other than the computed one; needs `override_reason`.
    pub level_override: Option<String>,
    pub override_reason: Option<String>,
    pub control_measures: String,
    pub emergency_measures: String,
    pub control_level: String,
    pub responsible_name: String,
    pub responsible_phone: Option<String>,
    /// Next review date, YYYY-MM-DD.
    pub review_date: Option<String>,
}

/// A risk point's own fields as checked and assessed: what the register writes besides its
/// owner and the rules' version.
#[derive(Debug, Clone)]
pub struct CheckedRiskPoint {
    pub name: String,
    pub location: String,
    pub hazard_factors: String,
    pub accident_types: String,
    pub method: String,
    pub inputs: String,
    pub score: String,
    pub computed: RiskLevel,
    pub level: RiskLevel,
    pub override_reason: Option<String>,
    pub control_measures: String,
    pub emergency_measures: String,
    pub control_level: String,
    pub responsible_name: String,
    pub responsible_phone: Option<String>,
    pub review_date: Option<String>,
}

/// The refusal for a role that may not register public risk sources.
pub const PUBLIC_SOURCE_DENIED: &str = "只有区、部门和街道人员可登记城市风险源";
/// The refusal for a role that may not register risk points.
pub const RISK_POINT_CREATE_DENIED: &str = "您的角色不能登记风险点";
/// The refusal for a role that may not edit risk points.
pub const RISK_POINT_UPDATE_DENIED: &str = "您的角色不能修改风险点";
/// The refusal for a role that may not deactivate risk points.
pub const RISK_POINT_DELETE_DENIED: &str = "您的角色不能删除风险点";

/// Checks a public risk source's kind and region, adding the problems to `errs`: false when
/// the region is not a community or grid (then its scope need not be asked).
pub fn check_public_source(errs: &mut Errors, kind: &str, region_code: &str) -> bool {
    if label_of(PUBLIC_SOURCE_KINDS, kind).is_none() {
        errs.add(
            "public_kind",
            "请选择城市风险源类型（桥梁、燃气管网、人员密集场所、地质灾害隐患点、易涝点等）",
        );
    }
    if region_code.len() < 12 {
        errs.add("region_code", "城市风险源须指定所在社区或网格");
        return false;
    }
    true
}

/// Checks a risk point's fields and assesses it under the district's `risk` rules, after the
/// owner's errors already in `errs`; every problem is reported at once, in the order of the
/// form (texts, accident types, assessment, measures, responsible person, review date,
/// coordinates, level override).
pub fn check_risk_point(
    mut errs: Errors,
    input: &RiskPointInput,
    risk: &RiskConfig,
) -> Result<CheckedRiskPoint, Invalid> {
    let name = errs.check("name", required_text("风险点名称", &input.name, 100));
    let location = errs
        .check("location", optional_text("所在位置", &input.location, 200))
        .flatten()
        .unwrap_or_default();
    let hazard_factors = errs.check(
        "hazard_factors",
        required_text("危险有害因素", &input.hazard_factors, 2000),
    );
    check_accident_types(&mut errs, &input.accident_types);
    let assessment = check_assessment(&mut errs, &input.assessment, risk);
    let measures = check_measures(&mut errs, input);
    let responsible_name = errs.check(
        "responsible_name",
        required_text("责任人", &input.responsible_name, 50),
    );
    let responsible_phone = errs
        .check(
            "responsible_phone",
            phone(
                "责任人电话",
                input.responsible_phone.as_deref().unwrap_or(""),
            ),
        )
        .flatten();
    let review_date = check_review_date(&mut errs, input.review_date.as_deref());
    coordinates(&mut errs, input.lon, input.lat);
    let (level, override_reason) =
        check_level_override(&mut errs, input, assessment.as_ref().map(|a| a.level));
    let (Some(a), Some(level), true) = (assessment, level, errs.is_empty()) else {
        if errs.is_empty() {
            errs.add("assessment", "风险评价无效");
        }
        return Err(errs.into_invalid());
    };
    Ok(CheckedRiskPoint {
        name: name.unwrap_or_default(),
        location,
        hazard_factors: hazard_factors.unwrap_or_default(),
        accident_types: join_codes(&input.accident_types),
        method: a.method.clone(),
        inputs: serde_json::to_string(&input.assessment).unwrap_or_default(),
        score: a.value.clone(),
        computed: a.level,
        level,
        override_reason,
        control_measures: measures.control.unwrap_or_default(),
        emergency_measures: measures.emergency,
        control_level: input.control_level.clone(),
        responsible_name: responsible_name.unwrap_or_default(),
        responsible_phone,
        review_date,
    })
}

/// Each accident type is a GB 6441 category, and there is at least one.
fn check_accident_types(errs: &mut Errors, types: &[String]) {
    for t in types {
        if !ACCIDENT_TYPES.contains(&t.as_str()) {
            errs.add(
                "accident_types",
                format!("事故类型“{t}”无效，应为GB 6441的事故类别"),
            );
        }
    }
    if types.is_empty() {
        errs.add("accident_types", "请至少选择一种可能导致的事故类型");
    }
}

/// The assessment under the district's rules; its problems are reported under
/// `assessment.<field>`.
fn check_assessment(errs: &mut Errors, input: &RiskInput, risk: &RiskConfig) -> Option<Assessment> {
    match assess(input, risk) {
        Ok(a) => Some(a),
        Err(e) => {
            for f in e.0 {
                errs.add(&format!("assessment.{}", f.field), f.message);
            }
            None
        }
    }
}

/// The control and emergency measures as checked (the control level is checked, not kept:
/// the input's code is written as given).
struct Measures {
    control: Option<String>,
    emergency: String,
}

/// The control measures (required), the emergency measures and the control level.
fn check_measures(errs: &mut Errors, input: &RiskPointInput) -> Measures {
    let control = errs.check(
        "control_measures",
        required_text("管控措施", &input.control_measures, 4000),
    );
    let emergency = errs
        .check(
            "emergency_measures",
            optional_text("应急处置措施", &input.emergency_measures, 4000),
        )
        .flatten()
        .unwrap_or_default();
    if label_of(CONTROL_LEVELS, &input.control_level).is_none() {
        errs.add(
            "control_level",
            "管控层级应为公司级、车间级、班组级或岗位级",
        );
    }
    Measures { control, emergency }
}

/// The next review date, YYYY-MM-DD, if one is given (blank is none).
fn check_review_date(errs: &mut Errors, review_date: Option<&str>) -> Option<String> {
    let d = review_date.map(str::trim).filter(|s| !s.is_empty())?;
    match d.parse::<jiff::civil::Date>() {
        Ok(d) => Some(d.to_string()),
        Err(_) => {
            errs.add(
                "review_date",
                format!("下次评估日期“{d}”格式不正确，应为 2026-07-01"),
            );
            None
        }
    }
}

/// The level that stands and the reason for it: the `computed` one, or a manual override
/// that differs from it and gives a reason of at least 4 characters.
fn check_level_override(
    errs: &mut Errors,
    input: &RiskPointInput,
    computed: Option<RiskLevel>,
) -> (Option<RiskLevel>, Option<String>) {
    let Some(o) = input.level_override.as_deref().filter(|s| !s.is_empty()) else {
        return (computed, None);
    };
    match RiskLevel::parse(o) {
        Err(m) => errs.add("level_override", m),
        Ok(l) if Some(l) != computed => {
            let reason = input
                .override_reason
                .as_deref()
                .unwrap_or("")
                .trim()
                .to_string();
            if reason.chars().count() < 4 {
                errs.add("override_reason", "手动调整风险等级须填写理由（至少4个字）");
            } else {
                return (Some(l), Some(reason));
            }
        }
        Ok(_) => {}
    }
    (computed, None)
}

/// The audit summary of a risk point registered or edited (`verb`: 登记 / 修改).
pub fn risk_point_summary(verb: &str, c: &CheckedRiskPoint) -> String {
    let mut s = format!(
        "{verb}风险点“{}”：{} {}={}，{}",
        c.name,
        c.method.to_uppercase(),
        if c.method == "lec" { "D" } else { "R" },
        c.score,
        c.level.label()
    );
    if let Some(r) = &c.override_reason {
        s.push_str(&format!("（由{}手动调整，理由：{r}）", c.computed.label()));
    }
    s
}

/// The audit summary of a risk point deactivated.
pub fn risk_point_deactivated_summary(name: &str) -> String {
    format!("停用风险点“{name}”")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_sources_need_a_kind_and_a_community() {
        let mut errs = Errors::default();
        assert!(!check_public_source(&mut errs, "castle", "360403001"));
        let fields: Vec<_> = errs.into_invalid().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["public_kind", "region_code"]);
        assert_eq!(risk_point_deactivated_summary("桥"), "停用风险点“桥”");
    }

    fn input() -> RiskPointInput {
        RiskPointInput {
            enterprise_id: None,
            public_kind: None,
            region_code: None,
            name: "液氨储罐区".into(),
            location: "厂区东侧".into(),
            lon: Some(115.9),
            lat: Some(28.6),
            hazard_factors: "液氨泄漏".into(),
            accident_types: vec!["中毒和窒息".into()],
            assessment: RiskInput::Ls { l: 4, s: 5 },
            level_override: None,
            override_reason: None,
            control_measures: "双人巡检".into(),
            emergency_measures: String::new(),
            control_level: "company".into(),
            responsible_name: "张三".into(),
            responsible_phone: Some("13800000000".into()),
            review_date: Some(" 2026-07-01 ".into()),
        }
    }

    fn fields(r: Result<CheckedRiskPoint, Invalid>) -> Vec<String> {
        r.unwrap_err().0.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_valid_point_is_assessed_and_kept() {
        let c = check_risk_point(Errors::default(), &input(), &RiskConfig::default()).unwrap();
        assert_eq!((c.computed, c.level), (RiskLevel::Major, RiskLevel::Major));
        assert_eq!((c.method.as_str(), c.score.as_str()), ("ls", "20"));
        assert_eq!(c.review_date.as_deref(), Some("2026-07-01"));
        assert_eq!(c.emergency_measures, "");
        assert_eq!(c.override_reason, None);
    }

    #[test]
    fn every_problem_is_reported_in_the_order_of_the_form() {
        let mut errs = Errors::default();
        errs.add("enterprise_id", "企业不存在");
        let bad = RiskPointInput {
            name: " ".into(),
            hazard_factors: String::new(),
            accident_types: vec!["天灾".into()],
            assessment: RiskInput::Ls { l: 9, s: 5 },
            level_override: Some("huge".into()),
            control_measures: String::new(),
            control_level: "city".into(),
            responsible_name: String::new(),
            responsible_phone: Some("123".into()),
            review_date: Some("2026/07/01".into()),
            lon: Some(10.0),
            lat: None,
            ..input()
        };
        let r = check_risk_point(errs, &bad, &RiskConfig::default());
        assert_eq!(
            fields(r),
            [
                "enterprise_id",
                "name",
                "hazard_factors",
                "accident_types",
                "assessment.l",
                "control_measures",
                "control_level",
                "responsible_name",
                "responsible_phone",
                "review_date",
                "lon",
                "lon",
                "level_override",
            ]
        );
        let none = RiskPointInput {
            accident_types: vec![],
            ..input()
        };
        let r = check_risk_point(Errors::default(), &none, &RiskConfig::default());
        assert_eq!(r.unwrap_err().summary(), "请至少选择一种可能导致的事故类型");
    }

    #[test]
    fn an_override_needs_a_reason_unless_it_is_the_computed_level() {
        let cfg = RiskConfig::default();
        let same = RiskPointInput {
            level_override: Some("重大".into()),
            ..input()
        };
        let c = check_risk_point(Errors::default(), &same, &cfg).unwrap();
        assert_eq!((c.level, c.override_reason), (RiskLevel::Major, None));
        let bare = RiskPointInput {
            level_override: Some("low".into()),
            override_reason: Some(" 太高 ".into()),
            ..input()
        };
        let r = check_risk_point(Errors::default(), &bare, &cfg);
        assert_eq!(
            r.unwrap_err().summary(),
            "手动调整风险等级须填写理由（至少4个字）"
        );
        let reasoned = RiskPointInput {
            level_override: Some("low".into()),
            override_reason: Some(" 已拆除储罐 ".into()),
            ..input()
        };
        let c = check_risk_point(Errors::default(), &reasoned, &cfg).unwrap();
        assert_eq!((c.computed, c.level), (RiskLevel::Major, RiskLevel::Low));
        assert_eq!(c.override_reason.as_deref(), Some("已拆除储罐"));
        assert!(
            risk_point_summary("登记", &c).ends_with("（由重大风险手动调整，理由：已拆除储罐）")
        );
    }
}
