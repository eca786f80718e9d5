//! Sensors, readings and alarm incidents. Ingest evaluates each sensor's newest readings against
//! its thresholds (yingji-core::alarm), opens or resolves incidents in the same transaction as
//! the readings, and schedules the incident's 叫应 steps on the durable timers.

pub mod alarm_hazards;
pub mod alarm_status;
pub mod channels;
pub mod gateways;
pub mod trends;

use crate::kernel::audit::{self, Change};
use crate::kernel::escalation::{self, Audience, Escalation, Target};
use crate::kernel::timers::{self, AlarmStep, TimerKind};
use crate::prevention::risk_points::{push_scope_on, region_columns};
use crate::{Actor, Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::{HashMap, HashSet};
use yingji_core::kernel::notify::Message;
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::kernel::validation::{Errors, required_text};
use yingji_core::monitoring::alarm::{
    DISPOSITIONS, Incident, Level, Milli4, PolicyStep, Response, Thresholds,
};

pub use yingji_core::monitoring::alarm::SENSOR_KINDS;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SensorInput {
    /// 位号 / 传感器编码, unique; gateways send it with each reading.
    pub code: String,
    pub name: String,
    pub kind: String,
    pub unit: String,
    #[serde(default)]
    pub enterprise_id: Option<String>,
    #[serde(default)]
    pub major_hazard_id: Option<String>,
    /// Grid or community of a public monitored object (易涝点, 桥梁 …) without an enterprise.
    #[serde(default)]
    pub region_code: Option<String>,
    pub object_name: String,
    #[serde(default)]
    pub threshold_ll: Option<String>,
    #[serde(default)]
    pub threshold_l: Option<String>,
    #[serde(default)]
    pub threshold_h: Option<String>,
    #[serde(default)]
    pub threshold_hh: Option<String>,
    #[serde(default)]
    pub hysteresis: Option<String>,
    /// Largest change per minute before a 变化速率 alarm (empty: not checked).
    #[serde(default)]
    pub rate_limit: Option<String>,
    /// Seconds without a reading before the sensor counts as offline.
    #[serde(default = "default_offline")]
    pub offline_after_s: i64,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
}

fn default_offline() -> i64 {
    300
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Sensor {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub kind_label: String,
    pub unit: String,
    pub enterprise_id: Option<String>,
    pub major_hazard_id: Option<String>,
    pub object_name: String,
    pub region_code: String,
    pub threshold_ll: Option<String>,
    pub threshold_l: Option<String>,
    pub threshold_h: Option<String>,
    pub threshold_hh: Option<String>,
    pub hysteresis: String,
    pub rate_limit: Option<String>,
    pub offline_after_s: i64,
    pub last_value: Option<String>,
    pub last_ms: Option<i64>,
    /// Threshold levels in alarm now (LL/L/H/HH).
    pub active_levels: Vec<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// False once deactivated (停用): its readings are refused and it is not swept offline.
    pub active: bool,
}

fn milli(r: &AnyRow, col: &str) -> StoreResult<Option<Milli4>> {
    Ok(r.try_get::<Option<i64>, _>(col)?.map(Milli4))
}

fn sensor_from_row(r: &AnyRow) -> StoreResult<Sensor> {
    let kind: String = r.try_get("kind")?;
    let text = |c: &str| milli(r, c).map(|v| v.map(|m| m.to_string()));
    let active: String = r.try_get("active_levels")?;
    Ok(Sensor {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        kind_label: yingji_core::prevention::hazard::label_of(SENSOR_KINDS, &kind)
            .unwrap_or("")
            .into(),
        kind,
        unit: r.try_get("unit")?,
        enterprise_id: r.try_get("enterprise_id")?,
        major_hazard_id: r.try_get("major_hazard_id")?,
        object_name: r.try_get("object_name")?,
        region_code: r.try_get("region_code")?,
        threshold_ll: text("ll")?,
        threshold_l: text("l")?,
        threshold_h: text("h")?,
        threshold_hh: text("hh")?,
        hysteresis: Milli4(r.try_get("hysteresis")?).to_string(),
        rate_limit: text("rate_limit")?,
        offline_after_s: r.try_get("offline_after_s")?,
        last_value: text("last_value")?,
        last_ms: r.try_get("last_ms")?,
        active_levels: active
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        active: r.try_get::<String, _>("status")? == "active",
    })
}

fn thresholds_of(r: &AnyRow) -> StoreResult<Thresholds> {
    Ok(Thresholds {
        ll: milli(r, "ll")?,
        l: milli(r, "l")?,
        h: milli(r, "h")?,
        hh: milli(r, "hh")?,
        hysteresis: Milli4(r.try_get("hysteresis")?),
    })
}

fn level_code(l: Level) -> &'static str {
    l.code()
}

fn parse_levels(s: &str) -> Vec<Level> {
    s.split(',').filter_map(Level::parse).collect()
}

/// Who may register, edit and deactivate sensors (each inside what they see).
pub(crate) fn forbid_sensor_writes(role: Role) -> StoreResult<()> {
    if matches!(
        role,
        Role::Admin
            | Role::Commander
            | Role::DepartmentStaff
            | Role::StreetStaff
            | Role::EnterpriseUser
    ) {
        Ok(())
    } else {
        Err(StoreError::Forbidden("您的角色不能登记或修改监测点".into()))
    }
}

pub async fn create_sensor(
    store: &Store,
    actor: &Actor,
    scope: &Scope,
    role: Role,
    now_ms: i64,
    input: &SensorInput,
) -> StoreResult<Sensor> {
    let mut tx = store.begin().await?;
    let who = Who { actor, scope, role };
    let id = save_sensor(&mut tx, store, who, now_ms, None, input).await?;
    tx.commit().await?;
    get_sensor(store, scope, &id).await
}

/// Edits a sensor's definition. Its code (what gateways send) stays; every node's ingest writer
/// reads the new definition at its next commit.
pub async fn update_sensor(
    store: &Store,
    who: Who<'_>,
    now_ms: i64,
    id: &str,
    input: &SensorInput,
) -> StoreResult<Sensor> {
    let mut tx = store.begin().await?;
    save_sensor(&mut tx, store, who, now_ms, Some(id), input).await?;
    tx.commit().await?;
    get_sensor(store, who.scope, id).await
}

/// The caller, as the sensor functions take it.
#[derive(Clone, Copy)]
pub struct Who<'a> {
    pub actor: &'a Actor,
    pub scope: &'a Scope,
    pub role: Role,
}

