//! The nearest-first search over teams, experts, stock and shelters (ADR 0010).

use super::{
    Expert, Shelter, Team, expert_from_row, push_active, push_visible, shelter_from_row,
    team_from_row,
};
use crate::{Sql, Store, StoreError, StoreResult};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::role::Scope;
use yingji_core::kernel::validation::Errors;
use yingji_core::resources::fields::located;
use yingji_core::resources::search as words;
use yingji_core::resources::{
    self as rules, RESERVE_TYPES, SEARCH_RINGS_M, cell_ranges_within, distance_m, label,
};

#[derive(Debug, Clone)]
pub struct SearchQuery {
    /// team / expert / material / shelter
    pub kind: String,
    /// Around this incident's location …
    pub incident_id: Option<String>,
    /// … or this point.
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// A need as typed: `10 km 内 冲锋舟 ≥ 5`; or just a name or specialty.
    pub need: Option<String>,
    pub radius_km: Option<f64>,
    pub min_qty: Option<i64>,
    /// Only 待命 teams, available experts, open shelters with room (default true).
    pub available_only: Option<bool>,
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub kind: String,
    pub id: String,
    pub name: String,
    /// Type, specialties or material, for the list.
    pub detail: String,
    pub lon: f64,
    pub lat: f64,
    pub distance_m: i64,
    pub status: String,
    pub status_label: String,
    /// Headcount, available stock, or places left.
    pub quantity: i64,
    pub unit: String,
    pub phone: String,
    /// For materials: the stock line and its warehouse.
    pub stock_id: Option<String>,
    pub warehouse_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchResult {
    pub lon: f64,
    pub lat: f64,
    /// The radius searched (metres): the one asked for, or the ring that found enough.
    pub radius_m: i64,
    pub item: Option<String>,
    pub min_qty: i64,
    pub items: Vec<SearchHit>,
}

pub async fn search(
    store: &Store,
    scope: &Scope,
    q: &SearchQuery,
    now_ms: i64,
) -> StoreResult<SearchResult> {
    words::check_kind(&q.kind)?;
    let (lon, lat) = match (&q.incident_id, q.lon, q.lat) {
        (Some(id), _, _) => incident_location(store, scope, id, now_ms).await?,
        (None, Some(lon), Some(lat)) => {
            let mut errs = Errors::default();
            located(&mut errs, lon, lat).ok_or_else(|| StoreError::from(errs.into_invalid()))?
        }
        _ => return Err(words::no_origin().into()),
    };
    let need = match q.need.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(text) => Some(rules::parse_need(text).map_err(|m| StoreError::invalid("need", m))?),
        None => None,
    };
    let radius = match (q.radius_km, need.as_ref().and_then(|n| n.radius_m)) {
        (Some(r), _) => Some(words::check_radius_km(r)?),
        (None, r) => r,
    };
    let min_qty = q
        .min_qty
        .or(need.as_ref().map(|n| n.min_qty))
        .unwrap_or(1)
        .max(1);
    let item = need.map(|n| n.item);
    let limit = q.limit.unwrap_or(10).clamp(1, 100) as usize;
    let available_only = q.available_only.unwrap_or(true);
    if q.kind == "material" && item.is_none() {
        return Err(words::material_missing().into());
    }
    let rings: Vec<f64> = match radius {
        Some(r) => vec![r],
        None => SEARCH_RINGS_M.to_vec(),
    };
    let mut hits = Vec::new();
    let mut searched = 0.0;
    for r in rings {
        searched = r;
        let ring = Ring {
            kind: &q.kind,
            at: (lon, lat),
            radius_m: r,
            item: item.as_deref(),
            min_qty,
            available_only,
            limit,
        };
        hits = search_ring(store, scope, &ring).await?;
        if radius.is_some() || hits.len() >= limit {
            break;
        }
    }
    hits.truncate(limit);
    Ok(SearchResult {
        lon,
        lat,
        radius_m: searched as i64,
        item,
        min_qty,
        items: hits,
    })
}

/// Where an incident is: its own point, else its enterprise's.
pub async fn incident_location(
    store: &Store,
    scope: &Scope,
    id: &str,
    now_ms: i64,
) -> StoreResult<(f64, f64)> {
    let i = crate::response::incidents::get(store, scope, id, now_ms).await?;
    if let (Some(lon), Some(lat)) = (i.lon, i.lat) {
        return Ok((lon, lat));
    }
    if let Some(e) = &i.enterprise_id {
        let mut q = Sql::new("SELECT lon, lat FROM enterprises WHERE id = ");
        q.bind(e.as_str());
        if let Some(r) = store.fetch_optional(q).await? {
            let (lon, lat): (Option<f64>, Option<f64>) = (r.try_get(0)?, r.try_get(1)?);
            if let (Some(lon), Some(lat)) = (lon, lat) {
                return Ok((lon, lat));
            }
        }
    }
    Err(words::incident_without_location().into())
}

