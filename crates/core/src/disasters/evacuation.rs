//! 转移 (evacuation): plans per hazard point and community (who, to which shelter, by which
//! route), 转移 orders made from a plan with its name list, and one answer per person (到达 /
//! 拒绝 / 失联). A check-in beyond the shelter's capacity is refused (the shelters register never
//! holds more than its capacity); the person stays 到达 and can be checked in elsewhere.

use crate::kernel::validation::{Errors, Invalid, optional_text, phone, required_text};
use serde::Deserialize;

/// One person on a plan's name list.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvacuationPersonInput {
    pub name: String,
    pub phone: String,
    /// 户主 or house (门牌), to group a household.
    #[serde(default)]
    pub household: String,
}

/// An evacuation plan as given.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvacuationPlanInput {
    pub name: String,
    /// The hazard point (承灾体) it is for, if any.
    #[serde(default)]
    pub object_id: Option<String>,
    /// The community (or grid) whose people move.
    pub region_code: String,
    /// Where to: a shelter of the shelters register.
    pub shelter_id: String,
    /// The route, in words.
    pub route: String,
    pub people: Vec<EvacuationPersonInput>,
}

/// A plan's own fields, checked (the object, region and shelter are looked up by the store).
#[derive(Debug, Clone)]
pub struct CheckedPlan {
    pub name: String,
    pub route: String,
    pub people: Vec<(String, String, String)>,
}

/// Checks a plan: name, route, at least one person, each with a name and a phone that is a
/// phone. Fields are named `people[i].phone`.
pub fn check_plan(input: &EvacuationPlanInput) -> Result<CheckedPlan, Invalid> {
    let mut errs = Errors::default();
    let name = errs.check("name", required_text("预案名称", &input.name, 100));
    let route = errs.check("route", required_text("转移路线", &input.route, 1000));
    if input.people.is_empty() {
        errs.add("people", "转移名单不能为空");
    }
    if input.people.len() > 5000 {
        errs.add("people", "转移名单不能超过5000人");
    }
    let mut people = Vec::new();
    for (i, p) in input.people.iter().enumerate() {
        let row = i + 1;
        let n = errs.check(
            &format!("people[{i}].name"),
            required_text("姓名", &p.name, 30).map_err(|m| format!("第{row}人：{m}")),
        );
        let ph = match phone("电话", &p.phone) {
            Ok(Some(v)) => Some(v),
            Ok(None) => {
                errs.add(
                    &format!("people[{i}].phone"),
                    format!("第{row}人：电话不能为空"),
                );
                None
            }
            Err(m) => {
                errs.add(&format!("people[{i}].phone"), format!("第{row}人：{m}"));
                None
            }
        };
        let h = errs
            .check(
                &format!("people[{i}].household"),
                optional_text("户", &p.household, 60),
            )
            .flatten()
            .unwrap_or_default();
        if let (Some(n), Some(ph)) = (n, ph) {
            people.push((n, ph, h));
        }
    }
    match (name, route, errs.is_empty()) {
        (Some(name), Some(route), true) => Ok(CheckedPlan {
            name,
            route,
            people,
        }),
        _ => Err(errs.into_invalid()),
    }
}

/// The answers a person on a 转移 order can have.
pub const ANSWERS: &[(&str, &str)] = &[
    ("arrived", "到达"),
    ("refused", "拒绝"),
    ("unreachable", "失联"),
];

pub fn answer_label(code: &str) -> &'static str {
    ANSWERS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("待确认")
}

/// One answer as given.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvacuationAnswerInput {
    /// The person on the order's list.
    pub person_id: String,
    /// arrived (到达) / refused (拒绝) / unreachable (失联)
    pub answer: String,
}

/// Checks an answer's value.
pub fn check_answer(input: &EvacuationAnswerInput) -> Result<(), Invalid> {
    if ANSWERS.iter().any(|(c, _)| *c == input.answer) {
        Ok(())
    } else {
        Err(Invalid::one(
            "answer",
            "回复应为 arrived（到达）、refused（拒绝）或 unreachable（失联）",
        ))
    }
}

/// The person is not on the order's name list.
pub const NOT_ON_LIST: &str = "该人员不在本次转移名单上";
/// Only a person who arrived is checked in at the shelter.
pub const CHECK_IN_NEEDS_ARRIVAL: &str = "只有已到达的人员可以登记入住安置点";
/// Already checked in.
pub const ALREADY_CHECKED_IN: &str = "该人员已登记入住";
/// The plan's object is not a hazard point.
pub const NOT_A_HAZARD_POINT: &str =
    "该承灾体不是可编制转移预案的隐患点（应为地灾隐患点、山洪危险区、水库、堤防、易涝点或危房）";

/// The object kinds a plan may be for.
pub const PLAN_KINDS: &[&str] = &[
    "geohazard",
    "flash_flood",
    "reservoir",
    "dike",
    "waterlogging",
    "dangerous_house",
];

/// The audit summary of an answer.
pub fn answered(name: &str, answer: &str) -> String {
    format!("转移回复：{name}{}", answer_label(answer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_names_the_bad_person() {
        let input = EvacuationPlanInput {
            name: "东山村转移预案".into(),
            object_id: None,
            region_code: "x".into(),
            shelter_id: "s".into(),
            route: "沿村道向北".into(),
            people: vec![
                EvacuationPersonInput {
                    name: "甲".into(),
                    phone: "13900000001".into(),
                    household: String::new(),
                },
                EvacuationPersonInput {
                    name: "乙".into(),
                    phone: "abc".into(),
                    household: String::new(),
                },
            ],
        };
        let e = check_plan(&input).unwrap_err();
        assert_eq!(e.0[0].field, "people[1].phone");
        assert!(e.0[0].message.starts_with("第2人"));
        assert!(
            check_answer(&EvacuationAnswerInput {
                person_id: "p".into(),
                answer: "gone".into()
            })
            .is_err()
        );
    }
}
