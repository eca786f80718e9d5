//! 生产经营单位 registry: scoped lists and map layers, and changes with their audit records.

use crate::kernel::audit::{self, Change};
use crate::{Actor, Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::directory::enterprise::{
    CATEGORIES, EnterpriseFields, EnterpriseInput, FLAGS, INDUSTRY_SECTIONS, STATUSES, Supervised,
    join_codes, label_of, split_codes,
};
use yingji_core::directory::enterprise_wording as words;
use yingji_core::directory::region::RegionLevel;
use yingji_core::kernel::role::Scope;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Enterprise {
    pub id: String,
    pub name: String,
    pub uscc: String,
    pub industry_code: String,
    pub industry_label: String,
    pub categories: Vec<String>,
    pub category_labels: Vec<String>,
    pub scale: String,
    pub address: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub grid_code: String,
    pub grid_name: Option<String>,
    pub street_name: Option<String>,
    pub principal_name: Option<String>,
    pub principal_phone: Option<String>,
    pub safety_officer_name: Option<String>,
    pub safety_officer_phone: Option<String>,
    pub flags: Vec<String>,
    pub flag_labels: Vec<String>,
    pub status: String,
    pub status_label: String,
    pub employees: Option<i64>,
    pub created_ms: i64,
    pub updated_ms: i64,
}

const COLUMNS: &str = "e.id, e.name, e.uscc, e.industry_code, e.categories, e.scale, e.address, e.lon, e.lat, e.grid_code, e.principal_name, e.principal_phone, e.safety_officer_name, e.safety_officer_phone, e.flags, e.status, e.employees, e.created_ms, e.updated_ms, g.name AS grid_name, s.name AS street_name";
const FROM: &str = " FROM enterprises e LEFT JOIN regions g ON g.code = e.grid_code LEFT JOIN regions s ON s.code = e.street_code";

fn labels(list: &[yingji_core::directory::enterprise::Code], codes: &[String]) -> Vec<String> {
    codes
        .iter()
        .filter_map(|c| label_of(list, c))
        .map(str::to_string)
        .collect()
}

fn from_row(r: &AnyRow) -> StoreResult<Enterprise> {
    let categories = split_codes(&r.try_get::<String, _>("categories")?);
    let flags = split_codes(&r.try_get::<String, _>("flags")?);
    let industry_code: String = r.try_get("industry_code")?;
    let status: String = r.try_get("status")?;
    Ok(Enterprise {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        uscc: r.try_get("uscc")?,
        industry_label: label_of(
            INDUSTRY_SECTIONS,
            &industry_code[..1.min(industry_code.len())],
        )
        .unwrap_or("")
        .to_string(),
        industry_code,
        category_labels: labels(CATEGORIES, &categories),
        categories,
        scale: r.try_get("scale")?,
        address: r.try_get("address")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        grid_code: r.try_get("grid_code")?,
        grid_name: r.try_get("grid_name")?,
        street_name: r.try_get("street_name")?,
        principal_name: r.try_get("principal_name")?,
        principal_phone: r.try_get("principal_phone")?,
        safety_officer_name: r.try_get("safety_officer_name")?,
        safety_officer_phone: r.try_get("safety_officer_phone")?,
        flag_labels: labels(FLAGS, &flags),
        flags,
        status_label: label_of(STATUSES, &status).unwrap_or("").to_string(),
        status,
        employees: r.try_get("employees")?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

/// `e.<column> = code` for a region code of known length, else a prefix match.
pub fn push_region(sql: &mut Sql, prefix: &str) {
    push_region_on(sql, "e", prefix);
}

/// The same on any table carrying the derived region columns, under `alias`.
pub fn push_region_on(sql: &mut Sql, alias: &str, prefix: &str) {
    let column = match prefix.len() {
        6 => "district_code",
        9 => "street_code",
        12 => "community_code",
        15 => "grid_code",
        _ => {
            sql.push_bind(
                &format!(" AND {alias}.grid_code LIKE "),
                format!("{prefix}%"),
            );
            return;
        }
    };
    sql.push_bind(&format!(" AND {alias}.{column} = "), prefix);
}

/// `(a.categories LIKE '%,x,%' OR …)`: records of any of a department's supervision categories.
pub fn push_categories_on(sql: &mut Sql, alias: &str, categories: &[String]) {
    if categories.is_empty() {
        sql.push("1 = 0");
        return;
    }
    sql.push("(");
    for (i, c) in categories.iter().enumerate() {
        let op = if i == 0 { "" } else { " OR " };
        sql.push_bind(&format!("{op}{alias}.categories LIKE "), format!("%,{c},%"));
    }
    sql.push(")");
}

/// The district, street and community codes a grid (or community) code lies in.
fn parent_codes(grid_code: &str) -> (String, String, String) {
    let cut = |n: usize| grid_code.get(..n).unwrap_or(grid_code).to_string();
    (cut(6), cut(9), cut(12))
}

/// Limits a query on `enterprises e` to the caller's scope.
pub fn push_scope(sql: &mut Sql, scope: &Scope) {
    match scope {
        Scope::All => {}
        Scope::Region { prefix, .. } => push_region(sql, prefix),
        Scope::Department {
            prefix, categories, ..
        } => {
            push_region(sql, prefix);
            sql.push(" AND ");
            push_categories_on(sql, "e", categories);
        }
        Scope::Enterprise { enterprise_id } => {
            sql.push_bind(" AND e.id = ", enterprise_id);
        }
    }
}

/// Whether a record with these fields would lie inside the scope (for writes).
pub fn fields_in_scope(scope: &Scope, grid_code: &str, categories: &[String]) -> bool {
    match scope {
        Scope::All => true,
        Scope::Region { prefix, .. } => grid_code.starts_with(prefix.as_str()),
        Scope::Department {
            prefix,
            categories: own,
            ..
        } => grid_code.starts_with(prefix.as_str()) && categories.iter().any(|c| own.contains(c)),
        Scope::Enterprise { .. } => false,
    }
}

#[derive(Debug, Default, Clone)]
pub struct EnterpriseFilter {
    pub q: Option<String>,
    pub category: Option<String>,
    pub flag: Option<String>,
    pub region: Option<String>,
    pub scale: Option<String>,
    pub status: Option<String>,
    pub industry: Option<String>,
    pub sort: Option<String>,
    pub desc: bool,
}

fn push_filter(w: &mut Sql, f: &EnterpriseFilter) {
    // Name or code: both sit in the region indexes, so a scoped search never reads the table.
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let like = crate::db::like_contains(q);
        w.push_bind(" AND (e.name LIKE ", like.clone())
            .push(" ESCAPE '\\'");
        w.push_bind(" OR e.uscc LIKE ", like.to_ascii_uppercase())
            .push(" ESCAPE '\\')");
    }
    if let Some(c) = &f.category {
        w.push_bind(" AND e.categories LIKE ", format!("%,{c},%"));
    }
    if let Some(c) = &f.flag {
        w.push_bind(" AND e.flags LIKE ", format!("%,{c},%"));
    }
    if let Some(r) = &f.region {
        push_region(w, r);
    }
    if let Some(s) = &f.scale {
        w.push_bind(" AND e.scale = ", s);
    }
    if let Some(s) = &f.status {
        w.push_bind(" AND e.status = ", s);
    }
    if let Some(i) = &f.industry {
        w.push_bind(
            " AND e.industry_code LIKE ",
            format!("{}%", i.to_ascii_uppercase()),
        );
    }
}

/// Sortable columns (API name → SQL), so no user text reaches ORDER BY.
pub const SORTS: &[(&str, &str)] = &[
    ("name", "e.name"),
    ("uscc", "e.uscc"),
    ("updated_at", "e.updated_ms"),
    ("created_at", "e.created_ms"),
    ("employees", "e.employees"),
    ("grid_code", "e.grid_code"),
];

pub async fn list(
    store: &Store,
    scope: &Scope,
    f: &EnterpriseFilter,
    page: Page,
) -> StoreResult<(Vec<Enterprise>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_scope(&mut w, scope);
    push_filter(&mut w, f);
    let total = store
        .fetch_i64(Sql {
            text: format!("SELECT COUNT(*) FROM enterprises e{}", w.text),
            args: w.args.clone(),
        })
        .await?;
    let sort = f
        .sort
        .as_deref()
        .and_then(|s| SORTS.iter().find(|x| x.0 == s))
        .map(|x| x.1)
        .unwrap_or("e.updated_ms");
    let dir = if f.desc || f.sort.is_none() {
        "DESC"
    } else {
        "ASC"
    };
    // Ids first, from the covering region indexes; then the page's 20 rows. Both backends
    // would otherwise read every matching row before sorting.
    let mut ids = Sql {
        text: format!(
            "SELECT e.id FROM enterprises e{} ORDER BY {sort} {dir}, e.id",
            w.text
        ),
        args: w.args,
    };
    page.push_limit(&mut ids);
    let from = FROM.replacen(" FROM enterprises e", "", 1);
    let q = Sql {
        text: format!(
            "SELECT {COLUMNS} FROM ({}) p JOIN enterprises e ON e.id = p.id{from} ORDER BY {sort} {dir}, e.id",
            ids.text
        ),
        args: ids.args,
    };
    Ok((
        store
            .fetch_all(q)
            .await?
            .iter()
            .map(from_row)
            .collect::<StoreResult<_>>()?,
        total,
    ))
}

/// The enterprise a record is being filed under: one the caller may see, or a field error on
/// `enterprise_id` (not a 404: the record, not the enterprise, is what was asked for).
pub async fn get_referenced(store: &Store, scope: &Scope, id: &str) -> StoreResult<Enterprise> {
    get(store, scope, id).await.map_err(|e| match e {
        StoreError::NotFound => {
            StoreError::invalid("enterprise_id", "企业不存在或不在您的管辖范围内")
        }
        other => other,
    })
}

pub async fn get(store: &Store, scope: &Scope, id: &str) -> StoreResult<Enterprise> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE e.id = "));
    q.bind(id);
    push_scope(&mut q, scope);
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// The map layer's points in a bounding box, or None when there are more than `max_points`
/// (the caller then shows [`region_counts`]). The probe is a LIMIT over the covering map index.
pub async fn map_points(
    store: &Store,
    scope: &Scope,
    bbox: Option<[f64; 4]>,
    category: Option<&str>,
    max_points: i64,
) -> StoreResult<Option<serde_json::Value>> {
    let mut w = Sql::new(" WHERE e.lon IS NOT NULL");
    push_scope(&mut w, scope);
    if let Some(c) = category {
        w.push_bind(" AND e.categories LIKE ", format!("%,{c},%"));
    }
    if let Some(b) = bbox {
        w.push_bind(" AND e.lon >= ", b[0])
            .push_bind(" AND e.lon <= ", b[2])
            .push_bind(" AND e.lat >= ", b[1])
            .push_bind(" AND e.lat <= ", b[3]);
    }
    let probe = Sql {
        text: format!(
            "SELECT 1 FROM enterprises e{} LIMIT {}",
            w.text,
            max_points + 1
        ),
        args: w.args.clone(),
    };
    if store.fetch_all(probe).await?.len() as i64 > max_points {
        return Ok(None);
    }
    let pts = Sql {
        text: format!(
            "SELECT e.id, e.name, e.lon, e.lat, e.categories, e.flags, e.status FROM enterprises e{}",
            w.text
        ),
        args: w.args,
    };
    let rows = store.fetch_all(pts).await?;
    let mut features = Vec::with_capacity(rows.len());
    for r in &rows {
        let cats = split_codes(&r.try_get::<String, _>("categories")?);
        features.push(serde_json::json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [r.try_get::<f64, _>("lon")?, r.try_get::<f64, _>("lat")?]},
            "properties": {
                "id": r.try_get::<String, _>("id")?,
                "name": r.try_get::<String, _>("name")?,
                "category": cats.first().cloned().unwrap_or_default(),
                "categories": cats,
                "major_hazard": r.try_get::<String, _>("flags")?.contains(",major_hazard,"),
                "status": r.try_get::<String, _>("status")?,
            }
        }));
    }
    Ok(Some(
        serde_json::json!({"type": "FeatureCollection", "kind": "points", "features": features}),
    ))
}

