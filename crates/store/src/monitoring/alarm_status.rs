//! The status colour of each monitored object — an enterprise, or a public object (易涝点, 桥梁 …)
//! — from its active alarms, by the district's rule (yingji-core::alarm::AlarmConfig::status).
//! Feeds the 一张图 layer and the 重大危险源 list.

use crate::prevention::risk_points::push_scope_on;
use crate::{Sql, Store, StoreResult, prevention::rules};
use serde::Serialize;
use sqlx::Row;
use std::collections::HashMap;
use yingji_core::kernel::role::Scope;
use yingji_core::monitoring::alarm::{ActiveAlarm, AlarmConfig, Level, StatusColour};

#[derive(Debug, Clone, Serialize)]
pub struct MonitoredObject {
    /// enterprise | public
    pub kind: String,
    /// The enterprise's id, or the first sensor's id of a public object.
    pub id: String,
    pub name: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub colour: StatusColour,
    pub colour_label: String,
    pub sensors: i64,
    pub active_alarms: i64,
    pub unacked: i64,
    /// The most severe active level's label (高高报 …), if any.
    pub worst_label: Option<String>,
    /// Colours of the enterprise's 重大危险源 that have sensors.
    pub major_hazards: Vec<MajorHazardStatus>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MajorHazardStatus {
    pub id: String,
    pub colour: StatusColour,
}

#[derive(Default)]
struct Group {
    kind: &'static str,
    id: String,
    name: String,
    lon: Option<f64>,
    lat: Option<f64>,
    district: String,
    sensors: i64,
    alarms: Vec<ActiveAlarm>,
    by_major_hazard: HashMap<String, Vec<ActiveAlarm>>,
}

/// sensor id → (its group's index, its 重大危险源's id)
type SensorGroups = HashMap<String, (usize, Option<String>)>;

/// Every monitored object the caller may see, with its colour at `now_ms`.
pub async fn board(store: &Store, scope: &Scope, now_ms: i64) -> StoreResult<Vec<MonitoredObject>> {
    let (mut groups, sensor_group) = group_sensors(store, scope).await?;
    add_active_alarms(store, scope, &mut groups, &sensor_group).await?;
    // Major hazards with sensors but no alarm are green.
    for (idx, mh) in sensor_group.values() {
        if let Some(mh) = mh {
            groups[*idx].by_major_hazard.entry(mh.clone()).or_default();
        }
    }
    let mut configs: HashMap<String, AlarmConfig> = HashMap::new();
    let mut out = Vec::with_capacity(groups.len());
    for g in groups {
        if !configs.contains_key(&g.district) {
            let c = rules::current(store, &g.district).await?.rules.alarm;
            configs.insert(g.district.clone(), c);
        }
        let cfg = &configs[&g.district];
        out.push(monitored_object(g, cfg, now_ms));
    }
    // Worst first, then by name: the board's reading order.
    out.sort_by(|a, b| b.colour.cmp(&a.colour).then_with(|| a.name.cmp(&b.name)));
    Ok(out)
}

/// The sensors the caller may see, grouped by monitored object: an enterprise, or a public
/// object (one region and object name).
async fn group_sensors(store: &Store, scope: &Scope) -> StoreResult<(Vec<Group>, SensorGroups)> {
    let mut q = Sql::new(
        "SELECT se.id, se.enterprise_id, se.major_hazard_id, se.object_name, se.region_code, se.district_code, se.lon, se.lat, en.name AS enterprise_name, en.lon AS e_lon, en.lat AS e_lat FROM sensors se LEFT JOIN enterprises en ON en.id = se.enterprise_id WHERE 1 = 1",
    );
    push_scope_on(&mut q, "se", scope, None);
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of_key: HashMap<String, usize> = HashMap::new();
    let mut sensor_group: SensorGroups = HashMap::new();
    for r in store.fetch_all(q).await? {
        let sensor_id: String = r.try_get("id")?;
        let enterprise: Option<String> = r.try_get("enterprise_id")?;
        let object: String = r.try_get("object_name")?;
        let region: String = r.try_get("region_code")?;
        let key = match &enterprise {
            Some(e) => format!("e:{e}"),
            None => format!("p:{region}:{object}"),
        };
        let idx = *group_of_key.entry(key).or_insert_with(|| {
            groups.push(Group::default());
            groups.len() - 1
        });
        let g = &mut groups[idx];
        if g.sensors == 0 {
            g.district = r.try_get("district_code")?;
            match enterprise {
                Some(e) => {
                    g.kind = "enterprise";
                    g.id = e;
                    g.name = r
                        .try_get::<Option<String>, _>("enterprise_name")?
                        .unwrap_or_default();
                    g.lon = r.try_get("e_lon")?;
                    g.lat = r.try_get("e_lat")?;
                }
                None => {
                    g.kind = "public";
                    g.id = sensor_id.clone();
                    g.name = object;
                    g.lon = r.try_get("lon")?;
                    g.lat = r.try_get("lat")?;
                }
            }
        }
        g.sensors += 1;
        sensor_group.insert(sensor_id, (idx, r.try_get("major_hazard_id")?));
    }
    Ok((groups, sensor_group))
}

/// Adds the active alarms the caller may see to their sensors' groups (and 重大危险源).
async fn add_active_alarms(
    store: &Store,
    scope: &Scope,
    groups: &mut [Group],
    sensor_group: &SensorGroups,
) -> StoreResult<()> {
    let mut a = Sql::new(
        "SELECT a.sensor_id, a.level, a.opened_ms, a.response FROM alarms a WHERE a.resolved_ms IS NULL AND a.response <> 'closed'",
    );
    push_scope_on(&mut a, "a", scope, None);
    for r in store.fetch_all(a).await? {
        let sensor: String = r.try_get("sensor_id")?;
        let Some((idx, mh)) = sensor_group.get(&sensor) else {
            continue;
        };
        let Some(level) = Level::parse(&r.try_get::<String, _>("level")?) else {
            continue;
        };
        let alarm = ActiveAlarm {
            level,
            opened_ms: r.try_get("opened_ms")?,
            acked: r.try_get::<String, _>("response")? != "unacked",
        };
        let g = &mut groups[*idx];
        g.alarms.push(alarm);
        if let Some(mh) = mh {
            g.by_major_hazard.entry(mh.clone()).or_default().push(alarm);
        }
    }
    Ok(())
}

/// A group as the board shows it, coloured by its district's rule.
fn monitored_object(g: Group, cfg: &AlarmConfig, now_ms: i64) -> MonitoredObject {
    let colour = cfg.status(&g.alarms, now_ms);
    let worst = g
        .alarms
        .iter()
        .map(|a| a.level)
        .max_by_key(|l| l.severity());
    let mut major_hazards: Vec<MajorHazardStatus> = g
        .by_major_hazard
        .iter()
        .map(|(id, alarms)| MajorHazardStatus {
            id: id.clone(),
            colour: cfg.status(alarms, now_ms),
        })
        .collect();
    major_hazards.sort_by(|a, b| a.id.cmp(&b.id));
    MonitoredObject {
        kind: g.kind.into(),
        id: g.id,
        name: g.name,
        lon: g.lon,
        lat: g.lat,
        colour,
        colour_label: colour.label().into(),
        sensors: g.sensors,
        active_alarms: g.alarms.len() as i64,
        unacked: g.alarms.iter().filter(|a| !a.acked).count() as i64,
        worst_label: worst.map(|l| l.label().to_string()),
        major_hazards,
    }
}

/// The incidents opened in `[from_ms, to_ms)` that the caller may see, for 报警统计分析.
pub async fn records(
    store: &Store,
    scope: &Scope,
    from_ms: i64,
    to_ms: i64,
) -> StoreResult<Vec<yingji_core::monitoring::alarm_stats::AlarmRecord>> {
    let mut q = Sql::new(
        "SELECT a.level, a.opened_ms, a.acked_ms, a.policy, a.triggers, en.name AS enterprise_name, se.object_name, se.code, se.name AS sensor_name FROM alarms a LEFT JOIN enterprises en ON en.id = a.enterprise_id LEFT JOIN sensors se ON se.id = a.sensor_id WHERE a.opened_ms >= ",
    );
    q.bind(from_ms).push_bind(" AND a.opened_ms < ", to_ms);
    push_scope_on(&mut q, "a", scope, None);
    let mut out = Vec::new();
    for r in store.fetch_all(q).await? {
        let Some(level) = Level::parse(&r.try_get::<String, _>("level")?) else {
            continue;
        };
        let enterprise: Option<String> = r.try_get("enterprise_name")?;
        out.push(yingji_core::monitoring::alarm_stats::AlarmRecord {
            level,
            opened_ms: r.try_get("opened_ms")?,
            acked_ms: r.try_get("acked_ms")?,
            policy: serde_json::from_str(&r.try_get::<String, _>("policy")?).unwrap_or_default(),
            triggers: r.try_get("triggers")?,
            enterprise: enterprise.or(r.try_get("object_name")?),
            sensor: format!(
                "{} {}",
                r.try_get::<Option<String>, _>("code")?.unwrap_or_default(),
                r.try_get::<Option<String>, _>("sensor_name")?
                    .unwrap_or_default()
            ),
        });
    }
    Ok(out)
}
