//! Alarms: opened and resolved by evaluation, acknowledged and handled by people, 叫应 stepped through `kernel::escalation`.

use crate::kernel::audit::{self, Change};
use crate::kernel::escalation::{self, Audience, Escalation, Target};
use crate::kernel::timers::{self, AlarmStep, TimerKind};
use crate::prevention::risk_points::push_scope_on;
use crate::{Actor, Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::notify::Message;
use yingji_core::kernel::role::Scope;
use yingji_core::monitoring::alarm::{Incident, Level, Milli4, PolicyStep, Response};
use yingji_core::monitoring::alarm_wording::{
    SYSTEM_ACTOR, TIMER_ACTOR, alarm_act_summary, alarm_action_label, alarm_opened_note,
    check_alarm_note, escalation_body, escalation_title, unknown_alarm_action,
};
use yingji_core::monitoring::reading;

use super::{ReadingIn, SensorDef, parse_levels};

pub(super) fn level_code(l: Level) -> &'static str {
    l.code()
}

pub(super) fn levels_text(levels: &[Level]) -> String {
    levels
        .iter()
        .map(|l| level_code(*l))
        .collect::<Vec<_>>()
        .join(",")
}

/// Opens an incident, or folds the trigger into the open one (then returns None).
pub(super) async fn open_alarm(
    tx: &mut Tx,
    s: &SensorDef,
    level: Level,
    r: &ReadingIn,
    now_ms: i64,
) -> StoreResult<Option<String>> {
    if fold_into_open(tx, &s.id, level, now_ms).await? {
        return Ok(None);
    }
    // The district's chain in force now is snapshotted: later rule edits leave this one alone.
    let rules = crate::prevention::rules::current_tx(tx, &s.region_code)
        .await?
        .rules;
    let policy = rules.alarm.policy_for(level);
    let incident = match Incident::trigger(None, r.at_ms.min(now_ms), policy) {
        yingji_core::monitoring::alarm::TriggerOutcome::Opened(i) => i,
        yingji_core::monitoring::alarm::TriggerOutcome::Deduplicated => return Ok(None),
    };
    let id = new_id();
    let mut q = Sql::new(INSERT_ALARM);
    q.values(alarm_values(&id, s, level, &incident, r.value, now_ms));
    q.execute(tx).await?;
    let note = alarm_opened_note(level, r.value);
    alarm_event(tx, &id, "open", SYSTEM_ACTOR, Some(&note), now_ms).await?;
    // HH inhibits H (LL inhibits L): the milder incident stops escalating.
    if let Some(milder) = level.inhibits() {
        let mut u = Sql::new("UPDATE alarms SET inhibited_by = ");
        u.bind(&id)
            .push_bind(" WHERE sensor_id = ", &s.id)
            .push_bind(" AND level = ", level_code(milder))
            .push(" AND response <> 'closed' AND inhibited_by IS NULL");
        u.execute(tx).await?;
    }
    if let Some(due) = incident.next_due_ms() {
        let first = TimerKind::AlarmEscalate(AlarmStep { step: 0 });
        timers::schedule(tx, now_ms, &first, &id, due.max(now_ms)).await?;
    }
    Ok(Some(id))
}

/// A trigger while the same condition is still open folds into it (alerting.md G7): true when
/// there was one, its trigger count now one more.
async fn fold_into_open(
    tx: &mut Tx,
    sensor_id: &str,
    level: Level,
    now_ms: i64,
) -> StoreResult<bool> {
    let mut open = Sql::new("SELECT id FROM alarms WHERE sensor_id = ");
    open.bind(sensor_id)
        .push_bind(" AND level = ", level_code(level))
        .push(" AND response <> 'closed' AND resolved_ms IS NULL");
    let Some(row) = open.fetch_optional(tx).await? else {
        return Ok(false);
    };
    let id: String = row.try_get(0)?;
    let mut u = Sql::new("UPDATE alarms SET triggers = triggers + 1, updated_ms = ");
    u.bind(now_ms).push_bind(" WHERE id = ", id);
    u.execute(tx).await?;
    Ok(true)
}

/// The INSERT of a new incident, its columns in `alarm_values` order.
const INSERT_ALARM: &str = "INSERT INTO alarms (id, sensor_id, level, enterprise_id, region_code, district_code, street_code, community_code, grid_code, categories, opened_ms, resolved_ms, response, policy, steps_fired, triggers, inhibited_by, open_value, peak_value, acked_ms, acked_by, disposition, note, closed_ms, updated_ms) VALUES ";

