//! 报警转隐患: an alarm's handler registers it as a hidden hazard in the closed loop (source
//! 监测预警), carrying the alarm, the sensor and the readings around it as evidence; a district rule
//! proposes it for alarms that last or repeat (yingji_core::monitoring::alarm_hazard).

use crate::kernel::audit::{self, Change};
use crate::monitoring::{Alarm, alarm_event, get_alarm};
use crate::{Actor, Sql, Store, StoreError, StoreResult, Tx};
use sqlx::Row;
use yingji_core::kernel::role::Scope;
use yingji_core::monitoring::alarm::Milli4;
use yingji_core::monitoring::alarm_hazard;

/// The readings kept with the hazard: from 10 minutes before the alarm, at most this many.
const EVIDENCE_READINGS: i64 = 60;

#[derive(Debug, Clone, Default)]
pub struct ToHazardInput {
    /// 隐患描述; defaults to one written from the alarm.
    pub description: Option<String>,
}

async fn district_and_count(store: &Store, a: &Alarm, now_ms: i64) -> StoreResult<(String, i64)> {
    let mut q = Sql::new("SELECT district_code FROM alarms WHERE id = ");
    q.bind(a.id.as_str());
    let district: String = store
        .fetch_optional(q)
        .await?
        .ok_or(StoreError::NotFound)?
        .try_get(0)?;
    let mut n = Sql::new("SELECT COUNT(*) FROM alarms WHERE sensor_id = ");
    n.bind(a.sensor_id.as_str())
        .push_bind(" AND opened_ms >= ", now_ms - 86_400_000);
    Ok((district, store.fetch_i64(n).await?))
}

/// The alarm with the district rule's proposal filled in (none once it is a hazard).
pub async fn with_proposal(store: &Store, mut a: Alarm, now_ms: i64) -> StoreResult<Alarm> {
    if a.hazard_id.is_some() || a.enterprise_id.is_none() {
        return Ok(a);
    }
    let (district, repeats) = district_and_count(store, &a, now_ms).await?;
    let rules = crate::prevention::rules::current(store, &district)
        .await?
        .rules;
    a.hazard_proposal =
        alarm_hazard::proposal(&rules.alarm, a.opened_ms, a.resolved_ms, now_ms, repeats);
    Ok(a)
}

async fn evidence(store: &Store, a: &Alarm, now_ms: i64) -> StoreResult<serde_json::Value> {
    let mut q = Sql::new(
        "SELECT r.at_ms, r.value FROM readings r JOIN sensors s ON s.no = r.sensor_no WHERE s.id = ",
    );
    q.bind(a.sensor_id.as_str())
        .push_bind(" AND r.at_ms >= ", a.opened_ms - 600_000)
        .push_bind(" AND r.at_ms <= ", a.resolved_ms.unwrap_or(now_ms))
        .push_bind(" ORDER BY r.at_ms DESC LIMIT ", EVIDENCE_READINGS);
    let mut readings = Vec::new();
    for r in store.fetch_all(q).await? {
        readings.push(serde_json::json!({
            "at_ms": r.try_get::<i64, _>("at_ms")?,
            "value": Milli4(r.try_get("value")?).to_string(),
        }));
    }
    readings.reverse();
    Ok(serde_json::json!({
        "alarm_id": a.id, "sensor_id": a.sensor_id, "sensor_code": a.sensor_code,
        "sensor_name": a.sensor_name, "unit": a.unit, "level": a.level,
        "opened_ms": a.opened_ms, "resolved_ms": a.resolved_ms,
        "open_value": a.open_value, "peak_value": a.peak_value, "readings": readings,
    }))
}

/// An alarm's conversion, checked and read before the transaction.
pub struct Conversion {
    e: crate::directory::enterprises::Enterprise,
    description: String,
    evidence: serde_json::Value,
}

/// Checks that an alarm the caller sees may become a hazard (the caller's role decided already)
/// and reads its enterprise and evidence.
pub async fn check_convert(
    store: &Store,
    scope: &Scope,
    now_ms: i64,
    alarm_id: &str,
    input: &ToHazardInput,
) -> StoreResult<Conversion> {
    let a = get_alarm(store, scope, alarm_id).await?;
    if a.hazard_id.is_some() {
        return Err(StoreError::conflict("id", "该报警已转为隐患"));
    }
    alarm_hazard::check_conversion(a.enterprise_id.is_some(), input.description.as_deref())?;
    let enterprise_id = a.enterprise_id.clone().unwrap_or_default();
    let e = crate::directory::enterprises::get(store, &Scope::All, &enterprise_id).await?;
    let description = alarm_hazard::description(
        input.description.as_deref(),
        &e.name,
        a.sensor_code.as_deref().unwrap_or(""),
        &a.level_label,
        &a.peak_value,
        a.unit.as_deref().unwrap_or(""),
    );
    let evidence = evidence(store, &a, now_ms).await?;
    Ok(Conversion {
        e,
        description,
        evidence,
    })
}

/// 转为隐患 inside the caller's transaction: the hazard and the alarm's link to it commit
/// together; an alarm becomes at most one.
pub async fn convert_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    alarm_id: &str,
    c: Conversion,
) -> StoreResult<()> {
    let Conversion {
        e,
        description,
        evidence,
    } = c;
    let hazard_id = crate::prevention::hazards::insert_from_monitoring(
        tx,
        now_ms,
        actor,
        &e,
        &description,
        evidence,
    )
    .await?;
    let mut u = Sql::new("UPDATE alarms SET hazard_id = ");
    u.bind(hazard_id.as_str())
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", alarm_id)
        .push(" AND hazard_id IS NULL");
    if u.execute(&mut *tx).await? == 0 {
        return Err(StoreError::conflict(
            "id",
            "该报警刚刚已被他人转为隐患，请刷新",
        ));
    }
    alarm_event(tx, alarm_id, "to_hazard", &actor.name, None, now_ms).await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            action: "alarm.to_hazard",
            entity_type: "alarm",
            entity_id: Some(alarm_id),
            summary: alarm_hazard::converted_summary(&description),
            before: None,
            after: Some(serde_json::json!({"hazard_id": hazard_id})),
        },
    )
    .await?;
    Ok(())
}
