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

/// An informant's account must be a grid worker's of the same street (乡镇/街道, the first nine
/// digits of the village/community code), so the phone page knows who reports.
pub fn check_account(
    role: &str,
    user_region: Option<&str>,
    informant_region: &str,
) -> Result<(), String> {
    if role != crate::kernel::role::Role::GridWorker.as_str() {
        return Err("关联的账号应为网格员账号".into());
    }
    let street = informant_region.get(..9).unwrap_or(informant_region);
    match user_region {
        Some(r) if r.starts_with(street) => Ok(()),
        _ => Err("关联的网格员账号不在该村（社区）所在的街道（乡镇）".into()),
    }
}

/// The reason an informant leaves the register: required, at most 200 characters.
pub fn check_retire_reason(reason: &str) -> Result<String, Invalid> {
    required_text("退出原因", reason, 200).map_err(|m| Invalid::one("reason", m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_are_grid_workers_of_the_same_street() {
        assert!(check_account("grid_worker", Some("360403001007001"), "360403001007").is_ok());
        assert!(check_account("grid_worker", Some("360403002001001"), "360403001007").is_err());
        assert!(check_account("street_staff", Some("360403001"), "360403001007").is_err());
        assert!(check_retire_reason(" ").is_err());
    }
}