/// The row of a new incident of sensor `s`, opened by a reading of `value`.
fn alarm_values(
    id: &str,
    s: &SensorDef,
    level: Level,
    incident: &Incident,
    value: Milli4,
    now_ms: i64,
) -> Vec<crate::db::Val> {
    vec![
        id.into(),
        s.id.clone().into(),
        level_code(level).into(),
        s.enterprise_id.clone().into(),
        s.region_code.clone().into(),
        s.district_code.clone().into(),
        s.street_code.clone().into(),
        s.community_code.clone().into(),
        s.grid_code.clone().into(),
        s.categories.clone().into(),
        incident.opened_ms.into(),
        None::<i64>.into(),
        "unacked".into(),
        serde_json::to_string(&incident.policy)
            .unwrap_or_default()
            .into(),
        0i64.into(),
        1i64.into(),
        None::<String>.into(),
        value.0.into(),
        value.0.into(),
        None::<i64>.into(),
        None::<String>.into(),
        None::<String>.into(),
        None::<String>.into(),
        None::<i64>.into(),
        now_ms.into(),
    ]
}

pub(super) async fn resolve_alarms(
    tx: &mut Tx,
    sensor_id: &str,
    level: Level,
    at_ms: i64,
) -> StoreResult<usize> {
    let mut u = Sql::new("UPDATE alarms SET resolved_ms = ");
    u.bind(at_ms)
        .push_bind(", updated_ms = ", at_ms)
        .push_bind(" WHERE sensor_id = ", sensor_id)
        .push_bind(" AND level = ", level_code(level))
        .push(" AND resolved_ms IS NULL");
    Ok(u.execute(tx).await? as usize)
}

pub(super) async fn bump_peak(
    tx: &mut Tx,
    sensor_id: &str,
    level: Level,
    value: Milli4,
) -> StoreResult<()> {
    // The peak is the highest value of a high alarm and the lowest of a low one.
    let cmp = if matches!(level, Level::H | Level::Hh) {
        ">"
    } else {
        "<"
    };
    let mut u = Sql::new("UPDATE alarms SET peak_value = ");
    u.bind(value.0)
        .push_bind(" WHERE sensor_id = ", sensor_id)
        .push_bind(" AND level = ", level_code(level))
        .push(" AND resolved_ms IS NULL AND ")
        .push_bind("", value.0)
        .push(&format!(" {cmp} peak_value"));
    u.execute(tx).await?;
    Ok(())
}

/// One entry of an incident's history: opened, 叫应 step fired (whom it reached), acknowledged,
/// handled, resolved, closed.
#[derive(Debug, Clone, Serialize)]
pub struct AlarmEvent {
    pub action: String,
    pub action_label: String,
    pub actor_name: String,
    pub note: Option<String>,
    pub at_ms: i64,
}

/// The history of an incident the caller may see, oldest first.
pub async fn alarm_events(store: &Store, scope: &Scope, id: &str) -> StoreResult<Vec<AlarmEvent>> {
    get_alarm(store, scope, id).await?;
    let mut q =
        Sql::new("SELECT action, actor_name, note, at_ms FROM alarm_events WHERE alarm_id = ");
    q.bind(id).push(" ORDER BY at_ms, id");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            let action: String = r.try_get("action")?;
            Ok(AlarmEvent {
                action_label: alarm_action_label(&action).into(),
                action,
                actor_name: r.try_get("actor_name")?,
                note: r.try_get("note")?,
                at_ms: r.try_get("at_ms")?,
            })
        })
        .collect()
}

pub(crate) async fn alarm_event(
    tx: &mut Tx,
    alarm_id: &str,
    action: &str,
    actor_name: &str,
    note: Option<&str>,
    at_ms: i64,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "INSERT INTO alarm_events (id, alarm_id, action, actor_name, note, at_ms) VALUES ",
    );
    q.values(vec![
        new_id().into(),
        alarm_id.into(),
        action.into(),
        actor_name.into(),
        note.into(),
        at_ms.into(),
    ]);
    q.execute(tx).await?;
    Ok(())
}

