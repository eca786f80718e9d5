//! 年度检查计划 (分级分类): a department's plan for a year is its 重点检查 list, each enterprise with
//! how many inspections it gets and why, plus a 双随机 quota per supervision category over the rest
//! of the pool. The minimums and the yearly cap are district configuration (versioned with the
//! district's rules); the defaults follow the practice in cn-standards.md §8 (重点 at least once a
//! year, capped at twice a year per department and enterprise, 国办发〔2024〕54号 frequency caps).

use super::draw::{Quota, Rounding};
use crate::kernel::validation::{Errors, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The district's rule for the 重点检查 list: the least number of inspections a year for each
/// reason that puts an enterprise on it (0 leaves such enterprises to the random draws), and the
/// most any enterprise gets from one department in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PlanConfig {
    /// 有重大危险源的企业，每年至少检查次数.
    pub key_min_major_hazard: u32,
    /// 有红色或橙色风险点的企业，每年至少检查次数.
    pub key_min_red_orange_risk_point: u32,
    /// 有未销号重大隐患的企业，每年至少检查次数.
    pub key_min_open_major_hazard: u32,
    /// 同一部门对同一企业每年检查次数上限.
    pub max_per_year: u32,
}

impl Default for PlanConfig {
    fn default() -> Self {
        Self {
            key_min_major_hazard: 2,
            key_min_red_orange_risk_point: 1,
            key_min_open_major_hazard: 2,
            max_per_year: 2,
        }
    }
}

/// No rule asks for more than one inspection a month.
const MOST_PER_YEAR: u32 = 12;

impl PlanConfig {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errs = Errors::default();
        if !(1..=MOST_PER_YEAR).contains(&self.max_per_year) {
            errs.add("max_per_year", "每年检查次数上限应为 1 至 12 之间的整数");
        }
        for (field, v) in self.minimums() {
            if *v > MOST_PER_YEAR {
                errs.add(field, "每年至少检查次数应为 0 至 12 之间的整数");
            } else if *v > self.max_per_year {
                errs.add(field, "每年至少检查次数不能超过每年检查次数上限");
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.into_invalid())
        }
    }

    fn minimums(&self) -> [(&'static str, &u32); 3] {
        [
            ("key_min_major_hazard", &self.key_min_major_hazard),
            (
                "key_min_red_orange_risk_point",
                &self.key_min_red_orange_risk_point,
            ),
            ("key_min_open_major_hazard", &self.key_min_open_major_hazard),
        ]
    }

    /// The least inspections a year for one reason code of `EXCLUSION_REASONS`.
    pub fn minimum_for(&self, reason: &str) -> u32 {
        match reason {
            "major_hazard" => self.key_min_major_hazard,
            "red_orange_risk_point" => self.key_min_red_orange_risk_point,
            "open_major_hazard" => self.key_min_open_major_hazard,
            // 信用脸谱: the tier's minimum travels in the reason code.
            other => crate::credit::rating::plan_minimum(other),
        }
    }
}

/// A 双随机 quota of the plan as the API gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuotaInput {
    /// 监管类别 (one of the department's).
    pub category: String,
    /// 抽查数量 (or a ratio).
    #[serde(default)]
    pub count: Option<i64>,
    /// 抽查比例 in percent, at most two decimals (or a count).
    #[serde(default)]
    pub ratio_percent: Option<String>,
    /// ceil (default), half_up or floor.
    #[serde(default)]
    pub rounding: Option<String>,
}

/// What a department asks for when it drafts a plan.
#[derive(Debug, Clone, Default)]
pub struct PlanInput {
    pub year: i64,
    pub title: String,
    pub quotas: Vec<QuotaInput>,
}

/// A drafted plan, checked: the quotas parsed and each category the department's.
#[derive(Debug, Clone)]
pub struct CheckedPlan {
    pub year: i64,
    pub title: String,
    pub quotas: Vec<(String, Quota)>,
}

/// Checks a draft: a title, a year near now, quotas for distinct categories of the department
/// (`is_category`), each a count or a ratio between 0 and 100%. Rows are named `quotas[i]`.
pub fn check_plan(
    input: &PlanInput,
    this_year: i64,
    is_category: impl Fn(&str) -> bool,
) -> Result<CheckedPlan, Invalid> {
    let mut errs = Errors::default();
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > 100 {
        errs.add("title", "计划名称不能为空，且不超过100个字");
    }
    if !(this_year - 1..=this_year + 1).contains(&input.year) {
        errs.add(
            "year",
            format!("计划年度应为 {} 至 {} 年", this_year - 1, this_year + 1),
        );
    }
    let mut quotas: Vec<(String, Quota)> = Vec::new();
    for (i, q) in input.quotas.iter().enumerate() {
        let field = |f: &str| format!("quotas[{i}].{f}");
        let category = q.category.trim();
        if !is_category(category) {
            errs.add(
                &field("category"),
                format!("第{}行：监管类别“{category}”不属于本部门的监管范围", i + 1),
            );
            continue;
        }
        if quotas.iter().any(|(c, _)| c == category) {
            errs.add(
                &field("category"),
                format!("第{}行：监管类别“{category}”重复", i + 1),
            );
            continue;
        }
        let rounding = match Rounding::parse(q.rounding.as_deref().unwrap_or("ceil")) {
            Ok(r) => r,
            Err(m) => {
                errs.add(&field("rounding"), format!("第{}行：{m}", i + 1));
                continue;
            }
        };
        match Quota::parse(q.count, q.ratio_percent.as_deref(), rounding) {
            Ok(quota) => quotas.push((category.to_string(), quota)),
            Err(Invalid(fs)) => {
                for f in fs {
                    errs.add(&field(&f.field), format!("第{}行：{}", i + 1, f.message));
                }
            }
        }
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    Ok(CheckedPlan {
        year: input.year,
        title: title.to_string(),
        quotas,
    })
}

/// One enterprise on the 重点检查 list of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyEntry {
    pub enterprise_id: String,
    /// Inspections this year.
    pub times: u32,
    /// Codes of `EXCLUSION_REASONS` that put it there.
    pub reasons: Vec<String>,
}

