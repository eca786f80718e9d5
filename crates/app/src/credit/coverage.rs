//! 安责险 coverage: which enterprises in the caller's scope must be insured (the district's
//! configuration of 安全生产法 第五十一条), the rate by street and by industry, the uninsured
//! list, and the notification of the uninsured and their supervising departments.

use std::collections::BTreeMap;
use yingji_core::credit::coverage::{
    self as rules, Coverage, CoverageConfig, NOTIFY_TITLE, Subject, notify_body, notify_summary,
    tally,
};
use yingji_core::kernel::clock::today;
use yingji_store::credit::coverage::{self as rows, Subject as Row};
use yingji_store::kernel::Ctx;
use yingji_store::kernel::audit::{self, Change};
use yingji_store::kernel::notifications;
use yingji_store::prevention::rules as district_rules;
use yingji_store::{Store, StoreError, StoreResult};

/// An enterprise that must be insured, with its mandatory industries.
#[derive(Debug, Clone)]
pub struct Required {
    pub row: Row,
    pub industries: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub coverage: Coverage,
    /// Street code → name.
    pub street_names: BTreeMap<String, String>,
    pub uninsured: Vec<Required>,
}

fn require_reader(ctx: &Ctx) -> StoreResult<()> {
    if rules::may_read(ctx.role) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(rules::NOT_A_COVERAGE_READER.into()))
    }
}

/// The enterprises in the caller's scope that must be insured, each by its district's rules.
async fn required(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
) -> StoreResult<(Vec<Required>, CoverageConfig)> {
    let day = today(now_ms).to_string();
    let mut configs: BTreeMap<String, CoverageConfig> = BTreeMap::new();
    let mut out = Vec::new();
    for row in rows::subjects(store, &ctx.scope, &day).await? {
        let district = row.grid_code.get(..6).unwrap_or(&row.grid_code).to_string();
        if !configs.contains_key(&district) {
            let c = district_rules::current(store, &district)
                .await?
                .rules
                .insurance;
            configs.insert(district.clone(), c);
        }
        let config = &configs[&district];
        let industries: Vec<String> = config
            .required_by(&row.categories, &row.flags, &row.industry_code)
            .into_iter()
            .map(str::to_string)
            .collect();
        if !industries.is_empty() {
            out.push(Required { row, industries });
        }
    }
    // The groups follow the configuration of the (first) district read.
    let config = configs.into_values().next().unwrap_or_default();
    Ok((out, config))
}

pub async fn report(store: &Store, ctx: &Ctx, now_ms: i64) -> StoreResult<Report> {
    require_reader(ctx)?;
    let (required, config) = required(store, ctx, now_ms).await?;
    let subjects: Vec<Subject> = required
        .iter()
        .map(|r| Subject {
            street: r.row.street_code.clone(),
            industries: r.industries.clone(),
            insured: r.row.insured,
        })
        .collect();
    let coverage = tally(&config, &subjects);
    let street_names = required
        .iter()
        .map(|r| (r.row.street_code.clone(), r.row.street_name.clone()))
        .collect();
    let uninsured = required.into_iter().filter(|r| !r.row.insured).collect();
    Ok(Report {
        coverage,
        street_names,
        uninsured,
    })
}

/// Notifies each uninsured enterprise in the caller's scope (or only `only`, when given) and
/// its supervising departments; answers (enterprises, people) notified.
pub async fn notify(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    only: Option<&[String]>,
) -> StoreResult<(usize, usize)> {
    if !rules::may_notify(ctx.role) {
        return Err(StoreError::Forbidden(rules::NOT_A_COVERAGE_NOTIFIER.into()));
    }
    let report = report(store, ctx, now_ms).await?;
    let targets: Vec<&Required> = report
        .uninsured
        .iter()
        .filter(|r| only.is_none_or(|ids| ids.contains(&r.row.id)))
        .collect();
    let mut letters = Vec::new();
    for t in &targets {
        letters.push((
            rows::recipients(store, &t.row).await?,
            notify_body(&t.row.name, &t.industries),
        ));
    }
    let mut tx = store.begin().await?;
    let mut people = 0;
    for (to, body) in &letters {
        people += notifications::send(
            &mut tx,
            now_ms,
            to,
            NOTIFY_TITLE,
            body,
            Some("/credit/insurance"),
        )
        .await?;
    }
    let ids: Vec<&str> = targets.iter().map(|t| t.row.id.as_str()).collect();
    let change = Change {
        after: Some(serde_json::json!({ "enterprise_ids": ids, "people": people })),
        entity_id: None,
        ..Change::of(
            "insurance_policy.notify_uninsured",
            "insurance_policy",
            "",
            notify_summary(targets.len()),
        )
    };
    audit::append(&mut tx, now_ms, &ctx.actor, change).await?;
    tx.commit().await?;
    Ok((targets.len(), people))
}
