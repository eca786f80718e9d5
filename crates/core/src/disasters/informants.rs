//! 灾害信息员 register: one or more per village/community (村/社区), with a backup person and
//! their training records; an informant with an account reports from the phone as a grid worker.

use crate::kernel::validation::{Errors, Invalid, optional_text, phone, required_text};

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Training {
    /// YYYY-MM-DD
    pub day: String,
    pub topic: String,
}

#[derive(Debug, Clone, Default)]
pub struct InformantInput {
    /// The village/community (12 digits) the informant serves.
    pub region_code: String,
    pub name: String,
    pub phone: String,
    pub backup_name: Option<String>,
    pub backup_phone: Option<String>,
    pub trainings: Vec<Training>,
}

/// Checks an informant: name and mobile required; a backup person with a phone, or none; each
/// training with its day and topic (row named).
pub fn check_informant(i: &InformantInput) -> Result<InformantInput, Invalid> {
    let mut errs = Errors::default();
    let name = errs.check("name", required_text("姓名", &i.name, 50));
    let tel = errs.check("phone", phone("联系电话", &i.phone)).flatten();
    if tel.is_none() && !errs.has("phone") {
        errs.add("phone", "请填写联系电话");
    }
    let backup_name = errs
        .check(
            "backup_name",
            optional_text("B岗人员姓名", i.backup_name.as_deref().unwrap_or(""), 50),
        )
        .flatten();
    let backup_phone = errs
        .check(
            "backup_phone",
            phone("B岗人员电话", i.backup_phone.as_deref().unwrap_or("")),
        )
        .flatten();
    if backup_name.is_some() != backup_phone.is_some() && !errs.has("backup_phone") {
        errs.add("backup_phone", "B岗人员的姓名和电话应同时填写");
    }
    if i.trainings.len() > 100 {
        errs.add("trainings", "培训记录最多 100 条");
    }
    for (n, t) in i.trainings.iter().enumerate() {
        if t.day.trim().parse::<jiff::civil::Date>().is_err() {
            errs.add(
                &format!("trainings[{n}].day"),
                format!(
                    "第{}条培训记录的日期“{}”格式不正确，应为 2026-05-01",
                    n + 1,
                    t.day
                ),
            );
        }
        if t.topic.trim().is_empty() || t.topic.chars().count() > 100 {
            errs.add(
                &format!("trainings[{n}].topic"),
                format!("第{}条培训记录的内容应为 1 至 100 个字", n + 1),
            );
        }
    }
    match (errs.is_empty(), name, tel) {
        (true, Some(name), Some(phone)) => Ok(InformantInput {
            region_code: i.region_code.trim().into(),
            name,
            phone,
            backup_name,
            backup_phone,
            trainings: i
                .trainings
                .iter()
                .map(|t| Training {
                    day: t.day.trim().into(),
                    topic: t.topic.trim().into(),
                })
                .collect(),
        }),
        _ => Err(errs.into_invalid()),
    }
}
