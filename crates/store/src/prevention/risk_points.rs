//! 风险点: the risk register of enterprises and of public risk sources, and the regional
//! four-colour aggregation (四色图).

use crate::directory::enterprises::{push_categories_on, push_region_on};
use crate::kernel::audit::{self, Change};
use crate::{Actor, Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::directory::enterprise::{join_codes, split_codes};
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::kernel::validation::Errors;
use yingji_core::prevention::risk::{CONTROL_LEVELS, PUBLIC_SOURCE_KINDS, RiskLevel};
use yingji_core::prevention::risk_lists::RiskListEntry;
use yingji_core::prevention::risk_point::{
    CheckedRiskPoint, PUBLIC_SOURCE_DENIED, check_public_source, check_risk_point,
    risk_point_deactivated_summary, risk_point_summary,
};

/// The district/street/community/grid columns of a region code of any level ('' above it).
pub fn region_columns(code: &str) -> [String; 4] {
    let cut = |n: usize| {
        if code.len() >= n {
            code[..n].to_string()
        } else {
            String::new()
        }
    };
    [cut(6), cut(9), cut(12), cut(15)]
}

/// The region column that holds the children of a district (streets), street (communities) or
/// community (grids); the error names `field`.
pub fn child_column(parent_code: &str, field: &str, label: &str) -> StoreResult<&'static str> {
    match parent_code.len() {
        6 => Ok("street_code"),
        9 => Ok("community_code"),
        12 => Ok("grid_code"),
        _ => Err(StoreError::invalid(
            field,
            yingji_core::kernel::wording::not_a_parent_region(label),
        )),
    }
}

/// Limits a query on `alias` (a table with the region columns, `categories` and
/// `enterprise_id`) to the caller's scope.
pub fn push_scope_on(sql: &mut Sql, alias: &str, scope: &Scope, department_column: Option<&str>) {
    match scope {
        Scope::All => {}
        Scope::Region { prefix, .. } => push_region_on(sql, alias, prefix),
        Scope::Department {
            prefix,
            categories,
            department_id,
            ..
        } => {
            push_region_on(sql, alias, prefix);
            sql.push(" AND (");
            push_categories_on(sql, alias, categories);
            if let Some(col) = department_column {
                sql.push_bind(&format!(" OR {alias}.{col} = "), department_id);
            }
            sql.push(")");
        }
        // 保险机构人员 see only their policyholders' 安责险 records (credit::insurance).
        Scope::Insurer { .. } => {
            sql.push(" AND 1 = 0");
        }
        Scope::Enterprise { enterprise_id } => {
            sql.push_bind(&format!(" AND {alias}.enterprise_id = "), enterprise_id);
        }
    }
}

pub use yingji_core::prevention::risk_point::RiskPointInput;
use yingji_core::prevention::risk_rank;

#[derive(Debug, Clone, Serialize)]
pub struct RiskPoint {
    pub id: String,
    pub enterprise_id: Option<String>,
    pub enterprise_name: Option<String>,
    pub public_kind: Option<String>,
    pub public_kind_label: Option<String>,
    pub name: String,
    pub location: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub region_code: String,
    pub region_name: Option<String>,
    pub hazard_factors: String,
    pub accident_types: Vec<String>,
    pub method: String,
    pub inputs: serde_json::Value,
    pub score: String,
    pub computed_level: String,
    pub level: String,
    pub level_label: String,
    pub colour: String,
    pub override_reason: Option<String>,
    pub control_measures: String,
    pub emergency_measures: String,
    pub control_level: String,
    pub control_level_label: String,
    pub responsible_name: String,
    pub responsible_phone: Option<String>,
    pub review_date: Option<String>,
    pub rules_version: i64,
    pub status: String,
    pub created_ms: i64,
    pub updated_ms: i64,
}

impl RiskPoint {
    /// What this point shows in the enterprise's three lists (`core::prevention::risk_lists`).
    pub fn list_entry(&self) -> RiskListEntry<'_> {
        RiskListEntry {
            name: &self.name,
            location: &self.location,
            hazard_factors: &self.hazard_factors,
            accident_types: &self.accident_types,
            method: &self.method,
            inputs: &self.inputs,
            score: &self.score,
            level_label: &self.level_label,
            control_level_label: &self.control_level_label,
            control_measures: &self.control_measures,
            emergency_measures: &self.emergency_measures,
            responsible_name: &self.responsible_name,
            responsible_phone: self.responsible_phone.as_deref(),
            review_date: self.review_date.as_deref(),
        }
    }
}