/// Enterprises per region at one level, with the region's label point.
#[derive(Debug, Clone, Serialize)]
pub struct RegionCount {
    pub code: String,
    pub name: Option<String>,
    pub count: i64,
    pub center: Option<[f64; 2]>,
}

/// Enterprise counts per street, community or grid over the caller's scope (answered from the
/// region indexes).
pub async fn region_counts(
    store: &Store,
    scope: &Scope,
    category: Option<&str>,
    level: RegionLevel,
) -> StoreResult<Vec<RegionCount>> {
    let column = match level {
        RegionLevel::City | RegionLevel::District => "district_code",
        RegionLevel::Street => "street_code",
        RegionLevel::Community => "community_code",
        RegionLevel::Grid => "grid_code",
    };
    let mut inner = Sql::new(&format!(
        "SELECT e.{column} AS code, COUNT(*) AS n FROM enterprises e WHERE 1 = 1"
    ));
    push_scope(&mut inner, scope);
    if let Some(c) = category {
        inner.push_bind(" AND e.categories LIKE ", format!("%,{c},%"));
    }
    let q = Sql {
        text: format!(
            "SELECT a.code, a.n, r.name, r.center_lon, r.center_lat FROM ({} GROUP BY e.{column}) a LEFT JOIN regions r ON r.code = a.code ORDER BY a.code",
            inner.text
        ),
        args: inner.args,
    };
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            let center = match (
                r.try_get::<Option<f64>, _>("center_lon")?,
                r.try_get::<Option<f64>, _>("center_lat")?,
            ) {
                (Some(x), Some(y)) => Some([x, y]),
                _ => None,
            };
            Ok(RegionCount {
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                count: r.try_get("n")?,
                center,
            })
        })
        .collect()
}

