//! 一企一档: one loader per section of an enterprise's dossier, each a plain read by the
//! enterprise's id (the use case has checked the caller may see the enterprise) and bounded, so
//! the use case runs them side by side. Licences, 标准化 and key people are read by their own
//! modules.

use crate::{Sql, Store, StoreResult};
use serde::Serialize;
use sqlx::Row;
use yingji_core::credit::dossier::SECTION_LIMIT;
use yingji_core::kernel::role::Scope;

#[derive(Debug, Clone, Serialize)]
pub struct RiskPoint {
    pub id: String,
    pub name: String,
    pub location: String,
    /// major / large / general / low
    pub level: String,
    pub review_date: Option<String>,
}

/// The active risk points (重大 first) and the count of each level.
#[derive(Debug, Clone, Serialize)]
pub struct RiskPoints {
    pub counts: Vec<(String, i64)>,
    pub items: Vec<RiskPoint>,
}

pub async fn risk_points(store: &Store, enterprise_id: &str) -> StoreResult<RiskPoints> {
    let mut c = Sql::new("SELECT level, COUNT(*) AS n FROM risk_points WHERE enterprise_id = ");
    c.bind(enterprise_id)
        .push(" AND status = 'active' GROUP BY level");
    let counts = store
        .fetch_all(c)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("level")?, r.try_get("n")?)))
        .collect::<StoreResult<_>>()?;
    let mut q = Sql::new(
        "SELECT id, name, location, level, review_date FROM risk_points WHERE enterprise_id = ",
    );
    q.bind(enterprise_id)
        .push(" AND status = 'active' ORDER BY level_rank DESC, name, id")
        .push_bind(" LIMIT ", SECTION_LIMIT);
    let items = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(RiskPoint {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                location: r.try_get("location")?,
                level: r.try_get("level")?,
                review_date: r.try_get("review_date")?,
            })
        })
        .collect::<StoreResult<_>>()?;
    Ok(RiskPoints { counts, items })
}

#[derive(Debug, Clone, Serialize)]
pub struct Hazard {
    pub id: String,
    pub code: String,
    /// general / major
    pub level: String,
    pub status: String,
    pub description: String,
    pub deadline: Option<String>,
    pub overdue: bool,
    pub reported_ms: i64,
    pub closed_ms: Option<i64>,
}

/// Counts of the open, overdue and open 重大 hazards, and the latest hazards.
#[derive(Debug, Clone, Serialize)]
pub struct Hazards {
    pub open: i64,
    pub overdue: i64,
    pub major_open: i64,
    pub total: i64,
    pub items: Vec<Hazard>,
}

const OPEN: &str = "('registered', 'rectifying', 'pending_acceptance')";

