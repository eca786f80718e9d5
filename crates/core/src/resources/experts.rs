//! 专家库: the expert input, its check, the status label and the wording of its audit record.

use super::fields::{located, required_phone, text_list};
use super::{EXPERT_SECTIONS, one_of};
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpertInput {
    pub name: String,
    /// natural (自然灾害) / work_safety (安全生产) / rescue (应急救援); one or more.
    pub sections: Vec<String>,
    #[serde(default)]
    pub specialties: Vec<String>,
    /// 职称.
    #[serde(default)]
    pub title: String,
    /// 工作单位.
    pub employer: String,
    pub phone: String,
    pub lon: f64,
    pub lat: f64,
    pub region_code: String,
}

/// An expert input that passed `check_expert`.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedExpert {
    pub name: String,
    pub sections: Vec<String>,
    pub specialties: Vec<String>,
    pub title: String,
    pub employer: String,
    pub phone: String,
    pub lon: f64,
    pub lat: f64,
}

/// 可调用 / 已调派.
pub fn expert_status_label(s: &str) -> &'static str {
    if s == "dispatched" {
        "已调派"
    } else {
        "可调用"
    }
}

/// One or more distinct sections of the 专家库.
pub fn check_sections(errs: &mut Errors, input: &[String]) -> Vec<String> {
    let mut sections = Vec::new();
    for (i, s) in input.iter().enumerate() {
        match one_of(EXPERT_SECTIONS, "专家库分类", s) {
            Ok(v) if !sections.contains(&v) => sections.push(v),
            Ok(_) => {}
            Err(m) => errs.add(&format!("sections[{i}]"), m),
        }
    }
    if input.is_empty() {
        errs.add(
            "sections",
            "请至少选择一个专家库分类：自然灾害、安全生产、应急救援",
        );
    }
    sections
}

pub fn check_expert(input: &ExpertInput) -> Result<CheckedExpert, Invalid> {
    let mut errs = Errors::default();
    let name = errs.check("name", required_text("姓名", &input.name, 30));
    let sections = check_sections(&mut errs, &input.sections);
    let specialties = text_list(&mut errs, "specialties", "专业特长", &input.specialties);
    let title = errs
        .check("title", optional_text("职称", &input.title, 30))
        .flatten()
        .unwrap_or_default();
    let employer = errs.check("employer", required_text("工作单位", &input.employer, 100));
    let tel = required_phone(&mut errs, &input.phone);
    let at = located(&mut errs, input.lon, input.lat);
    let (Some(name), Some(employer), Some(phone), Some((lon, lat)), true) =
        (name, employer, tel, at, errs.is_empty())
    else {
        return Err(errs.into_invalid());
    };
    Ok(CheckedExpert {
        name,
        sections,
        specialties,
        title,
        employer,
        phone,
        lon,
        lat,
    })
}

/// The audit summary of an expert entered (`created`) or edited.
pub fn expert_summary(created: bool, e: &CheckedExpert) -> String {
    let (name, employer) = (&e.name, &e.employer);
    if created {
        format!("专家入库：{name}（{employer}）")
    } else {
        format!("修改专家信息：{name}（{employer}）")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expert_needs_a_section() {
        let input = ExpertInput {
            name: "李四".into(),
            sections: vec![],
            specialties: vec![],
            title: String::new(),
            employer: "市应急管理局".into(),
            phone: "13800000000".into(),
            lon: 115.99,
            lat: 29.72,
            region_code: "360402".into(),
        };
        assert_eq!(
            check_expert(&input).unwrap_err().summary(),
            "请至少选择一个专家库分类：自然灾害、安全生产、应急救援"
        );
        let e = check_expert(&ExpertInput {
            sections: vec!["rescue".into(), "rescue".into()],
            ..input
        })
        .unwrap();
        assert_eq!(e.sections, vec!["rescue".to_string()]);
        assert_eq!(expert_summary(true, &e), "专家入库：李四（市应急管理局）");
        assert_eq!(expert_status_label("dispatched"), "已调派");
    }
}
