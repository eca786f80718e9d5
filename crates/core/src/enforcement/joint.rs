//! 联合检查 (联检, 南京 "金陵安全联检": 一次检查、全面体检): several departments inspect one enterprise
//! in one visit — one task with each department's item and one team — instead of each visiting
//! on its own; and the places where separate tasks of the same enterprise in the same month could
//! be merged.

use super::draw::{MAX_TEAM, MIN_TEAM};
use crate::kernel::validation::{Errors, Invalid};
use std::collections::{BTreeMap, BTreeSet};

/// A joint inspection as the API gives it.
#[derive(Debug, Clone, Default)]
pub struct JointInput {
    pub enterprise_id: String,
    /// 计划月份, YYYY-MM.
    pub planned_month: String,
    /// One 执法事项 of each department taking part.
    pub item_ids: Vec<String>,
    /// The team, from the departments' pools.
    pub inspector_ids: Vec<String>,
}

/// A checked joint inspection (items and inspectors distinct, the month a month).
#[derive(Debug, Clone)]
pub struct CheckedJoint {
    pub enterprise_id: String,
    pub planned_month: String,
    pub year: i64,
    pub item_ids: Vec<String>,
    pub inspector_ids: Vec<String>,
}

/// Checks the shape: an enterprise, a month within a year of `this_year`, two to eight distinct
/// items, a team of two to `MAX_TEAM` × the items' count distinct inspectors.
pub fn check_joint(input: &JointInput, this_year: i64) -> Result<CheckedJoint, Invalid> {
    let mut errs = Errors::default();
    if input.enterprise_id.trim().is_empty() {
        errs.add("enterprise_id", "请选择被检查企业");
    }
    let year = parse_month(&input.planned_month);
    match year {
        Some(y) if (this_year - 1..=this_year + 1).contains(&y) => {}
        Some(_) => errs.add(
            "planned_month",
            format!("计划月份应在 {} 至 {} 年之间", this_year - 1, this_year + 1),
        ),
        None => errs.add("planned_month", "计划月份格式应为 YYYY-MM，如 2026-12"),
    }
    let items = distinct(&input.item_ids);
    if items.len() != input.item_ids.len() {
        errs.add("item_ids", "执法事项不能重复");
    } else if !(2..=8).contains(&items.len()) {
        errs.add("item_ids", "联合检查须选择 2 至 8 个部门的执法事项");
    }
    let team = distinct(&input.inspector_ids);
    let most = MAX_TEAM * items.len().max(1);
    if team.len() != input.inspector_ids.len() {
        errs.add("inspector_ids", "执法人员不能重复");
    } else if team.len() < MIN_TEAM || team.len() > most {
        errs.add(
            "inspector_ids",
            format!("联合检查的执法人员应为 {MIN_TEAM} 至 {most} 人（行政执法须两人以上）"),
        );
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    Ok(CheckedJoint {
        enterprise_id: input.enterprise_id.trim().to_string(),
        planned_month: input.planned_month.trim().to_string(),
        year: year.unwrap_or(this_year),
        item_ids: items,
        inspector_ids: team,
    })
}

fn distinct(v: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    v.iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty() && seen.insert(s.clone()))
        .collect()
}

/// The year of a YYYY-MM month, or None.
fn parse_month(s: &str) -> Option<i64> {
    let (y, m) = s.trim().split_once('-')?;
    let (y, m): (i64, u32) = (y.parse().ok()?, m.parse().ok()?);
    (y.to_string().len() == 4
        && m.to_string().len() <= 2
        && (1..=12).contains(&m)
        && s.trim().len() == 7)
        .then_some(y)
}

/// The items must come from at least two departments.
pub const ONE_DEPARTMENT: &str = "联合检查须有两个以上部门参加，请选择不同部门的执法事项";
/// An inspector who is not in any taking part department's pool, has an expired 执法证, or must
/// step aside for this enterprise.
pub fn inspector_refused(name: &str, why: &str) -> String {
    format!("{name}不能参加本次联合检查：{why}")
}
pub const NOT_IN_POOLS: &str = "不在参加部门的执法检查人员名录库中";
pub const CERT_EXPIRED: &str = "执法证已过期";
pub const MUST_RECUSE: &str = "与该企业有回避关系";