const SENSOR_COLUMNS: &[&str] = &[
    "id",
    "code",
    "name",
    "kind",
    "unit",
    "enterprise_id",
    "major_hazard_id",
    "object_name",
    "region_code",
    "district_code",
    "street_code",
    "community_code",
    "grid_code",
    "categories",
    "lon",
    "lat",
    "range_min",
    "range_max",
    "ll",
    "l",
    "h",
    "hh",
    "hysteresis",
    "rate_limit",
    "offline_after_s",
    "last_value",
    "last_ms",
    "active_levels",
    "status",
    "created_ms",
    "updated_ms",
    "rolled_ms",
    "no",
];

/// What an edit leaves as it is: the code and number readings are keyed by, and the state.
const SENSOR_STATE: &[&str] = &[
    "code",
    "range_min",
    "range_max",
    "last_value",
    "last_ms",
    "active_levels",
    "status",
    "rolled_ms",
    "no",
];

/// Registers a sensor (`existing` None) or edits one, in the caller's transaction.
pub(crate) async fn save_sensor(
    tx: &mut Tx,
    store: &Store,
    who: Who<'_>,
    now_ms: i64,
    existing: Option<&str>,
    input: &SensorInput,
) -> StoreResult<String> {
    let Who { actor, scope, role } = who;
    forbid_sensor_writes(role)?;
    if let Some(id) = existing {
        let before = get_sensor(store, scope, id).await?;
        if before.code != input.code.trim() {
            return Err(StoreError::invalid(
                "code",
                "监测点编码不能修改（网关按编码上报读数）；如需更换，请停用后登记新监测点",
            ));
        }
    }
    let mut errs = Errors::default();
    let code = errs.check("code", required_text("监测点编码", &input.code, 64));
    let name = errs.check("name", required_text("监测点名称", &input.name, 100));
    let object = errs.check(
        "object_name",
        required_text("监测对象", &input.object_name, 100),
    );
    let unit = errs.check("unit", required_text("计量单位", &input.unit, 20));
    if yingji_core::prevention::hazard::label_of(SENSOR_KINDS, &input.kind).is_none() {
        errs.add(
            "kind",
            "请选择监测类型（液位、温度、压力、可燃气体、有毒气体、水位、位移、雨量）",
        );
    }
    let mut num = |field: &str, label: &str, v: &Option<String>| -> Option<Milli4> {
        let s = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        let m = Milli4::parse(s);
        if m.is_none() {
            errs.add(field, format!("{label}应为数字"));
        }
        m
    };
    let t = Thresholds {
        ll: num("threshold_ll", "低低报阈值", &input.threshold_ll),
        l: num("threshold_l", "低报阈值", &input.threshold_l),
        h: num("threshold_h", "高报阈值", &input.threshold_h),
        hh: num("threshold_hh", "高高报阈值", &input.threshold_hh),
        hysteresis: num("hysteresis", "回差", &input.hysteresis).unwrap_or_default(),
    };
    let rate_limit = num("rate_limit", "变化速率限值", &input.rate_limit);
    if rate_limit.is_some_and(|r| r.0 <= 0) {
        errs.add("rate_limit", "变化速率限值应大于 0");
    }
    if let Err((field, message)) = t.check() {
        errs.add(field, message);
    }
    if !(10..=86_400).contains(&input.offline_after_s) {
        errs.add("offline_after_s", "离线判定时间应为 10 至 86400 秒");
    }
    // Whose sensor: an enterprise's (its grid) or a public object's (a given region).
    let (enterprise_id, region_code, categories) = crate::monitoring::gateways::resolve_owner(
        store,
        scope,
        input.enterprise_id.as_deref(),
        input.region_code.as_deref(),
        &mut errs,
    )
    .await?;
    if let Some(m) = input.major_hazard_id.as_deref().filter(|s| !s.is_empty()) {
        let mh = crate::prevention::major_hazards::get(store, scope, m)
            .await
            .ok();
        if mh.is_none_or(|mh| Some(&mh.enterprise_id) != enterprise_id.as_ref()) {
            errs.add("major_hazard_id", "重大危险源不存在或不属于该企业");
        }
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid().into());
    }
    let (Some(code), Some(name), Some(object), Some(unit)) = (code, name, object, unit) else {
        return Err(StoreError::invalid("code", "输入不完整"));
    };
    if existing.is_none() {
        // In the transaction, so that two rows of one import cannot both take the code.
        let mut dup = Sql::new("SELECT COUNT(*) FROM sensors WHERE code = ");
        dup.bind(code.clone());
        if dup.fetch_one(tx).await?.try_get::<i64, _>(0)? > 0 {
            return Err(StoreError::conflict("code", "该监测点编码已登记"));
        }
    }
    let id = existing.map_or_else(new_id, str::to_string);
    let [d, s, cm, g] = region_columns(&region_code);
    // The sensor's number keys its readings (a unique index guards concurrent creations); an
    // edit keeps it.
    let no: i64 = if existing.is_none() {
        Sql::new("SELECT COALESCE(MAX(no), 0) + 1 FROM sensors")
            .fetch_one(tx)
            .await?
            .try_get(0)?
    } else {
        0
    };
    let m = |v: Option<Milli4>| v.map(|m| m.0);
    let target = crate::resources::registers::Target::of(existing, SENSOR_STATE);
    let values = vec![
        id.clone().into(),
        code.clone().into(),
        name.clone().into(),
        input.kind.clone().into(),
        unit.into(),
        enterprise_id.clone().into(),
        input
            .major_hazard_id
            .clone()
            .filter(|s| !s.is_empty())
            .into(),
        object.into(),
        region_code.clone().into(),
        d.into(),
        s.into(),
        cm.into(),
        g.into(),
        categories.into(),
        input.lon.into(),
        input.lat.into(),
        None::<i64>.into(),
        None::<i64>.into(),
        m(t.ll).into(),
        m(t.l).into(),
        m(t.h).into(),
        m(t.hh).into(),
        t.hysteresis.0.into(),
        m(rate_limit).into(),
        input.offline_after_s.into(),
        None::<i64>.into(),
        None::<i64>.into(),
        String::new().into(),
        "active".into(),
        now_ms.into(),
        now_ms.into(),
        // Nothing is rolled up yet: the oldest reading ingest accepts is a week old.
        yingji_core::monitoring::trend::minute_of(now_ms - 7 * 86_400_000).into(),
        no.into(),
    ];
    crate::resources::registers::write_row(tx, "sensors", SENSOR_COLUMNS, values, target).await?;
    if !target.is_insert() {
        crate::resources::registers::bump_generation(tx, "sensors").await?;
    }
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            action: if target.is_insert() { "sensor.create" } else { "sensor.update" },
            entity_type: "sensor",
            entity_id: Some(&id),
            summary: format!(
                "{}监测点“{name}”（{code}）",
                if target.is_insert() { "登记" } else { "修改" }
            ),
            before: None,
            after: Some(serde_json::json!({"code": code, "kind": input.kind,
                "ll": input.threshold_ll, "l": input.threshold_l, "h": input.threshold_h, "hh": input.threshold_hh})),
        },
    )
    .await?;
    Ok(id)
}