pub async fn hazards(store: &Store, enterprise_id: &str) -> StoreResult<Hazards> {
    let mut c = Sql::new(&format!(
        "SELECT COUNT(*) AS total, \
         COALESCE(SUM(CASE WHEN status IN {OPEN} THEN 1 ELSE 0 END), 0) AS open_n, \
         COALESCE(SUM(CASE WHEN status IN {OPEN} AND overdue = 1 THEN 1 ELSE 0 END), 0) AS overdue_n, \
         COALESCE(SUM(CASE WHEN status IN {OPEN} AND level = 'major' THEN 1 ELSE 0 END), 0) AS major_n \
         FROM hazards WHERE enterprise_id = "
    ));
    c.bind(enterprise_id);
    let r = store.fetch_optional(c).await?;
    let n = |col: &str| -> StoreResult<i64> {
        Ok(match &r {
            Some(r) => r.try_get::<i64, _>(col)?,
            None => 0,
        })
    };
    let (total, open, overdue, major_open) =
        (n("total")?, n("open_n")?, n("overdue_n")?, n("major_n")?);
    let mut q = Sql::new(
        "SELECT id, code, level, status, description, deadline, overdue, reported_ms, closed_ms FROM hazards WHERE enterprise_id = ",
    );
    q.bind(enterprise_id)
        .push(" ORDER BY reported_ms DESC, id")
        .push_bind(" LIMIT ", SECTION_LIMIT);
    let items = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Hazard {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                level: r.try_get("level")?,
                status: r.try_get("status")?,
                description: r.try_get("description")?,
                deadline: r.try_get("deadline")?,
                overdue: r.try_get::<i64, _>("overdue")? != 0,
                reported_ms: r.try_get("reported_ms")?,
                closed_ms: r.try_get("closed_ms")?,
            })
        })
        .collect::<StoreResult<_>>()?;
    Ok(Hazards {
        open,
        overdue,
        major_open,
        total,
        items,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Sensor {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub unit: String,
    /// The sensor's live status (normal, alarm levels, offline …).
    pub status: String,
    pub last_value: Option<i64>,
    pub last_ms: Option<i64>,
    pub major_hazard_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MajorHazard {
    pub id: String,
    pub code: String,
    pub name: String,
    /// 1–4 (一级 … 四级).
    pub level: i64,
    pub status: String,
    pub sensors: Vec<Sensor>,
}

/// The 重大危险源 of the enterprise with the live status of their sensors, and the sensors
/// on no installation.
#[derive(Debug, Clone, Serialize)]
pub struct Installations {
    pub major_hazards: Vec<MajorHazard>,
    pub other_sensors: Vec<Sensor>,
}

pub async fn installations(store: &Store, enterprise_id: &str) -> StoreResult<Installations> {
    let mut q =
        Sql::new("SELECT id, code, name, level, status FROM major_hazards WHERE enterprise_id = ");
    q.bind(enterprise_id)
        .push(" ORDER BY level, code")
        .push_bind(" LIMIT ", SECTION_LIMIT);
    let mut major_hazards: Vec<MajorHazard> = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(MajorHazard {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                level: r.try_get("level")?,
                status: r.try_get("status")?,
                sensors: vec![],
            })
        })
        .collect::<StoreResult<_>>()?;
    let mut s = Sql::new(
        "SELECT id, code, name, kind, unit, status, last_value, last_ms, major_hazard_id FROM sensors WHERE enterprise_id = ",
    );
    s.bind(enterprise_id)
        .push(" ORDER BY code")
        .push_bind(" LIMIT ", 4 * SECTION_LIMIT);
    let mut other_sensors = Vec::new();
    for r in store.fetch_all(s).await? {
        let sensor = Sensor {
            id: r.try_get("id")?,
            code: r.try_get("code")?,
            name: r.try_get("name")?,
            kind: r.try_get("kind")?,
            unit: r.try_get("unit")?,
            status: r.try_get("status")?,
            last_value: r.try_get("last_value")?,
            last_ms: r.try_get("last_ms")?,
            major_hazard_id: r.try_get("major_hazard_id")?,
        };
        match major_hazards
            .iter_mut()
            .find(|m| Some(&m.id) == sensor.major_hazard_id.as_ref())
        {
            Some(m) => m.sensors.push(sensor),
            None => other_sensors.push(sensor),
        }
    }
    Ok(Installations {
        major_hazards,
        other_sensors,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct Alarm {
    pub id: String,
    pub sensor_id: String,
    pub level: String,
    pub response: String,
    pub opened_ms: i64,
    pub resolved_ms: Option<i64>,
}

/// The latest alarms.
pub async fn alarms(store: &Store, enterprise_id: &str) -> StoreResult<Vec<Alarm>> {
    let mut q = Sql::new(
        "SELECT id, sensor_id, level, response, opened_ms, resolved_ms FROM alarms WHERE enterprise_id = ",
    );
    q.bind(enterprise_id)
        .push(" ORDER BY opened_ms DESC, id")
        .push_bind(" LIMIT ", SECTION_LIMIT);
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Alarm {
                id: r.try_get("id")?,
                sensor_id: r.try_get("sensor_id")?,
                level: r.try_get("level")?,
                response: r.try_get("response")?,
                opened_ms: r.try_get("opened_ms")?,
                resolved_ms: r.try_get("resolved_ms")?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Inspection {
    pub id: String,
    pub summary: String,
    pub recorded_by_name: String,
    pub recorded_ms: i64,
}

/// The latest 现场检查记录.
pub async fn inspections(store: &Store, enterprise_id: &str) -> StoreResult<Vec<Inspection>> {
    let mut q = Sql::new(
        "SELECT id, summary, recorded_by_name, recorded_ms FROM inspection_records WHERE enterprise_id = ",
    );
    q.bind(enterprise_id)
        .push(" ORDER BY recorded_ms DESC, id")
        .push_bind(" LIMIT ", SECTION_LIMIT);
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Inspection {
                id: r.try_get("id")?,
                summary: r.try_get("summary")?,
                recorded_by_name: r.try_get("recorded_by_name")?,
                recorded_ms: r.try_get("recorded_ms")?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Case {
    pub id: String,
    pub title: String,
    pub state: String,
    pub filed_day: String,
    pub decided_day: Option<String>,
    pub decided_fine: Option<i64>,
    pub created_ms: i64,
}

/// The 行政处罚案件 against the enterprise, newest first.
pub async fn cases(store: &Store, enterprise_id: &str) -> StoreResult<Vec<Case>> {
    let mut q = Sql::new(
        "SELECT id, title, state, filed_day, decided_day, decided_fine, created_ms FROM enforcement_cases WHERE enterprise_id = ",
    );
    q.bind(enterprise_id)
        .push(" ORDER BY created_ms DESC, id")
        .push_bind(" LIMIT ", SECTION_LIMIT);
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Case {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                state: r.try_get("state")?,
                filed_day: r.try_get("filed_day")?,
                decided_day: r.try_get("decided_day")?,
                decided_fine: r.try_get("decided_fine")?,
                created_ms: r.try_get("created_ms")?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Incident {
    pub id: String,
    pub code: String,
    pub title: String,
    pub severity: Option<i64>,
    pub status: String,
    pub deaths: i64,
    pub occurred_ms: i64,
}

/// The 突发事件/事故 at the enterprise, newest first.
pub async fn incidents(store: &Store, enterprise_id: &str) -> StoreResult<Vec<Incident>> {
    let mut q = Sql::new(
        "SELECT id, code, title, severity, status, deaths, occurred_ms FROM incidents WHERE enterprise_id = ",
    );
    q.bind(enterprise_id)
        .push(" ORDER BY occurred_ms DESC, id")
        .push_bind(" LIMIT ", SECTION_LIMIT);
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Incident {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                title: r.try_get("title")?,
                severity: r.try_get("severity")?,
                status: r.try_get("status")?,
                deaths: r.try_get::<Option<i64>, _>("deaths")?.unwrap_or(0),
                occurred_ms: r.try_get("occurred_ms")?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct FiledPlan {
    pub id: String,
    pub code: String,
    pub name: String,
    /// enterprise / onsite
    pub kind: String,
    pub version: String,
    pub effective_date: String,
    pub review_cycle_months: i64,
    /// active / superseded
    pub status: String,
    pub created_ms: i64,
}

/// The 应急预案 the enterprise filed (预案备案), the current versions first.
pub async fn plans(store: &Store, enterprise_id: &str) -> StoreResult<Vec<FiledPlan>> {
    let mut q = Sql::new(
        "SELECT id, code, name, kind, version, effective_date, review_cycle_months, status, created_ms FROM plans WHERE enterprise_id = ",
    );
    q.bind(enterprise_id)
        .push(" ORDER BY status, effective_date DESC, id")
        .push_bind(" LIMIT ", SECTION_LIMIT);
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(FiledPlan {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                kind: r.try_get("kind")?,
                version: r.try_get("version")?,
                effective_date: r.try_get("effective_date")?,
                review_cycle_months: r.try_get("review_cycle_months")?,
                status: r.try_get("status")?,
                created_ms: r.try_get("created_ms")?,
            })
        })
        .collect()
}

/// Every section of the dossier, as its loader read it.
#[derive(Debug, Clone, Serialize)]
pub struct Sections {
    pub licences: Vec<crate::credit::licences::Licence>,
    pub proposals: Vec<crate::credit::licences::Proposal>,
    pub standardisation: Option<crate::credit::standardisation::Standardisation>,
    pub key_people: Vec<crate::credit::key_people::KeyPerson>,
    pub risk_points: RiskPoints,
    pub hazards: Hazards,
    pub installations: Installations,
    pub alarms: Vec<Alarm>,
    pub inspections: Vec<Inspection>,
    pub cases: Vec<Case>,
    pub incidents: Vec<Incident>,
    pub plans: Vec<FiledPlan>,
}

/// Runs every section's loader side by side (the caller has checked the enterprise is in its
/// scope). A new section is one more loader here and one more field in [`Sections`].
pub async fn sections(store: &Store, scope: &Scope, enterprise_id: &str) -> StoreResult<Sections> {
    use crate::credit::{key_people, licences, standardisation};
    let id = enterprise_id;
    let (lic, props, std, people, risks, hz, inst, al, insp, cs, inc, pl) = tokio::try_join!(
        licences::of_enterprise(store, id, SECTION_LIMIT),
        licences::proposals(store, scope, Some(id), SECTION_LIMIT),
        standardisation::of_enterprise(store, id),
        key_people::of_enterprise(store, id),
        risk_points(store, id),
        hazards(store, id),
        installations(store, id),
        alarms(store, id),
        inspections(store, id),
        cases(store, id),
        incidents(store, id),
        plans(store, id),
    )?;
    Ok(Sections {
        licences: lic,
        proposals: props,
        standardisation: std,
        key_people: people,
        risk_points: risks,
        hazards: hz,
        installations: inst,
        alarms: al,
        inspections: insp,
        cases: cs,
        incidents: inc,
        plans: pl,
    })
}
