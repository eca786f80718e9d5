//! Risk points (风险点, 城市风险源): the register input, its field checks with Chinese messages
//! (the assessment under the district's rules included), and the wording of its audit records
//! and refusals.

use crate::directory::enterprise::join_codes;
use crate::kernel::validation::{
    Errors, Invalid, latitude, longitude, optional_text, phone, required_text,
};
use crate::prevention::hazard::label_of;
use crate::prevention::risk::{
    ACCIDENT_TYPES, CONTROL_LEVELS, PUBLIC_SOURCE_KINDS, RiskConfig, RiskInput, RiskLevel, assess,
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
/// owner's errors already in `errs`; every problem is reported at once.
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
    for t in &input.accident_types {
        if !ACCIDENT_TYPES.contains(&t.as_str()) {
            errs.add(
                "accident_types",
                format!("事故类型“{t}”无效，应为GB 6441的事故类别"),
            );
        }
    }
    if input.accident_types.is_empty() {
        errs.add("accident_types", "请至少选择一种可能导致的事故类型");
    }
    let assessment = match assess(&input.assessment, risk) {
        Ok(a) => Some(a),
        Err(e) => {
            for f in e.0 {
                errs.add(&format!("assessment.{}", f.field), f.message);
            }
            None
        }
    };
    let control_measures = errs.check(
        "control_measures",
        required_text("管控措施", &input.control_measures, 4000),
    );
    let emergency_measures = errs
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
    let review_date = match input
        .review_date
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(d) => match d.parse::<jiff::civil::Date>() {
            Ok(d) => Some(d.to_string()),
            Err(_) => {
                errs.add(
                    "review_date",
                    format!("下次评估日期“{d}”格式不正确，应为 2026-07-01"),
                );
                None
            }
        },
    };
    if input.lon.is_some() != input.lat.is_some() {
        errs.add("lon", "经度和纬度须同时填写");
    }
    if let Some(lon) = input.lon {
        errs.check("lon", longitude(lon));
    }
    if let Some(lat) = input.lat {
        errs.check("lat", latitude(lat));
    }
    let mut level = assessment.as_ref().map(|a| a.level);
    let mut override_reason = None;
    if let Some(o) = input.level_override.as_deref().filter(|s| !s.is_empty()) {
        match RiskLevel::parse(o) {
            Err(m) => errs.add("level_override", m),
            Ok(l) if Some(l) != level => {
                let reason = input
                    .override_reason
                    .as_deref()
                    .unwrap_or("")
                    .trim()
                    .to_string();
                if reason.chars().count() < 4 {
                    errs.add("override_reason", "手动调整风险等级须填写理由（至少4个字）");
                } else {
                    override_reason = Some(reason);
                    level = Some(l);
                }
            }
            Ok(_) => {}
        }
    }
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
        control_measures: control_measures.unwrap_or_default(),
        emergency_measures,
        control_level: input.control_level.clone(),
        responsible_name: responsible_name.unwrap_or_default(),
        responsible_phone,
        review_date,
    })
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
}
