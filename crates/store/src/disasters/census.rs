//! 风险普查: the district a census is imported into (its regions and bounds), the census codes
//! already on record, 承灾体 written by census code in batches (multi-row VALUES, an update when
//! the district already has the code), a resource register's record by its code, and the one
//! audit record of an import.

use crate::db::{Backend, Val};
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Sql, Store, StoreResult, Tx, new_id};
use sqlx::Row;
use std::collections::HashSet;
use yingji_core::disasters::census::District;
use yingji_core::kernel::geo::{BBox, polygons_of_geometry};
use yingji_core::kernel::role::Scope;
use yingji_core::resources::register::Register;
use yingji_core::warning::target::ObjectInput;
use yingji_core::warning::target::object::CheckedObject;

/// Rows per INSERT: 25 values each, well under both backends' parameter limits.
pub const BATCH: usize = 500;

/// The district `code` (6 digits): its regions' codes and the bounds of its boundary.
pub async fn district(store: &Store, code: &str) -> StoreResult<District> {
    let mut q = Sql::new("SELECT code FROM regions WHERE code LIKE ");
    q.bind(format!("{code}%"));
    let mut regions = HashSet::new();
    for r in store.fetch_all(q).await? {
        regions.insert(r.try_get::<String, _>(0)?);
    }
    let boundary = crate::directory::regions::boundary(store, &Scope::All, code)
        .await
        .ok()
        .flatten();
    let bounds = boundary
        .and_then(|b| polygons_of_geometry(&b).ok())
        .and_then(|p| BBox::of(&p.concat()));
    Ok(District {
        code: code.to_string(),
        bounds,
        regions,
    })
}

/// The census codes of the district's 承灾体.
pub async fn object_codes(store: &Store, district: &str) -> StoreResult<HashSet<String>> {
    let mut q = Sql::new(
        "SELECT census_code FROM protected_objects WHERE census_code IS NOT NULL AND district_code = ",
    );
    q.bind(district);
    let mut out = HashSet::new();
    for r in store.fetch_all(q).await? {
        out.insert(r.try_get::<String, _>(0)?);
    }
    Ok(out)
}

/// A 承灾体 row of a census, checked.
#[derive(Debug, Clone)]
pub struct ObjectRow {
    pub code: String,
    pub input: ObjectInput,
    pub object: CheckedObject,
    pub attributes: Option<String>,
}

/// The columns an update by census code leaves alone.
const KEPT: &[&str] = &["id", "created_ms", "responsible_user_id", "personal"];

/// Writes 承灾体 rows in the caller's transaction, `BATCH` to a statement: a new record, or the
/// district's record with the same census code updated (its id, creation time and linked account
/// kept). The codes of one call are distinct.
pub async fn upsert_objects_in(
    tx: &mut Tx,
    backend: Backend,
    now_ms: i64,
    rows: Vec<ObjectRow>,
) -> StoreResult<()> {
    let columns: Vec<&str> = crate::warning::targeting::OBJECT_COLUMNS
        .iter()
        .copied()
        .chain(["census_code", "census_attributes"])
        .collect();
    let head = format!(
        "INSERT INTO protected_objects ({}) VALUES ",
        columns.join(", ")
    );
    let set: Vec<String> = columns
        .iter()
        .filter(|c| !KEPT.contains(c))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let tail = format!(
        " ON CONFLICT (district_code, census_code) DO UPDATE SET {}",
        set.join(", ")
    );
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut q = Sql::new(&head);
        for (i, r) in rows.by_ref().take(BATCH).enumerate() {
            if i > 0 {
                q.push(", ");
            }
            let region = r.input.region_code.clone();
            let mut values: Vec<Val> = crate::warning::targeting::object_values(
                &new_id(),
                now_ms,
                &r.input,
                &region,
                r.object,
            )?;
            values.push(r.code.into());
            values.push(r.attributes.into());
            q.values(values);
        }
        q.push(&tail);
        q.many_placeholders(backend);
        q.execute(tx).await?;
    }
    Ok(())
}

fn table_of(register: Register) -> &'static str {
    match register {
        Register::Teams => "teams",
        Register::Shelters => "shelters",
        _ => "warehouses",
    }
}

/// The record of a resource register (teams, shelters, warehouses) with this census code in the
/// district.
pub async fn resource_id_in(
    tx: &mut Tx,
    register: Register,
    district: &str,
    code: &str,
) -> StoreResult<Option<String>> {
    let mut q = Sql::new(&format!(
        "SELECT id FROM {} WHERE census_code = ",
        table_of(register)
    ));
    q.bind(code)
        .push_bind(" AND region_code LIKE ", format!("{district}%"));
    Ok(match q.fetch_optional(tx).await? {
        Some(r) => Some(r.try_get(0)?),
        None => None,
    })
}

/// Marks a resource register's record with its census code.
pub async fn set_resource_code_in(
    tx: &mut Tx,
    register: Register,
    id: &str,
    code: &str,
) -> StoreResult<()> {
    let mut q = Sql::new(&format!("UPDATE {} SET census_code = ", table_of(register)));
    q.bind(code).push_bind(" WHERE id = ", id);
    q.execute(tx).await?;
    Ok(())
}

/// The one audit record of an import, with its counts.
pub async fn record_import_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    summary: String,
    counts: serde_json::Value,
) -> StoreResult<()> {
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            action: "census.import",
            entity_type: "census",
            entity_id: None,
            summary,
            before: None,
            after: Some(counts),
        },
    )
    .await?;
    Ok(())
}