/// One category's 双随机 line: the pool, the part on the 重点 list, the rest to draw from, and how
/// many the quota draws (each candidate's chance is `draws / candidates`, shown as that fraction).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryLine {
    pub category: String,
    pub pool: usize,
    pub key: usize,
    pub candidates: usize,
    pub quota: String,
    pub draws: usize,
}

/// A plan's content: who is inspected how often and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanOutcome {
    pub key: Vec<KeyEntry>,
    pub categories: Vec<CategoryLine>,
    pub key_inspections: u64,
    pub random_inspections: u64,
}

/// Works out a plan. `key_reasons` is the 重点 list's reasons per enterprise; `pools` the
/// enterprises of each of the department's categories (an enterprise in several categories is
/// counted in each pool but inspected under the first that lists it).
pub fn compute(
    config: &PlanConfig,
    key_reasons: &BTreeMap<String, Vec<&str>>,
    pools: &[(String, Vec<String>)],
    quotas: &[(String, Quota)],
) -> PlanOutcome {
    let mut key: Vec<KeyEntry> = key_reasons
        .iter()
        .filter_map(|(id, reasons)| {
            let times = reasons
                .iter()
                .map(|r| config.minimum_for(r))
                .max()
                .unwrap_or(0);
            (times > 0).then(|| KeyEntry {
                enterprise_id: id.clone(),
                times: times.min(config.max_per_year),
                reasons: reasons.iter().map(|r| r.to_string()).collect(),
            })
        })
        .collect();
    key.sort_by(|a, b| {
        b.times
            .cmp(&a.times)
            .then(a.enterprise_id.cmp(&b.enterprise_id))
    });
    let mut by_id: Vec<&String> = key.iter().map(|e| &e.enterprise_id).collect();
    by_id.sort();
    let is_key = |id: &String| by_id.binary_search(&id).is_ok();
    let categories: Vec<CategoryLine> = pools
        .iter()
        .map(|(category, ids)| {
            let key_n = ids.iter().filter(|id| is_key(id)).count();
            let candidates = ids.len() - key_n;
            let quota = quotas.iter().find(|(c, _)| c == category).map(|(_, q)| *q);
            CategoryLine {
                category: category.clone(),
                pool: ids.len(),
                key: key_n,
                candidates,
                quota: quota.map(quota_text).unwrap_or_else(|| "不抽查".into()),
                draws: quota.map(|q| q.of(candidates).min(candidates)).unwrap_or(0),
            }
        })
        .collect();
    PlanOutcome {
        key_inspections: key.iter().map(|e| u64::from(e.times)).sum(),
        random_inspections: categories.iter().map(|c| c.draws as u64).sum(),
        key,
        categories,
    }
}

/// A quota as the plan shows it: "抽 12 家" or "5.25%（向上取整）".
pub fn quota_text(q: Quota) -> String {
    match q {
        Quota::Count(c) => format!("抽 {c} 家"),
        Quota::Ratio {
            basis_points,
            rounding,
        } => {
            let label = Rounding::CODES
                .iter()
                .find(|(c, _)| *c == rounding.as_str())
                .map(|(_, l)| *l)
                .unwrap_or_default();
            let (whole, frac) = (basis_points / 100, basis_points % 100);
            let pct = if frac == 0 {
                format!("{whole}")
            } else if frac % 10 == 0 {
                format!("{whole}.{}", frac / 10)
            } else {
                format!("{whole}.{frac:02}")
            };
            format!("{pct}%（{label}）")
        }
    }
}

/// 计划状态.
pub const PLAN_STATUSES: [(&str, &str); 3] = [
    ("draft", "待审批"),
    ("approved", "已批准"),
    ("rejected", "已退回"),
];

/// Only the bureau's leaders (局领导) approve an annual plan; departments draft them.
pub fn may_approve_plan(role: crate::kernel::role::Role) -> bool {
    role == crate::kernel::role::Role::Commander
}

/// Only the bureau's leaders approve an annual plan.
pub const NOT_A_PLAN_APPROVER: &str = "年度检查计划由局领导审批";
/// A plan that is not a draft any more.
pub const PLAN_DECIDED: &str = "该计划已审批，不能再次审批；如需调整请重新编制";
/// A department has one approved plan a year.
pub fn plan_exists(year: i64) -> String {
    format!("本部门{year}年度检查计划已批准，如需调整请先由局领导退回")
}

/// The audit summary of a drafted plan.
pub fn plan_summary(title: &str, key: usize, key_inspections: u64, random: u64) -> String {
    format!(
        "编制年度检查计划“{title}”：重点检查 {key} 家 {key_inspections} 次，双随机抽查 {random} 家"
    )
}

/// The audit summary of a decision on a plan.
pub fn decision_summary(title: &str, approve: bool) -> String {
    if approve {
        format!("批准年度检查计划“{title}”")
    } else {
        format!("退回年度检查计划“{title}”")
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