const COLUMNS: &str = "rp.*, en.name AS enterprise_name, rg.name AS region_name";
const FROM: &str = " FROM risk_points rp LEFT JOIN enterprises en ON en.id = rp.enterprise_id LEFT JOIN regions rg ON rg.code = rp.region_code";

fn from_row(r: &AnyRow) -> StoreResult<RiskPoint> {
    let level: String = r.try_get("level")?;
    let lv = RiskLevel::parse(&level).unwrap_or(RiskLevel::Major);
    let kind: Option<String> = r.try_get("public_kind")?;
    let control_level: String = r.try_get("control_level")?;
    Ok(RiskPoint {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        public_kind_label: kind
            .as_deref()
            .and_then(|k| yingji_core::prevention::hazard::label_of(PUBLIC_SOURCE_KINDS, k))
            .map(str::to_string),
        public_kind: kind,
        name: r.try_get("name")?,
        location: r.try_get("location")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        region_code: r.try_get("region_code")?,
        region_name: r.try_get("region_name")?,
        hazard_factors: r.try_get("hazard_factors")?,
        accident_types: split_codes(&r.try_get::<String, _>("accident_types")?),
        method: r.try_get("method")?,
        inputs: serde_json::from_str(&r.try_get::<String, _>("inputs")?).unwrap_or_default(),
        score: r.try_get("score")?,
        computed_level: r.try_get("computed_level")?,
        level_label: lv.label().into(),
        colour: lv.colour().into(),
        level,
        override_reason: r.try_get("override_reason")?,
        control_measures: r.try_get("control_measures")?,
        emergency_measures: r.try_get("emergency_measures")?,
        control_level_label: yingji_core::prevention::hazard::label_of(
            CONTROL_LEVELS,
            &control_level,
        )
        .unwrap_or("")
        .into(),
        control_level,
        responsible_name: r.try_get("responsible_name")?,
        responsible_phone: crate::kernel::keys::open_opt(r.try_get("responsible_phone")?),
        review_date: r.try_get("review_date")?,
        rules_version: r.try_get("rules_version")?,
        status: r.try_get("status")?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

/// Checked fields, ready to write.
pub struct Checked {
    enterprise_id: Option<String>,
    public_kind: Option<String>,
    region_code: String,
    categories: String,
    rules_version: i64,
    p: CheckedRiskPoint,
}

/// Checks a point's input under its district's risk rules (the caller's role decided already).
pub async fn check(
    store: &Store,
    scope: &Scope,
    role: Role,
    input: &RiskPointInput,
) -> StoreResult<Checked> {
    let mut errs = Errors::default();
    // Whose point is it: an enterprise's (its grid and categories) or a public source's.
    let enterprise_id = scope
        .owning_enterprise(input.enterprise_id.as_deref())
        .map_err(|m| StoreError::invalid("enterprise_id", m))?;
    let (region_code, categories, public_kind) = if let Some(eid) = &enterprise_id {
        let e = crate::directory::enterprises::get_referenced(store, scope, eid).await?;
        (e.grid_code, join_codes(&e.categories), None)
    } else {
        if !yingji_core::prevention::access::may_register_public_risk_sources(role) {
            return Err(StoreError::Forbidden(PUBLIC_SOURCE_DENIED.into()));
        }
        let kind = input.public_kind.clone().unwrap_or_default();
        let code = input.region_code.clone().unwrap_or_default();
        if check_public_source(&mut errs, &kind, &code)
            && !scope.covers_region(&code)
            && *scope != Scope::All
        {
            return Err(StoreError::Forbidden(
                yingji_core::kernel::wording::REGION_OUTSIDE_SCOPE.into(),
            ));
        }
        let cats = match scope {
            Scope::Department { categories, .. } => join_codes(categories),
            _ => String::new(),
        };
        (code, cats, Some(kind))
    };
    let rules = crate::prevention::rules::current(store, &region_code).await?;
    let p = check_risk_point(errs, input, &rules.rules.risk)?;
    Ok(Checked {
        enterprise_id,
        public_kind,
        region_code,
        categories,
        rules_version: rules.version,
        p,
    })
}

/// Registers a checked point inside the caller's transaction; returns its id.
pub async fn create_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    input: &RiskPointInput,
    c: &Checked,
) -> StoreResult<String> {
    let id = new_id();
    let [d, s, cm, g] = region_columns(&c.region_code);
    let mut q = Sql::new(
        "INSERT INTO risk_points (id, enterprise_id, public_kind, name, location, lon, lat, region_code, district_code, street_code, community_code, grid_code, categories, hazard_factors, accident_types, method, inputs, score, computed_level, level, level_rank, override_reason, control_measures, emergency_measures, control_level, responsible_name, responsible_phone, review_date, rules_version, status, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        c.enterprise_id.clone().into(),
        c.public_kind.clone().into(),
        c.p.name.clone().into(),
        c.p.location.clone().into(),
        input.lon.into(),
        input.lat.into(),
        c.region_code.clone().into(),
        d.into(),
        s.into(),
        cm.into(),
        g.into(),
        c.categories.clone().into(),
        c.p.hazard_factors.clone().into(),
        c.p.accident_types.clone().into(),
        c.p.method.clone().into(),
        c.p.inputs.clone().into(),
        c.p.score.clone().into(),
        c.p.computed.as_str().into(),
        c.p.level.as_str().into(),
        c.p.level.rank().into(),
        c.p.override_reason.clone().into(),
        c.p.control_measures.clone().into(),
        c.p.emergency_measures.clone().into(),
        c.p.control_level.clone().into(),
        c.p.responsible_name.clone().into(),
        crate::kernel::keys::seal_opt(c.p.responsible_phone.as_deref())?.into(),
        c.p.review_date.clone().into(),
        c.rules_version.into(),
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
            action: "risk_point.create",
            entity_type: "risk_point",
            entity_id: Some(&id),
            summary: risk_point_summary(yingji_core::kernel::wording::CREATED, &c.p),
            before: None,
            after: Some(snapshot(c)),
        },
    )
    .await?;
    Ok(id)
}

/// A point as its audit record's `before` shows it: the responsible phone masked (sealed in
/// the row, ADR 0032).
fn record_json(p: &RiskPoint) -> serde_json::Value {
    yingji_core::kernel::personal::mask_phones_in(
        serde_json::to_value(p).unwrap_or_default(),
        &["responsible_phone"],
    )
}

fn snapshot(c: &Checked) -> serde_json::Value {
    serde_json::json!({
        "name": c.p.name, "method": c.p.method, "inputs": c.p.inputs, "score": c.p.score,
        "computed_level": c.p.computed.as_str(), "level": c.p.level.as_str(),
        "override_reason": c.p.override_reason, "rules_version": c.rules_version,
        "control_measures": c.p.control_measures, "responsible_name": c.p.responsible_name,
    })
}

/// An update's input: the point keeps its owner (enterprise, or the public source's region
/// when none is given).
pub fn carried_over(before: &RiskPoint, input: &RiskPointInput) -> RiskPointInput {
    let mut input = input.clone();
    input.enterprise_id = before.enterprise_id.clone();
    if before.enterprise_id.is_none() {
        input.region_code = input.region_code.or(Some(before.region_code.clone()));
    }
    input
}

/// Rewrites a point from its checked input (see `carried_over`) inside the caller's transaction.
pub async fn update_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    before: &RiskPoint,
    input: &RiskPointInput,
    c: &Checked,
) -> StoreResult<()> {
    let id = before.id.as_str();
    let [d, s, cm, g] = region_columns(&c.region_code);
    let mut q = Sql::new("UPDATE risk_points SET name = ");
    q.bind(&c.p.name)
        .push_bind(", public_kind = ", c.public_kind.clone())
        .push_bind(", location = ", &c.p.location)
        .push_bind(", lon = ", input.lon)
        .push_bind(", lat = ", input.lat)
        .push_bind(", region_code = ", &c.region_code)
        .push_bind(", district_code = ", d)
        .push_bind(", street_code = ", s)
        .push_bind(", community_code = ", cm)
        .push_bind(", grid_code = ", g)
        .push_bind(", hazard_factors = ", &c.p.hazard_factors)
        .push_bind(", accident_types = ", &c.p.accident_types)
        .push_bind(", method = ", &c.p.method)
        .push_bind(", inputs = ", &c.p.inputs)
        .push_bind(", score = ", &c.p.score)
        .push_bind(", computed_level = ", c.p.computed.as_str())
        .push_bind(", level = ", c.p.level.as_str())
        .push_bind(", level_rank = ", c.p.level.rank())
        .push_bind(", override_reason = ", c.p.override_reason.clone())
        .push_bind(", control_measures = ", &c.p.control_measures)
        .push_bind(", emergency_measures = ", &c.p.emergency_measures)
        .push_bind(", control_level = ", &c.p.control_level)
        .push_bind(", responsible_name = ", &c.p.responsible_name)
        .push_bind(
            ", responsible_phone = ",
            crate::kernel::keys::seal_opt(c.p.responsible_phone.as_deref())?,
        )
        .push_bind(", review_date = ", c.p.review_date.clone())
        .push_bind(", rules_version = ", c.rules_version)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", id);
    q.execute(&mut *tx).await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            action: "risk_point.update",
            entity_type: "risk_point",
            entity_id: Some(id),
            summary: risk_point_summary(yingji_core::kernel::wording::EDITED, &c.p),
            before: Some(record_json(before)),
            after: Some(snapshot(c)),
        },
    )
    .await?;
    Ok(())
}

