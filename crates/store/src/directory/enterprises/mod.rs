//! 生产经营单位 registry: the record, scoped lists and lookups; the map layer (`map`) and the
//! writes inside the caller's transaction (`writes`).

mod map;
mod writes;

pub use map::{RegionCount, layer as map_layer, map_points, region_counts};
pub(crate) use writes::write_supervised;
pub use writes::{create_in, delete_in, insert_many_in, update_in};

use crate::kernel::keys;
use crate::{Page, Sql, Store, StoreError, StoreResult};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::directory::enterprise::{
    CATEGORIES, FLAGS, INDUSTRY_SECTIONS, STATUSES, Supervised, label_of, split_codes,
};
use yingji_core::directory::enterprise_wording as words;
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

impl Enterprise {
    /// The fields its supervising department owns, as they are.
    pub fn supervised(&self) -> Supervised {
        Supervised {
            industry_code: self.industry_code.clone(),
            categories: self.categories.clone(),
            scale: self.scale.clone(),
            flags: self.flags.clone(),
            status: self.status.clone(),
        }
    }
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
        principal_phone: keys::open_opt(r.try_get("principal_phone")?),
        safety_officer_name: r.try_get("safety_officer_name")?,
        safety_officer_phone: keys::open_opt(r.try_get("safety_officer_phone")?),
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
        // 保险机构人员 see only their policyholders' 安责险 records (credit::insurance).
        Scope::Insurer { .. } => {
            sql.push(" AND 1 = 0");
        }
        Scope::Enterprise { enterprise_id } => {
            sql.push_bind(" AND e.id = ", enterprise_id);
        }
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
    let count = Sql {
        text: format!("SELECT COUNT(*) FROM enterprises e{}", w.text),
        args: w.args.clone(),
    };
    // A name search matches few of the scope's rows but must read all of its index entries:
    // one pass gives the page and the count (a window over the matches) instead of two.
    let search = f.q.as_deref().is_some_and(|q| !q.trim().is_empty());
    let total = if search {
        None
    } else {
        Some(store.fetch_i64(count.clone()).await?)
    };
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
    let counted = if search {
        ", COUNT(*) OVER () AS total_rows"
    } else {
        ", 0 AS total_rows"
    };
    // Ids first, from the covering region indexes; then the page's 20 rows. Both backends
    // would otherwise read every matching row before sorting.
    let mut ids = Sql {
        text: format!(
            "SELECT e.id{counted} FROM enterprises e{} ORDER BY {sort} {dir}, e.id",
            w.text
        ),
        args: w.args,
    };
    page.push_limit(&mut ids);
    let from = FROM.replacen(" FROM enterprises e", "", 1);
    let q = Sql {
        text: format!(
            "SELECT {COLUMNS}, p.total_rows FROM ({}) p JOIN enterprises e ON e.id = p.id{from} ORDER BY {sort} {dir}, e.id",
            ids.text
        ),
        args: ids.args,
    };
    let rows = store.fetch_all(q).await?;
    let total = match (total, rows.first()) {
        (Some(t), _) => t,
        (None, Some(r)) => r.try_get("total_rows")?,
        // Past the last page of a search: the count alone.
        (None, None) => store.fetch_i64(count).await?,
    };
    Ok((
        rows.iter().map(from_row).collect::<StoreResult<_>>()?,
        total,
    ))
}

/// The enterprise a record is being filed under: one the caller may see, or a field error on
/// `enterprise_id` (not a 404: the record, not the enterprise, is what was asked for).
pub async fn get_referenced(store: &Store, scope: &Scope, id: &str) -> StoreResult<Enterprise> {
    get(store, scope, id).await.map_err(|e| match e {
        StoreError::NotFound => StoreError::invalid("enterprise_id", words::NOT_VISIBLE),
        other => other,
    })
}

pub async fn get(store: &Store, scope: &Scope, id: &str) -> StoreResult<Enterprise> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE e.id = "));
    q.bind(id);
    push_scope(&mut q, scope);
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
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
