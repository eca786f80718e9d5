//! 执法事项目录: what each department inspects, on what legal basis and how.

use super::push_departments;
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::enforcement::item_summary;
use yingji_core::enforcement::registry::CheckedItem;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Item {
    pub id: String,
    pub department_id: String,
    pub department_name: String,
    pub name: String,
    pub legal_basis: String,
    pub method: String,
    pub category: Option<String>,
    pub content: Option<String>,
    pub active: bool,
    pub created_ms: i64,
    pub updated_ms: i64,
}

const SELECT: &str = "SELECT i.*, d.name AS department_name FROM enforcement_items i JOIN departments d ON d.id = i.department_id WHERE 1 = 1";

fn from_row(r: &AnyRow) -> StoreResult<Item> {
    Ok(Item {
        id: r.try_get("id")?,
        department_id: r.try_get("department_id")?,
        department_name: r.try_get("department_name")?,
        name: r.try_get("name")?,
        legal_basis: r.try_get("legal_basis")?,
        method: r.try_get("method")?,
        category: r.try_get("category")?,
        content: r.try_get("content")?,
        active: r.try_get::<i64, _>("active")? != 0,
        created_ms: r.try_get("created_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

/// The catalogue items the caller may see, by department and name.
pub async fn list(store: &Store, ctx: &Ctx, department: Option<&str>) -> StoreResult<Vec<Item>> {
    let mut q = Sql::new(SELECT);
    push_departments(&mut q, ctx, "i.department_id")?;
    if let Some(d) = department.filter(|d| !d.is_empty()) {
        q.push_bind(" AND i.department_id = ", d);
    }
    q.push(" ORDER BY d.name, i.name, i.id");
    store.fetch_all(q).await?.iter().map(from_row).collect()
}

/// One item the caller may see.
pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Item> {
    let mut q = Sql::new(SELECT);
    q.push_bind(" AND i.id = ", id);
    push_departments(&mut q, ctx, "i.department_id")?;
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// Adds a checked item to a department's catalogue with its audit record; answers its id.
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    department_id: &str,
    c: &CheckedItem,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO enforcement_items (id, department_id, name, legal_basis, method, category, content, active, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        department_id.into(),
        c.name.clone().into(),
        c.legal_basis.clone().into(),
        c.method.clone().into(),
        c.category.clone().into(),
        c.content.clone().into(),
        true.into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            after: Some(serde_json::json!({
                "department_id": department_id, "name": c.name, "legal_basis": c.legal_basis,
                "method": c.method, "category": c.category,
            })),
            ..Change::of("create", "enforcement_item", &id, item_summary(&c.name))
        },
    )
    .await?;
    Ok(id)
}
