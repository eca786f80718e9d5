//! Per-district rules (risk banding, hazard loop), versioned: every change is a new version, and
//! a risk point records the version it was graded under.

use crate::kernel::audit::{self, Change};
use crate::{Actor, Sql, Store, StoreResult, Tx};
use sqlx::Row;
use yingji_core::prevention::rules::DistrictRules;

#[derive(Debug, Clone, serde::Serialize)]
pub struct RulesVersion {
    pub region_code: String,
    /// 0 means the national defaults (no district version yet).
    pub version: i64,
    pub rules: DistrictRules,
    pub note: Option<String>,
    pub created_ms: Option<i64>,
}

fn district_of(code: &str) -> String {
    code.get(..6).unwrap_or(code).to_string()
}

fn query(district: &str) -> Sql {
    let mut q =
        Sql::new("SELECT version, body, note, created_ms FROM district_rules WHERE region_code = ");
    q.bind(district).push(" ORDER BY version DESC LIMIT 1");
    q
}

fn parse(district: String, row: Option<sqlx::any::AnyRow>) -> StoreResult<RulesVersion> {
    let Some(r) = row else {
        return Ok(RulesVersion {
            region_code: district,
            version: 0,
            rules: DistrictRules::default(),
            note: None,
            created_ms: None,
        });
    };
    let body: String = r.try_get("body")?;
    Ok(RulesVersion {
        region_code: district,
        version: r.try_get("version")?,
        // A body written by an older release keeps working: unknown keys were refused on
        // write, and missing keys take their defaults.
        rules: serde_json::from_str(&body).unwrap_or_default(),
        note: r.try_get("note")?,
        created_ms: r.try_get("created_ms")?,
    })
}

/// The rules in force for the district that `region_code` lies in.
pub async fn current(store: &Store, region_code: &str) -> StoreResult<RulesVersion> {
    let d = district_of(region_code);
    let row = store.fetch_optional(query(&d)).await?;
    parse(d, row)
}

pub async fn current_tx(tx: &mut Tx, region_code: &str) -> StoreResult<RulesVersion> {
    let d = district_of(region_code);
    let row = query(&d).fetch_optional(tx).await?;
    parse(d, row)
}

pub async fn history(store: &Store, region_code: &str) -> StoreResult<Vec<RulesVersion>> {
    let d = district_of(region_code);
    let mut q =
        Sql::new("SELECT version, body, note, created_ms FROM district_rules WHERE region_code = ");
    q.bind(&d).push(" ORDER BY version DESC");
    store
        .fetch_all(q)
        .await?
        .into_iter()
        .map(|r| parse(d.clone(), Some(r)))
        .collect()
}

/// The district of a rules change: the 6-digit code of a known district, or the refusal.
pub async fn district_for(store: &Store, region_code: &str) -> StoreResult<String> {
    let d = district_of(region_code.trim());
    let known = d.len() == 6
        && d.bytes().all(|b| b.is_ascii_digit())
        && crate::directory::regions::get(store, &yingji_core::kernel::role::Scope::All, &d)
            .await
            .is_ok();
    if !known {
        return Err(crate::StoreError::invalid(
            "region",
            yingji_core::prevention::rules::district_unknown(region_code.trim()),
        ));
    }
    Ok(d)
}

/// Saves a district's validated rules as its next version inside the caller's transaction.
pub async fn save_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    d: String,
    rules: &DistrictRules,
    note: Option<String>,
) -> StoreResult<RulesVersion> {
    let before = current_tx(tx, &d).await?;
    let version = before.version + 1;
    let body = serde_json::to_string(rules).unwrap_or_default();
    let mut ins = Sql::new(
        "INSERT INTO district_rules (region_code, version, body, note, created_by, created_ms) VALUES ",
    );
    ins.values(vec![
        d.clone().into(),
        version.into(),
        body.into(),
        note.clone().into(),
        actor.user_id.clone().into(),
        now_ms.into(),
    ]);
    ins.execute(&mut *tx).await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            action: "rules.update",
            entity_type: "district_rules",
            entity_id: Some(&d),
            summary: yingji_core::prevention::rules::rules_saved(&d, version),
            before: serde_json::to_value(&before.rules).ok(),
            after: serde_json::to_value(rules).ok(),
        },
    )
    .await?;
    Ok(RulesVersion {
        region_code: d,
        version,
        rules: rules.clone(),
        note,
        created_ms: Some(now_ms),
    })
}
