//! 预警信息: warnings authored here (a second person approves), warnings taken in as CAP, and the
//! CAP messages and Atom feed we publish. Rules in `yingji_core::warning`; CAP is read and
//! written by the use cases (yingji-app, the feed poller): the store keeps its XML as text.

pub mod publish;
use publish::log;
pub use publish::{StepInput, WarningInput};
pub mod ingest;
pub use ingest::Ingested;

use crate::{Page, Sql, Store, StoreError, StoreResult};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::geo::{self, BBox};
use yingji_core::kernel::role::Scope;
use yingji_core::warning as rules;

pub mod feeds;
pub mod map_layers;
pub mod targeting;
pub mod workbench;

/// Polygon points accepted from the console or a CAP message.
pub use yingji_core::warning::cap::MAX_POINTS;

#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    pub id: String,
    pub identifier: String,
    pub sender: String,
    pub sent_ms: Option<i64>,
    /// Alert / Update / Cancel
    pub msg_type: String,
    /// CAP status: Actual, Exercise, Test …
    pub cap_status: String,
    /// authored / ingested
    pub origin: String,
    /// draft / pending / published / superseded / cancelled
    pub status: String,
    pub status_label: String,
    pub event_code: String,
    pub event_label: String,
    /// The event as the message named it.
    pub event_text: String,
    pub level: i64,
    pub colour: String,
    pub headline: String,
    pub description: String,
    pub instruction: String,
    pub sender_name: String,
    pub area_desc: String,
    /// GeoJSON MultiPolygon (lon, lat).
    pub area: serde_json::Value,
    pub region_codes: Vec<String>,
    pub effective_ms: i64,
    pub expires_ms: i64,
    pub supersedes: Option<String>,
    pub author: String,
    pub approver: Option<String>,
    pub approved_ms: Option<i64>,
    pub note: Option<String>,
    pub created_ms: i64,
    /// In force now (published, not cancelled, not expired, an actual message).
    pub current: bool,
}

fn from_row(r: &AnyRow, now_ms: i64) -> StoreResult<Warning> {
    let status: String = r.try_get("status")?;
    let event_code: String = r.try_get("event_code")?;
    let level: i64 = r.try_get("level")?;
    let polygons = geo::stored_polygons(&r.try_get::<String, _>("area")?);
    let msg_type: String = r.try_get("msg_type")?;
    let cap_status: String = r.try_get("cap_status")?;
    let expires_ms: i64 = r.try_get("expires_ms")?;
    let current = status == "published"
        && msg_type != "Cancel"
        && cap_status == "Actual"
        && expires_ms > now_ms;
    Ok(Warning {
        id: r.try_get("id")?,
        identifier: r.try_get("identifier")?,
        sender: r.try_get("sender")?,
        sent_ms: r.try_get("sent_ms")?,
        msg_type,
        cap_status,
        origin: r.try_get("origin")?,
        status_label: yingji_core::warning::authoring::status_label(&status, expires_ms <= now_ms),
        status,
        event_label: rules::event_label(&event_code).into(),
        event_code,
        event_text: r.try_get("event_text")?,
        level,
        colour: rules::level_colour(level).into(),
        headline: r.try_get("headline")?,
        description: r.try_get("description")?,
        instruction: r.try_get("instruction")?,
        sender_name: r.try_get("sender_name")?,
        area_desc: r.try_get("area_desc")?,
        area: multipolygon(&polygons),
        region_codes: yingji_core::directory::enterprise::split_codes(
            &r.try_get::<String, _>("region_codes")?,
        ),
        effective_ms: r.try_get("effective_ms")?,
        expires_ms,
        supersedes: r.try_get("supersedes")?,
        author: r.try_get("author")?,
        approver: r.try_get("approver")?,
        approved_ms: r.try_get("approved_ms")?,
        note: r.try_get("note")?,
        created_ms: r.try_get("created_ms")?,
        current,
    })
}

/// The area as GeoJSON: each polygon its outer ring, then its holes.
fn multipolygon(polygons: &[geo::Polygon]) -> serde_json::Value {
    serde_json::json!({
        "type": "MultiPolygon",
        "coordinates": polygons,
    })
}

fn push_scope(q: &mut Sql, scope: &Scope) {
    match scope {
        Scope::All => {}
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            q.push_bind(
                " AND w.district_code = ",
                prefix.get(..6).unwrap_or(prefix).to_string(),
            );
        }
        // Enterprises see warnings through the public page.
        // 保险机构人员 see only their policyholders' 安责险 records (credit::insurance).
        Scope::Insurer { .. } => {
            q.push(" AND 1 = 0");
        }
        Scope::Enterprise { .. } => {
            q.push(" AND 1 = 0");
        }
    }
}

