//! 网格事件: rows, the scope predicate (the duty room its district's events, a department those
//! dispatched to it, street staff and grid workers those in their area or assigned to their
//! street), the reads; the writes are in `events_writes`, the deadlines in `events_due`.

use crate::kernel::Ctx;
use crate::kernel::attachments::{self, Attachment};
use crate::{Page, Sql, Store, StoreError, StoreResult};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::grid::events::{
    NOT_A_READER, may_dispatch, may_read, sees_street_units, source_label, status_label,
};
use yingji_core::kernel::role::Scope;

/// The attachments' owner type of an event's photos.
pub const OWNER_TYPE: &str = "grid_event";

#[derive(Debug, Clone, serde::Serialize)]
pub struct GridEvent {
    pub id: String,
    pub code: String,
    pub district_code: String,
    pub region_code: String,
    pub region_name: Option<String>,
    pub street_code: String,
    pub source: String,
    pub source_label: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub lon: f64,
    pub lat: f64,
    pub address: Option<String>,
    pub enterprise_id: Option<String>,
    pub enterprise_name: Option<String>,
    pub reporter_user_id: Option<String>,
    /// As stored: the reads mask them for those who may not see them (core::grid::events).
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub tracking_code: Option<String>,
    pub external_no: Option<String>,
    pub external_source: Option<String>,
    pub opinion_url: Option<String>,
    pub opinion_heat: Option<i64>,
    /// 舆情: the level judged (core::grid::opinions::OpinionLevel) and the platform.
    pub opinion_level: Option<String>,
    pub opinion_platform: Option<String>,
    pub status: String,
    pub status_label: String,
    pub unit_kind: Option<String>,
    pub unit_id: Option<String>,
    pub unit_name: Option<String>,
    pub dispatch_reason: Option<String>,
    pub dispatched_ms: Option<i64>,
    pub accept_due_ms: Option<i64>,
    pub handle_due_ms: Option<i64>,
    pub feedback_due_ms: Option<i64>,
    pub accepted_ms: Option<i64>,
    pub handled_ms: Option<i64>,
    pub answered_ms: Option<i64>,
    pub closed_ms: Option<i64>,
    /// '' / remind / yellow / red: the 督办 card reached.
    pub card: String,
    pub result: Option<String>,
    pub answer: Option<String>,
    pub satisfied: Option<bool>,
    pub reopened: bool,
    pub merged_into: Option<String>,
    pub hazard_id: Option<String>,
    pub incident_id: Option<String>,
    pub created_ms: i64,
    pub updated_ms: i64,
}

impl GridEvent {
    /// 舆情: the level judged.
    pub fn opinion_level(&self) -> Option<yingji_core::grid::opinions::OpinionLevel> {
        self.opinion_level
            .as_deref()
            .and_then(yingji_core::grid::opinions::OpinionLevel::parse)
    }
}

/// One line of an event's timeline.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Step {
    pub at_ms: i64,
    pub action: String,
    pub actor_name: String,
    pub note: Option<String>,
    /// Shown on the public tracking page.
    pub public: bool,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct EventDetail {
    pub event: GridEvent,
    pub steps: Vec<Step>,
    pub attachments: Vec<Attachment>,
}

pub const COLUMNS: &str = "e.*, r.name AS region_name, en.name AS enterprise_name";
pub const FROM: &str = " FROM grid_events e LEFT JOIN regions r ON r.code = e.region_code LEFT JOIN enterprises en ON en.id = e.enterprise_id";

