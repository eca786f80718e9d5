//! 会商研判: rows of meetings, their departments and actions; the scope predicate (the bureau
//! its district's meetings, a department those it attended or owns an action of, anyone those
//! where they own an action); the writes in the caller's transaction with the actions' deadline
//! timers (ADR 0018: `TimerKind::ConsultationActionDue`).

use crate::kernel::Ctx;
use crate::kernel::attachments::{self, Attachment};
use crate::kernel::audit::{self, Change};
use crate::kernel::timers::{self, ConsultationActionDue, Family, TimerKind};
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::disasters::consultations::{
    CheckedMeeting, NOT_A_READER, OPEN, Reach, kind_label, reach, state_label,
};
use yingji_core::kernel::role::Scope;

/// The attachments' owner type of a meeting's material.
pub const OWNER_TYPE: &str = "disaster_consultation";

#[derive(Debug, Clone, serde::Serialize)]
pub struct Action {
    pub id: String,
    pub consultation_id: String,
    pub position: i64,
    pub text: String,
    pub owner_department_id: Option<String>,
    pub owner_user_id: Option<String>,
    pub owner_name: String,
    pub due_ms: i64,
    pub state: String,
    pub state_label: String,
    /// The deadline passed while open (escalated).
    pub overdue: bool,
    pub done_ms: Option<i64>,
    pub done_note: Option<String>,
    pub done_by_name: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Consultation {
    pub id: String,
    pub district_code: String,
    pub kind: String,
    pub kind_label: String,
    pub topic: String,
    pub held_ms: i64,
    pub place: Option<String>,
    pub video: bool,
    pub host_user_id: String,
    pub host_name: String,
    pub participants: Option<String>,
    pub link_kind: String,
    pub link_id: String,
    pub link_label: String,
    pub conclusions: Option<String>,
    pub created_by_name: String,
    pub created_ms: i64,
    /// (id, name) of the departments present.
    pub departments: Vec<(String, String)>,
    pub actions: Vec<Action>,
    pub attachments: Vec<Attachment>,
}

fn from_row(r: &AnyRow) -> StoreResult<Consultation> {
    let kind: String = r.try_get("kind")?;
    Ok(Consultation {
        id: r.try_get("id")?,
        district_code: r.try_get("district_code")?,
        kind_label: kind_label(&kind).into(),
        kind,
        topic: r.try_get("topic")?,
        held_ms: r.try_get("held_ms")?,
        place: r.try_get("place")?,
        video: r.try_get::<i64, _>("video")? != 0,
        host_user_id: r.try_get("host_user_id")?,
        host_name: r.try_get("host_name")?,
        participants: r.try_get("participants")?,
        link_kind: r.try_get("link_kind")?,
        link_id: r.try_get("link_id")?,
        link_label: r.try_get("link_label")?,
        conclusions: r.try_get("conclusions")?,
        created_by_name: r.try_get("created_by_name")?,
        created_ms: r.try_get("created_ms")?,
        departments: vec![],
        actions: vec![],
        attachments: vec![],
    })
}

fn action_from_row(r: &AnyRow) -> StoreResult<Action> {
    let state: String = r.try_get("state")?;
    Ok(Action {
        id: r.try_get("id")?,
        consultation_id: r.try_get("consultation_id")?,
        position: r.try_get("position")?,
        text: r.try_get("text")?,
        owner_department_id: r.try_get("owner_department_id")?,
        owner_user_id: r.try_get("owner_user_id")?,
        owner_name: r.try_get("owner_name")?,
        due_ms: r.try_get("due_ms")?,
        state_label: state_label(&state).into(),
        state,
        overdue: r.try_get::<i64, _>("overdue")? != 0,
        done_ms: r.try_get("done_ms")?,
        done_note: r.try_get("done_note")?,
        done_by_name: r.try_get("done_by_name")?,
    })
}

/// Limits a query on `disaster_consultations c` to what the caller may read.
pub fn push_visible(q: &mut Sql, ctx: &Ctx) -> StoreResult<()> {
    let Some(r) = reach(ctx.role) else {
        return Err(StoreError::Forbidden(NOT_A_READER.into()));
    };
    match (r, &ctx.scope) {
        (_, Scope::Enterprise { .. } | Scope::Insurer { .. }) => {
            q.push(" AND 1 = 0");
        }
        (Reach::District, Scope::All) => {}
        (Reach::District, Scope::Region { prefix, .. } | Scope::Department { prefix, .. }) => {
            q.push_bind(" AND (c.district_code LIKE ", format!("{prefix}%"))
                .push_bind(" OR ", prefix.as_str())
                .push(" LIKE c.district_code || '%')");
        }
        (Reach::Involved, scope) => {
            q.push_bind(" AND (EXISTS (SELECT 1 FROM disaster_consultation_actions a WHERE a.consultation_id = c.id AND a.owner_user_id = ", ctx.user_id.as_str())
                .push(")");
            if let Scope::Department { department_id, .. } = scope {
                q.push_bind(" OR EXISTS (SELECT 1 FROM disaster_consultation_departments d WHERE d.consultation_id = c.id AND d.department_id = ", department_id.as_str())
                    .push_bind(") OR EXISTS (SELECT 1 FROM disaster_consultation_actions a WHERE a.consultation_id = c.id AND a.owner_department_id = ", department_id.as_str())
                    .push(")");
            }
            q.push(")");
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// process / warning / incident, with its id.
    pub link: Option<(String, String)>,
    /// Held in [from, to) (ms).
    pub span: Option<(i64, i64)>,
}

async fn departments_of(store: &Store, id: &str) -> StoreResult<Vec<(String, String)>> {
    let mut q = Sql::new(
        "SELECT department_id, department_name FROM disaster_consultation_departments WHERE consultation_id = ",
    );
    q.bind(id).push(" ORDER BY position");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

async fn actions_of(store: &Store, id: &str) -> StoreResult<Vec<Action>> {
    let mut q = Sql::new("SELECT * FROM disaster_consultation_actions WHERE consultation_id = ");
    q.bind(id).push(" ORDER BY position");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(action_from_row)
        .collect()
}

async fn fill(store: &Store, mut c: Consultation) -> StoreResult<Consultation> {
    c.departments = departments_of(store, &c.id).await?;
    c.actions = actions_of(store, &c.id).await?;
    c.attachments = attachments::list_for(store, &c.id).await?;
    Ok(c)
}

/// The meetings the caller may read, the latest first.
pub async fn list(
    store: &Store,
    ctx: &Ctx,
    f: &Filter,
    page: Page,
) -> StoreResult<(Vec<Consultation>, i64)> {
    let mut w = Sql::new("");
    push_visible(&mut w, ctx)?;
    if let Some((kind, id)) = &f.link {
        w.push_bind(" AND c.link_kind = ", kind.as_str())
            .push_bind(" AND c.link_id = ", id.as_str());
    }
    if let Some((from, to)) = f.span {
        w.push_bind(" AND c.held_ms >= ", from)
            .push_bind(" AND c.held_ms < ", to);
    }
    let (rows, total) = store
        .page_of(
            "SELECT COUNT(*) FROM disaster_consultations c WHERE 1 = 1",
            "SELECT c.* FROM disaster_consultations c WHERE 1 = 1",
            w,
            "c.held_ms DESC, c.id DESC",
            page,
            from_row,
        )
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for c in rows {
        out.push(fill(store, c).await?);
    }
    Ok((out, total))
}

/// One meeting the caller may read, with its departments, actions and material.
pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Consultation> {
    let mut q = Sql::new("SELECT c.* FROM disaster_consultations c WHERE c.id = ");
    q.bind(id);
    push_visible(&mut q, ctx)?;
    let row = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    fill(store, from_row(&row)?).await
}

/// Whether the caller sees the meeting (the material's download).
pub async fn visible(store: &Store, ctx: &Ctx, id: &str) -> bool {
    get(store, ctx, id).await.is_ok()
}

/// One action of a meeting (the caller checks the meeting is visible).
pub async fn action(store: &Store, meeting: &str, id: &str) -> StoreResult<Action> {
    let mut q = Sql::new("SELECT * FROM disaster_consultation_actions WHERE id = ");
    q.bind(id).push_bind(" AND consultation_id = ", meeting);
    action_from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// Active users the caller's district knows: (id, display name) for the ids asked.
pub async fn users_named(store: &Store, ids: &[String]) -> StoreResult<Vec<(String, String)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut q = Sql::new("SELECT id, display_name FROM users WHERE active = 1 AND id IN ");
    q.bind_list(ids.iter().map(String::as_str).collect::<Vec<_>>());
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect()
}

/// What [`create_in`] records besides the checked meeting.
pub struct NewMeeting<'a> {
    pub district: &'a str,
    pub checked: &'a CheckedMeeting,
    /// The linked record's name (process, warning headline, incident title).
    pub link_label: &'a str,
    /// Uploaded material (attachment ids).
    pub material: &'a [String],
    pub summary: String,
}

/// Records a checked meeting with its departments, actions (each with its deadline timer) and
/// material, and the audit record.
// Long because: three tables and the timers in one place, in the order they refer to each other.
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    n: NewMeeting<'_>,
) -> StoreResult<String> {
    let (district, c, link_label, material) = (n.district, n.checked, n.link_label, n.material);
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO disaster_consultations (id, district_code, kind, topic, held_ms, place, video, host_user_id, host_name, participants, link_kind, link_id, link_label, conclusions, created_by, created_by_name, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        district.into(),
        c.kind.clone().into(),
        c.topic.clone().into(),
        c.held_ms.into(),
        c.place.clone().into(),
        i64::from(c.video).into(),
        c.host_user_id.clone().into(),
        c.host_name.clone().into(),
        c.participants.clone().into(),
        c.link.0.as_str().into(),
        c.link.1.clone().into(),
        link_label.into(),
        c.conclusions.clone().into(),
        ctx.user_id.clone().into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    for (i, (dept, name)) in c.departments.iter().enumerate() {
        let mut d = Sql::new(
            "INSERT INTO disaster_consultation_departments (consultation_id, department_id, department_name, position) VALUES ",
        );
        d.values(vec![
            id.clone().into(),
            dept.clone().into(),
            name.clone().into(),
            (i as i64).into(),
        ]);
        d.execute(tx).await?;
    }
    for (i, a) in c.actions.iter().enumerate() {
        let action_id = new_id();
        let mut q = Sql::new(
            "INSERT INTO disaster_consultation_actions (id, consultation_id, position, text, owner_department_id, owner_user_id, owner_name, due_ms, state, overdue, done_ms, done_note, done_by_name) VALUES ",
        );
        q.values(vec![
            action_id.clone().into(),
            id.clone().into(),
            (i as i64).into(),
            a.text.clone().into(),
            a.owner_department_id.clone().into(),
            a.owner_user_id.clone().into(),
            a.owner_name.clone().into(),
            a.due_ms.into(),
            OPEN.into(),
            0i64.into(),
            None::<i64>.into(),
            None::<String>.into(),
            None::<String>.into(),
        ]);
        q.execute(tx).await?;
        let kind = TimerKind::ConsultationActionDue(ConsultationActionDue { due_ms: a.due_ms });
        timers::schedule(tx, now_ms, &kind, &action_id, a.due_ms).await?;
    }
    attachments::link(
        tx,
        material,
        OWNER_TYPE,
        &id,
        Some(&ctx.user_id),
        "attachments",
    )
    .await?;
    let change = Change {
        after: Some(serde_json::json!({
            "kind": c.kind, "held_ms": c.held_ms, "link_kind": c.link.0.as_str(), "link_id": c.link.1,
            "departments": c.departments.iter().map(|d| &d.0).collect::<Vec<_>>(),
            "actions": c.actions.len(),
        })),
        ..Change::of(
            "disaster.consultation_create",
            "disaster_consultation",
            &id,
            n.summary,
        )
    };
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(id)
}

/// Completes an open action: its state, note and who; its deadline timer is cancelled.
pub async fn complete_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    a: &Action,
    note: Option<String>,
    summary: String,
) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE disaster_consultation_actions SET state = ");
    u.bind(yingji_core::disasters::consultations::DONE)
        .push_bind(", done_ms = ", now_ms)
        .push_bind(", done_note = ", note)
        .push_bind(", done_by_name = ", ctx.display_name.as_str())
        .push_bind(" WHERE id = ", a.id.as_str())
        .push_bind(" AND state = ", OPEN);
    if u.execute(tx).await? == 0 {
        return Err(StoreError::conflict("state", "该任务已完成，请刷新后查看"));
    }
    let mut m = Sql::new("UPDATE disaster_consultations SET updated_ms = ");
    m.bind(now_ms)
        .push_bind(" WHERE id = ", a.consultation_id.as_str());
    m.execute(tx).await?;
    timers::cancel(tx, &a.id, Family::Consultation).await?;
    let change = Change::of(
        "disaster.consultation_action_done",
        "disaster_consultation_action",
        &a.id,
        summary,
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}

/// 会商任务待完成: the open actions the caller or the caller's department owns, the earliest
/// deadline (the overdue ones) first.
pub async fn todo(
    store: &Store,
    ctx: &Ctx,
    limit: i64,
    now_ms: i64,
) -> StoreResult<crate::kernel::todo::TodoList> {
    let mut w = Sql::new(" AND a.state = ");
    w.bind(OPEN)
        .push_bind(" AND (a.owner_user_id = ", ctx.user_id.as_str());
    if let Scope::Department { department_id, .. } = &ctx.scope {
        w.push_bind(" OR a.owner_department_id = ", department_id.as_str());
    }
    w.push(")");
    let from = "FROM disaster_consultation_actions a JOIN disaster_consultations c ON c.id = a.consultation_id WHERE 1 = 1";
    let total = store
        .fetch_i64(Sql {
            text: format!("SELECT COUNT(*) {from}{}", w.text),
            args: w.args.clone(),
        })
        .await?;
    let mut q = Sql {
        text: format!(
            "SELECT a.id, a.consultation_id, a.text, a.due_ms, c.topic, c.held_ms {from}{}",
            w.text
        ),
        args: w.args,
    };
    q.push(" ORDER BY a.due_ms, a.id")
        .push_bind(" LIMIT ", limit);
    let mut items = Vec::new();
    for r in store.fetch_all(q).await? {
        let due: i64 = r.try_get("due_ms")?;
        let meeting: String = r.try_get("consultation_id")?;
        items.push(crate::kernel::todo::TodoItem {
            id: r.try_get("id")?,
            code: None,
            title: r.try_get("text")?,
            place: Some(r.try_get("topic")?),
            status_label: if due <= now_ms { "已逾期" } else { "待办" }.into(),
            at_ms: Some(r.try_get("held_ms")?),
            due_ms: Some(due),
            due_date: None,
            overdue: due <= now_ms,
            link: format!("/disasters/consultations/{meeting}"),
        });
    }
    Ok(crate::kernel::todo::TodoList { items, total })
}
