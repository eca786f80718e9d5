//! 重大危险源 register: an enterprise's units with their chemicals, identified and graded by
//! GB 18218-2018 (yingji-core::major_hazard) when they are written.

use crate::kernel::audit::{self, Change};
use crate::prevention::risk_points::{push_scope_on, region_columns};
use crate::{Actor, Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::role::Scope;
use yingji_core::prevention::major_hazard::{UnitChemical, figure, identify};
use yingji_core::prevention::major_hazard_register::{
    CheckedMajorHazard, check_major_hazard, level_label, major_hazard_summary,
};

pub use yingji_core::prevention::major_hazard_register::{MajorHazardInput, UNIT_TYPES};

#[derive(Debug, Clone, Serialize)]
pub struct MajorHazard {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise_name: Option<String>,
    pub code: String,
    pub name: String,
    pub unit_type: String,
    pub unit_type_label: String,
    pub chemicals: Vec<UnitChemical>,
    pub population_500m: i64,
    /// S = Σ q/Q as a decimal that never reads on the other side of 1 than S itself: exact when
    /// its digits end within six places (at least two shown: "0.998", "1.00"), otherwise cut, not
    /// rounded, after six and marked "…" ("0.999999…" is below 1).
    pub s_value: String,
    /// S ≥ 1: the unit is a 重大危险源.
    pub is_major: bool,
    pub alpha: String,
    /// R = α·Σ β·q/Q, shown as `s_value` is (never on the other side of 10, 50 or 100 than R
    /// itself: "9.996" is 四级); only for a 重大危险源.
    pub r_value: Option<String>,
    /// 1 (一级, highest) … 4.
    pub level: Option<i64>,
    pub level_label: Option<String>,
    pub region_code: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub responsible_name: String,
    pub responsible_phone: Option<String>,
    pub status: String,
    pub created_ms: i64,
    pub updated_ms: i64,
}

fn from_row(r: &AnyRow) -> StoreResult<MajorHazard> {
    let unit_type: String = r.try_get("unit_type")?;
    let chemicals: Vec<UnitChemical> =
        serde_json::from_str(&r.try_get::<String, _>("chemicals")?).unwrap_or_default();
    let population_500m: i64 = r.try_get("population_500m")?;
    let level: Option<i64> = r.try_get("level")?;
    let is_major = r.try_get::<i64, _>("is_major")? == 1;
    // The figures are shown from the chemicals, not from the stored text: rows written before
    // issue 18 hold S and R rounded to two places ("1.00" for 0.998). Should the verdict computed
    // now differ from the stored one, the stored text stays, beside its own verdict.
    let population = u32::try_from(population_500m).unwrap_or(0);
    let (s_value, r_value) = match identify(&chemicals, population) {
        Ok(id) if id.is_major == is_major && id.level.map(|l| l.number()) == level => {
            (figure(id.s), id.r.map(figure))
        }
        _ => (r.try_get("s_value")?, r.try_get("r_value")?),
    };
    Ok(MajorHazard {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        unit_type_label: yingji_core::prevention::hazard::label_of(UNIT_TYPES, &unit_type)
            .unwrap_or("")
            .into(),
        unit_type,
        chemicals,
        population_500m,
        s_value,
        is_major,
        alpha: r.try_get("alpha")?,
        r_value,
        level,
        level_label: level.map(|l| level_label(l).to_string()),
        region_code: r.try_get("region_code")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        responsible_name: r.try_get("responsible_name")?,
        responsible_phone: crate::kernel::keys::open_opt(r.try_get("responsible_phone")?),
        status: r.try_get("status")?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

const SELECT: &str = "SELECT mh.*, en.name AS enterprise_name FROM major_hazards mh LEFT JOIN enterprises en ON en.id = mh.enterprise_id WHERE 1 = 1";

pub async fn get(store: &Store, scope: &Scope, id: &str) -> StoreResult<MajorHazard> {
    let mut q = Sql::new(SELECT);
    q.push_bind(" AND mh.id = ", id);
    push_scope_on(&mut q, "mh", scope, None);
    let row = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    from_row(&row)
}

#[derive(Debug, Clone, Default)]
pub struct MajorHazardFilter {
    pub enterprise_id: Option<String>,
    pub region: Option<String>,
    pub level: Option<i64>,
}

/// Highest level first (一级 before 四级; units below the threshold last).
pub async fn list(
    store: &Store,
    scope: &Scope,
    f: &MajorHazardFilter,
    page: Page,
) -> StoreResult<(Vec<MajorHazard>, i64)> {
    let mut w = Sql::new("");
    push_scope_on(&mut w, "mh", scope, None);
    if let Some(e) = &f.enterprise_id {
        w.push_bind(" AND mh.enterprise_id = ", e);
    }
    if let Some(r) = &f.region {
        crate::directory::enterprises::push_region_on(&mut w, "mh", r);
    }
    if let Some(l) = f.level {
        w.push_bind(" AND mh.level = ", l);
    }
    store
        .page_of(
            "SELECT COUNT(*) FROM major_hazards mh WHERE 1 = 1",
            SELECT,
            w,
            "CASE WHEN mh.level IS NULL THEN 9 ELSE mh.level END, mh.code",
            page,
            from_row,
        )
        .await
}

/// Checked fields, ready to write.
pub struct Checked {
    enterprise_id: String,
    region_code: String,
    categories: String,
    u: CheckedMajorHazard,
}

/// Checks a unit's input (the caller's role decided already): its enterprise, GB 18218 figures
/// and a code not yet registered.
pub async fn check(store: &Store, scope: &Scope, input: &MajorHazardInput) -> StoreResult<Checked> {
    let enterprise_id = scope
        .owning_enterprise(input.enterprise_id.as_deref())
        .map_err(|m| StoreError::invalid("enterprise_id", m))?
        .unwrap_or_default();
    let e = crate::directory::enterprises::get_referenced(store, scope, &enterprise_id).await?;
    let u = check_major_hazard(input)?;
    let mut dup = Sql::new("SELECT COUNT(*) FROM major_hazards WHERE code = ");
    dup.bind(u.code.clone());
    if store.fetch_i64(dup).await? > 0 {
        return Err(StoreError::conflict("code", "该重大危险源编码已登记"));
    }
    Ok(Checked {
        enterprise_id: e.id,
        region_code: e.grid_code,
        categories: yingji_core::directory::enterprise::join_codes(&e.categories),
        u,
    })
}

/// Registers a checked unit inside the caller's transaction; returns its id.
pub async fn create_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    input: &MajorHazardInput,
    c: &Checked,
) -> StoreResult<String> {
    let id = new_id();
    let [d, s, cm, g] = region_columns(&c.region_code);
    let mut q = Sql::new(
        "INSERT INTO major_hazards (id, enterprise_id, code, name, unit_type, chemicals, population_500m, s_value, is_major, alpha, r_value, level, region_code, district_code, street_code, community_code, grid_code, categories, lon, lat, responsible_name, responsible_phone, status, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        c.enterprise_id.clone().into(),
        c.u.code.clone().into(),
        c.u.name.clone().into(),
        c.u.unit_type.clone().into(),
        serde_json::to_string(&c.u.chemicals)
            .unwrap_or_default()
            .into(),
        c.u.population.into(),
        c.u.s_value.clone().into(),
        i64::from(c.u.is_major).into(),
        c.u.alpha.clone().into(),
        c.u.r_value.clone().into(),
        c.u.level.into(),
        c.region_code.clone().into(),
        d.into(),
        s.into(),
        cm.into(),
        g.into(),
        c.categories.clone().into(),
        input.lon.into(),
        input.lat.into(),
        c.u.responsible_name.clone().into(),
        crate::kernel::keys::seal_opt(c.u.responsible_phone.as_deref())?.into(),
        "active".into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(&mut *tx).await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            action: "major_hazard.create",
            entity_type: "major_hazard",
            entity_id: Some(&id),
            summary: major_hazard_summary(yingji_core::kernel::wording::CREATED, &c.u),
            before: None,
            after: Some(serde_json::json!({
                "code": c.u.code, "name": c.u.name, "unit_type": c.u.unit_type,
                "chemicals": c.u.chemicals, "population_500m": c.u.population,
                "s": c.u.s_value, "r": c.u.r_value, "level": c.u.level,
            })),
        },
    )
    .await?;
    Ok(id)
}