pub fn from_row(r: &AnyRow) -> StoreResult<GridEvent> {
    let status: String = r.try_get("status")?;
    let source: String = r.try_get("source")?;
    Ok(GridEvent {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        district_code: r.try_get("district_code")?,
        region_code: r.try_get("region_code")?,
        region_name: r.try_get("region_name")?,
        street_code: r.try_get("street_code")?,
        source_label: source_label(&source).into(),
        source,
        category: r.try_get("category")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        address: r.try_get("address")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        reporter_user_id: r.try_get("reporter_user_id")?,
        reporter_name: r.try_get("reporter_name")?,
        reporter_phone: crate::kernel::keys::open_opt(r.try_get("reporter_phone")?),
        tracking_code: r.try_get("tracking_code")?,
        external_no: r.try_get("external_no")?,
        external_source: r.try_get("external_source")?,
        opinion_url: r.try_get("opinion_url")?,
        opinion_heat: r.try_get("opinion_heat")?,
        opinion_level: r.try_get("opinion_level")?,
        opinion_platform: r.try_get("opinion_platform")?,
        status_label: status_label(&status).into(),
        status,
        unit_kind: r.try_get("unit_kind")?,
        unit_id: r.try_get("unit_id")?,
        unit_name: r.try_get("unit_name")?,
        dispatch_reason: r.try_get("dispatch_reason")?,
        dispatched_ms: r.try_get("dispatched_ms")?,
        accept_due_ms: r.try_get("accept_due_ms")?,
        handle_due_ms: r.try_get("handle_due_ms")?,
        feedback_due_ms: r.try_get("feedback_due_ms")?,
        accepted_ms: r.try_get("accepted_ms")?,
        handled_ms: r.try_get("handled_ms")?,
        answered_ms: r.try_get("answered_ms")?,
        closed_ms: r.try_get("closed_ms")?,
        card: r.try_get("card")?,
        result: r.try_get("result")?,
        answer: r.try_get("answer")?,
        satisfied: r.try_get::<Option<i64>, _>("satisfied")?.map(|v| v != 0),
        reopened: r.try_get::<i64, _>("reopened")? != 0,
        merged_into: r.try_get("merged_into")?,
        hazard_id: r.try_get("hazard_id")?,
        incident_id: r.try_get("incident_id")?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

/// Limits a query on `grid_events e` to what the caller may read.
pub fn push_visible(q: &mut Sql, ctx: &Ctx) -> StoreResult<()> {
    if !may_read(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_READER.into()));
    }
    match (&ctx.scope, may_dispatch(ctx.role)) {
        (Scope::All, _) => {}
        (Scope::Region { prefix, .. } | Scope::Department { prefix, .. }, true) => {
            q.push_bind(" AND (e.district_code LIKE ", format!("{prefix}%"))
                .push_bind(" OR ", prefix.as_str())
                .push(" LIKE e.district_code || '%')");
        }
        (Scope::Department { department_id, .. }, false) => {
            q.push_bind(
                " AND ((e.unit_kind = 'department' AND e.unit_id = ",
                department_id.as_str(),
            )
            .push_bind(") OR e.reporter_user_id = ", ctx.user_id.as_str());
            // 大联动: the cooperating units read the events they have a part in.
            super::joint::push_part_visible(q, ctx);
            q.push(")");
        }
        (Scope::Region { prefix, .. }, false) => {
            q.push_bind(" AND (e.region_code LIKE ", format!("{prefix}%"))
                .push_bind(" OR e.reporter_user_id = ", ctx.user_id.as_str());
            if sees_street_units(ctx.role) {
                q.push_bind(" OR (e.unit_kind = 'street' AND ", prefix.as_str())
                    .push(" LIKE e.unit_id || '%')");
                // 大联动: the cooperating street reads the events it has a part in.
                super::joint::push_part_visible(q, ctx);
            }
            q.push(")");
        }
        (Scope::Enterprise { .. } | Scope::Insurer { .. }, _) => {
            q.push(" AND 1 = 0");
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<String>,
    pub source: Option<String>,
    pub category: Option<String>,
    /// Only events still open.
    pub open: bool,
    /// Only those assigned to the caller's unit (their department, their street).
    pub mine: bool,
    /// A code, title or description fragment, or the reporter's whole phone number.
    pub q: Option<String>,
    /// Created in [from, to) (ms).
    pub span: Option<(i64, i64)>,
}

pub fn push_filter(w: &mut Sql, ctx: &Ctx, f: &Filter) {
    if let Some(s) = &f.status {
        w.push_bind(" AND e.status = ", s.as_str());
    }
    if let Some(s) = &f.source {
        w.push_bind(" AND e.source = ", s.as_str());
    }
    if let Some(s) = &f.category {
        w.push_bind(" AND e.category = ", s.as_str());
    }
    if f.open {
        w.push(" AND e.status NOT IN ('closed', 'merged')");
    }
    if f.mine {
        match &ctx.scope {
            Scope::Department { department_id, .. } => {
                w.push_bind(
                    " AND e.unit_kind = 'department' AND e.unit_id = ",
                    department_id.as_str(),
                );
            }
            Scope::Region { prefix, .. } => {
                w.push_bind(" AND e.unit_kind = 'street' AND ", prefix.as_str())
                    .push(" LIKE e.unit_id || '%'");
            }
            _ => {}
        }
    }
    if let Some(t) = f.q.as_deref().filter(|t| !t.trim().is_empty()) {
        let like = format!("%{}%", t.trim());
        w.push_bind(" AND (e.code LIKE ", like.clone())
            .push_bind(" OR e.title LIKE ", like.clone())
            .push_bind(" OR e.description LIKE ", like);
        // The reporter's phone is sealed (SM4): a whole number is found by its blind index.
        if yingji_core::kernel::gm::looks_like_phone(t)
            && let Some(bidx) = crate::kernel::keys::installed().and_then(|r| r.blind_index(t))
        {
            w.push_bind(" OR e.reporter_phone_bidx = ", bidx);
        }
        w.push(")");
    }
    if let Some((from, to)) = f.span {
        w.push_bind(" AND e.created_ms >= ", from)
            .push_bind(" AND e.created_ms < ", to);
    }
}

/// The events the caller may read, the latest first.
pub async fn list(
    store: &Store,
    ctx: &Ctx,
    f: &Filter,
    page: Page,
) -> StoreResult<(Vec<GridEvent>, i64)> {
    let mut w = Sql::new("");
    push_visible(&mut w, ctx)?;
    push_filter(&mut w, ctx, f);
    store
        .page_of(
            &format!("SELECT COUNT(*){FROM} WHERE 1 = 1"),
            &format!("SELECT {COLUMNS}{FROM} WHERE 1 = 1"),
            w,
            "e.created_ms DESC, e.id",
            page,
            from_row,
        )
        .await
}

/// One event the caller may read.
pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<GridEvent> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE e.id = "));
    q.bind(id);
    push_visible(&mut q, ctx)?;
    let row = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    from_row(&row)
}

pub async fn steps(store: &Store, id: &str) -> StoreResult<Vec<Step>> {
    let mut q = Sql::new(
        "SELECT at_ms, action, actor_name, note, public FROM grid_event_steps WHERE event_id = ",
    );
    q.bind(id).push(" ORDER BY at_ms, id");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Step {
                at_ms: r.try_get("at_ms")?,
                action: r.try_get("action")?,
                actor_name: r.try_get("actor_name")?,
                note: r.try_get("note")?,
                public: r.try_get::<i64, _>("public")? != 0,
            })
        })
        .collect()
}

/// One event with its timeline and photos.
pub async fn detail(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<EventDetail> {
    let event = get(store, ctx, id).await?;
    Ok(EventDetail {
        steps: steps(store, &event.id).await?,
        attachments: attachments::list_for(store, &event.id).await?,
        event,
    })
}