fn fields_json(f: &EnterpriseFields) -> serde_json::Value {
    serde_json::to_value(f).unwrap_or_default()
}

async fn ensure_grid(tx: &mut Tx, grid_code: &str) -> StoreResult<()> {
    let mut q = Sql::new("SELECT level FROM regions WHERE code = ");
    q.bind(grid_code);
    match q.fetch_optional(tx).await? {
        None => Err(StoreError::invalid(
            "grid_code",
            format!("所属网格“{grid_code}”不存在"),
        )),
        Some(r) => {
            let level: String = r.try_get("level")?;
            if level == "grid" || level == "community" {
                Ok(())
            } else {
                Err(StoreError::invalid(
                    "grid_code",
                    format!("“{grid_code}”不是网格或社区，企业应归属到网格"),
                ))
            }
        }
    }
}

async fn ensure_unique_uscc(tx: &mut Tx, uscc: &str, except: Option<&str>) -> StoreResult<()> {
    let mut q = Sql::new("SELECT name FROM enterprises WHERE uscc = ");
    q.bind(uscc);
    if let Some(id) = except {
        q.push_bind(" AND id <> ", id);
    }
    if q.fetch_optional(tx).await?.is_some() {
        return Err(StoreError::conflict(
            "uscc",
            format!("统一社会信用代码“{uscc}”已被其他企业使用"),
        ));
    }
    Ok(())
}

