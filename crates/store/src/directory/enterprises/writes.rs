//! The registry's writes, each inside the caller's transaction with its audit record: 新增,
//! 修改, 删除, the supervised fields of a confirmed change, and many checked records at once
//! (导入, the demo district).

use super::{Enterprise, parent_codes};
use crate::kernel::audit::{self, Change};
use crate::kernel::keys;
use crate::{Actor, Sql, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use yingji_core::directory::enterprise::{EnterpriseFields, Supervised, join_codes};
use yingji_core::directory::enterprise_wording as words;
use yingji_core::kernel::personal::mask_phones_in;

/// The phones an enterprise's audit snapshot masks (sealed in the row, ADR 0032).
const PHONES: &[&str] = &["principal_phone", "safety_officer_phone"];

fn fields_json(f: &EnterpriseFields) -> serde_json::Value {
    mask_phones_in(serde_json::to_value(f).unwrap_or_default(), PHONES)
}

fn record_json(e: &Enterprise) -> serde_json::Value {
    mask_phones_in(serde_json::to_value(e).unwrap_or_default(), PHONES)
}

/// The enterprise's grid exists, at grid or community level.
async fn ensure_grid(tx: &mut Tx, grid_code: &str) -> StoreResult<()> {
    let mut q = Sql::new("SELECT level FROM regions WHERE code = ");
    q.bind(grid_code);
    match q.fetch_optional(tx).await? {
        None => Err(StoreError::invalid(
            "grid_code",
            words::grid_missing(grid_code),
        )),
        Some(r) => {
            let level: String = r.try_get("level")?;
            if level == "grid" || level == "community" {
                Ok(())
            } else {
                Err(StoreError::invalid(
                    "grid_code",
                    words::not_a_grid(grid_code),
                ))
            }
        }
    }
}

/// No other enterprise holds the 统一社会信用代码.
async fn ensure_unique_uscc(tx: &mut Tx, uscc: &str, except: Option<&str>) -> StoreResult<()> {
    let mut q = Sql::new("SELECT name FROM enterprises WHERE uscc = ");
    q.bind(uscc);
    if let Some(id) = except {
        q.push_bind(" AND id <> ", id);
    }
    if q.fetch_optional(tx).await?.is_some() {
        return Err(StoreError::conflict("uscc", words::uscc_taken(uscc)));
    }
    Ok(())
}

const INSERT_COLUMNS: &str = "id, name, uscc, industry_code, categories, scale, address, lon, lat, grid_code, district_code, street_code, community_code, principal_name, principal_phone, safety_officer_name, safety_officer_phone, flags, status, employees, created_ms, updated_ms";

fn push_values(sql: &mut Sql, id: &str, f: &EnterpriseFields, now: i64) -> StoreResult<()> {
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
        keys::seal_opt(f.principal_phone.as_deref())?.into(),
        f.safety_officer_name.clone().into(),
        keys::seal_opt(f.safety_officer_phone.as_deref())?.into(),
        join_codes(&f.flags).into(),
        f.status.as_str().into(),
        f.employees.into(),
        now.into(),
        now.into(),
    ]);
    Ok(())
}

/// Inserts checked enterprise `id` (its grid must exist, its code be new) and its audit record.
pub async fn create_in(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    id: &str,
    f: &EnterpriseFields,
) -> StoreResult<()> {
    ensure_grid(tx, &f.grid_code).await?;
    ensure_unique_uscc(tx, f.uscc.as_str(), None).await?;
    let mut ins = Sql::new(&format!(
        "INSERT INTO enterprises ({INSERT_COLUMNS}) VALUES "
    ));
    push_values(&mut ins, id, f, now)?;
    ins.execute(&mut *tx).await?;
    audit::append(
        tx,
        now,
        actor,
        Change {
            action: "create",
            entity_type: "enterprise",
            entity_id: Some(id),
            summary: words::created_summary(&f.name),
            before: None,
            after: Some(fields_json(f)),
        },
    )
    .await?;
    Ok(())
}

