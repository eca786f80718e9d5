//! The facts the 严重失信主体名单 rests on: an enterprise's accidents (incidents with their grade),
//! the qualifying records a department enters, and who decides (the department that issued the
//! latest penalty, else the one supervising the enterprise's categories).

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::credit::listing_criteria::{Accident, Subject};
use yingji_core::credit::listings::{NOT_A_READER, may_read};
use yingji_core::kernel::clock::today;
use yingji_core::kernel::role::Scope;

/// A qualifying record a department entered.
#[derive(Debug, Clone)]
pub struct Record {
    pub id: String,
    pub department_id: String,
    pub enterprise_id: Option<String>,
    pub enterprise_name: Option<String>,
    pub criterion: String,
    pub occurred_day: String,
    pub description: String,
    pub subjects: Vec<Subject>,
    pub created_by_name: String,
    pub created_ms: i64,
}

const SELECT: &str = "SELECT r.id, r.department_id, r.enterprise_id, e.name AS enterprise_name, r.criterion, r.occurred_day, r.description, r.subjects, r.created_by_name, r.created_ms FROM credit_listing_records r LEFT JOIN enterprises e ON e.id = r.enterprise_id WHERE 1 = 1";

fn from_row(r: &AnyRow) -> StoreResult<Record> {
    let subjects: String = r.try_get("subjects")?;
    Ok(Record {
        id: r.try_get("id")?,
        department_id: r.try_get("department_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        criterion: r.try_get("criterion")?,
        occurred_day: r.try_get("occurred_day")?,
        description: r.try_get("description")?,
        subjects: serde_json::from_str(&subjects).unwrap_or_default(),
        created_by_name: r.try_get("created_by_name")?,
        created_ms: r.try_get("created_ms")?,
    })
}

/// Limits to the departments the caller may see (records are the departments' own).
fn push_scope(sql: &mut Sql, ctx: &Ctx) -> StoreResult<()> {
    if !may_read(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_READER.into()));
    }
    super::listings::push_department_scope(sql, &ctx.scope, "r.department_id", "r.enterprise_id");
    Ok(())
}

pub async fn list(store: &Store, ctx: &Ctx) -> StoreResult<Vec<Record>> {
    let mut q = Sql::new(SELECT);
    push_scope(&mut q, ctx)?;
    q.push(" ORDER BY r.created_ms DESC");
    store.fetch_all(q).await?.iter().map(from_row).collect()
}

pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Record> {
    let mut q = Sql::new(SELECT);
    q.push_bind(" AND r.id = ", id);
    push_scope(&mut q, ctx)?;
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// A checked record to enter.
pub struct NewRecord<'a> {
    pub department_id: &'a str,
    pub enterprise_id: Option<&'a str>,
    pub criterion: &'a str,
    pub occurred_day: &'a str,
    pub description: &'a str,
    pub subjects: &'a [Subject],
    pub summary: String,
}

pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    r: &NewRecord<'_>,
) -> StoreResult<String> {
    let id = new_id();
    let subjects = serde_json::to_string(r.subjects).unwrap_or_else(|_| "[]".into());
    let mut q = Sql::new(
        "INSERT INTO credit_listing_records (id, department_id, enterprise_id, criterion, occurred_day, description, subjects, created_by, created_by_name, created_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        r.department_id.into(),
        r.enterprise_id.into(),
        r.criterion.into(),
        r.occurred_day.into(),
        r.description.into(),
        subjects.clone().into(),
        ctx.user_id.clone().into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    let change = Change {
        after: Some(serde_json::json!({
            "department_id": r.department_id, "enterprise_id": r.enterprise_id,
            "criterion": r.criterion, "occurred_day": r.occurred_day, "subjects": r.subjects,
        })),
        ..Change::of(
            "credit.enter_record",
            "credit_listing_record",
            &id,
            r.summary.clone(),
        )
    };
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(id)
}

/// The enterprise's accidents the platform recorded (incidents with a grade), oldest first.
pub async fn accidents(store: &Store, enterprise_id: &str) -> StoreResult<Vec<Accident>> {
    let mut q =
        Sql::new("SELECT id, title, occurred_ms, severity FROM incidents WHERE enterprise_id = ");
    q.bind(enterprise_id).push(" ORDER BY occurred_ms");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Accident {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                day: today(r.try_get("occurred_ms")?),
                severity: r.try_get("severity")?,
            })
        })
        .collect()
}

/// 谁处罚、谁决定: the department of the enterprise's latest decided penalty, else the first (by
/// name) supervising one of its categories in a region covering it.
pub async fn deciding_department(
    store: &Store,
    enterprise_id: &str,
    categories: &[String],
    grid_code: &str,
) -> StoreResult<Option<String>> {
    let mut q = Sql::new(
        "SELECT department_id FROM enforcement_cases WHERE decided_day IS NOT NULL AND enterprise_id = ",
    );
    q.bind(enterprise_id)
        .push(" ORDER BY decided_day DESC, updated_ms DESC");
    if let Some(r) = store.fetch_optional(q).await? {
        return Ok(Some(r.try_get(0)?));
    }
    let mut d = Sql::new("SELECT d.id FROM departments d WHERE (1 = 0");
    for c in categories {
        d.push_bind(" OR d.categories LIKE ", format!("%,{c},%"));
    }
    d.push_bind(") AND ", grid_code.to_string())
        .push(" LIKE d.region_code || '%' ORDER BY d.name");
    Ok(match store.fetch_optional(d).await? {
        Some(r) => Some(r.try_get(0)?),
        None => None,
    })
}

/// Whether the caller's scope is that department's (a department's staff their own, the bureau's
/// leaders a department in their region, the administrators any).
pub fn scope_has_department(scope: &Scope, department_id: &str, region_code: &str) -> bool {
    match scope {
        Scope::All => true,
        Scope::Region { prefix, .. } => {
            region_code.starts_with(prefix.as_str()) || prefix.starts_with(region_code)
        }
        Scope::Department {
            department_id: d, ..
        } => d == department_id,
        Scope::Enterprise { .. } | Scope::Insurer { .. } => false,
    }
}