const INSERT_COLUMNS: &str = "id, name, uscc, industry_code, categories, scale, address, lon, lat, grid_code, district_code, street_code, community_code, principal_name, principal_phone, safety_officer_name, safety_officer_phone, flags, status, employees, created_ms, updated_ms";

fn push_values(sql: &mut Sql, id: &str, f: &EnterpriseFields, now: i64) {
    let (district, street, community) = parent_codes(&f.grid_code);
    sql.values(vec![
        id.into(),
        f.name.as_str().into(),
        f.uscc.as_str().into(),
        f.industry_code.as_str().into(),
        join_codes(&f.categories).into(),
        f.scale.as_str().into(),
        f.address.as_str().into(),
        f.lon.into(),
        f.lat.into(),
        f.grid_code.as_str().into(),
        district.into(),
        street.into(),
        community.into(),
        f.principal_name.clone().into(),
        f.principal_phone.clone().into(),
        f.safety_officer_name.clone().into(),
        f.safety_officer_phone.clone().into(),
        join_codes(&f.flags).into(),
        f.status.as_str().into(),
        f.employees.into(),
        now.into(),
        now.into(),
    ]);
}

pub async fn create(
    store: &Store,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    input: &EnterpriseInput,
) -> StoreResult<Enterprise> {
    let f = input.validate()?;
    if !fields_in_scope(scope, &f.grid_code, &f.categories) {
        return Err(StoreError::Forbidden(words::CREATE_OUT_OF_SCOPE.into()));
    }
    let id = new_id();
    let mut tx = store.begin().await?;
    ensure_grid(&mut tx, &f.grid_code).await?;
    ensure_unique_uscc(&mut tx, f.uscc.as_str(), None).await?;
    let mut ins = Sql::new(&format!(
        "INSERT INTO enterprises ({INSERT_COLUMNS}) VALUES "
    ));
    push_values(&mut ins, &id, &f, now);
    ins.execute(&mut tx).await?;
    audit::append(
        &mut tx,
        now,
        actor,
        Change {
            action: "create",
            entity_type: "enterprise",
            entity_id: Some(&id),
            summary: words::created_summary(&f.name),
            before: None,
            after: Some(fields_json(&f)),
        },
    )
    .await?;
    tx.commit().await?;
    get(store, &Scope::All, &id).await
}

