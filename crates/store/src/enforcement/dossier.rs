//! The dossier an inspector opens on site: the enterprise, its risk points, its open hazards,
//! its sensors and its past inspections. Read for a task the caller may see (checked by the
//! caller with `inspections::task`).

use crate::{Sql, Store, StoreError, StoreResult};
use serde::Serialize;
use sqlx::Row;
use yingji_core::directory::enterprise::split_codes;

#[derive(Debug, Clone, Serialize)]
pub struct Enterprise {
    pub id: String,
    pub name: String,
    pub address: String,
    pub industry_code: String,
    pub categories: Vec<String>,
    pub flags: Vec<String>,
    pub principal_name: Option<String>,
    pub principal_phone: Option<String>,
    pub safety_officer_name: Option<String>,
    pub safety_officer_phone: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RiskPoint {
    pub id: String,
    pub name: String,
    pub location: String,
    pub level: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpenHazard {
    pub id: String,
    pub code: String,
    pub level: String,
    pub status: String,
    pub description: String,
    pub deadline: Option<String>,
    pub reported_ms: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Sensor {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub unit: String,
    pub status: String,
    pub last_value: Option<i64>,
    pub last_ms: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PastInspection {
    pub id: String,
    pub summary: String,
    pub recorded_by_name: String,
    pub recorded_ms: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dossier {
    pub enterprise: Enterprise,
    pub risk_points: Vec<RiskPoint>,
    pub open_hazards: Vec<OpenHazard>,
    pub sensors: Vec<Sensor>,
    pub past_inspections: Vec<PastInspection>,
}

/// The enterprise's row (categories for the checklist).
pub async fn enterprise(store: &Store, id: &str) -> StoreResult<Enterprise> {
    let mut q = Sql::new("SELECT * FROM enterprises WHERE id = ");
    q.bind(id);
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    let categories: String = r.try_get("categories")?;
    let flags: String = r.try_get("flags")?;
    Ok(Enterprise {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        address: r.try_get("address")?,
        industry_code: r.try_get("industry_code")?,
        categories: split_codes(&categories),
        flags: split_codes(&flags),
        principal_name: r.try_get("principal_name")?,
        principal_phone: crate::kernel::keys::open_opt(r.try_get("principal_phone")?),
        safety_officer_name: r.try_get("safety_officer_name")?,
        safety_officer_phone: crate::kernel::keys::open_opt(r.try_get("safety_officer_phone")?),
    })
}

/// The whole dossier of an enterprise (each list at most 50 rows, the most telling first).
pub async fn of(store: &Store, enterprise_id: &str) -> StoreResult<Dossier> {
    let enterprise = enterprise(store, enterprise_id).await?;
    let mut q =
        Sql::new("SELECT id, name, location, level FROM risk_points WHERE enterprise_id = ");
    q.bind(enterprise_id)
        .push(" AND status = 'active' ORDER BY level_rank, name LIMIT 50");
    let risk_points = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(RiskPoint {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                location: r.try_get("location")?,
                level: r.try_get("level")?,
            })
        })
        .collect::<StoreResult<_>>()?;
    Ok(Dossier {
        enterprise,
        risk_points,
        open_hazards: open_hazards(store, enterprise_id).await?,
        sensors: sensors(store, enterprise_id).await?,
        past_inspections: past(store, enterprise_id).await?,
    })
}

async fn open_hazards(store: &Store, enterprise_id: &str) -> StoreResult<Vec<OpenHazard>> {
    let mut q = Sql::new(
        "SELECT id, code, level, status, description, deadline, reported_ms FROM hazards WHERE enterprise_id = ",
    );
    q.bind(enterprise_id).push(
        " AND status IN ('registered', 'rectifying', 'pending_acceptance') ORDER BY level, reported_ms DESC LIMIT 50",
    );
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(OpenHazard {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                level: r.try_get("level")?,
                status: r.try_get("status")?,
                description: r.try_get("description")?,
                deadline: r.try_get("deadline")?,
                reported_ms: r.try_get("reported_ms")?,
            })
        })
        .collect()
}

async fn sensors(store: &Store, enterprise_id: &str) -> StoreResult<Vec<Sensor>> {
    let mut q = Sql::new(
        "SELECT id, code, name, kind, unit, status, last_value, last_ms FROM sensors WHERE enterprise_id = ",
    );
    q.bind(enterprise_id).push(" ORDER BY code LIMIT 50");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Sensor {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                kind: r.try_get("kind")?,
                unit: r.try_get("unit")?,
                status: r.try_get("status")?,
                last_value: r.try_get("last_value")?,
                last_ms: r.try_get("last_ms")?,
            })
        })
        .collect()
}

async fn past(store: &Store, enterprise_id: &str) -> StoreResult<Vec<PastInspection>> {
    let mut q = Sql::new(
        "SELECT id, summary, recorded_by_name, recorded_ms FROM inspection_records WHERE enterprise_id = ",
    );
    q.bind(enterprise_id)
        .push(" ORDER BY recorded_ms DESC LIMIT 20");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(PastInspection {
                id: r.try_get("id")?,
                summary: r.try_get("summary")?,
                recorded_by_name: r.try_get("recorded_by_name")?,
                recorded_ms: r.try_get("recorded_ms")?,
            })
        })
        .collect()
}