/// One ring of a search: what is looked for, around which point, how far.
struct Ring<'a> {
    kind: &'a str,
    at: (f64, f64),
    radius_m: f64,
    item: Option<&'a str>,
    min_qty: i64,
    available_only: bool,
    limit: usize,
}

/// The hits within one ring, nearest first.
async fn search_ring(store: &Store, scope: &Scope, ring: &Ring<'_>) -> StoreResult<Vec<SearchHit>> {
    let Ring {
        kind,
        at: (lon, lat),
        radius_m,
        item,
        min_qty,
        available_only,
        limit,
    } = *ring;
    let ranges = cell_ranges_within(lon, lat, radius_m);
    let (table, alias) = match kind {
        "team" => ("teams", "t"),
        "expert" => ("experts", "e"),
        "shelter" => ("shelters", "h"),
        _ => ("warehouses", "w"),
    };
    let mut q = match kind {
        "material" => Sql::new(
            "SELECT s.id AS stock_id, w.id, w.name, w.lon, w.lat, w.phone, s.material_name, s.unit, s.reserve_type, s.quantity - s.reserved AS available \
             FROM stock s JOIN warehouses w ON w.id = s.warehouse_id WHERE (",
        ),
        _ => Sql::new(&format!("SELECT * FROM {table} {alias} WHERE (")),
    };
    for (i, (from, to)) in ranges.into_iter().enumerate() {
        q.push(if i > 0 { " OR " } else { "" })
            .push(alias)
            .push_bind(".cell BETWEEN ", from)
            .push_bind(" AND ", to);
    }
    q.push(")");
    push_visible(&mut q, alias, scope);
    // Deactivated records are not found (nor the lines of a deactivated warehouse).
    push_active(&mut q, alias, Some(true));
    if kind == "material" {
        push_active(&mut q, "s", Some(true));
    }
    push_kind_filter(&mut q, kind, item, min_qty, available_only);
    push_nearest_first(&mut q, alias, (lon, lat), radius_m, limit);
    q.many_placeholders(store.backend);
    let rows = store.fetch_all(q).await?;
    let mut hits = Vec::with_capacity(rows.len());
    for r in &rows {
        let (plon, plat): (f64, f64) = (r.try_get("lon")?, r.try_get("lat")?);
        let d = distance_m([lon, lat], [plon, plat]);
        if d > radius_m {
            continue;
        }
        let hit = hit_of(kind, r, (plon, plat), d)?;
        hits.push(hit);
    }
    hits.sort_by(|a, b| {
        a.distance_m
            .cmp(&b.distance_m)
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(hits)
}

/// The search's own conditions per kind: the words asked for, availability, room or quantity.
fn push_kind_filter(
    q: &mut Sql,
    kind: &str,
    item: Option<&str>,
    min_qty: i64,
    available_only: bool,
) {
    let like = item.map(crate::db::like_contains);
    match kind {
        "team" => {
            if let Some(l) = &like {
                q.push_bind(" AND (t.specialties LIKE ", l.clone())
                    .push_bind(" ESCAPE '\\' OR t.equipment LIKE ", l.clone())
                    .push_bind(" ESCAPE '\\' OR t.name LIKE ", l.clone())
                    .push(" ESCAPE '\\')");
            }
            if available_only {
                q.push(" AND t.status = 'standby'");
            }
        }
        "expert" => {
            if let Some(l) = &like {
                q.push_bind(" AND (e.specialties LIKE ", l.clone())
                    .push_bind(" ESCAPE '\\' OR e.name LIKE ", l.clone())
                    .push(" ESCAPE '\\')");
            }
            if available_only {
                q.push(" AND e.status = 'available'");
            }
        }
        "shelter" => {
            if let Some(l) = &like {
                q.push_bind(" AND (h.name LIKE ", l.clone())
                    .push_bind(" ESCAPE '\\' OR h.facilities LIKE ", l.clone())
                    .push(" ESCAPE '\\')");
            }
            if available_only {
                q.push(" AND h.status = 'open'");
            }
            q.push_bind(" AND h.capacity - h.occupancy >= ", min_qty);
        }
        _ => {
            let item = item.unwrap_or("");
            q.push_bind(" AND (s.material_name = ", item)
                .push_bind(" OR s.material_code = ", item)
                .push(")")
                .push_bind(" AND s.quantity - s.reserved >= ", min_qty);
        }
    }
}

/// Within the ring and nearest first, by a planar distance the database can compute.
fn push_nearest_first(
    q: &mut Sql,
    alias: &str,
    (lon, lat): (f64, f64),
    radius_m: f64,
    limit: usize,
) {
    // Nearest first in the database by a planar distance (degrees of latitude, longitude scaled by
    // cos φ): within 100 km it orders like the great-circle distance to a fraction of a percent,
    // so the rows beyond twice the limit plus a margin cannot be among the nearest. The exact
    // haversine filter and order follow in Rust on the few rows that come back.
    let k = lat.to_radians().cos();
    let r_deg = radius_m / 111_195.0 * 1.01;
    let planar = |q: &mut Sql| {
        q.push("((")
            .push(alias)
            .push_bind(".lon - ", lon)
            .push_bind(") * ", k)
            .push(") * ((")
            .push(alias)
            .push_bind(".lon - ", lon)
            .push_bind(") * ", k)
            .push(") + (")
            .push(alias)
            .push_bind(".lat - ", lat)
            .push(") * (")
            .push(alias)
            .push_bind(".lat - ", lat)
            .push(")");
    };
    q.push(" AND ");
    planar(q);
    q.push_bind(" <= ", r_deg * r_deg).push(" ORDER BY ");
    planar(q);
    q.push_bind(" LIMIT ", (limit * 2 + 10) as i64);
}

/// One found row as a hit, `d` metres away.
fn hit_of(kind: &str, r: &AnyRow, at: (f64, f64), d: f64) -> StoreResult<SearchHit> {
    Ok(match kind {
        "team" => team_hit(team_from_row(r)?, at, d),
        "expert" => expert_hit(expert_from_row(r)?, at, d),
        "shelter" => shelter_hit(shelter_from_row(r)?, at, d),
        _ => material_hit(r, at, d)?,
    })
}

fn team_hit(t: Team, (lon, lat): (f64, f64), d: f64) -> SearchHit {
    SearchHit {
        kind: "team".into(),
        detail: words::team_detail(&t.kind_label, &t.specialties),
        id: t.id,
        name: t.name,
        lon,
        lat,
        distance_m: d.round() as i64,
        status: t.status,
        status_label: t.status_label,
        quantity: t.headcount,
        unit: words::PEOPLE.into(),
        phone: t.phone,
        stock_id: None,
        warehouse_id: None,
    }
}

fn expert_hit(e: Expert, (lon, lat): (f64, f64), d: f64) -> SearchHit {
    SearchHit {
        kind: "expert".into(),
        detail: words::expert_detail(&e.section_labels, &e.specialties),
        id: e.id,
        name: words::expert_name(&e.name, &e.title),
        lon,
        lat,
        distance_m: d.round() as i64,
        status: e.status,
        status_label: e.status_label,
        quantity: 1,
        unit: words::PEOPLE.into(),
        phone: e.phone,
        stock_id: None,
        warehouse_id: None,
    }
}

fn shelter_hit(h: Shelter, (lon, lat): (f64, f64), d: f64) -> SearchHit {
    SearchHit {
        kind: "shelter".into(),
        detail: words::shelter_detail(&h.kind_label, h.capacity, h.occupancy),
        quantity: h.capacity - h.occupancy,
        id: h.id,
        name: h.name,
        lon,
        lat,
        distance_m: d.round() as i64,
        status: h.status,
        status_label: h.status_label,
        unit: words::PEOPLE.into(),
        phone: h.phone,
        stock_id: None,
        warehouse_id: None,
    }
}

/// A material hit: the stock line's available quantity at its warehouse.
fn material_hit(r: &AnyRow, (lon, lat): (f64, f64), d: f64) -> StoreResult<SearchHit> {
    let reserve: String = r.try_get("reserve_type")?;
    let warehouse_id: String = r.try_get("id")?;
    Ok(SearchHit {
        kind: "material".into(),
        id: warehouse_id.clone(),
        name: r.try_get("name")?,
        detail: words::material_detail(
            &r.try_get::<String, _>("material_name")?,
            label(RESERVE_TYPES, &reserve),
        ),
        lon,
        lat,
        distance_m: d.round() as i64,
        status_label: label(RESERVE_TYPES, &reserve).into(),
        status: reserve,
        quantity: r.try_get("available")?,
        unit: r.try_get("unit")?,
        phone: crate::kernel::keys::open(r.try_get("phone")?),
        stock_id: Some(r.try_get("stock_id")?),
        warehouse_id: Some(warehouse_id),
    })
}