/// Why a chosen inspector may not take part (in none of the departments' pools, 执法证 expired
/// before `today`, 回避 with the enterprise), or None. Days are YYYY-MM-DD.
pub fn team_problem(
    in_pools: bool,
    cert_valid_until: &str,
    today: &str,
    recuses: bool,
) -> Option<&'static str> {
    if !in_pools {
        Some(NOT_IN_POOLS)
    } else if cert_valid_until < today {
        Some(CERT_EXPIRED)
    } else if recuses {
        Some(MUST_RECUSE)
    } else {
        None
    }
}

/// The audit summary of a joint inspection.
pub fn joint_summary(enterprise: &str, month: &str, departments: &[String]) -> String {
    format!(
        "安排联合检查：{enterprise}（{month}，{}）",
        departments.join("、")
    )
}

/// A task as the merge suggestions read it.
#[derive(Debug, Clone)]
pub struct TaskMonth {
    pub task_id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub department_name: String,
    /// YYYY-MM: the planned month, or the month the task was made.
    pub month: String,
}

/// Separate tasks of one enterprise in one month from two or more departments: they could be one
/// joint visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeSuggestion {
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub month: String,
    pub departments: Vec<String>,
    pub task_ids: Vec<String>,
}

/// The merge suggestions among open tasks, most departments first.
pub fn merge_suggestions(tasks: &[TaskMonth]) -> Vec<MergeSuggestion> {
    let mut groups: BTreeMap<(&str, &str), Vec<&TaskMonth>> = BTreeMap::new();
    for t in tasks {
        groups
            .entry((t.enterprise_id.as_str(), t.month.as_str()))
            .or_default()
            .push(t);
    }
    let mut out: Vec<MergeSuggestion> = groups
        .into_iter()
        .filter_map(|((enterprise_id, month), ts)| {
            let departments: BTreeSet<&str> =
                ts.iter().map(|t| t.department_name.as_str()).collect();
            (departments.len() >= 2).then(|| MergeSuggestion {
                enterprise_id: enterprise_id.to_string(),
                enterprise_name: ts[0].enterprise_name.clone(),
                month: month.to_string(),
                departments: departments.into_iter().map(str::to_string).collect(),
                task_ids: ts.iter().map(|t| t.task_id.clone()).collect(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.departments
            .len()
            .cmp(&a.departments.len())
            .then(a.month.cmp(&b.month))
            .then(a.enterprise_name.cmp(&b.enterprise_name))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(items: &[&str], team: &[&str], month: &str) -> JointInput {
        JointInput {
            enterprise_id: "e1".into(),
            planned_month: month.into(),
            item_ids: items.iter().map(|s| s.to_string()).collect(),
            inspector_ids: team.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_joint_inspection_needs_two_items_and_a_team_of_two() {
        let ok = check_joint(&input(&["a", "b"], &["u1", "u2"], "2026-12"), 2026).unwrap();
        assert_eq!(ok.year, 2026);
        let e = check_joint(&input(&["a"], &["u1"], "2026-13"), 2026).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["planned_month", "item_ids", "inspector_ids"]);
        let e = check_joint(&input(&["a", "a"], &["u1", "u1"], "2030-01"), 2026).unwrap_err();
        assert_eq!(e.0.len(), 3, "{e:?}");
        assert!(check_joint(&input(&["a", "b"], &["u1", "u2"], "2026-1"), 2026).is_err());
    }

    #[test]
    fn separate_tasks_of_one_enterprise_in_a_month_are_suggested() {
        let t = |id: &str, e: &str, d: &str, m: &str| TaskMonth {
            task_id: id.into(),
            enterprise_id: e.into(),
            enterprise_name: format!("企业{e}"),
            department_name: d.into(),
            month: m.into(),
        };
        let s = merge_suggestions(&[
            t("1", "e1", "应急局", "2026-12"),
            t("2", "e1", "住建局", "2026-12"),
            t("3", "e1", "住建局", "2026-11"),
            t("4", "e2", "应急局", "2026-12"),
            t("5", "e2", "应急局", "2026-12"),
        ]);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].departments, ["住建局", "应急局"]);
        assert_eq!(s[0].task_ids, ["1", "2"]);
    }
}