pub async fn get_sensor(store: &Store, scope: &Scope, id: &str) -> StoreResult<Sensor> {
    let mut q = Sql::new("SELECT * FROM sensors se WHERE se.id = ");
    q.bind(id);
    push_scope_on(&mut q, "se", scope, None);
    sensor_from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

pub async fn list_sensors(
    store: &Store,
    scope: &Scope,
    enterprise_id: Option<&str>,
    page: Page,
) -> StoreResult<(Vec<Sensor>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_scope_on(&mut w, "se", scope, None);
    if let Some(e) = enterprise_id {
        w.push_bind(" AND se.enterprise_id = ", e);
    }
    store
        .page_of(
            "SELECT COUNT(*) FROM sensors se",
            "SELECT * FROM sensors se",
            w,
            "se.code",
            page,
            sensor_from_row,
        )
        .await
}

/// One reading as a gateway sent it, already decoded.
#[derive(Debug, Clone)]
pub struct ReadingIn {
    pub sensor: String,
    pub at_ms: i64,
    pub value: Milli4,
    pub quality: String,
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct IngestReport {
    pub accepted: usize,
    /// Already stored (same sensor and time): idempotent resends.
    pub duplicates: usize,
    /// Unknown codes, or sensors outside the sender's enterprise: refused, never stored.
    pub refused: Vec<String>,
    pub alarms_opened: usize,
    pub alarms_resolved: usize,
    /// The incidents this batch opened (for the live board).
    pub opened_alarm_ids: Vec<String>,
}

/// Stores a batch and evaluates it, in one transaction: a batch is acknowledged only once its
/// readings and the alarms they raise are durable.
pub async fn ingest(
    store: &Store,
    scope: &Scope,
    now_ms: i64,
    batch: &[ReadingIn],
) -> StoreResult<IngestReport> {
    let mut cache = SensorCache::default();
    let mut reports = ingest_parts(store, &mut cache, now_ms, &[(scope, batch)]).await?;
    Ok(reports.pop().unwrap_or_default())
}

/// Several senders' batches in one transaction (the ingest pipeline's group commit), each
/// checked against its own sender's scope; one report per part, in order. Each sensor is read
/// once and evaluated once per call, whichever parts its readings came in.
pub async fn ingest_parts(
    store: &Store,
    cache: &mut SensorCache,
    now_ms: i64,
    parts: &[(&Scope, &[ReadingIn])],
) -> StoreResult<Vec<IngestReport>> {
    // Usually every reading is new: the inserts' count shows it, and nothing more is asked of
    // the database. When some were resends, the transaction is rolled back and done again with
    // RETURNING, which names the rows inserted so that each part learns its own count. (Returned
    // rows cross sqlx's worker channel one by one; a savepoint instead of the rollback would make
    // SQLite journal every page the inserts touch.) When a sensor's state had changed behind the
    // cache's back, it is done again with the states read afresh.
    let mut name_inserted = false;
    for _ in 0..4 {
        match ingest_attempt(store, cache, now_ms, parts, name_inserted).await? {
            Attempt::Done(reports) => return Ok(reports),
            Attempt::Resends => name_inserted = true,
            Attempt::Stale => cache.forget_states(),
        }
    }
    Err(StoreError::conflict(
        "readings",
        "监测点状态被同时修改，请稍后重发",
    ))
}

/// How one try at `ingest_parts` ended.
enum Attempt {
    Done(Vec<IngestReport>),
    /// Some readings were resends (rolled back; try again naming the rows inserted).
    Resends,
    /// A sensor's state was not what the cache held (rolled back; read the states again).
    Stale,
}

/// One try at `ingest_parts`. Without `name_inserted`, gives up (rolled back) as soon as the
/// inserts stored fewer rows than offered.
async fn ingest_attempt(
    store: &Store,
    cache: &mut SensorCache,
    now_ms: i64,
    parts: &[(&Scope, &[ReadingIn])],
    name_inserted: bool,
) -> StoreResult<Attempt> {
    let mut tx = store.begin_writer().await?;
    let mut codes: Vec<&str> = parts
        .iter()
        .flat_map(|(_, b)| b.iter().map(|r| r.sensor.as_str()))
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let mut sensors = cache.read(&mut tx, store.backend, &codes, now_ms).await?;
    // Readings are keyed by the sensor's number.
    let nos: HashMap<&str, i64> = sensors.iter().map(|(c, (d, _))| (*c, d.no)).collect();
    let mut reports = vec![IngestReport::default(); parts.len()];
    // Every reading that may be stored, tagged with its part; sorted so that a repeat (same
    // sensor and time, in any part) follows its first occurrence and is dropped.
    let mut all: Vec<(usize, &ReadingIn)> = Vec::new();
    for (i, (scope, batch)) in parts.iter().enumerate() {
        for r in batch.iter() {
            match sensors.get(r.sensor.as_str()) {
                Some((def, _)) if def.visible_to(scope) => all.push((i, r)),
                _ if reports[i].refused.contains(&r.sensor) => {}
                _ => reports[i].refused.push(r.sensor.clone()),
            }
        }
    }
    let mut offered = vec![0usize; parts.len()];
    for (i, _) in &all {
        offered[*i] += 1;
    }
    all.sort_by(|a, b| (&a.1.sensor, a.1.at_ms, a.0).cmp(&(&b.1.sensor, b.1.at_ms, b.0)));
    all.dedup_by(|a, b| a.1.sensor == b.1.sensor && a.1.at_ms == b.1.at_ms);
    // None: every reading was inserted.
    let mut inserted: Option<HashSet<(i64, i64)>> = None;
    if name_inserted {
        let mut set = HashSet::with_capacity(all.len());
        for chunk in statement_chunks(&all) {
            let mut ins = insert_readings(&nos, chunk, now_ms, store.backend, true);
            for row in ins.fetch_all(&mut tx).await? {
                set.insert((row.try_get(0)?, row.try_get(1)?));
            }
        }
        inserted = Some(set);
    } else {
        let mut stored = 0;
        for chunk in statement_chunks(&all) {
            stored += insert_readings(&nos, chunk, now_ms, store.backend, false)
                .execute(&mut tx)
                .await?;
        }
        if stored as usize != all.len() {
            tx.rollback().await?;
            return Ok(Attempt::Resends);
        }
    }
    let was_inserted = |r: &ReadingIn| {
        inserted
            .as_ref()
            .is_none_or(|set| set.contains(&(nos[r.sensor.as_str()], r.at_ms)))
    };
    // Per sensor: the first part that reported it (it gets the alarm counts) and its readings.
    let mut fresh: HashMap<&str, (usize, Vec<&ReadingIn>)> = HashMap::new();
    for (i, r) in &all {
        if was_inserted(r) {
            reports[*i].accepted += 1;
        }
        fresh
            .entry(r.sensor.as_str())
            .or_insert((*i, Vec::new()))
            .1
            .push(r);
    }
    for (i, report) in reports.iter_mut().enumerate() {
        report.duplicates = offered[i] - report.accepted;
    }
    let mut states = Vec::with_capacity(fresh.len());
    for (code, (part, mut list)) in fresh {
        list.sort_by_key(|r| r.at_ms);
        list.dedup_by_key(|r| r.at_ms);
        let report = &mut reports[part];
        let Some((def, state)) = sensors.remove(code) else {
            continue;
        };
        if let Some(st) = evaluate_sensor(&mut tx, def, state, &list, now_ms, report).await? {
            states.push(st);
        }
    }
    if save_states(&mut tx, store.backend, &states, now_ms).await? != states.len() as u64 {
        tx.rollback().await?;
        return Ok(Attempt::Stale);
    }
    // Readings for minutes the rollup job may already have done send their sensors back.
    let cutoff = yingji_core::monitoring::trend::rollup_cutoff(now_ms);
    let mut late: HashMap<i64, i64> = HashMap::new();
    for (_, r) in all
        .iter()
        .filter(|(_, r)| r.at_ms < cutoff && was_inserted(r))
    {
        let m = yingji_core::monitoring::trend::minute_of(r.at_ms);
        late.entry(nos[r.sensor.as_str()])
            .and_modify(|v| *v = (*v).min(m))
            .or_insert(m);
    }
    let late: Vec<(i64, i64)> = late.into_iter().collect();
    crate::monitoring::trends::reroll_from(&mut tx, store.backend, &late).await?;
    tx.commit().await?;
    cache.remember(&states);
    Ok(Attempt::Done(reports))
}

/// How `readings.quality` stores a reading's quality.
pub fn quality_code(q: &str) -> i64 {
    match q {
        "bad" => QUALITY_BAD,
        "uncertain" => 1,
        _ => 0,
    }
}

pub const QUALITY_BAD: i64 = 2;

/// One multi-row INSERT of readings; resends are skipped (and, with `returning`, the rows
/// actually inserted are named).
fn insert_readings(
    nos: &HashMap<&str, i64>,
    chunk: &[(usize, &ReadingIn)],
    now_ms: i64,
    backend: crate::Backend,
    returning: bool,
) -> Sql {
    // SQLite: OR IGNORE rather than ON CONFLICT DO NOTHING, so that no row can abort the
    // statement and SQLite keeps no statement journal of the pages it touches.
    let mut ins = Sql::new(match backend {
        crate::Backend::Sqlite => {
            "INSERT OR IGNORE INTO readings (sensor_no, at_ms, value, quality, received_ms) VALUES "
        }
        crate::Backend::Postgres => {
            "INSERT INTO readings (sensor_no, at_ms, value, quality, received_ms) VALUES "
        }
    });
    for (k, (_, r)) in chunk.iter().enumerate() {
        if k > 0 {
            ins.push(", ");
        }
        ins.values(vec![
            nos[r.sensor.as_str()].into(),
            r.at_ms.into(),
            r.value.0.into(),
            quality_code(&r.quality).into(),
            now_ms.into(),
        ]);
    }
    if backend == crate::Backend::Postgres {
        ins.push(" ON CONFLICT (sensor_no, at_ms) DO NOTHING");
    }
    if returning {
        ins.push(" RETURNING sensor_no, at_ms");
    }
    if backend == crate::Backend::Sqlite {
        ins.anonymous_placeholders();
    }
    ins
}

/// What ingest needs of a sensor besides its state: identity, place (copied onto its incidents),
/// owner (for the sender's scope) and rules.
struct SensorDef {
    id: String,
    no: i64,
    code: String,
    enterprise_id: Option<String>,
    region_code: String,
    district_code: String,
    street_code: String,
    community_code: String,
    grid_code: String,
    categories: String,
    thresholds: Thresholds,
    rate_limit: Option<Milli4>,
}

/// The sensor columns `SensorDef` is read from.
const DEF_COLUMNS: &str = "se.id, se.no, se.code, se.enterprise_id, se.region_code, se.district_code, se.street_code, se.community_code, se.grid_code, se.categories, se.ll, se.l, se.h, se.hh, se.hysteresis, se.rate_limit";

/// The sensor columns ingest changes: `SensorNow`.
const STATE_COLUMNS: &str = "se.no, se.last_value, se.last_ms, se.active_levels";

impl SensorDef {
    fn from_row(r: &AnyRow) -> StoreResult<Self> {
        Ok(Self {
            id: r.try_get("id")?,
            no: r.try_get("no")?,
            code: r.try_get("code")?,
            enterprise_id: r.try_get("enterprise_id")?,
            region_code: r.try_get("region_code")?,
            district_code: r.try_get("district_code")?,
            street_code: r.try_get("street_code")?,
            community_code: r.try_get("community_code")?,
            grid_code: r.try_get("grid_code")?,
            categories: r.try_get("categories")?,
            thresholds: thresholds_of(r)?,
            rate_limit: milli(r, "rate_limit")?,
        })
    }

    /// Whether a sender with `scope` may report for this sensor: the Rust twin of
    /// `push_scope_on`, since ingest reads sensors for many senders at once.
    fn visible_to(&self, scope: &Scope) -> bool {
        match scope {
            Scope::All => true,
            Scope::Region { prefix, .. } => self.region_code.starts_with(prefix.as_str()),
            Scope::Department {
                prefix, categories, ..
            } => {
                self.region_code.starts_with(prefix.as_str())
                    && categories
                        .iter()
                        .any(|c| self.categories.contains(&format!(",{c},")))
            }
            Scope::Enterprise { enterprise_id } => {
                self.enterprise_id.as_ref() == Some(enterprise_id)
            }
        }
    }
}

/// A sensor's newest value and active levels, as stored.
#[derive(Clone)]
struct SensorNow {
    last_value: Option<i64>,
    last_ms: Option<i64>,
    active_levels: String,
}

impl SensorNow {
    fn from_row(r: &AnyRow) -> StoreResult<Self> {
        Ok(Self {
            last_value: r.try_get("last_value")?,
            last_ms: r.try_get("last_ms")?,
            active_levels: r.try_get("active_levels")?,
        })
    }
}

/// How long the ingest writer trusts a cached sensor definition before reading it again.
const SENSOR_CACHE_MS: i64 = 60_000;

/// The ingest writer's copy of sensors' definitions and states, so that a group commit of
/// readings from hundreds of sensors reads nothing per sensor: reading their rows was the larger
/// part of a commit's time (docs/benchmarks.md, issue 4; ADR 0013).
///
/// A state is the one this writer last committed. Anything else that changes it (the offline
/// sweep, another node's writer) is caught by the state update, which only applies where the row
/// still holds the state the readings were evaluated from; otherwise the commit is done again
/// with the states read afresh. An edit or a deactivation of a sensor adds one to the `sensors`
/// cache generation in its transaction; every writer, on every node, reads the generation at the
/// start of each commit and drops its copies when it has moved, so the next readings are checked
/// against the new definition. Entries are also read again after `SENSOR_CACHE_MS`.
#[derive(Default)]
pub struct SensorCache {
    sensors: HashMap<String, Cached>,
    generation: Option<i64>,
}

struct Cached {
    loaded_ms: i64,
    def: SensorDef,
    state: Option<SensorNow>,
}

impl SensorCache {
    /// The active sensors among `codes` (unknown codes are left out), with their state.
    async fn read<'c>(
        &mut self,
        tx: &mut Tx,
        backend: crate::Backend,
        codes: &[&'c str],
        now_ms: i64,
    ) -> StoreResult<HashMap<&'c str, (&SensorDef, SensorNow)>> {
        let generation = crate::resources::registers::generation(tx, "sensors").await?;
        if self.generation != Some(generation) {
            self.sensors.clear();
            self.generation = Some(generation);
        }
        let mut states: HashMap<&str, SensorNow> = HashMap::with_capacity(codes.len());
        let mut missing = Vec::new();
        let mut stateless = Vec::new();
        for c in codes {
            match self.sensors.get(*c) {
                Some(e) if (0..SENSOR_CACHE_MS).contains(&(now_ms - e.loaded_ms)) => {
                    match &e.state {
                        Some(st) => {
                            states.insert(c, st.clone());
                        }
                        None => stateless.push(*c),
                    }
                }
                _ => missing.push(*c),
            }
        }
        for chunk in statement_chunks(&missing) {
            let mut q = Sql::new(&format!(
                "SELECT {DEF_COLUMNS}, {STATE_COLUMNS} FROM sensors se WHERE se.status = 'active' AND se.code IN "
            ));
            q.bind_list(chunk.iter().map(|c| c.to_string()));
            if backend == crate::Backend::Sqlite {
                q.anonymous_placeholders();
            }
            for r in q.fetch_all(&mut *tx).await? {
                let code: String = r.try_get("code")?;
                let Some(key) = chunk.iter().find(|c| **c == code) else {
                    continue;
                };
                let state = SensorNow::from_row(&r)?;
                states.insert(key, state.clone());
                let def = SensorDef::from_row(&r)?;
                self.sensors.insert(
                    code,
                    Cached {
                        loaded_ms: now_ms,
                        def,
                        state: Some(state),
                    },
                );
            }
        }
        for c in &missing {
            if !states.contains_key(c) {
                self.sensors.remove(*c);
            }
        }
        let by_no: HashMap<i64, &str> = stateless
            .iter()
            .map(|c| (self.sensors[*c].def.no, *c))
            .collect();
        let nos: Vec<i64> = by_no.keys().copied().collect();
        let mut gone: HashSet<&str> = stateless.iter().copied().collect();
        for chunk in statement_chunks(&nos) {
            let mut q = Sql::new(&format!(
                "SELECT {STATE_COLUMNS} FROM sensors se WHERE se.status = 'active' AND se.no IN "
            ));
            q.bind_list(chunk.iter().copied());
            if backend == crate::Backend::Sqlite {
                q.anonymous_placeholders();
            }
            for r in q.fetch_all(&mut *tx).await? {
                let Some(code) = by_no.get(&r.try_get::<i64, _>("no")?) else {
                    continue;
                };
                gone.remove(code);
                states.insert(code, SensorNow::from_row(&r)?);
            }
        }
        for c in gone {
            self.sensors.remove(c);
        }
        let sensors = &self.sensors;
        Ok(states
            .into_iter()
            .map(|(c, st)| (c, (&sensors[c].def, st)))
            .collect())
    }

    /// Takes in the states just committed.
    fn remember(&mut self, states: &[SensorState]) {
        for st in states {
            if let Some(e) = self.sensors.get_mut(&st.code) {
                e.state = Some(SensorNow {
                    last_value: Some(st.last_value),
                    last_ms: Some(st.last_ms),
                    active_levels: st.active_levels.clone(),
                });
            }
        }
    }

    /// Forgets every state (definitions stay), so that the next commit reads them.
    fn forget_states(&mut self) {
        for e in self.sensors.values_mut() {
            e.state = None;
        }
    }
}

/// Rows per multi-row INSERT: 5 parameters each, well inside both backends' limits.
const INSERT_CHUNK: usize = 256;

/// Splits rows into statements of 256 and then powers of two, so that every statement has one
/// of nine shapes and stays in the prepared-statement cache.
pub(crate) fn statement_chunks<T>(rows: &[T]) -> Vec<&[T]> {
    let mut out = Vec::new();
    let mut rest = rows;
    while !rest.is_empty() {
        let n = if rest.len() >= INSERT_CHUNK {
            INSERT_CHUNK
        } else {
            1 << (usize::BITS - 1 - rest.len().leading_zeros())
        };
        let (head, tail) = rest.split_at(n);
        out.push(head);
        rest = tail;
    }
    out
}

/// Runs a sensor's new readings through its thresholds and rate limit, opening and resolving
/// incidents, and records its newest value. Readings older than what the sensor already
/// reported are history only; being newer than the last one, the readings evaluated here cannot
/// be resends, so the multi-row insert's duplicates never reach this point.
async fn evaluate_sensor(
    tx: &mut Tx,
    s: &SensorDef,
    state: SensorNow,
    readings: &[&ReadingIn],
    now_ms: i64,
    report: &mut IngestReport,
) -> StoreResult<Option<SensorState>> {
    let id = s.id.clone();
    let SensorNow {
        last_value,
        last_ms,
        active_levels,
    } = state;
    let (evaluated_ms, evaluated_levels) = (last_ms, active_levels.clone());
    let fresh: Vec<&ReadingIn> = readings
        .iter()
        .copied()
        .filter(|r| last_ms.is_none_or(|l| r.at_ms > l) && r.quality != "bad")
        .collect();
    let Some(newest) = fresh.last() else {
        return Ok(None);
    };
    let t = &s.thresholds;
    let rate_limit = s.rate_limit;
    let before = parse_levels(&active_levels);
    let mut active = before.clone();
    let mut prev = last_ms.zip(last_value.map(Milli4));
    // The most extreme value seen per level that stays active, for the incidents' peaks.
    let mut peaks: Vec<(Level, Milli4)> = Vec::new();
    for r in &fresh {
        let mut now_active = t.evaluate(r.value, &active);
        if let (Some(limit), Some(p)) = (rate_limit, prev)
            && yingji_core::monitoring::alarm::rate_exceeded(p, (r.at_ms, r.value), limit)
        {
            now_active.push(Level::Rate);
        }
        // Offline is not in `now_active`: any evaluated reading ends an offline spell.
        for l in now_active.iter().filter(|l| !active.contains(l)) {
            if let Some(id) = open_alarm(tx, s, *l, r, now_ms).await? {
                report.opened_alarm_ids.push(id);
            }
            report.alarms_opened += 1;
        }
        for l in active.iter().filter(|l| !now_active.contains(l)) {
            report.alarms_resolved += resolve_alarms(tx, &id, *l, r.at_ms).await?;
        }
        for l in now_active.iter().filter(|l| active.contains(l)) {
            let high = matches!(l, Level::H | Level::Hh);
            match peaks.iter_mut().find(|(pl, _)| pl == l) {
                Some((_, v)) if high => *v = (*v).max(r.value),
                Some((_, v)) => *v = (*v).min(r.value),
                None => peaks.push((*l, r.value)),
            }
        }
        active = now_active;
        prev = Some((r.at_ms, r.value));
    }
    for (l, v) in peaks {
        if active.contains(&l) && !matches!(l, Level::Rate | Level::Offline) {
            bump_peak(tx, &id, l, v).await?;
        }
    }
    Ok(Some(SensorState {
        id,
        code: s.code.clone(),
        evaluated_ms,
        evaluated_levels,
        last_value: newest.value.0,
        last_ms: newest.at_ms,
        active_levels: levels_text(&active),
    }))
}

/// A sensor's newest value and active levels after a batch, and the state they came from.
struct SensorState {
    id: String,
    code: String,
    evaluated_ms: Option<i64>,
    evaluated_levels: String,
    last_value: i64,
    last_ms: i64,
    active_levels: String,
}

/// Writes the sensors' new states, many per statement (`UPDATE … FROM (VALUES …)`, which both
/// backends read the same way: the VALUES columns are column1, column2, …), each only where the
/// row still holds the state it was evaluated from. Answers the rows written.
async fn save_states(
    tx: &mut Tx,
    backend: crate::Backend,
    states: &[SensorState],
    now_ms: i64,
) -> StoreResult<u64> {
    let mut written = 0;
    for chunk in statement_chunks(states) {
        let mut u = Sql::new(
            "UPDATE sensors SET last_value = v.column2, last_ms = v.column3, active_levels = v.column4, updated_ms = ",
        );
        u.bind(now_ms).push(" FROM (VALUES ");
        for (k, st) in chunk.iter().enumerate() {
            if k > 0 {
                u.push(", ");
            }
            u.values(vec![
                st.id.clone().into(),
                st.last_value.into(),
                st.last_ms.into(),
                st.active_levels.clone().into(),
                // Readings before 1970 are refused at the boundary, so -1 stands for "none yet".
                st.evaluated_ms.unwrap_or(-1).into(),
                st.evaluated_levels.clone().into(),
            ]);
        }
        u.push(
            ") AS v WHERE sensors.id = v.column1 AND COALESCE(sensors.last_ms, -1) = v.column5 AND sensors.active_levels = v.column6",
        );
        if backend == crate::Backend::Sqlite {
            u.anonymous_placeholders();
        }
        written += u.execute(tx).await?;
    }
    Ok(written)
}

/// Opens a 离线 incident for each sensor that has reported before and has now been silent longer
/// than its timeout, once per silence (OFFLINE stays among the sensor's active levels until a
/// reading arrives). Safe on several nodes: the sensor row is claimed with a conditional update.
/// Returns the incidents opened.
pub async fn sweep_offline(store: &Store, now_ms: i64) -> StoreResult<Vec<String>> {
    let mut q = Sql::new("SELECT * FROM sensors se WHERE se.status = 'active' AND se.last_ms < ");
    q.bind(now_ms - 10_000)
        .push_bind(" AND se.last_ms + se.offline_after_s * 1000 < ", now_ms)
        .push(" AND se.active_levels NOT LIKE '%OFFLINE%' ORDER BY se.last_ms LIMIT 500");
    let mut opened = Vec::new();
    for s in store.fetch_all(q).await? {
        let before: String = s.try_get("active_levels")?;
        let mut active = parse_levels(&before);
        active.push(Level::Offline);
        let mut tx = store.begin().await?;
        let mut claim = Sql::new("UPDATE sensors SET active_levels = ");
        claim
            .bind(levels_text(&active))
            .push_bind(", updated_ms = ", now_ms)
            .push_bind(" WHERE id = ", s.try_get::<String, _>("id")?)
            .push_bind(" AND active_levels = ", before)
            .push_bind(" AND last_ms = ", s.try_get::<i64, _>("last_ms")?);
        if claim.execute(&mut tx).await? == 0 {
            continue;
        }
        let silent_since = ReadingIn {
            sensor: s.try_get("code")?,
            at_ms: now_ms,
            value: Milli4(
                s.try_get::<Option<i64>, _>("last_value")?
                    .unwrap_or_default(),
            ),
            quality: "offline".into(),
        };
        let def = SensorDef::from_row(&s)?;
        if let Some(id) = open_alarm(&mut tx, &def, Level::Offline, &silent_since, now_ms).await? {
            opened.push(id);
        }
        tx.commit().await?;
    }
    Ok(opened)
}

fn levels_text(levels: &[Level]) -> String {
    levels
        .iter()
        .map(|l| level_code(*l))
        .collect::<Vec<_>>()
        .join(",")
}

/// Opens an incident, or folds the trigger into the open one (then returns None).
async fn open_alarm(
    tx: &mut Tx,
    s: &SensorDef,
    level: Level,
    r: &ReadingIn,
    now_ms: i64,
) -> StoreResult<Option<String>> {
    let sensor_id = &s.id;
    // A trigger while the same condition is still open folds into it (alerting.md G7).
    let mut open = Sql::new("SELECT id FROM alarms WHERE sensor_id = ");
    open.bind(sensor_id)
        .push_bind(" AND level = ", level_code(level))
        .push(" AND response <> 'closed' AND resolved_ms IS NULL");
    if let Some(row) = open.fetch_optional(tx).await? {
        let id: String = row.try_get(0)?;
        let mut u = Sql::new("UPDATE alarms SET triggers = triggers + 1, updated_ms = ");
        u.bind(now_ms).push_bind(" WHERE id = ", id);
        u.execute(tx).await?;
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
    let mut q = Sql::new(
        "INSERT INTO alarms (id, sensor_id, level, enterprise_id, region_code, district_code, street_code, community_code, grid_code, categories, opened_ms, resolved_ms, response, policy, steps_fired, triggers, inhibited_by, open_value, peak_value, acked_ms, acked_by, disposition, note, closed_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        sensor_id.clone().into(),
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
        r.value.0.into(),
        r.value.0.into(),
        None::<i64>.into(),
        None::<String>.into(),
        None::<String>.into(),
        None::<String>.into(),
        None::<i64>.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    alarm_event(
        tx,
        &id,
        "open",
        "系统",
        Some(&format!("{} {}", level.label(), r.value)),
        now_ms,
    )
    .await?;
    // HH inhibits H (LL inhibits L): the milder incident stops escalating.
    if let Some(milder) = level.inhibits() {
        let mut u = Sql::new("UPDATE alarms SET inhibited_by = ");
        u.bind(&id)
            .push_bind(" WHERE sensor_id = ", sensor_id)
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

async fn resolve_alarms(
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

async fn bump_peak(tx: &mut Tx, sensor_id: &str, level: Level, value: Milli4) -> StoreResult<()> {
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
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AlarmEvent {
    pub action: String,
    pub action_label: String,
    pub actor_name: String,
    pub note: Option<String>,
    pub at_ms: i64,
}

fn action_label(action: &str) -> &'static str {
    match action {
        "open" => "报警",
        "escalate" => "叫应通知",
        "ack" => "确认",
        "handle" => "处置",
        "resolve" => "恢复正常",
        "close" => "关闭",
        "to_hazard" => "转为隐患",
        _ => "记录",
    }
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
                action_label: action_label(&action).into(),
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

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
    #[schema(value_type = Vec<Object>)]
    pub policy: Vec<PolicyStep>,
    pub triggers: i64,
    pub inhibited: bool,
    pub open_value: String,
    pub peak_value: String,
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

const ALARM_SELECT: &str = "SELECT a.*, se.code AS sensor_code, se.name AS sensor_name, se.object_name, se.unit, se.lon, se.lat, en.name AS enterprise_name FROM alarms a LEFT JOIN sensors se ON se.id = a.sensor_id LEFT JOIN enterprises en ON en.id = a.enterprise_id WHERE 1 = 1";

fn response_of(s: &str) -> Response {
    match s {
        "acked" => Response::Acked,
        "handling" => Response::Handling,
        "closed" => Response::Closed,
        _ => Response::Unacked,
    }
}

fn response_code(r: Response) -> &'static str {
    match r {
        Response::Unacked => "unacked",
        Response::Acked => "acked",
        Response::Handling => "handling",
        Response::Closed => "closed",
    }
}

fn alarm_from_row(r: &AnyRow) -> StoreResult<Alarm> {
    let level: String = r.try_get("level")?;
    let response: String = r.try_get("response")?;
    let policy: String = r.try_get("policy")?;
    Ok(Alarm {
        id: r.try_get("id")?,
        sensor_id: r.try_get("sensor_id")?,
        sensor_code: r.try_get("sensor_code")?,
        sensor_name: r.try_get("sensor_name")?,
        object_name: r.try_get("object_name")?,
        unit: r.try_get("unit")?,
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
        open_value: Milli4(r.try_get("open_value")?).to_string(),
        peak_value: Milli4(r.try_get("peak_value")?).to_string(),
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

fn incident_of(a: &Alarm) -> Incident {
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
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AlarmAction {
    /// ack / handle / close
    pub action: String,
    #[serde(default)]
    pub disposition: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

pub async fn act(
    store: &Store,
    actor: &Actor,
    scope: &Scope,
    now_ms: i64,
    id: &str,
    input: &AlarmAction,
) -> StoreResult<Alarm> {
    let a = get_alarm(store, scope, id).await?;
    let mut incident = incident_of(&a);
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if note.is_some_and(|n| n.chars().count() > 500) {
        return Err(StoreError::invalid("note", "处置说明不能超过 500 字"));
    }
    let result = match input.action.as_str() {
        "ack" => incident.ack(),
        "handle" => incident.start_handling(),
        "close" => incident.close(input.disposition.as_deref().unwrap_or("")),
        _ => {
            return Err(StoreError::invalid(
                "action",
                "操作应为 ack（确认）、handle（处置）或 close（关闭）",
            ));
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
    let mut tx = store.begin().await?;
    let mut u = Sql::new("UPDATE alarms SET response = ");
    u.bind(response_code(incident.response))
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
    if u.execute(&mut tx).await? == 0 {
        return Err(StoreError::conflict("action", "该报警已被他人处理，请刷新"));
    }
    let label = match input.action.as_str() {
        "ack" => "确认（叫应）".to_string(),
        "handle" => "开始处置".to_string(),
        _ => format!(
            "关闭：{}",
            DISPOSITIONS
                .iter()
                .find(|(c, _)| Some(*c) == input.disposition.as_deref())
                .map(|(_, l)| *l)
                .unwrap_or("")
        ),
    };
    alarm_event(&mut tx, id, &input.action, &actor.name, note, now_ms).await?;
    audit::append(
        &mut tx,
        now_ms,
        actor,
        Change {
            action: "alarm.act",
            entity_type: "alarm",
            entity_id: Some(id),
            summary: format!(
                "报警 {} {}：{label}",
                a.sensor_code.clone().unwrap_or_default(),
                a.level_label
            ),
            before: Some(serde_json::json!({"response": a.response})),
            after: Some(
                serde_json::json!({"response": response_code(incident.response), "note": note}),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    get_alarm(store, scope, id).await
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
            title: format!(
                "【{}】{} {}",
                a.level_label,
                a.enterprise_name
                    .clone()
                    .or(a.object_name.clone())
                    .unwrap_or_default(),
                a.sensor_name.clone().unwrap_or_default()
            ),
            body: format!(
                "监测值 {}{}（报警值 {}），请立即确认并处置。叫应第 {} 步：{}",
                a.peak_value,
                a.unit.clone().unwrap_or_default(),
                a.open_value,
                s + 1,
                p.label
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
        alarm_event(tx, &a.id, "escalate", "叫应定时器", Some(&note), now_ms).await?;
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
async fn step_audience(tx: &mut Tx, alarm: &AnyRow, step: &PolicyStep) -> StoreResult<Audience> {
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