/// Retires a point (kept for history; hazards may cite it).
pub async fn archive_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    before: &RiskPoint,
) -> StoreResult<()> {
    let id = before.id.as_str();
    let mut q = Sql::new("UPDATE risk_points SET status = 'archived', updated_ms = ");
    q.bind(now_ms).push_bind(" WHERE id = ", id);
    q.execute(&mut *tx).await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            action: "risk_point.archive",
            entity_type: "risk_point",
            entity_id: Some(id),
            summary: risk_point_deactivated_summary(&before.name),
            before: Some(record_json(before)),
            after: None,
        },
    )
    .await?;
    Ok(())
}

pub async fn get(store: &Store, scope: &Scope, id: &str) -> StoreResult<RiskPoint> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE rp.id = "));
    q.bind(id);
    push_scope_on(&mut q, "rp", scope, None);
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

#[derive(Debug, Default, Clone)]
pub struct RiskPointFilter {
    pub enterprise_id: Option<String>,
    pub region: Option<String>,
    pub level: Option<String>,
    pub q: Option<String>,
    pub public_only: bool,
}

pub async fn list(
    store: &Store,
    scope: &Scope,
    f: &RiskPointFilter,
    page: Page,
) -> StoreResult<(Vec<RiskPoint>, i64)> {
    let mut w = Sql::new(" WHERE rp.status = 'active'");
    push_scope_on(&mut w, "rp", scope, None);
    if let Some(e) = &f.enterprise_id {
        w.push_bind(" AND rp.enterprise_id = ", e);
    }
    if f.public_only {
        w.push(" AND rp.enterprise_id IS NULL");
    }
    if let Some(r) = &f.region {
        push_region_on(&mut w, "rp", r);
    }
    if let Some(l) = &f.level {
        w.push_bind(" AND rp.level = ", l);
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        w.push_bind(" AND rp.name LIKE ", crate::db::like_contains(q))
            .push(" ESCAPE '\\'");
    }
    store
        .page_of(
            "SELECT COUNT(*) FROM risk_points rp",
            &format!("SELECT {COLUMNS}{FROM}"),
            w,
            "rp.level_rank DESC, rp.updated_ms DESC, rp.id",
            page,
            from_row,
        )
        .await
}

