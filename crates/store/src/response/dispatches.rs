//! 调派: sending a team or an expert to an incident, and their return. The resource's status moves
//! by compare-and-set (a team goes out only from 待命), and each step is on the incident's timeline.

use crate::kernel::Ctx;
use crate::response::incidents::{self, Incident, Step};
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use yingji_core::kernel::role::Scope;
use yingji_core::response::dispatch::{self as words, ALREADY_RETURNED};

pub use yingji_core::response::dispatch::DispatchInput;

#[derive(Debug, Clone, Serialize)]
pub struct Dispatch {
    pub id: String,
    pub resource_type: String,
    pub resource_id: String,
    pub resource_name: String,
    pub distance_m: Option<i64>,
    /// dispatched / returned
    pub status: String,
    pub status_label: String,
    pub dispatched_ms: i64,
    pub returned_ms: Option<i64>,
    pub note: Option<String>,
    pub author: String,
}

pub async fn list(
    store: &Store,
    scope: &Scope,
    incident_id: &str,
    now_ms: i64,
) -> StoreResult<Vec<Dispatch>> {
    incidents::get(store, scope, incident_id, now_ms).await?;
    let mut q = Sql::new("SELECT * FROM incident_dispatches WHERE incident_id = ");
    q.bind(incident_id).push(" ORDER BY dispatched_ms, id");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            let status: String = r.try_get("status")?;
            Ok(Dispatch {
                id: r.try_get("id")?,
                resource_type: r.try_get("resource_type")?,
                resource_id: r.try_get("resource_id")?,
                resource_name: r.try_get("resource_name")?,
                distance_m: r.try_get("distance_m")?,
                status_label: words::status_label(&status).into(),
                status,
                dispatched_ms: r.try_get("dispatched_ms")?,
                returned_ms: r.try_get("returned_ms")?,
                note: r.try_get("note")?,
                author: r.try_get("author")?,
            })
        })
        .collect()
}

/// A team or an expert about to be sent, as the use case found it in the registers.
pub struct NewDispatch<'a> {
    /// team / expert
    pub resource_type: &'a str,
    pub resource_id: &'a str,
    /// How the dispatch names it (a team with its headcount).
    pub name: String,
    /// From the incident's place, when both are known.
    pub distance_m: Option<i64>,
    pub note: Option<String>,
}

/// 调派 inside the caller's transaction: the dispatch row and the timeline step (the use case
/// takes the resource out of its register first, `resources::availability::send_out_in`).
pub async fn dispatch_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    incident: &Incident,
    d: &NewDispatch<'_>,
) -> StoreResult<()> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO incident_dispatches (id, incident_id, resource_type, resource_id, resource_name, distance_m, status, dispatched_ms, note, author) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        incident.id.clone().into(),
        d.resource_type.into(),
        d.resource_id.into(),
        d.name.clone().into(),
        d.distance_m.into(),
        "dispatched".into(),
        now_ms.into(),
        d.note.clone().into(),
        ctx.display_name.clone().into(),
    ]);
    q.execute(tx).await?;
    let what = words::what(d.resource_type);
    let text = words::dispatch_text(what, &d.name, d.distance_m, d.note.as_deref());
    let step = Step {
        action: "incident.dispatch",
        kind: "dispatch",
        at_ms: now_ms,
        text: &text,
        before: None,
        after: Some(
            serde_json::json!({"resource_type": d.resource_type, "resource_id": d.resource_id, "dispatch_id": id}),
        ),
    };
    incidents::record(tx, ctx, now_ms, &incident.id, &incident.heading(), step).await
}

/// 归队 inside the caller's transaction: the dispatch of `incident` is marked returned (once);
/// answers the resource (type, id) for the use case to make available again
/// (`resources::availability::bring_back_in`).
pub async fn return_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    incident: &Incident,
    dispatch_id: &str,
) -> StoreResult<(String, String)> {
    let incident_id = incident.id.as_str();
    let mut q = Sql::new(
        "SELECT resource_type, resource_id, resource_name FROM incident_dispatches WHERE id = ",
    );
    q.bind(dispatch_id)
        .push_bind(" AND incident_id = ", incident_id);
    let row = q.fetch_optional(tx).await?.ok_or(StoreError::NotFound)?;
    let (kind, resource_id, name): (String, String, String) =
        (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
    let mut u = Sql::new("UPDATE incident_dispatches SET status = 'returned', returned_ms = ");
    u.bind(now_ms)
        .push_bind(" WHERE id = ", dispatch_id)
        .push(" AND status = 'dispatched'");
    if u.execute(tx).await? == 0 {
        return Err(StoreError::conflict("status", ALREADY_RETURNED));
    }
    let text = words::return_text(&name);
    let step = Step {
        action: "incident.return",
        kind: "dispatch",
        at_ms: now_ms,
        text: &text,
        before: None,
        after: Some(serde_json::json!({"dispatch_id": dispatch_id})),
    };
    incidents::record(tx, ctx, now_ms, incident_id, &incident.heading(), step).await?;
    Ok((kind, resource_id))
}