#[derive(Debug, Clone, Serialize)]
pub struct Alarm {
    pub id: String,
    pub sensor_id: String,
    pub sensor_code: Option<String>,
    pub sensor_name: Option<String>,
    pub object_name: Option<String>,
    pub unit: Option<String>,
    pub enterprise_id: Option<String>,
    pub enterprise_name: Option<String>,
    /// LL / L / H / HH
    pub level: String,
    pub level_label: String,
    pub opened_ms: i64,
    pub resolved_ms: Option<i64>,
    /// unacked / acked / handling / closed
    pub response: String,
    pub response_label: String,
    pub steps_fired: i64,
    pub policy: Vec<PolicyStep>,
    pub triggers: i64,
    pub inhibited: bool,
    pub open_value: String,
    pub peak_value: String,
    /// The values as shown: at the unit's precision, never contradicting a threshold.
    pub open_value_shown: String,
    pub peak_value_shown: String,
    pub acked_ms: Option<i64>,
    pub acked_by: Option<String>,
    pub disposition: Option<String>,
    pub note: Option<String>,
    pub closed_ms: Option<i64>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// The hazard this alarm was turned into (转为隐患).
    pub hazard_id: Option<String>,
    /// Why the district's rule proposes turning it into a hazard (on the single alarm's read).
    pub hazard_proposal: Option<String>,
}

pub(super) const ALARM_SELECT: &str = "SELECT a.*, se.code AS sensor_code, se.name AS sensor_name, se.object_name, se.unit, se.lon, se.lat, se.ll AS se_ll, se.l AS se_l, se.h AS se_h, se.hh AS se_hh, en.name AS enterprise_name FROM alarms a LEFT JOIN sensors se ON se.id = a.sensor_id LEFT JOIN enterprises en ON en.id = a.enterprise_id WHERE 1 = 1";

pub(super) fn response_of(s: &str) -> Response {
    match s {
        "acked" => Response::Acked,
        "handling" => Response::Handling,
        "closed" => Response::Closed,
        _ => Response::Unacked,
    }
}

pub(super) fn response_code(r: Response) -> &'static str {
    match r {
        Response::Unacked => "unacked",
        Response::Acked => "acked",
        Response::Handling => "handling",
        Response::Closed => "closed",
    }
}

pub(super) fn alarm_from_row(r: &AnyRow) -> StoreResult<Alarm> {
    let level: String = r.try_get("level")?;
    let response: String = r.try_get("response")?;
    let policy: String = r.try_get("policy")?;
    let unit: Option<String> = r.try_get("unit")?;
    let open_value = Milli4(r.try_get("open_value")?).to_string();
    let peak_value = Milli4(r.try_get("peak_value")?).to_string();
    let limits: Vec<f64> = ["se_ll", "se_l", "se_h", "se_hh"]
        .iter()
        .filter_map(|c| r.try_get::<Option<i64>, _>(*c).ok().flatten())
        .map(|m| m as f64 / 10_000.0)
        .collect();
    let shown = |v: &str| reading::show(v, unit.as_deref().unwrap_or(""), &limits);
    Ok(Alarm {
        id: r.try_get("id")?,
        sensor_id: r.try_get("sensor_id")?,
        sensor_code: r.try_get("sensor_code")?,
        sensor_name: r.try_get("sensor_name")?,
        object_name: r.try_get("object_name")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        level_label: parse_levels(&level)
            .first()
            .map(|l| l.label())
            .unwrap_or("")
            .into(),
        level,
        opened_ms: r.try_get("opened_ms")?,
        resolved_ms: r.try_get("resolved_ms")?,
        response_label: response_of(&response).label().into(),
        response,
        steps_fired: r.try_get("steps_fired")?,
        policy: serde_json::from_str(&policy).unwrap_or_default(),
        triggers: r.try_get("triggers")?,
        inhibited: r.try_get::<Option<String>, _>("inhibited_by")?.is_some(),
        open_value_shown: shown(&open_value),
        peak_value_shown: shown(&peak_value),
        unit,
        open_value,
        peak_value,
        acked_ms: r.try_get("acked_ms")?,
        acked_by: r.try_get("acked_by")?,
        disposition: r.try_get("disposition")?,
        note: r.try_get("note")?,
        closed_ms: r.try_get("closed_ms")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        hazard_id: r.try_get("hazard_id")?,
        hazard_proposal: None,
    })
}

