//! 部门: who supervises which categories (管行业必须管安全) in which region.

use crate::kernel::audit::{self, Change};
use crate::{Actor, Sql, Store, StoreError, StoreResult};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::directory::enterprise::{join_codes, split_codes};
use yingji_core::kernel::role::Scope;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Department {
    pub id: String,
    pub name: String,
    pub categories: Vec<String>,
    pub region_code: String,
    pub region_name: Option<String>,
    pub phone: Option<String>,
    pub documents_short_name: Option<String>,
    pub created_ms: i64,
    pub updated_ms: i64,
}

pub use yingji_core::directory::department::CheckedDepartment;
pub use yingji_core::directory::department::DepartmentInput;
use yingji_core::directory::department::{self as rules};

const COLUMNS: &str = "d.id, d.name, d.categories, d.region_code, d.phone, d.documents_short_name, d.created_ms, d.updated_ms, r.name AS region_name";

fn from_row(r: &AnyRow) -> StoreResult<Department> {
    Ok(Department {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        categories: split_codes(&r.try_get::<String, _>("categories")?),
        region_code: r.try_get("region_code")?,
        region_name: r.try_get("region_name")?,
        phone: r.try_get("phone")?,
        documents_short_name: r.try_get("documents_short_name")?,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

/// Departments visible to a scope: those serving the scope's region (at or above it) or inside it.
fn push_scope(sql: &mut Sql, scope: &Scope) {
    match scope {
        Scope::All => {}
        Scope::Region { prefix, .. } => {
            sql.push_bind(" AND (d.region_code LIKE ", format!("{prefix}%"))
                .push_bind(" OR ", prefix.as_str())
                .push(" LIKE d.region_code || '%')");
        }
        Scope::Department { department_id, .. } => {
            sql.push_bind(" AND d.id = ", department_id);
        }
        // 保险机构人员 see only their policyholders' 安责险 records (credit::insurance).
        Scope::Insurer { .. } => {
            sql.push(" AND 1 = 0");
        }
        Scope::Enterprise { .. } => {
            sql.push(" AND 1 = 0");
        }
    }
}

pub async fn list(store: &Store, scope: &Scope) -> StoreResult<Vec<Department>> {
    let mut sql = Sql::new(&format!(
        "SELECT {COLUMNS} FROM departments d LEFT JOIN regions r ON r.code = d.region_code WHERE 1 = 1"
    ));
    push_scope(&mut sql, scope);
    sql.push(" ORDER BY d.name");
    store.fetch_all(sql).await?.iter().map(from_row).collect()
}

pub async fn get(store: &Store, scope: &Scope, id: &str) -> StoreResult<Department> {
    let mut sql = Sql::new(&format!(
        "SELECT {COLUMNS} FROM departments d LEFT JOIN regions r ON r.code = d.region_code WHERE d.id = "
    ));
    sql.bind(id);
    push_scope(&mut sql, scope);
    from_row(
        &store
            .fetch_optional(sql)
            .await?
            .ok_or(StoreError::NotFound)?,
    )
}

pub async fn find_by_name(store: &Store, name: &str) -> StoreResult<Option<Department>> {
    let mut sql = Sql::new(&format!(
        "SELECT {COLUMNS} FROM departments d LEFT JOIN regions r ON r.code = d.region_code WHERE d.name = "
    ));
    sql.bind(name);
    store
        .fetch_optional(sql)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

async fn ensure_region(tx: &mut crate::Tx, code: &str) -> StoreResult<()> {
    let mut q = Sql::new("SELECT COUNT(*) FROM regions WHERE code = ");
    q.bind(code);
    let n: i64 = q.fetch_one(tx).await?.try_get(0)?;
    if n == 0 {
        return Err(StoreError::invalid(
            "region_code",
            rules::region_missing(code),
        ));
    }
    Ok(())
}

async fn ensure_unique_name(
    tx: &mut crate::Tx,
    name: &str,
    except: Option<&str>,
) -> StoreResult<()> {
    let mut q = Sql::new("SELECT COUNT(*) FROM departments WHERE name = ");
    q.bind(name);
    if let Some(id) = except {
        q.push_bind(" AND id <> ", id);
    }
    let n: i64 = q.fetch_one(tx).await?.try_get(0)?;
    if n > 0 {
        return Err(StoreError::conflict("name", rules::name_taken(name)));
    }
    Ok(())
}

/// Inserts checked department `id` (its region must exist, its name be new) and its audit
/// record.
pub async fn create_in(
    tx: &mut crate::Tx,
    now: i64,
    actor: &Actor,
    id: &str,
    c: &CheckedDepartment,
) -> StoreResult<()> {
    ensure_region(tx, &c.region_code).await?;
    ensure_unique_name(tx, &c.name, None).await?;
    let mut ins = Sql::new(
        "INSERT INTO departments (id, name, categories, region_code, phone, documents_short_name, created_ms, updated_ms) VALUES ",
    );
    ins.values(vec![
        id.into(),
        c.name.as_str().into(),
        join_codes(&c.categories).into(),
        c.region_code.as_str().into(),
        c.phone.clone().into(),
        c.documents_short_name.clone().into(),
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
            entity_type: "department",
            entity_id: Some(id),
            summary: rules::created_summary(&c.name),
            before: None,
            after: Some(serde_json::json!({"name": c.name, "categories": c.categories, "region_code": c.region_code, "phone": c.phone, "documents_short_name": c.documents_short_name})),
        },
    )
    .await?;
    Ok(())
}

/// Writes checked department `c` over `before` (its region must exist, its name be free) and
/// its audit record.
pub async fn update_in(
    tx: &mut crate::Tx,
    now: i64,
    actor: &Actor,
    before: &Department,
    c: &CheckedDepartment,
) -> StoreResult<()> {
    let id = before.id.as_str();
    ensure_region(tx, &c.region_code).await?;
    ensure_unique_name(tx, &c.name, Some(id)).await?;
    let mut up = Sql::new("UPDATE departments SET name = ");
    up.bind(&c.name)
        .push_bind(", categories = ", join_codes(&c.categories))
        .push_bind(", region_code = ", &c.region_code)
        .push_bind(", phone = ", c.phone.clone())
        .push_bind(", documents_short_name = ", c.documents_short_name.clone())
        .push_bind(", updated_ms = ", now)
        .push_bind(" WHERE id = ", id);
    up.execute(&mut *tx).await?;
    audit::append(
        tx,
        now,
        actor,
        Change {
            action: "update",
            entity_type: "department",
            entity_id: Some(id),
            summary: rules::updated_summary(&c.name),
            before: Some(serde_json::to_value(before).unwrap_or_default()),
            after: Some(serde_json::json!({"name": c.name, "categories": c.categories, "region_code": c.region_code, "phone": c.phone, "documents_short_name": c.documents_short_name})),
        },
    )
    .await?;
    Ok(())
}
