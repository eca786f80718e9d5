//! 年度检查计划 (分级分类): a department drafts its plan for a year from its pools, the district's
//! 重点检查 rule and its 双随机 quotas; the bureau's leader approves it or sends it back.

use super::registry::department_of;
use super::{department_prefix, require_manager};
use std::collections::BTreeMap;
use yingji_core::enforcement::plan::{
    CheckedPlan, NOT_A_PLAN_APPROVER, PLAN_DECIDED, PlanConfig, PlanInput, QuotaInput, check_plan,
    compute, may_approve_plan, plan_exists,
};
use yingji_core::kernel::clock::today;
use yingji_core::kernel::role::Scope;
use yingji_store::directory::departments::Department;
use yingji_store::enforcement::plans::{
    self, NewPlan, Plan, PlanCategoryLine, PlanContent, PlanKeyEntry,
};
use yingji_store::enforcement::pools;
use yingji_store::kernel::Ctx;
use yingji_store::prevention::rules;
use yingji_store::{Store, StoreError, StoreResult};

/// Drafts a department's plan for a year; answers it with its lists.
pub async fn draft(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    department_id: Option<&str>,
    input: &PlanInput,
) -> StoreResult<Plan> {
    require_manager(ctx)?;
    let department = department_of(store, ctx, department_id).await?;
    let this_year = i64::from(today(now_ms).year());
    let checked = check_plan(input, this_year, |c| {
        department.categories.iter().any(|d| d == c)
    })?;
    let rules = rules::current(store, &department.region_code).await?;
    let (content, key_n, random_n) =
        content_of(store, &department, &rules.rules.enforcement, &checked).await?;
    let quotas = quotas_json(&input.quotas, &checked);
    let mut tx = store.begin().await?;
    if plans::approved_exists_in(&mut tx, &department.id, checked.year).await? {
        return Err(StoreError::invalid("year", plan_exists(checked.year)));
    }
    let new = NewPlan {
        department_id: &department.id,
        year: checked.year,
        title: &checked.title,
        quotas: &quotas,
        rules_version: rules.version,
        content: &content,
        key_inspections: key_n,
        random_inspections: random_n,
    };
    let id = plans::create_in(&mut tx, ctx, now_ms, &new).await?;
    tx.commit().await?;
    plans::get(store, ctx, &id).await
}

/// The leader's decision on a draft: approve it (the plan is then fixed) or send it back.
pub async fn decide(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    approve: bool,
    opinion: Option<&str>,
) -> StoreResult<Plan> {
    if !may_approve_plan(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_PLAN_APPROVER.into()));
    }
    let plan = plans::get(store, ctx, id).await?;
    let opinion = opinion.map(str::trim).filter(|o| !o.is_empty());
    if opinion.is_some_and(|o| o.chars().count() > 500) {
        return Err(StoreError::invalid("opinion", "审批意见不超过500个字"));
    }
    if !approve && opinion.is_none() {
        return Err(StoreError::invalid("opinion", "退回时请填写审批意见"));
    }
    let mut tx = store.begin().await?;
    if approve && plans::approved_exists_in(&mut tx, &plan.department_id, plan.year).await? {
        return Err(StoreError::invalid("approve", plan_exists(plan.year)));
    }
    if !plans::decide_in(&mut tx, ctx, now_ms, &plan, approve, opinion).await? {
        return Err(StoreError::invalid("approve", PLAN_DECIDED));
    }
    tx.commit().await?;
    plans::get(store, ctx, id).await
}

/// The plan's lists: the 重点 list with names and the category lines, with the totals.
async fn content_of(
    store: &Store,
    department: &Department,
    config: &PlanConfig,
    checked: &CheckedPlan,
) -> StoreResult<(PlanContent, u64, u64)> {
    let prefix = department_prefix(store, department).await?;
    let scope_of = |categories: Vec<String>| Scope::Department {
        department_id: department.id.clone(),
        categories,
        region_code: department.region_code.clone(),
        prefix: prefix.clone(),
    };
    let key_reasons = pools::key_list(store, &scope_of(department.categories.clone())).await?;
    let mut pools_by_category = Vec::with_capacity(department.categories.len());
    for c in &department.categories {
        let ids = pools::enterprise_ids(store, &scope_of(vec![c.clone()])).await?;
        pools_by_category.push((c.clone(), ids));
    }
    let credit = credit_reasons(store, &pools_by_category).await?;
    let mut reasons: BTreeMap<String, Vec<&str>> = key_reasons
        .iter()
        .map(|(id, r)| (id.clone(), r.to_vec()))
        .collect();
    for (id, code) in &credit {
        reasons.entry(id.clone()).or_default().push(code);
    }
    let outcome = compute(config, &reasons, &pools_by_category, &checked.quotas);
    let ids: Vec<&str> = outcome
        .key
        .iter()
        .map(|e| e.enterprise_id.as_str())
        .collect();
    let names = pools::names(store, &ids).await?;
    let content = PlanContent {
        key: outcome
            .key
            .iter()
            .map(|e| PlanKeyEntry {
                enterprise_name: names.get(&e.enterprise_id).cloned().unwrap_or_default(),
                enterprise_id: e.enterprise_id.clone(),
                times: e.times,
                reasons: e.reasons.clone(),
            })
            .collect(),
        categories: outcome
            .categories
            .iter()
            .map(|c| PlanCategoryLine {
                category: c.category.clone(),
                pool: c.pool as i64,
                key: c.key as i64,
                candidates: c.candidates as i64,
                quota: c.quota.clone(),
                draws: c.draws as i64,
            })
            .collect(),
    };
    Ok((content, outcome.key_inspections, outcome.random_inspections))
}

/// The quotas as recorded: the input rows that were accepted, trimmed.
fn quotas_json(input: &[QuotaInput], checked: &CheckedPlan) -> String {
    let rows: Vec<&QuotaInput> = input
        .iter()
        .filter(|q| checked.quotas.iter().any(|(c, _)| c == q.category.trim()))
        .collect();
    serde_json::to_string(&rows).unwrap_or_default()
}

/// 信用脸谱: the enterprises of the pools whose credit tier asks for inspections a year, each with
/// its reason code (`credit_tier:<tier>:<times>`, the tier's minimum of the district's scheme).
async fn credit_reasons(
    store: &Store,
    pools: &[(String, Vec<String>)],
) -> StoreResult<Vec<(String, String)>> {
    let mut ids: Vec<String> = pools
        .iter()
        .flat_map(|(_, ids)| ids.iter().cloned())
        .collect();
    ids.sort();
    ids.dedup();
    let mut schemes = BTreeMap::new();
    let mut out = Vec::new();
    for (id, tier, region) in yingji_store::credit::rating::tiers_of(store, &ids).await? {
        let district = yingji_store::credit::scheme::district_of(&region);
        if !schemes.contains_key(&district) {
            let s = yingji_store::credit::scheme::current(store, &district).await?;
            schemes.insert(district.clone(), s.scheme);
        }
        let n = schemes[&district]
            .tier(&tier)
            .map(|t| t.inspections_per_year)
            .unwrap_or(0);
        if n > 0 {
            out.push((id, yingji_core::credit::rating::plan_reason(&tier, n)));
        }
    }
    Ok(out)
}