pub async fn update(
    store: &Store,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    id: &str,
    input: &EnterpriseInput,
) -> StoreResult<Enterprise> {
    let before = get(store, scope, id).await?;
    let mut f = input.validate()?;
    // An enterprise edits its own record but only proposes the supervised fields.
    let mut proposal = None;
    match scope {
        Scope::Enterprise { .. }
            if f.grid_code != before.grid_code || f.uscc.as_str() != before.uscc =>
        {
            return Err(StoreError::Forbidden(words::FIXED_FOR_ENTERPRISE.into()));
        }
        Scope::Enterprise { .. } => {
            let current = supervised_of(&before);
            let proposed = Supervised::of(&f);
            current.apply_to(&mut f);
            if proposed != current {
                proposal = Some((current, proposed));
            }
        }
        _ if !fields_in_scope(scope, &f.grid_code, &f.categories) => {
            return Err(StoreError::Forbidden(words::UPDATE_OUT_OF_SCOPE.into()));
        }
        _ => {}
    }
    let mut tx = store.begin().await?;
    ensure_grid(&mut tx, &f.grid_code).await?;
    ensure_unique_uscc(&mut tx, f.uscc.as_str(), Some(id)).await?;
    let mut up = Sql::new("UPDATE enterprises SET name = ");
    up.bind(&f.name)
        .push_bind(", uscc = ", f.uscc.as_str())
        .push_bind(", industry_code = ", &f.industry_code)
        .push_bind(", categories = ", join_codes(&f.categories))
        .push_bind(", scale = ", &f.scale)
        .push_bind(", address = ", &f.address)
        .push_bind(", lon = ", f.lon)
        .push_bind(", lat = ", f.lat)
        .push_bind(", grid_code = ", &f.grid_code)
        .push_bind(", district_code = ", parent_codes(&f.grid_code).0)
        .push_bind(", street_code = ", parent_codes(&f.grid_code).1)
        .push_bind(", community_code = ", parent_codes(&f.grid_code).2)
        .push_bind(", principal_name = ", f.principal_name.clone())
        .push_bind(", principal_phone = ", f.principal_phone.clone())
        .push_bind(", safety_officer_name = ", f.safety_officer_name.clone())
        .push_bind(", safety_officer_phone = ", f.safety_officer_phone.clone())
        .push_bind(", flags = ", join_codes(&f.flags))
        .push_bind(", status = ", &f.status)
        .push_bind(", employees = ", f.employees)
        .push_bind(", updated_ms = ", now)
        .push_bind(" WHERE id = ", id);
    up.execute(&mut tx).await?;
    audit::append(
        &mut tx,
        now,
        actor,
        Change {
            action: "update",
            entity_type: "enterprise",
            entity_id: Some(id),
            summary: words::updated_summary(&f.name),
            before: Some(serde_json::to_value(&before).unwrap_or_default()),
            after: Some(fields_json(&f)),
        },
    )
    .await?;
    if let Some((current, proposed)) = proposal {
        crate::directory::enterprise_changes::propose(
            &mut tx, now, actor, &before, &current, &proposed,
        )
        .await?;
    }
    tx.commit().await?;
    get(store, &Scope::All, id).await
}

fn supervised_of(e: &Enterprise) -> Supervised {
    Supervised {
        industry_code: e.industry_code.clone(),
        categories: e.categories.clone(),
        scale: e.scale.clone(),
        flags: e.flags.clone(),
        status: e.status.clone(),
    }
}

