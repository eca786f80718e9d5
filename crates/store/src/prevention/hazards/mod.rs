//! 隐患: reports from five sources, the closed loop (rules in `yingji_core::prevention::hazard`), 挂牌督办 with
//! escalation on durable timers, the public report form with tracking codes, and statistics.

mod create;
pub(crate) use create::insert_from_monitoring;
pub use create::{Tracking, check_public, create_in, create_public_in, track, tracking_code};
/// The report's and the loop's inputs are checked in core; callers keep their store paths.
pub use yingji_core::prevention::hazard::{HazardInput, PublicReportInput, TransitionInput};
mod transition;
use transition::{Graded, apply_grade, facts, load_tx, refusal};
pub use transition::{Step, transition_in};
mod ladder;
pub use ladder::{fire_listing_step, fire_overdue};
use ladder::{responsible_users, users_where};
mod stats;
pub use stats::{
    Dashboard, MonthFigures, PeriodReport, StatRow, YearFigures, dashboard, period_report, stats,
    year_figures,
};

use crate::directory::enterprises::push_region_on;
use crate::kernel::attachments;
use crate::kernel::timers::{self};
use crate::prevention::risk_points::push_scope_on;
use crate::{Actor, Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::directory::enterprise::{join_codes, split_codes};
use yingji_core::kernel::role::Scope;
use yingji_core::prevention::hazard::{
    self as rules, Action, CATEGORIES, HazardLevel, SOURCES, Standing, Status, label_of, wording,
};

use crate::kernel::Ctx;

/// The caller's standing towards a hazard of `enterprise_id` (its own enterprise or not).
fn standing(ctx: &Ctx, enterprise_id: Option<&str>) -> Standing {
    let own = matches!(&ctx.scope, Scope::Enterprise { enterprise_id: e } if Some(e.as_str()) == enterprise_id);
    Standing::of(ctx.role, own)
}

#[derive(Debug, Clone, Serialize)]
pub struct Hazard {
    pub id: String,
    pub code: String,
    pub source: String,
    pub source_label: String,
    pub enterprise_id: Option<String>,
    pub enterprise_name: Option<String>,
    pub risk_point_id: Option<String>,
    pub location: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub region_code: String,
    pub street_name: Option<String>,
    pub department_id: Option<String>,
    pub department_name: Option<String>,
    pub category: String,
    pub category_label: String,
    pub description: String,
    pub level: String,
    pub level_label: String,
    pub status: String,
    pub status_label: String,
    pub criteria: Vec<String>,
    pub deadline: Option<String>,
    pub overdue: bool,
    pub responsible_name: Option<String>,
    pub responsible_phone: Option<String>,
    pub measures: Option<String>,
    pub funds: Option<String>,
    pub plan: Option<serde_json::Value>,
    pub evaluation: Option<serde_json::Value>,
    pub extension: Option<serde_json::Value>,
    pub reporter_name: String,
    pub listed: bool,
    pub reported_ms: i64,
    pub closed_ms: Option<i64>,
    pub updated_ms: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct HazardEvent {
    pub action: String,
    pub label: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor_name: String,
    pub note: Option<String>,
    pub data: Option<serde_json::Value>,
    pub attachments: Vec<String>,
    pub at_ms: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Listing {
    pub id: String,
    pub listing_level: String,
    pub supervising_body: String,
    pub department_id: Option<String>,
    pub deadline: String,
    pub doc_number: String,
    pub listed_by_name: String,
    pub listed_ms: i64,
    pub status: String,
    pub steps_fired: i64,
    pub last_step: Option<String>,
    pub delisted_ms: Option<i64>,
    pub escalations: Vec<Escalation>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Escalation {
    pub step_code: String,
    pub step_label: String,
    pub due_ms: i64,
    pub fired_ms: i64,
    pub notified: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct HazardDetail {
    #[serde(flatten)]
    pub hazard: Hazard,
    pub events: Vec<HazardEvent>,
    pub listings: Vec<Listing>,
    pub attachments: Vec<attachments::Attachment>,
    /// The actions the caller may take now (codes of `Action`).
    pub allowed_actions: Vec<String>,
    /// Escalation steps still to come: (kind, due).
    pub pending_timers: Vec<(String, i64)>,
}

const COLUMNS: &str =
    "h.*, en.name AS enterprise_name, st.name AS street_name, dp.name AS department_name";
const FROM: &str = " FROM hazards h LEFT JOIN enterprises en ON en.id = h.enterprise_id LEFT JOIN regions st ON st.code = h.street_code LEFT JOIN departments dp ON dp.id = h.department_id";

fn json_col(r: &AnyRow, c: &str) -> StoreResult<Option<serde_json::Value>> {
    Ok(r.try_get::<Option<String>, _>(c)?
        .and_then(|s| serde_json::from_str(&s).ok()))
}

fn from_row(r: &AnyRow) -> StoreResult<Hazard> {
    let source: String = r.try_get("source")?;
    let category: String = r.try_get("category")?;
    let level: String = r.try_get("level")?;
    let status: String = r.try_get("status")?;
    Ok(Hazard {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        source_label: label_of(SOURCES, &source).unwrap_or("").into(),
        source,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        risk_point_id: r.try_get("risk_point_id")?,
        location: r.try_get("location")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        region_code: r.try_get("region_code")?,
        street_name: r.try_get("street_name")?,
        department_id: r.try_get("department_id")?,
        department_name: r.try_get("department_name")?,
        category_label: label_of(CATEGORIES, &category).unwrap_or("").into(),
        category,
        description: r.try_get("description")?,
        level_label: HazardLevel::parse(&level)
            .map(|l| l.label())
            .unwrap_or("")
            .into(),
        level,
        status_label: Status::parse(&status)
            .map(|s| s.label())
            .unwrap_or("")
            .into(),
        status,
        criteria: split_codes(&r.try_get::<String, _>("criteria")?),
        deadline: r.try_get("deadline")?,
        overdue: r.try_get::<i64, _>("overdue")? != 0,
        responsible_name: r.try_get("responsible_name")?,
        responsible_phone: crate::kernel::keys::open_opt(r.try_get("responsible_phone")?),
        measures: r.try_get("measures")?,
        funds: r.try_get("funds")?,
        plan: json_col(r, "plan")?,
        evaluation: json_col(r, "evaluation")?,
        extension: json_col(r, "extension")?,
        reporter_name: r.try_get("reporter_name")?,
        listed: r.try_get::<i64, _>("listed")? != 0,
        reported_ms: r.try_get("reported_ms")?,
        closed_ms: r.try_get("closed_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

/// Limits a query on `hazards h` to the caller's scope: region subtree, a department's
/// categories or the hazards turned over to it, or one enterprise.
pub fn push_scope(sql: &mut Sql, scope: &Scope) {
    push_scope_on(sql, "h", scope, Some("department_id"));
}

/// One entry of a hazard's timeline: an action (or 逾期, a ladder step) from one status to
/// another, by whom, with its note, data and photos.
struct Event<'a> {
    hazard_id: &'a str,
    /// The action's code (`report`, `grade`, `overdue`, `escalation` …).
    code: &'a str,
    from: Option<Status>,
    to: Status,
    actor: &'a Actor,
    actor_name: &'a str,
    note: Option<&'a str>,
    data: Option<serde_json::Value>,
    attachments: &'a [String],
    at_ms: i64,
}

async fn event(tx: &mut Tx, e: Event<'_>) -> StoreResult<()> {
    let mut q = Sql::new(
        "INSERT INTO hazard_events (id, hazard_id, action, from_status, to_status, actor_id, actor_name, note, data, attachments, at_ms) VALUES ",
    );
    q.values(vec![
        new_id().into(),
        e.hazard_id.into(),
        e.code.into(),
        e.from.map(|s| s.as_str()).into(),
        e.to.as_str().into(),
        e.actor.user_id.clone().into(),
        e.actor_name.into(),
        e.note.into(),
        e.data.map(|d| d.to_string()).into(),
        join_codes(e.attachments).into(),
        e.at_ms.into(),
    ]);
    q.execute(tx).await?;
    Ok(())
}

pub async fn get(store: &Store, scope: &Scope, id: &str) -> StoreResult<Hazard> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE h.id = "));
    q.bind(id);
    push_scope(&mut q, scope);
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

pub async fn detail(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<HazardDetail> {
    let hazard = get(store, &ctx.scope, id).await?;
    let events = events(store, id).await?;
    let listings = listings(store, id).await?;
    let allowed_actions = allowed_actions(store, ctx, &hazard).await?;
    Ok(HazardDetail {
        attachments: attachments::list_for(store, id).await?,
        pending_timers: timers::pending_for(store, id).await?,
        hazard,
        events,
        listings,
        allowed_actions,
    })
}

/// The hazard's timeline, oldest first.
async fn events(store: &Store, hazard_id: &str) -> StoreResult<Vec<HazardEvent>> {
    let mut ev = Sql::new("SELECT * FROM hazard_events WHERE hazard_id = ");
    ev.bind(hazard_id).push(" ORDER BY at_ms, id");
    store
        .fetch_all(ev)
        .await?
        .iter()
        .map(event_from_row)
        .collect()
}

fn event_from_row(r: &AnyRow) -> StoreResult<HazardEvent> {
    let action: String = r.try_get("action")?;
    Ok(HazardEvent {
        label: wording::event_label(&action).to_string(),
        action,
        from_status: r.try_get("from_status")?,
        to_status: r.try_get("to_status")?,
        actor_name: r.try_get("actor_name")?,
        note: r.try_get("note")?,
        data: json_col(r, "data")?,
        attachments: split_codes(&r.try_get::<String, _>("attachments")?),
        at_ms: r.try_get("at_ms")?,
    })
}

/// The hazard's 挂牌督办 listings, oldest first, each with its escalations.
async fn listings(store: &Store, hazard_id: &str) -> StoreResult<Vec<Listing>> {
    let mut lq = Sql::new("SELECT * FROM hazard_listings WHERE hazard_id = ");
    lq.bind(hazard_id).push(" ORDER BY listed_ms");
    let mut listings = Vec::new();
    for r in store.fetch_all(lq).await? {
        let id: String = r.try_get("id")?;
        let escalations = escalations(store, &id).await?;
        listings.push(Listing {
            id,
            listing_level: r.try_get("listing_level")?,
            supervising_body: r.try_get("supervising_body")?,
            department_id: r.try_get("department_id")?,
            deadline: r.try_get("deadline")?,
            doc_number: r.try_get("doc_number")?,
            listed_by_name: r.try_get("listed_by_name")?,
            listed_ms: r.try_get("listed_ms")?,
            status: r.try_get("status")?,
            steps_fired: r.try_get("steps_fired")?,
            last_step: r.try_get("last_step")?,
            delisted_ms: r.try_get("delisted_ms")?,
            escalations,
        });
    }
    Ok(listings)
}

/// The escalation steps a listing has fired, by due time.
async fn escalations(store: &Store, listing_id: &str) -> StoreResult<Vec<Escalation>> {
    let mut eq = Sql::new(
        "SELECT step_code, step_label, due_ms, fired_ms, notified FROM hazard_escalations WHERE listing_id = ",
    );
    eq.bind(listing_id).push(" ORDER BY due_ms");
    store
        .fetch_all(eq)
        .await?
        .iter()
        .map(|e| {
            Ok(Escalation {
                step_code: e.try_get("step_code")?,
                step_label: e.try_get("step_label")?,
                due_ms: e.try_get("due_ms")?,
                fired_ms: e.try_get("fired_ms")?,
                notified: e.try_get("notified")?,
            })
        })
        .collect()
}

/// The codes of the actions the caller may take on the hazard now, under its region's rules.
async fn allowed_actions(store: &Store, ctx: &Ctx, hazard: &Hazard) -> StoreResult<Vec<String>> {
    let cfg = crate::prevention::rules::current(store, &hazard.region_code)
        .await?
        .rules
        .hazard;
    let mut f = facts(hazard);
    let mut q = Sql::new("SELECT reporter_id, rectifier_id FROM hazards WHERE id = ");
    q.bind(&hazard.id);
    if let Some(r) = store.fetch_optional(q).await? {
        f.reporter_id = r.try_get("reporter_id")?;
        f.rectifier_id = r.try_get("rectifier_id")?;
    }
    let standing = standing(ctx, hazard.enterprise_id.as_deref());
    Ok(Action::ALL
        .into_iter()
        .filter(|a| rules::transition(&f, *a, standing, &ctx.user_id, &cfg).is_ok())
        .map(|a| a.as_str().to_string())
        .collect())
}

#[derive(Debug, Default, Clone)]
pub struct HazardFilter {
    pub q: Option<String>,
    pub status: Option<String>,
    pub level: Option<String>,
    pub source: Option<String>,
    pub region: Option<String>,
    pub enterprise_id: Option<String>,
    pub overdue: Option<bool>,
    pub listed: Option<bool>,
    pub month: Option<String>,
    /// Earliest deadline first (the overdue list) instead of the newest report first.
    pub by_deadline: bool,
}

fn push_filter(w: &mut Sql, f: &HazardFilter) {
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        w.push_bind(" AND h.code = ", q.to_ascii_uppercase());
    }
    if let Some(s) = &f.status {
        if s == "open" {
            w.push(" AND h.status IN ('registered', 'rectifying', 'pending_acceptance')");
        } else {
            w.push_bind(" AND h.status = ", s);
        }
    }
    if let Some(l) = &f.level {
        w.push_bind(" AND h.level = ", l);
    }
    if let Some(s) = &f.source {
        w.push_bind(" AND h.source = ", s);
    }
    if let Some(r) = &f.region {
        push_region_on(w, "h", r);
    }
    if let Some(e) = &f.enterprise_id {
        w.push_bind(" AND h.enterprise_id = ", e);
    }
    if let Some(o) = f.overdue {
        w.push_bind(" AND h.overdue = ", o);
    }
    if let Some(l) = f.listed {
        w.push_bind(" AND h.listed = ", l);
    }
    if let Some(m) = &f.month {
        w.push_bind(" AND h.reported_month = ", m);
    }
}

pub async fn list(
    store: &Store,
    scope: &Scope,
    f: &HazardFilter,
    page: Page,
) -> StoreResult<(Vec<Hazard>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_scope(&mut w, scope);
    push_filter(&mut w, f);
    let total = store
        .fetch_i64(Sql {
            text: format!("SELECT COUNT(*) FROM hazards h{}", w.text),
            args: w.args.clone(),
        })
        .await?;
    // Ids first from the indexes, then the page's rows (as for enterprises, ADR 0004).
    let order = if f.by_deadline {
        "h.deadline, h.id"
    } else {
        "h.reported_ms DESC, h.id DESC"
    };
    let mut ids = Sql {
        text: format!(
            "SELECT h.id, h.reported_ms, h.deadline FROM hazards h{} ORDER BY {order}",
            w.text
        ),
        args: w.args,
    };
    page.push_limit(&mut ids);
    let from = FROM.replacen(" FROM hazards h", "", 1);
    let q = Sql {
        text: format!(
            "SELECT {COLUMNS} FROM ({}) p JOIN hazards h ON h.id = p.id{from} ORDER BY {order}",
            ids.text
        ),
        args: ids.args,
    };
    let items = store
        .fetch_all(q)
        .await?
        .iter()
        .map(from_row)
        .collect::<StoreResult<_>>()?;
    Ok((items, total))
}
