//! Sensors, readings and alarm incidents. Ingest evaluates each sensor's newest readings against
//! its thresholds (yingji-core::alarm), opens or resolves incidents in the same transaction as
//! the readings, and schedules the incident's 叫应 steps on the durable timers.

mod ingest;
use ingest::SensorDef;
pub(crate) use ingest::statement_chunks;
pub use ingest::{
    IngestReport, QUALITY_BAD, ReadingIn, SensorCache, ingest, ingest_parts, quality_code,
    sweep_offline,
};
mod alarms;
pub(crate) use alarms::alarm_event;
pub use alarms::{
    Alarm, AlarmAction, AlarmEvent, CheckedAct, act_in, alarm_events, check_act, fire_step,
    get_alarm, list_alarms,
};
use alarms::{bump_peak, levels_text, open_alarm, resolve_alarms};

use crate::kernel::audit::{self, Change};
use crate::prevention::risk_points::{push_scope_on, region_columns};
use crate::{Actor, Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::kernel::validation::Errors;
use yingji_core::monitoring::alarm::{Level, Milli4};
use yingji_core::monitoring::sensor::{
    CheckedSensor, SENSOR_CODE_FIXED, SENSOR_CODE_TAKEN, SENSOR_MAJOR_HAZARD_MISMATCH,
    SENSOR_WRITE_DENIED, check_sensor, sensor_saved_summary,
};

pub use yingji_core::monitoring::alarm::SENSOR_KINDS;

pub mod alarm_hazards;
pub mod alarm_status;
pub mod channels;
pub mod gateways;
pub mod map_layers;
pub mod partitions;
pub mod trends;
pub mod workbench;

pub use yingji_core::monitoring::sensor::SensorInput;

#[derive(Debug, Clone, Serialize)]
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
    /// `last_value` as shown: at the unit's precision, never contradicting a threshold.
    pub last_value_shown: Option<String>,
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
    let unit: String = r.try_get("unit")?;
    let limits: Vec<f64> = ["ll", "l", "h", "hh"]
        .iter()
        .filter_map(|c| milli(r, c).ok().flatten())
        .map(|m| m.0 as f64 / 10_000.0)
        .collect();
    let last_value = text("last_value")?;
    Ok(Sensor {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        kind_label: yingji_core::kernel::label_of(SENSOR_KINDS, &kind)
            .unwrap_or("")
            .into(),
        kind,
        last_value_shown: last_value
            .as_deref()
            .map(|v| yingji_core::monitoring::reading::show(v, &unit, &limits)),
        unit,
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
        last_value,
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

fn parse_levels(s: &str) -> Vec<Level> {
    s.split(',').filter_map(Level::parse).collect()
}

/// Who may register, edit and deactivate sensors (each inside what they see).
pub(crate) fn forbid_sensor_writes(role: Role) -> StoreResult<()> {
    if yingji_core::monitoring::access::may_write_sensors(role) {
        Ok(())
    } else {
        Err(StoreError::Forbidden(SENSOR_WRITE_DENIED.into()))
    }
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

/// Registers a sensor (`existing` None) or edits one, in the caller's transaction. The fields
/// are checked by `yingji_core::monitoring::sensor::check_sensor`.
pub async fn save_sensor(
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
            return Err(StoreError::invalid("code", SENSOR_CODE_FIXED));
        }
    }
    let (checked, owner) = check_with_owner(store, scope, input).await?;
    // The sensor's number keys its readings (a unique index guards concurrent creations); an
    // edit keeps it.
    let no = match existing {
        None => claim_code(tx, &checked.code).await?,
        Some(_) => 0,
    };
    let id = existing.map_or_else(new_id, str::to_string);
    let target = crate::kernel::rows::Target::of(existing, SENSOR_STATE);
    let values = sensor_values(&id, now_ms, input, &checked, owner, no);
    crate::kernel::rows::write_row(tx, "sensors", SENSOR_COLUMNS, values, target).await?;
    if !target.is_insert() {
        crate::resources::registers::bump_generation(tx, "sensors").await?;
    }
    let CheckedSensor { code, name, .. } = checked;
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            action: if target.is_insert() { "sensor.create" } else { "sensor.update" },
            entity_type: "sensor",
            entity_id: Some(&id),
            summary: sensor_saved_summary(target.is_insert(), &name, &code),
            before: None,
            after: Some(serde_json::json!({"code": code, "kind": input.kind,
                "ll": input.threshold_ll, "l": input.threshold_l, "h": input.threshold_h, "hh": input.threshold_hh})),
        },
    )
    .await?;
    Ok(id)
}

/// A sensor's owner as `gateways::resolve_owner` finds it: the enterprise (if any), the region
/// code and the enterprise's categories.
type Owner = (Option<String>, String, String);

/// Checks a sensor's fields, resolves its owner (an enterprise's grid, or a public object's
/// given region) and its 重大危险源; every problem is reported at once.
async fn check_with_owner(
    store: &Store,
    scope: &Scope,
    input: &SensorInput,
) -> StoreResult<(CheckedSensor, Owner)> {
    let mut errs = Errors::default();
    let checked = check_sensor(&mut errs, input);
    let owner = crate::monitoring::gateways::resolve_owner(
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
        if mh.is_none_or(|mh| Some(&mh.enterprise_id) != owner.0.as_ref()) {
            errs.add("major_hazard_id", SENSOR_MAJOR_HAZARD_MISMATCH);
        }
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid().into());
    }
    Ok((checked, owner))
}

/// Refuses a code already registered and takes the next sensor number, in the transaction, so
/// that two rows of one import cannot both take the code.
async fn claim_code(tx: &mut Tx, code: &str) -> StoreResult<i64> {
    let mut dup = Sql::new("SELECT COUNT(*) FROM sensors WHERE code = ");
    dup.bind(code.to_string());
    if dup.fetch_one(tx).await?.try_get::<i64, _>(0)? > 0 {
        return Err(StoreError::conflict("code", SENSOR_CODE_TAKEN));
    }
    Ok(Sql::new("SELECT COALESCE(MAX(no), 0) + 1 FROM sensors")
        .fetch_one(tx)
        .await?
        .try_get(0)?)
}

/// The row of a checked sensor, in `SENSOR_COLUMNS` order (an edit keeps `SENSOR_STATE`).
fn sensor_values(
    id: &str,
    now_ms: i64,
    input: &SensorInput,
    c: &CheckedSensor,
    (enterprise_id, region_code, categories): Owner,
    no: i64,
) -> Vec<crate::db::Val> {
    let [d, s, cm, g] = region_columns(&region_code);
    let m = |v: Option<Milli4>| v.map(|m| m.0);
    let t = &c.thresholds;
    vec![
        id.into(),
        c.code.clone().into(),
        c.name.clone().into(),
        input.kind.clone().into(),
        c.unit.clone().into(),
        enterprise_id.into(),
        input
            .major_hazard_id
            .clone()
            .filter(|s| !s.is_empty())
            .into(),
        c.object_name.clone().into(),
        region_code.into(),
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
        m(c.rate_limit).into(),
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
    ]
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