pub(super) fn incident_of(a: &Alarm) -> Incident {
    Incident {
        opened_ms: a.opened_ms,
        response: response_of(&a.response),
        resolved_ms: a.resolved_ms,
        policy: a.policy.clone(),
        steps_fired: a.steps_fired.max(0) as usize,
        triggers: a.triggers.max(0) as u32,
    }
}

pub async fn get_alarm(store: &Store, scope: &Scope, id: &str) -> StoreResult<Alarm> {
    let mut q = Sql::new(ALARM_SELECT);
    q.push_bind(" AND a.id = ", id);
    push_scope_on(&mut q, "a", scope, None);
    alarm_from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// Open incidents first (newest first), or every incident when `open_only` is false.
pub async fn list_alarms(
    store: &Store,
    scope: &Scope,
    open_only: bool,
    page: Page,
) -> StoreResult<(Vec<Alarm>, i64)> {
    let mut w = Sql::new("");
    push_scope_on(&mut w, "a", scope, None);
    if open_only {
        w.push(" AND a.response <> 'closed'");
    }
    store
        .page_of(
            "SELECT COUNT(*) FROM alarms a WHERE 1 = 1",
            ALARM_SELECT,
            w,
            "a.opened_ms DESC, a.id",
            page,
            alarm_from_row,
        )
        .await
}

/// 确认 (叫应) / 开始处置 / 关闭 with a disposition.
#[derive(Debug, Clone)]
pub struct AlarmAction {
    /// ack / handle / close
    pub action: String,
    pub disposition: Option<String>,
    pub note: Option<String>,
}

/// An alarm action, checked before the transaction: the alarm as read and where it goes.
pub struct CheckedAct {
    a: Alarm,
    to: Response,
}

/// Checks an action on an alarm the caller sees (ack / handle / close).
pub async fn check_act(
    store: &Store,
    scope: &Scope,
    id: &str,
    input: &AlarmAction,
) -> StoreResult<CheckedAct> {
    let a = get_alarm(store, scope, id).await?;
    let mut incident = incident_of(&a);
    let note = act_note(input);
    check_alarm_note(note)?;
    let result = match input.action.as_str() {
        "ack" => incident.ack(),
        "handle" => incident.start_handling(),
        "close" => incident.close(input.disposition.as_deref().unwrap_or("")),
        _ => {
            return Err(unknown_alarm_action().into());
        }
    };
    if let Err(refusal) = result {
        return Err(match refusal {
            yingji_core::monitoring::alarm::Refusal::DispositionRequired => {
                StoreError::invalid("disposition", refusal.message())
            }
            _ => StoreError::conflict("action", refusal.message()),
        });
    }
    Ok(CheckedAct {
        a,
        to: incident.response,
    })
}

fn act_note(input: &AlarmAction) -> Option<&str> {
    input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Applies a checked action inside the caller's transaction.
pub async fn act_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    id: &str,
    input: &AlarmAction,
    c: &CheckedAct,
) -> StoreResult<()> {
    let (a, note) = (&c.a, act_note(input));
    let mut u = Sql::new("UPDATE alarms SET response = ");
    u.bind(response_code(c.to))
        .push_bind(", updated_ms = ", now_ms);
    if input.action == "ack" || a.acked_ms.is_none() {
        u.push_bind(", acked_ms = ", a.acked_ms.unwrap_or(now_ms))
            .push_bind(
                ", acked_by = ",
                a.acked_by.clone().unwrap_or_else(|| actor.name.clone()),
            );
    }
    if input.action == "close" {
        u.push_bind(", closed_ms = ", now_ms)
            .push_bind(", disposition = ", input.disposition.clone())
            .push_bind(", note = ", note.map(str::to_string));
    }
    // Guarded by the state read above: a concurrent change makes this update miss.
    u.push_bind(" WHERE id = ", id)
        .push_bind(" AND response = ", a.response.clone());
    if u.execute(&mut *tx).await? == 0 {
        return Err(StoreError::conflict("action", "该报警已被他人处理，请刷新"));
    }
    alarm_event(tx, id, &input.action, &actor.name, note, now_ms).await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            action: "alarm.act",
            entity_type: "alarm",
            entity_id: Some(id),
            summary: alarm_act_summary(
                a.sensor_code.as_deref().unwrap_or_default(),
                &a.level_label,
                &input.action,
                input.disposition.as_deref(),
            ),
            before: Some(serde_json::json!({"response": a.response})),
            after: Some(serde_json::json!({"response": response_code(c.to), "note": note})),
        },
    )
    .await?;
    Ok(())
}

