//! 行政区划 and grids: the tree every scope hangs on.

use crate::kernel::audit::{self, Change};
use crate::{Actor, Sql, Store, StoreError, StoreResult, Tx};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::directory::region::Shape;
use yingji_core::directory::region::{self, RegionLevel};
use yingji_core::kernel::role::Scope;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Region {
    pub code: String,
    pub name: String,
    pub level: String,
    pub level_label: String,
    pub parent_code: Option<String>,
    /// `[lon, lat]` label point inside the region.
    pub center: Option<[f64; 2]>,
    /// `[min_lon, min_lat, max_lon, max_lat]`
    pub bbox: Option<[f64; 4]>,
    pub child_count: i64,
    pub created_ms: i64,
    pub updated_ms: i64,
}

const COLUMNS: &str = "r.code, r.name, r.level, r.parent_code, r.center_lon, r.center_lat, r.min_lon, r.min_lat, r.max_lon, r.max_lat, r.created_ms, r.updated_ms, (SELECT COUNT(*) FROM regions c WHERE c.parent_code = r.code) AS child_count";

fn from_row(r: &AnyRow) -> StoreResult<Region> {
    let level: String = r.try_get("level")?;
    let c = (
        r.try_get::<Option<f64>, _>("center_lon")?,
        r.try_get::<Option<f64>, _>("center_lat")?,
    );
    let b = (
        r.try_get::<Option<f64>, _>("min_lon")?,
        r.try_get::<Option<f64>, _>("min_lat")?,
        r.try_get::<Option<f64>, _>("max_lon")?,
        r.try_get::<Option<f64>, _>("max_lat")?,
    );
    Ok(Region {
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        level_label: RegionLevel::parse(&level)
            .map(|l| l.label())
            .unwrap_or("")
            .to_string(),
        level,
        parent_code: r.try_get("parent_code")?,
        center: match c {
            (Some(x), Some(y)) => Some([x, y]),
            _ => None,
        },
        bbox: match b {
            (Some(a), Some(b), Some(c), Some(d)) => Some([a, b, c, d]),
            _ => None,
        },
        child_count: r.try_get("child_count")?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

/// Limits a query on `regions {alias}` to the caller's scope.
pub fn push_scope(sql: &mut Sql, scope: &Scope, alias: &str) {
    match scope {
        Scope::All => {}
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            sql.push_bind(&format!(" AND {alias}.code LIKE "), format!("{prefix}%"));
        }
        // An enterprise sees the chain of regions that contain it.
        // 保险机构人员 see only their policyholders' 安责险 records (credit::insurance).
        Scope::Insurer { .. } => {
            sql.push(" AND 1 = 0");
        }
        Scope::Enterprise { enterprise_id } => {
            sql.push_bind(
                " AND EXISTS (SELECT 1 FROM enterprises se WHERE se.id = ",
                enterprise_id,
            )
            .push(&format!(" AND se.grid_code LIKE {alias}.code || '%')"));
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct RegionFilter {
    pub parent: Option<String>,
    pub level: Option<String>,
    pub q: Option<String>,
    /// Only the scope's own top region(s) (for a tree's first level).
    pub roots: bool,
}

pub async fn list(store: &Store, scope: &Scope, f: &RegionFilter) -> StoreResult<Vec<Region>> {
    let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM regions r WHERE 1 = 1"));
    push_scope(&mut sql, scope, "r");
    if let Some(p) = &f.parent {
        sql.push_bind(" AND r.parent_code = ", p);
    }
    if let Some(l) = &f.level {
        sql.push_bind(" AND r.level = ", l);
    }
    if let Some(q) = &f.q {
        sql.push_bind(" AND (r.name LIKE ", crate::db::like_contains(q))
            .push(" ESCAPE '\\' ")
            .push_bind(" OR r.code = ", q)
            .push(")");
    }
    if f.roots {
        // A root is a region whose parent is not visible to the caller.
        sql.push(" AND NOT EXISTS (SELECT 1 FROM regions p WHERE p.code = r.parent_code");
        push_scope(&mut sql, scope, "p");
        sql.push(")");
    }
    sql.push(" ORDER BY r.code LIMIT 5000");
    store.fetch_all(sql).await?.iter().map(from_row).collect()
}

pub async fn get(store: &Store, scope: &Scope, code: &str) -> StoreResult<Region> {
    let mut sql = Sql::new(&format!("SELECT {COLUMNS} FROM regions r WHERE r.code = "));
    sql.bind(code);
    push_scope(&mut sql, scope, "r");
    let row = store
        .fetch_optional(sql)
        .await?
        .ok_or(StoreError::NotFound)?;
    from_row(&row)
}

/// The boundary of a region in scope, as GeoJSON geometry.
pub async fn boundary(
    store: &Store,
    scope: &Scope,
    code: &str,
) -> StoreResult<Option<serde_json::Value>> {
    let mut sql = Sql::new("SELECT r.boundary FROM regions r WHERE r.code = ");
    sql.bind(code);
    push_scope(&mut sql, scope, "r");
    let row = store
        .fetch_optional(sql)
        .await?
        .ok_or(StoreError::NotFound)?;
    let text: Option<String> = row.try_get("boundary")?;
    Ok(text.and_then(|t| serde_json::from_str(&t).ok()))
}

/// A GeoJSON FeatureCollection of the regions in scope at the given levels.
pub async fn feature_collection(
    store: &Store,
    scope: &Scope,
    levels: &[RegionLevel],
) -> StoreResult<serde_json::Value> {
    let mut sql = Sql::new(
        "SELECT r.code, r.name, r.level, r.parent_code, r.boundary, r.center_lon, r.center_lat FROM regions r WHERE r.boundary IS NOT NULL",
    );
    push_scope(&mut sql, scope, "r");
    sql.push(" AND r.level IN ")
        .bind_list(levels.iter().map(|l| l.as_str()));
    sql.push(" ORDER BY r.code");
    let rows = store.fetch_all(sql).await?;
    let mut features = Vec::with_capacity(rows.len());
    for r in &rows {
        let boundary: Option<String> = r.try_get("boundary")?;
        let Some(geometry) =
            boundary.and_then(|b| serde_json::from_str::<serde_json::Value>(&b).ok())
        else {
            continue;
        };
        features.push(serde_json::json!({
            "type": "Feature",
            "id": r.try_get::<String, _>("code")?,
            "geometry": geometry,
            "properties": {
                "code": r.try_get::<String, _>("code")?,
                "name": r.try_get::<String, _>("name")?,
                "level": r.try_get::<String, _>("level")?,
                "parent_code": r.try_get::<Option<String>, _>("parent_code")?,
                "center": [r.try_get::<Option<f64>, _>("center_lon")?, r.try_get::<Option<f64>, _>("center_lat")?],
            }
        }));
    }
    Ok(serde_json::json!({"type": "FeatureCollection", "features": features}))
}

/// A region as submitted.
#[derive(Debug, Clone)]
pub struct RegionInput {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub boundary: Option<serde_json::Value>,
}

#[derive(Debug, Clone)]
pub struct RegionUpdate {
    pub name: String,
    pub boundary: Option<serde_json::Value>,
}

fn shape(boundary: &Option<serde_json::Value>) -> StoreResult<Shape> {
    Ok(region::shape_of(boundary)?)
}

async fn level_of(tx: &mut Tx, code: &str) -> StoreResult<Option<RegionLevel>> {
    let mut q = Sql::new("SELECT level FROM regions WHERE code = ");
    q.bind(code);
    Ok(match q.fetch_optional(tx).await? {
        Some(r) => RegionLevel::parse(&r.try_get::<String, _>("level")?).ok(),
        None => None,
    })
}

/// A new region's level, code, name and boundary, checked.
pub struct CheckedRegion {
    level: RegionLevel,
    code: String,
    name: String,
    shape: Shape,
}

impl CheckedRegion {
    /// The region's code.
    pub fn code(&self) -> &str {
        &self.code
    }
}

/// Checks a new region's level, code, name and boundary.
pub fn check_region(input: &RegionInput) -> StoreResult<CheckedRegion> {
    let level =
        RegionLevel::parse(input.level.trim()).map_err(|m| StoreError::invalid("level", m))?;
    let code = input.code.trim().to_string();
    region::validate_code(&code, level).map_err(|m| StoreError::invalid("code", m))?;
    let name = region::check_name(&input.name)?;
    let shape = shape(&input.boundary)?;
    Ok(CheckedRegion {
        level,
        code,
        name,
        shape,
    })
}

/// Inserts checked region `c` under its parent (which must exist, one level up) and its audit
/// record.
pub async fn create_in(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    input: &RegionInput,
    c: &CheckedRegion,
) -> StoreResult<()> {
    let (level, code, name, shape) = (c.level, &c.code, &c.name, &c.shape);
    let parent_code = input
        .parent_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let parent = match parent_code {
        Some(p) => match level_of(tx, p).await? {
            Some(l) => Some((p, l)),
            None => {
                return Err(StoreError::invalid(
                    "parent_code",
                    region::parent_missing(p),
                ));
            }
        },
        None => None,
    };
    region::validate_parent(code, level, parent)
        .map_err(|m| StoreError::invalid("parent_code", m))?;
    if level_of(tx, code).await?.is_some() {
        return Err(StoreError::conflict("code", region::code_taken(code)));
    }
    let mut ins = Sql::new(
        "INSERT INTO regions (code, name, level, parent_code, boundary, center_lon, center_lat, min_lon, min_lat, max_lon, max_lat, created_ms, updated_ms) VALUES ",
    );
    ins.values(vec![
        code.as_str().into(),
        name.as_str().into(),
        level.as_str().into(),
        parent_code.into(),
        shape.text.clone().into(),
        shape.center.map(|c| c[0]).into(),
        shape.center.map(|c| c[1]).into(),
        shape.bbox.map(|b| b.min_lon).into(),
        shape.bbox.map(|b| b.min_lat).into(),
        shape.bbox.map(|b| b.max_lon).into(),
        shape.bbox.map(|b| b.max_lat).into(),
        now.into(),
        now.into(),
    ]);
    ins.execute(&mut *tx).await?;
    audit::append(
        tx,
        now,
        actor,
        Change {
            action: "create",
            entity_type: "region",
            entity_id: Some(code),
            summary: region::created_summary(level, name, code),
            before: None,
            after: Some(serde_json::json!({"code": code, "name": name, "level": level.as_str(), "parent_code": parent_code, "has_boundary": shape.text.is_some()})),
        },
    )
    .await?;
    Ok(())
}

/// Renames region `before` to checked `name` and, when given, replaces its boundary; with its
/// audit record.
pub async fn update_in(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    before: &Region,
    name: &str,
    input: &RegionUpdate,
) -> StoreResult<()> {
    let code = before.code.as_str();
    let mut up = Sql::new("UPDATE regions SET name = ");
    up.bind(name).push_bind(", updated_ms = ", now);
    if input.boundary.is_some() {
        let s = shape(&input.boundary)?;
        up.push_bind(", boundary = ", s.text)
            .push_bind(", center_lon = ", s.center.map(|c| c[0]))
            .push_bind(", center_lat = ", s.center.map(|c| c[1]))
            .push_bind(", min_lon = ", s.bbox.map(|b| b.min_lon))
            .push_bind(", min_lat = ", s.bbox.map(|b| b.min_lat))
            .push_bind(", max_lon = ", s.bbox.map(|b| b.max_lon))
            .push_bind(", max_lat = ", s.bbox.map(|b| b.max_lat));
    }
    up.push_bind(" WHERE code = ", code);
    up.execute(&mut *tx).await?;
    audit::append(
        tx,
        now,
        actor,
        Change {
            action: "update",
            entity_type: "region",
            entity_id: Some(code),
            summary: region::updated_summary(name, code),
            before: Some(serde_json::json!({"name": before.name})),
            after: Some(
                serde_json::json!({"name": name, "boundary_changed": input.boundary.is_some()}),
            ),
        },
    )
    .await?;
    Ok(())
}

/// Refuses to delete a region that still has regions under it.
pub fn may_delete(before: &Region) -> StoreResult<()> {
    if before.child_count > 0 {
        return Err(StoreError::conflict(
            "code",
            region::still_holds(&before.name, before.child_count, region::CHILDREN),
        ));
    }
    Ok(())
}

/// Deletes region `before` unless enterprises, users or departments still belong to it; with
/// its audit record.
pub async fn delete_in(tx: &mut Tx, now: i64, actor: &Actor, before: &Region) -> StoreResult<()> {
    let code = before.code.as_str();
    for (table, col, what) in region::HOLDERS {
        let mut q = Sql::new(&format!("SELECT COUNT(*) FROM {table} WHERE {col} = "));
        q.bind(code);
        let n: i64 = q.fetch_one(&mut *tx).await?.try_get(0)?;
        if n > 0 {
            return Err(StoreError::conflict(
                "code",
                region::still_holds(&before.name, n, what),
            ));
        }
    }
    let mut del = Sql::new("DELETE FROM regions WHERE code = ");
    del.bind(code).execute(&mut *tx).await?;
    audit::append(
        tx,
        now,
        actor,
        Change {
            action: "delete",
            entity_type: "region",
            entity_id: Some(code),
            summary: region::deleted_summary(&before.name, code),
            before: Some(serde_json::to_value(before).unwrap_or_default()),
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// The first district (the default root of district-level views for callers bound to none).
pub async fn top_code(store: &Store) -> StoreResult<Option<String>> {
    let r = store
        .fetch_optional(Sql::new(
            "SELECT code FROM regions WHERE level = 'district' ORDER BY code LIMIT 1",
        ))
        .await?;
    Ok(match r {
        Some(r) => Some(sqlx::Row::try_get(&r, 0)?),
        None => None,
    })
}

/// The district a caller works in: the first six digits of its region, or the first district for
/// callers bound to none (admins). District-wide records (plans, the duty room) belong to it.
pub async fn district_of_scope(store: &Store, scope: &Scope) -> StoreResult<String> {
    if let Some(d) = scope.region_prefix().and_then(|p| p.get(..6)) {
        return Ok(d.to_string());
    }
    Ok(top_code(store).await?.unwrap_or_default())
}