pub async fn get(store: &Store, scope: &Scope, id: &str, now_ms: i64) -> StoreResult<Warning> {
    let mut q = Sql::new("SELECT * FROM warnings w WHERE w.id = ");
    q.bind(id);
    push_scope(&mut q, scope);
    from_row(
        &store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?,
        now_ms,
    )
}

#[derive(Debug, Clone, Default)]
pub struct WarningFilter {
    pub status: Option<String>,
    pub current: Option<bool>,
    pub origin: Option<String>,
}

pub async fn list(
    store: &Store,
    scope: &Scope,
    f: &WarningFilter,
    page: Page,
    now_ms: i64,
) -> StoreResult<(Vec<Warning>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_scope(&mut w, scope);
    if let Some(s) = &f.status {
        w.push_bind(" AND w.status = ", s.as_str());
    }
    if let Some(o) = &f.origin {
        w.push_bind(" AND w.origin = ", o.as_str());
    }
    if f.current == Some(true) {
        push_current(&mut w, now_ms);
    }
    store
        .page_of(
            "SELECT COUNT(*) FROM warnings w",
            "SELECT * FROM warnings w",
            w,
            "w.created_ms DESC, w.id DESC",
            page,
            |r| from_row(r, now_ms),
        )
        .await
}

fn push_current(w: &mut Sql, now_ms: i64) {
    w.push(" AND w.status = 'published' AND w.msg_type <> 'Cancel' AND w.cap_status = 'Actual'")
        .push_bind(" AND w.expires_ms > ", now_ms);
}

/// The warnings in force now, for the public page (no login) and the map.
pub async fn current(store: &Store, now_ms: i64) -> StoreResult<Vec<Warning>> {
    let mut w = Sql::new("SELECT * FROM warnings w WHERE 1 = 1");
    push_current(&mut w, now_ms);
    w.push(" ORDER BY w.level, w.effective_ms DESC LIMIT 200");
    store
        .fetch_all(w)
        .await?
        .iter()
        .map(|r| from_row(r, now_ms))
        .collect()
}

/// Published messages (alerts, updates, cancellations), newest first, for the Atom feed.
pub async fn published(
    store: &Store,
    now_ms: i64,
    limit: i64,
) -> StoreResult<Vec<(Warning, String)>> {
    let mut w = Sql::new(
        "SELECT * FROM warnings w WHERE w.cap_xml IS NOT NULL AND w.status IN ('published', 'superseded', 'cancelled') ORDER BY w.sent_ms DESC, w.id DESC LIMIT ",
    );
    w.bind(limit);
    store
        .fetch_all(w)
        .await?
        .iter()
        .map(|r| Ok((from_row(r, now_ms)?, r.try_get::<String, _>("cap_xml")?)))
        .collect()
}

/// The CAP XML of a published message (served to anyone: warnings are public).
pub async fn cap_of(store: &Store, id: &str) -> StoreResult<String> {
    let mut q = Sql::new(
        "SELECT cap_xml FROM warnings w WHERE w.cap_xml IS NOT NULL AND w.status <> 'draft' AND w.status <> 'pending' AND w.id = ",
    );
    q.bind(id);
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    Ok(r.try_get(0)?)
}

// ---------------------------------------------------------------------------------------------
// Areas

/// The polygons of regions' boundaries (with their holes), rings closed.
async fn polygons_of_regions(
    store: &Store,
    codes: &[String],
) -> StoreResult<(Vec<geo::Polygon>, Vec<String>)> {
    let mut polygons = Vec::new();
    let mut names = Vec::new();
    for code in codes {
        let region = crate::directory::regions::get(store, &Scope::All, code)
            .await
            .map_err(|_| {
                StoreError::invalid(
                    "region_codes",
                    yingji_core::kernel::wording::region_unknown(code),
                )
            })?;
        names.push(region.name.clone());
        if let Some(b) = crate::directory::regions::boundary(store, &Scope::All, code).await? {
            for mut p in geo::polygons_of_geometry(&b).unwrap_or_default() {
                for r in &mut p {
                    if r.first() != r.last()
                        && let Some(f) = r.first().copied()
                    {
                        r.push(f);
                    }
                }
                polygons.push(p);
            }
        }
    }
    Ok((polygons, names))
}

fn bbox(polygons: &[geo::Polygon]) -> BBox {
    BBox::of(&polygons.concat()).unwrap_or(BBox {
        min_lon: 0.0,
        min_lat: 0.0,
        max_lon: 0.0,
        max_lat: 0.0,
    })
}

// ---------------------------------------------------------------------------------------------
// Authoring

// ---------------------------------------------------------------------------------------------
// Taking in CAP
