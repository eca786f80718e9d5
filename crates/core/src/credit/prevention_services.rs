//! 事故预防服务: what an insurer did for a policyholder (风险评估, 隐患排查, 安全培训, 应急演练 …),
//! on a day, with its findings and optional attachments.

use super::insurance::parse_day;
use crate::kernel::role::Role;
use crate::kernel::validation::{self as v, Errors, Invalid};
use jiff::civil::Date;

pub const KINDS: &[(&str, &str)] = &[
    ("risk_assessment", "风险评估"),
    ("hazard_check", "隐患排查"),
    ("training", "安全培训"),
    ("drill", "应急演练"),
    ("consulting", "安全咨询"),
    ("other", "其他"),
];

pub const NOT_A_POLICYHOLDER: &str = "该企业不是本保险机构的投保企业";
pub const NOT_A_SERVICE_WRITER: &str = "仅保险机构人员可以登记事故预防服务";

/// May record a service: the insurer's users (and the administrators, to correct).
pub fn may_record(role: Role) -> bool {
    matches!(role, Role::Insurer | Role::Admin)
}

pub fn kind_label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ServiceInput {
    pub enterprise_id: String,
    pub insurer_id: Option<String>,
    pub day: String,
    pub kind: String,
    pub findings: String,
    #[serde(default)]
    pub attachment_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedService {
    pub day: Date,
    pub kind: String,
    pub findings: String,
    pub attachment_ids: Vec<String>,
}

/// Checks a record; the day may not be after `today`.
pub fn check_service(input: &ServiceInput, today: Date) -> Result<CheckedService, Invalid> {
    let mut e = Errors::default();
    if input.enterprise_id.trim().is_empty() {
        e.add("enterprise_id", "请选择服务企业");
    }
    let day = e.check("day", parse_day("服务日期", &input.day));
    if day.is_some_and(|d| d > today) {
        e.add("day", "服务日期不能晚于今天");
    }
    let kind = input.kind.trim();
    if kind_label(kind).is_empty() {
        e.add("kind", format!("服务类型“{kind}”无效"));
    }
    let findings = e.check(
        "findings",
        v::required_text("服务发现与建议", &input.findings, 4000),
    );
    if input.attachment_ids.len() > 20 {
        e.add("attachment_ids", "附件不超过20个");
    }
    match (day, findings) {
        (Some(day), Some(findings)) if e.is_empty() => Ok(CheckedService {
            day,
            kind: kind.to_string(),
            findings,
            attachment_ids: input.attachment_ids.clone(),
        }),
        _ => Err(e.into_invalid()),
    }
}

pub fn service_summary(enterprise: &str, kind: &str) -> String {
    format!("登记{enterprise}事故预防服务（{}）", kind_label(kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_names_its_bad_fields() {
        let today: Date = "2026-06-01".parse().unwrap();
        let e = check_service(
            &ServiceInput {
                enterprise_id: "e".into(),
                day: "2026-06-02".into(),
                kind: "x".into(),
                ..Default::default()
            },
            today,
        )
        .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["day", "kind", "findings"]);
        let ok = ServiceInput {
            enterprise_id: "e".into(),
            day: "2026-05-30".into(),
            kind: "drill".into(),
            findings: "演练有序".into(),
            ..Default::default()
        };
        assert_eq!(check_service(&ok, today).unwrap().kind, "drill");
    }
}