/// Writes the supervised fields (a confirmed change).
pub(crate) async fn write_supervised(
    tx: &mut Tx,
    now: i64,
    id: &str,
    v: &Supervised,
) -> StoreResult<()> {
    let mut up = Sql::new("UPDATE enterprises SET industry_code = ");
    up.bind(&v.industry_code)
        .push_bind(", categories = ", join_codes(&v.categories))
        .push_bind(", scale = ", &v.scale)
        .push_bind(", flags = ", join_codes(&v.flags))
        .push_bind(", status = ", &v.status)
        .push_bind(", updated_ms = ", now)
        .push_bind(" WHERE id = ", id);
    up.execute(tx).await?;
    Ok(())
}

pub async fn delete(
    store: &Store,
    now: i64,
    actor: &Actor,
    scope: &Scope,
    id: &str,
) -> StoreResult<()> {
    let before = get(store, scope, id).await?;
    let mut tx = store.begin().await?;
    let mut still = Vec::new();
    for (table, what, unit) in words::REFERRERS {
        let mut q = Sql::new(&format!(
            "SELECT COUNT(*) FROM {table} WHERE enterprise_id = "
        ));
        q.bind(id);
        let n: i64 = q.fetch_one(&mut tx).await?.try_get(0)?;
        if n > 0 {
            still.push(words::referrer_count(n, what, unit));
        }
    }
    if !still.is_empty() {
        return Err(StoreError::conflict(
            "id",
            words::still_referred(&before.name, &still),
        ));
    }
    let mut del = Sql::new("DELETE FROM enterprises WHERE id = ");
    del.bind(id).execute(&mut tx).await?;
    audit::append(
        &mut tx,
        now,
        actor,
        Change {
            action: "delete",
            entity_type: "enterprise",
            entity_id: Some(id),
            summary: words::deleted_summary(&before.name),
            before: Some(serde_json::to_value(&before).unwrap_or_default()),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Those of `values` that `select` (a query ending in `… IN `, selecting one text column)
/// finds, asked in chunks so that a large import stays within parameter limits.
async fn present(store: &Store, select: &str, values: &[String]) -> StoreResult<Vec<String>> {
    let mut out = Vec::new();
    for chunk in values.chunks(500) {
        let mut q = Sql::new(select);
        q.bind_list(chunk.iter().map(String::as_str));
        for r in store.fetch_all(q).await? {
            out.push(r.try_get::<String, _>(0)?);
        }
    }
    Ok(out)
}

/// Codes among `codes` that are already registered (for import reports).
pub async fn existing_codes(store: &Store, codes: &[String]) -> StoreResult<Vec<String>> {
    present(store, "SELECT uscc FROM enterprises WHERE uscc IN ", codes).await
}

/// Grid codes among `codes` that exist at grid or community level.
pub async fn existing_grids(store: &Store, codes: &[String]) -> StoreResult<Vec<String>> {
    present(
        store,
        "SELECT code FROM regions WHERE level IN ('grid', 'community') AND code IN ",
        codes,
    )
    .await
}

/// Inserts checked records in one transaction, in multi-row batches. With `audit_each`, every
/// record gets its own audit entry (imports); otherwise one summary entry (the demo loader).
pub async fn insert_many(
    store: &Store,
    now: i64,
    actor: &Actor,
    records: &[EnterpriseFields],
    audit_each: bool,
    summary: &str,
) -> StoreResult<Vec<String>> {
    let mut tx = store.begin().await?;
    let mut ids = Vec::with_capacity(records.len());
    for chunk in records.chunks(200) {
        let mut ins = Sql::new(&format!(
            "INSERT INTO enterprises ({INSERT_COLUMNS}) VALUES "
        ));
        for (i, f) in chunk.iter().enumerate() {
            if i > 0 {
                ins.push(", ");
            }
            let id = new_id();
            push_values(&mut ins, &id, f, now);
            ids.push(id);
        }
        ins.execute(&mut tx).await?;
    }
    if audit_each {
        for (id, f) in ids.iter().zip(records) {
            audit::append(
                &mut tx,
                now,
                actor,
                Change {
                    action: "import",
                    entity_type: "enterprise",
                    entity_id: Some(id),
                    summary: words::imported_summary(&f.name),
                    before: None,
                    after: Some(fields_json(f)),
                },
            )
            .await?;
        }
    }
    audit::append(
        &mut tx,
        now,
        actor,
        Change {
            action: "import",
            entity_type: "enterprise",
            entity_id: None,
            summary: summary.to_string(),
            before: None,
            after: Some(serde_json::json!({"count": records.len()})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(ids)
}
