//! CAP in and out, as plain values: the number of a warning's CAP message, and the warning
//! a CAP message taken in becomes (read and turned into `Incoming` by
//! `yingji_core::warning::cap`; the use cases in yingji-app and the feed poller orchestrate).

use super::{Warning, bbox, log, polygons_of_regions};
use crate::{Actor, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use yingji_core::kernel::geo;
use yingji_core::kernel::role::Scope;
use yingji_core::warning::cap::Incoming;

/// What a warning's CAP identifier is built from: its district, the district's publisher codes
/// and the message's number within its second.
#[derive(Debug, Clone)]
pub struct CapNumber {
    pub district: String,
    pub organisation_code: String,
    pub unit_code: String,
    /// 1, 2, … within `second` for the district.
    pub n: i64,
}

/// Draws the number of warning `warning_id`'s next CAP message sent at `second` (Beijing time,
/// as the identifier writes it).
pub async fn cap_number_in(tx: &mut Tx, warning_id: &str, second: &str) -> StoreResult<CapNumber> {
    let mut q = Sql::new("SELECT district_code FROM warnings WHERE id = ");
    q.bind(warning_id);
    let district: String = q.fetch_one(&mut *tx).await?.try_get(0)?;
    let p = crate::prevention::rules::current_tx(tx, &district)
        .await?
        .rules
        .warning
        .publisher;
    let n =
        crate::kernel::sequences::next_in_sequence(tx, &format!("CAP-{district}-{second}")).await?;
    Ok(CapNumber {
        district,
        organisation_code: p.organisation_code,
        unit_code: p.unit_code,
        n,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Ingested {
    /// false when the same message (sender + identifier) had been taken in before.
    pub created: bool,
    pub warning: Warning,
    /// Earlier warnings this message updated or cancelled.
    pub superseded: Vec<String>,
}

/// The warning already taken in from this sender with this identifier.
pub async fn taken(store: &Store, sender: &str, identifier: &str) -> StoreResult<Option<String>> {
    let mut q = Sql::new("SELECT id FROM warnings WHERE sender = ");
    q.bind(sender).push_bind(" AND identifier = ", identifier);
    match store.fetch_optional(q).await? {
        Some(r) => Ok(Some(r.try_get(0)?)),
        None => Ok(None),
    }
}

/// The boundaries of the regions among `codes` that we know (geocodes of a message).
pub async fn known_region_polygons(
    store: &Store,
    codes: &[String],
) -> StoreResult<Vec<geo::Polygon>> {
    let mut known = Vec::new();
    for c in codes {
        if crate::directory::regions::get(store, &Scope::All, c)
            .await
            .is_ok()
        {
            known.push(c.clone());
        }
    }
    Ok(polygons_of_regions(store, &known).await?.0)
}

/// Records a message taken in for `district` as a published warning, applies it to the
/// warnings it references (更新 → superseded, 解除 → cancelled), targets it and writes its
/// audit record. Returns its id and the warnings it superseded.
pub async fn ingest_in(
    tx: &mut Tx,
    actor: &Actor,
    author: &str,
    district: &str,
    now_ms: i64,
    inc: &Incoming,
) -> StoreResult<(String, Vec<String>)> {
    let id = new_id();
    insert_ingested_in(tx, &id, author, district, now_ms, inc).await?;
    let superseded = apply_references_in(tx, &id, now_ms, inc).await?;
    crate::warning::targeting::apply(tx, now_ms, &id).await?;
    log(
        tx,
        actor,
        now_ms,
        "warning.ingest",
        &id,
        yingji_core::warning::authoring::ingested_summary(
            &inc.msg_type,
            &inc.sender,
            &inc.headline,
        ),
    )
    .await?;
    Ok((id, superseded))
}

async fn insert_ingested_in(
    tx: &mut Tx,
    id: &str,
    author: &str,
    district: &str,
    now_ms: i64,
    inc: &Incoming,
) -> StoreResult<()> {
    let b = bbox(&inc.polygons);
    let mut ins = Sql::new(
        "INSERT INTO warnings (id, identifier, sender, sent_ms, msg_type, cap_status, origin, status, event_code, event_text, level, headline, description, instruction, sender_name, area_desc, area, region_codes, min_lon, min_lat, max_lon, max_lat, effective_ms, expires_ms, district_code, cap_xml, author, created_ms, updated_ms) VALUES ",
    );
    ins.values(vec![
        id.into(),
        inc.identifier.clone().into(),
        inc.sender.clone().into(),
        inc.sent_ms.into(),
        inc.msg_type.clone().into(),
        inc.cap_status.clone().into(),
        "ingested".into(),
        "published".into(),
        inc.event_code.clone().into(),
        inc.event_text.clone().into(),
        inc.level.into(),
        inc.headline.clone().into(),
        inc.description.clone().into(),
        inc.instruction.clone().into(),
        inc.sender_name.clone().into(),
        inc.area_desc.clone().into(),
        serde_json::to_string(&inc.polygons)
            .unwrap_or_default()
            .into(),
        yingji_core::directory::enterprise::join_codes(&inc.region_codes).into(),
        b.min_lon.into(),
        b.min_lat.into(),
        b.max_lon.into(),
        b.max_lat.into(),
        inc.effective_ms.into(),
        inc.expires_ms.into(),
        district.into(),
        inc.cap_xml.clone().into(),
        author.into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    ins.execute(&mut *tx).await.map_err(|e| match e {
        StoreError::Db(ref d) if crate::resources::is_unique_violation(d) => {
            StoreError::conflict("identifier", "同一消息正在被同时接收，请重试")
        }
        e => e,
    })?;
    Ok(())
}

async fn apply_references_in(
    tx: &mut Tx,
    id: &str,
    now_ms: i64,
    inc: &Incoming,
) -> StoreResult<Vec<String>> {
    let mut superseded: Vec<String> = Vec::new();
    if !matches!(inc.msg_type.as_str(), "Update" | "Cancel") {
        return Ok(superseded);
    }
    let to = if inc.msg_type == "Cancel" {
        "cancelled"
    } else {
        "superseded"
    };
    for (sender, identifier) in &inc.references {
        let mut u = Sql::new("UPDATE warnings SET status = ");
        u.bind(to)
            .push_bind(", updated_ms = ", now_ms)
            .push_bind(" WHERE status = 'published' AND sender = ", sender.as_str())
            .push_bind(" AND identifier = ", identifier.as_str())
            .push(" RETURNING id");
        for row in u.fetch_all(&mut *tx).await? {
            superseded.push(row.try_get(0)?);
        }
    }
    if let Some(first) = superseded.first() {
        let mut s = Sql::new("UPDATE warnings SET supersedes = ");
        s.bind(first.clone()).push_bind(" WHERE id = ", id);
        s.execute(&mut *tx).await?;
    }
    Ok(superseded)
}