/// Writes checked fields `f` over enterprise `before` (its grid must exist, its code be free)
/// and the audit record.
pub async fn update_in(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    before: &Enterprise,
    f: &EnterpriseFields,
) -> StoreResult<()> {
    let id = before.id.as_str();
    ensure_grid(tx, &f.grid_code).await?;
    ensure_unique_uscc(tx, f.uscc.as_str(), Some(id)).await?;
    let (district, street, community) = parent_codes(&f.grid_code);
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
        .push_bind(", district_code = ", district)
        .push_bind(", street_code = ", street)
        .push_bind(", community_code = ", community)
        .push_bind(", principal_name = ", f.principal_name.clone())
        .push_bind(
            ", principal_phone = ",
            keys::seal_opt(f.principal_phone.as_deref())?,
        )
        .push_bind(", safety_officer_name = ", f.safety_officer_name.clone())
        .push_bind(
            ", safety_officer_phone = ",
            keys::seal_opt(f.safety_officer_phone.as_deref())?,
        )
        .push_bind(", flags = ", join_codes(&f.flags))
        .push_bind(", status = ", &f.status)
        .push_bind(", employees = ", f.employees)
        .push_bind(", updated_ms = ", now)
        .push_bind(" WHERE id = ", id);
    up.execute(&mut *tx).await?;
    audit::append(
        tx,
        now,
        actor,
        Change {
            action: "update",
            entity_type: "enterprise",
            entity_id: Some(id),
            summary: words::updated_summary(&f.name),
            before: Some(record_json(before)),
            after: Some(fields_json(f)),
        },
    )
    .await?;
    Ok(())
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

/// The refusal to delete enterprise `before` while records still refer to it, naming them.
async fn ensure_unreferenced(tx: &mut Tx, before: &Enterprise) -> StoreResult<()> {
    let mut still = Vec::new();
    for (table, what, unit) in words::REFERRERS {
        let mut q = Sql::new(&format!(
            "SELECT COUNT(*) FROM {table} WHERE enterprise_id = "
        ));
        q.bind(before.id.as_str());
        let n: i64 = q.fetch_one(&mut *tx).await?.try_get(0)?;
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
    Ok(())
}

/// Deletes enterprise `before` unless records still refer to it; with its audit record.
pub async fn delete_in(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    before: &Enterprise,
) -> StoreResult<()> {
    let id = before.id.as_str();
    ensure_unreferenced(tx, before).await?;
    let mut del = Sql::new("DELETE FROM enterprises WHERE id = ");
    del.bind(id).execute(&mut *tx).await?;
    audit::append(
        tx,
        now,
        actor,
        Change {
            action: "delete",
            entity_type: "enterprise",
            entity_id: Some(id),
            summary: words::deleted_summary(&before.name),
            before: Some(record_json(before)),
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// Inserts checked records in multi-row batches and answers their new ids. With `audit_each`,
/// every record gets its own audit entry (imports); in any case one summary entry follows.
pub async fn insert_many_in(
    tx: &mut Tx,
    now: i64,
    actor: &Actor,
    records: &[EnterpriseFields],
    audit_each: bool,
    summary: &str,
) -> StoreResult<Vec<String>> {
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
            push_values(&mut ins, &id, f, now)?;
            ids.push(id);
        }
        ins.execute(&mut *tx).await?;
    }
    if audit_each {
        for (id, f) in ids.iter().zip(records) {
            let record = Change {
                action: "import",
                entity_type: "enterprise",
                entity_id: Some(id),
                summary: words::imported_summary(&f.name),
                before: None,
                after: Some(fields_json(f)),
            };
            audit::append(tx, now, actor, record).await?;
        }
    }
    let total = Change {
        action: "import",
        entity_type: "enterprise",
        entity_id: None,
        summary: summary.to_string(),
        before: None,
        after: Some(serde_json::json!({"count": records.len()})),
    };
    audit::append(tx, now, actor, total).await?;
    Ok(ids)
}
