//! 信用评价方案, versioned per district like the district's rules: every change is a new version,
//! and a rating records the version it was computed under.

use crate::kernel::audit::{self, Change};
use crate::{Actor, Sql, Store, StoreResult, Tx};
use sqlx::Row;
use yingji_core::credit::scheme::{CreditScheme, scheme_saved};

#[derive(Debug, Clone, serde::Serialize)]
pub struct SchemeVersion {
    pub region_code: String,
    /// 0 means the national default (no district version yet).
    pub version: i64,
    pub scheme: CreditScheme,
    pub note: Option<String>,
    pub created_ms: Option<i64>,
}

pub fn district_of(code: &str) -> String {
    code.get(..6).unwrap_or(code).to_string()
}

fn query(district: &str) -> Sql {
    let mut q =
        Sql::new("SELECT version, body, note, created_ms FROM credit_schemes WHERE region_code = ");
    q.bind(district).push(" ORDER BY version DESC LIMIT 1");
    q
}

fn parse(district: String, row: Option<sqlx::any::AnyRow>) -> StoreResult<SchemeVersion> {
    let Some(r) = row else {
        return Ok(SchemeVersion {
            region_code: district,
            version: 0,
            scheme: CreditScheme::default(),
            note: None,
            created_ms: None,
        });
    };
    let body: String = r.try_get("body")?;
    Ok(SchemeVersion {
        region_code: district,
        version: r.try_get("version")?,
        scheme: serde_json::from_str(&body).unwrap_or_default(),
        note: r.try_get("note")?,
        created_ms: r.try_get("created_ms")?,
    })
}

/// The scheme in force for the district that `region_code` lies in.
pub async fn current(store: &Store, region_code: &str) -> StoreResult<SchemeVersion> {
    let d = district_of(region_code);
    let row = store.fetch_optional(query(&d)).await?;
    parse(d, row)
}

pub async fn current_tx(tx: &mut Tx, region_code: &str) -> StoreResult<SchemeVersion> {
    let d = district_of(region_code);
    let row = query(&d).fetch_optional(tx).await?;
    parse(d, row)
}

/// Every version of a district's scheme, newest first.
pub async fn history(store: &Store, region_code: &str) -> StoreResult<Vec<SchemeVersion>> {
    let d = district_of(region_code);
    let mut q =
        Sql::new("SELECT version, body, note, created_ms FROM credit_schemes WHERE region_code = ");
    q.bind(&d).push(" ORDER BY version DESC");
    store
        .fetch_all(q)
        .await?
        .into_iter()
        .map(|r| parse(d.clone(), Some(r)))
        .collect()
}

/// Saves a district's validated scheme as its next version inside the caller's transaction.
pub async fn save_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    d: String,
    scheme: &CreditScheme,
    note: Option<String>,
) -> StoreResult<SchemeVersion> {
    let before = current_tx(tx, &d).await?;
    let version = before.version + 1;
    let body = serde_json::to_string(scheme).unwrap_or_default();
    let mut ins = Sql::new(
        "INSERT INTO credit_schemes (region_code, version, body, note, created_by, created_ms) VALUES ",
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
            action: "credit.scheme_update",
            entity_type: "credit_scheme",
            entity_id: Some(&d),
            summary: scheme_saved(&d, version),
            before: serde_json::to_value(&before.scheme).ok(),
            after: serde_json::to_value(scheme).ok(),
        },
    )
    .await?;
    Ok(SchemeVersion {
        region_code: d,
        version,
        scheme: scheme.clone(),
        note,
        created_ms: Some(now_ms),
    })
}