/// Every active point of one enterprise, highest risk first (for the three lists and the card).
pub async fn of_enterprise(
    store: &Store,
    scope: &Scope,
    enterprise_id: &str,
) -> StoreResult<Vec<RiskPoint>> {
    let f = RiskPointFilter {
        enterprise_id: Some(enterprise_id.into()),
        ..Default::default()
    };
    Ok(list(store, scope, &f, Page::new(Some(1), Some(500)))
        .await?
        .0)
}

#[derive(Debug, Clone, Serialize)]
pub struct RegionRisk {
    pub code: String,
    pub name: String,
    pub level: String,
    /// The highest active risk level, or None when the region has no risk point.
    pub max_level: Option<String>,
    pub colour: Option<String>,
    pub major: i64,
    pub large: i64,
    pub general: i64,
    pub low: i64,
    /// Enterprises in the region the caller may see (the ranking's denominator).
    pub enterprises: i64,
    /// The ranking score (`yingji_core::prevention::risk_rank`).
    pub score: f64,
    /// The ranking's class of the score among the siblings, None for a score of 0.
    pub rank_level: Option<String>,
    pub rank_colour: Option<String>,
}

/// The children of `parent_code`, each with its highest risk level, counts per level, and its
/// ranking score and class under the district's `rank` rules.
// Long because: two grouped counts (risk points, enterprises) folded into the children.
pub async fn region_summary(
    store: &Store,
    scope: &Scope,
    parent_code: &str,
    rank: &yingji_core::prevention::risk_rank::RankConfig,
) -> StoreResult<Vec<RegionRisk>> {
    let child_column = child_column(parent_code, "parent", "上级区划")?;
    let mut q = Sql::new(&format!(
        "SELECT rp.{child_column} AS code, rp.level_rank AS rank, COUNT(*) AS n FROM risk_points rp WHERE rp.status = 'active'"
    ));
    push_region_on(&mut q, "rp", parent_code);
    push_scope_on(&mut q, "rp", scope, None);
    q.push(&format!(" GROUP BY rp.{child_column}, rp.level_rank"));
    let rows = store.fetch_all(q).await?;
    let mut children = Sql::new("SELECT code, name, level FROM regions WHERE parent_code = ");
    children.bind(parent_code).push(" ORDER BY code");
    let mut out: Vec<RegionRisk> = store
        .fetch_all(children)
        .await?
        .iter()
        .map(|r| {
            Ok(RegionRisk {
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                level: r.try_get("level")?,
                max_level: None,
                colour: None,
                major: 0,
                large: 0,
                general: 0,
                low: 0,
                enterprises: 0,
                score: 0.0,
                rank_level: None,
                rank_colour: None,
            })
        })
        .collect::<StoreResult<_>>()?;
    let mut firms = Sql::new(&format!(
        "SELECT e.{child_column} AS code, COUNT(*) AS n FROM enterprises e WHERE 1 = 1"
    ));
    push_region_on(&mut firms, "e", parent_code);
    crate::directory::enterprises::push_scope(&mut firms, scope);
    firms.push(&format!(" GROUP BY e.{child_column}"));
    for r in store.fetch_all(firms).await? {
        let code: String = r.try_get("code")?;
        if let Some(o) = out.iter_mut().find(|o| o.code == code) {
            o.enterprises = r.try_get("n")?;
        }
    }
    for r in &rows {
        let code: String = r.try_get("code")?;
        let rank: i64 = r.try_get("rank")?;
        let n: i64 = r.try_get("n")?;
        let Some(o) = out.iter_mut().find(|o| o.code == code) else {
            continue;
        };
        match RiskLevel::from_rank(rank) {
            Some(RiskLevel::Major) => o.major += n,
            Some(RiskLevel::Large) => o.large += n,
            Some(RiskLevel::General) => o.general += n,
            Some(RiskLevel::Low) => o.low += n,
            None => {}
        }
    }
    for o in &mut out {
        let top = [
            (o.major, RiskLevel::Major),
            (o.large, RiskLevel::Large),
            (o.general, RiskLevel::General),
            (o.low, RiskLevel::Low),
        ]
        .into_iter()
        .find(|(n, _)| *n > 0)
        .map(|(_, l)| l);
        o.max_level = top.map(|l| l.as_str().to_string());
        o.colour = top.map(|l| l.colour().to_string());
        o.score = risk_rank::score(
            &risk_rank::AreaCounts {
                major: o.major,
                large: o.large,
                general: o.general,
                low: o.low,
                enterprises: o.enterprises,
            },
            rank,
        );
    }
    let scores: Vec<f64> = out.iter().map(|o| o.score).collect();
    for (o, class) in out.iter_mut().zip(risk_rank::classes(&scores)) {
        o.rank_level = class.map(|l| l.as_str().to_string());
        o.rank_colour = class.map(|l| l.colour().to_string());
    }
    Ok(out)
}
