//! 调派: sending a team or an expert to an incident, and their return. The resource's status moves
//! by compare-and-set (a team goes out only from 待命), and each step is on the incident's timeline.

use crate::kernel::Ctx;
use crate::resources;
use crate::response::incidents::{self, Step};
use crate::{Sql, Store, StoreError, StoreResult, new_id};
use serde::Serialize;
use sqlx::Row;
use yingji_core::kernel::role::Scope;
use yingji_core::kernel::validation::optional_text;
use yingji_core::resources::{distance_m, team_transition};
use yingji_core::response::dispatch as words;

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

pub async fn dispatch(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    incident_id: &str,
    input: &DispatchInput,
) -> StoreResult<Vec<Dispatch>> {
    if !yingji_core::response::access::may_dispatch(ctx.role) {
        return Err(StoreError::Forbidden(
            "只有值班员、局领导和管理员可以调派队伍和专家".into(),
        ));
    }
    let incident = incidents::get(store, &ctx.scope, incident_id, now_ms).await?;
    if incident.status != "open" {
        return Err(StoreError::conflict("incident_id", "事件已结束，不能调派"));
    }
    let note = optional_text("调派说明", input.note.as_deref().unwrap_or(""), 500)
        .map_err(|m| StoreError::invalid("note", m))?;
    let not_found = |e| match e {
        StoreError::NotFound => StoreError::invalid("resource_id", "队伍或专家不存在"),
        e => e,
    };
    let (name, lon, lat, table, from, to) = match input.resource_type.as_str() {
        "team" => {
            let t = resources::get_team(store, &ctx.scope, &input.resource_id)
                .await
                .map_err(not_found)?;
            if !t.active {
                return Err(StoreError::conflict(
                    "resource_id",
                    "该队伍已停用，不能调派",
                ));
            }
            team_transition(&t.status, "dispatch")
                .map_err(|m| StoreError::conflict("resource_id", m))?;
            (
                words::team_name(&t.name, t.headcount),
                t.lon,
                t.lat,
                "teams",
                "standby",
                "dispatched",
            )
        }
        "expert" => {
            let e = resources::get_expert(store, &ctx.scope, &input.resource_id)
                .await
                .map_err(not_found)?;
            if !e.active {
                return Err(StoreError::conflict(
                    "resource_id",
                    "该专家已停用，不能调派",
                ));
            }
            if e.status != "available" {
                return Err(StoreError::conflict("resource_id", "专家已被调派"));
            }
            (e.name, e.lon, e.lat, "experts", "available", "dispatched")
        }
        _ => {
            return Err(StoreError::invalid(
                "resource_type",
                "调派对象应为 team（队伍）或 expert（专家）",
            ));
        }
    };
    let distance = resources::incident_location(store, &ctx.scope, incident_id, now_ms)
        .await
        .ok()
        .map(|(ilon, ilat)| distance_m([ilon, ilat], [lon, lat]).round() as i64);
    let mut tx = store.begin().await?;
    let mut u = Sql::new(&format!("UPDATE {table} SET status = "));
    u.bind(to)
        .push_bind(", incident_id = ", incident_id)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", input.resource_id.as_str())
        .push_bind(" AND status = ", from);
    if u.execute(&mut tx).await? == 0 {
        return Err(StoreError::conflict(
            "resource_id",
            words::just_dispatched(&name),
        ));
    }
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO incident_dispatches (id, incident_id, resource_type, resource_id, resource_name, distance_m, status, dispatched_ms, note, author) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        incident_id.into(),
        input.resource_type.clone().into(),
        input.resource_id.clone().into(),
        name.clone().into(),
        distance.into(),
        "dispatched".into(),
        now_ms.into(),
        note.clone().into(),
        ctx.display_name.clone().into(),
    ]);
    q.execute(&mut tx).await?;
    let what = words::what(&input.resource_type);
    let text = words::dispatch_text(what, &name, distance, note.as_deref());
    let step = Step {
        action: "incident.dispatch",
        kind: "dispatch",
        at_ms: now_ms,
        text: &text,
        before: None,
        after: Some(
            serde_json::json!({"resource_type": input.resource_type, "resource_id": input.resource_id, "dispatch_id": id}),
        ),
    };
    incidents::record(&mut tx, ctx, now_ms, incident_id, &incident.heading(), step).await?;
    tx.commit().await?;
    list(store, &ctx.scope, incident_id, now_ms).await
}

/// 归队: the team or expert is available again.
pub async fn return_back(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    incident_id: &str,
    dispatch_id: &str,
) -> StoreResult<Vec<Dispatch>> {
    if !yingji_core::response::access::may_dispatch(ctx.role) {
        return Err(StoreError::Forbidden(
            "只有值班员、局领导和管理员可以登记归队".into(),
        ));
    }
    let incident = incidents::get(store, &ctx.scope, incident_id, now_ms).await?;
    let mut q = Sql::new(
        "SELECT resource_type, resource_id, resource_name FROM incident_dispatches WHERE id = ",
    );
    q.bind(dispatch_id)
        .push_bind(" AND incident_id = ", incident_id);
    let row = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    let (kind, resource_id, name): (String, String, String) =
        (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
    let (table, back) = if kind == "team" {
        ("teams", "standby")
    } else {
        ("experts", "available")
    };
    let mut tx = store.begin().await?;
    let mut u = Sql::new("UPDATE incident_dispatches SET status = 'returned', returned_ms = ");
    u.bind(now_ms)
        .push_bind(" WHERE id = ", dispatch_id)
        .push(" AND status = 'dispatched'");
    if u.execute(&mut tx).await? == 0 {
        return Err(StoreError::conflict("status", "已登记归队"));
    }
    let mut r = Sql::new(&format!("UPDATE {table} SET status = "));
    r.bind(back)
        .push(", incident_id = NULL")
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", resource_id.as_str())
        .push_bind(" AND incident_id = ", incident_id);
    r.execute(&mut tx).await?;
    let text = words::return_text(&name);
    let step = Step {
        action: "incident.return",
        kind: "dispatch",
        at_ms: now_ms,
        text: &text,
        before: None,
        after: Some(serde_json::json!({"dispatch_id": dispatch_id})),
    };
    incidents::record(&mut tx, ctx, now_ms, incident_id, &incident.heading(), step).await?;
    tx.commit().await?;
    list(store, &ctx.scope, incident_id, now_ms).await
}