/// Fires one 叫应 step: notifies its targets, records it, and schedules the next step. A step of
/// an acknowledged, closed or inhibited incident, or one already fired, does nothing.
pub async fn fire_step(
    tx: &mut Tx,
    alarm_id: &str,
    timer: AlarmStep,
    now_ms: i64,
) -> StoreResult<()> {
    let mut q = Sql::new(ALARM_SELECT);
    q.push_bind(" AND a.id = ", alarm_id);
    let Some(row) = q.fetch_optional(tx).await? else {
        return Ok(());
    };
    let a = alarm_from_row(&row)?;
    let inhibited: Option<String> = row.try_get("inhibited_by")?;
    let step = timer.step;
    let mut incident = incident_of(&a);
    if inhibited.is_some() || incident.steps_fired != step {
        return Ok(());
    }
    let fired = incident.fire_due(now_ms);
    // The step after those fired now is scheduled with the last of them.
    let mut next = incident.next_due_ms().map(|due| {
        let kind = TimerKind::AlarmEscalate(AlarmStep {
            step: incident.steps_fired,
        });
        (kind, due)
    });
    for (i, s) in fired.iter().enumerate() {
        let p = &incident.policy[*s];
        let audience = step_audience(tx, &row, p).await?;
        let msg = Message {
            event: "alarm.escalate".into(),
            title: escalation_title(
                &a.level_label,
                a.enterprise_name
                    .as_deref()
                    .or(a.object_name.as_deref())
                    .unwrap_or_default(),
                a.sensor_name.as_deref().unwrap_or_default(),
            ),
            body: escalation_body(
                &a.peak_value,
                a.unit.as_deref().unwrap_or_default(),
                &a.open_value,
                s + 1,
                &p.label,
            ),
            link: format!("/alarms?id={}", a.id),
            subject_id: a.id.clone(),
        };
        let mut step = Escalation::to(msg, &audience);
        if i + 1 == fired.len() {
            step.next = next.take();
        }
        let reached = escalation::step(tx, now_ms, step).await?;
        let note = format!("{}，{}", p.label, reached.tally());
        alarm_event(tx, &a.id, "escalate", TIMER_ACTOR, Some(&note), now_ms).await?;
    }
    let mut u = Sql::new("UPDATE alarms SET steps_fired = ");
    u.bind(incident.steps_fired as i64)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", &a.id);
    u.execute(tx).await?;
    if let Some((kind, due)) = next {
        // Nothing fell due (a timer fired early): the next step stays scheduled.
        timers::schedule(tx, now_ms, &kind, &a.id, due).await?;
    }
    Ok(())
}

/// Resolves a step's targets: the enterprise's users and channels, the street's staff and duty
/// group, the departments supervising the enterprise's categories (or the bureau's commanders
/// when none is on record), the district's commanders and duty officers and its duty group, or
/// single users by id.
pub(super) async fn step_audience(
    tx: &mut Tx,
    alarm: &AnyRow,
    step: &PolicyStep,
) -> StoreResult<Audience> {
    let enterprise: Option<String> = alarm.try_get("enterprise_id")?;
    let street: String = alarm.try_get("street_code")?;
    let district: String = alarm.try_get("district_code")?;
    let mut departments: Vec<String> = Vec::new();
    if step.targets.iter().any(|t| t == "department") {
        let cats: String = alarm.try_get("categories")?;
        let mut d = Sql::new("SELECT d.id FROM departments d WHERE 1 = 0");
        for c in cats.split(',').filter(|c| !c.is_empty()) {
            d.push_bind(" OR d.categories LIKE ", format!("%,{c},%"));
        }
        departments = d
            .fetch_all(tx)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?;
    }
    let mut targets = Vec::new();
    for t in &step.targets {
        targets.push(match t.as_str() {
            "enterprise" => match &enterprise {
                Some(e) => Target::Enterprise(e),
                None => continue,
            },
            "street" => Target::Staff(&street),
            "district" => Target::Command(&district),
            "department" => Target::Departments(&departments),
            user_id => Target::User(user_id),
        });
    }
    escalation::resolve(tx, &targets, true).await
}
