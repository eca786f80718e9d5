//! What the registers share: a row written by its create or its edit through one column list,
//! deactivating and reactivating a record (it stays in the register and its history, but is no
//! longer found, dispatched, allocated from, targeted or read from a gateway), importing rows
//! through each register's own create, and the cache generations that tell every node's writers
//! a definition has changed. The writes take the caller's transaction; the use cases that begin
//! and commit it are in `yingji-app` (`resources::registers`).

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Sql, StoreError, StoreResult, Tx};
use serde_json::{Map, Value};
use sqlx::Row;
use yingji_core::directory::import::RowError;
use yingji_core::resources::deactivation::{self, busy_reason};
use yingji_core::resources::import;
use yingji_core::resources::register::Register;

/// Adds one to a cache generation, in the transaction that changes what is cached.
pub(crate) async fn bump_generation(tx: &mut Tx, name: &str) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE cache_generations SET generation = generation + 1 WHERE name = ");
    q.bind(name);
    q.execute(tx).await?;
    Ok(())
}

/// A cache generation's current value.
pub(crate) async fn generation(tx: &mut Tx, name: &str) -> StoreResult<i64> {
    let mut q = Sql::new("SELECT generation FROM cache_generations WHERE name = ");
    q.bind(name);
    Ok(match q.fetch_optional(tx).await? {
        Some(r) => r.try_get(0)?,
        None => 0,
    })
}

/// The record a deactivation concerns: its name for the log and whether it may stop now.
struct Subject {
    name: String,
    active: bool,
    /// Why it cannot be deactivated now (dispatched, reserved, occupied).
    busy: Option<String>,
}

async fn subject(
    tx: &mut Tx,
    store: &crate::Store,
    ctx: &Ctx,
    register: Register,
    id: &str,
    now_ms: i64,
) -> StoreResult<Subject> {
    match register {
        Register::Sensors => {
            let s = crate::monitoring::get_sensor(store, &ctx.scope, id).await?;
            crate::monitoring::forbid_sensor_writes(ctx.role)?;
            Ok(Subject {
                name: deactivation::subject_with(&s.name, &s.code),
                active: s.active,
                busy: None,
            })
        }
        Register::ProtectedObjects => {
            let o = crate::warning::targeting::get_object(store, ctx, id).await?;
            crate::warning::targeting::forbid_object_writes(ctx, &o.region_code)?;
            // A 特殊群体's name stays masked in the audit summary (as when it was saved).
            let name = if o.personal {
                yingji_core::warning::target::mask_name(&o.name)
            } else {
                o.name
            };
            Ok(Subject {
                name: deactivation::subject_with(&name, &o.kind_label),
                active: o.active,
                busy: None,
            })
        }
        _ => resource_subject(tx, store, ctx, register, id, now_ms).await,
    }
}

/// A record of a resource register as a deactivation reads it.
struct Resource {
    /// The region whose managers may change it, and what it is called in the refusal.
    region_code: String,
    what: Register,
    name: String,
    active: bool,
    /// Out on an incident, reserved for an order, or open to evacuees (a warehouse's
    /// reservations are summed apart).
    busy: bool,
}

/// The subject of a resource register: a record the caller manages, busy when it is out,
/// reserved (a warehouse: any of its lines) or open.
async fn resource_subject(
    tx: &mut Tx,
    store: &crate::Store,
    ctx: &Ctx,
    register: Register,
    id: &str,
    now_ms: i64,
) -> StoreResult<Subject> {
    let r = resource(store, ctx, register, id, now_ms).await?;
    crate::resources::forbid_unless_manager(ctx)?;
    crate::resources::forbid_outside(ctx, &r.region_code, r.what)?;
    let busy = match register {
        Register::Warehouses => reserved_in_warehouse(tx, id).await? > 0,
        _ => r.busy,
    };
    Ok(Subject {
        busy: busy_reason(register).filter(|_| busy).map(Into::into),
        name: r.name,
        active: r.active,
    })
}

async fn resource(
    store: &crate::Store,
    ctx: &Ctx,
    register: Register,
    id: &str,
    now_ms: i64,
) -> StoreResult<Resource> {
    use crate::resources as r;
    let scope = &ctx.scope;
    Ok(match register {
        Register::Teams => {
            let t = r::get_team(store, scope, id).await?;
            Resource {
                busy: t.status == "dispatched",
                region_code: t.region_code,
                what: register,
                name: t.name,
                active: t.active,
            }
        }
        Register::Experts => {
            let e = r::get_expert(store, scope, id).await?;
            Resource {
                busy: e.status == "dispatched",
                region_code: e.region_code,
                what: register,
                name: e.name,
                active: e.active,
            }
        }
        Register::Warehouses => {
            let w = r::get_warehouse(store, scope, id, now_ms).await?;
            Resource {
                region_code: w.region_code,
                what: register,
                name: w.name,
                active: w.active,
                busy: false,
            }
        }
        Register::Stock => {
            let s = r::get_stock(store, scope, id, now_ms).await?;
            let w = r::get_warehouse(store, scope, &s.warehouse_id, now_ms).await?;
            Resource {
                region_code: w.region_code,
                what: Register::Warehouses,
                name: deactivation::stock_subject(&s.warehouse_name, &s.material_name),
                active: s.active,
                busy: s.reserved > 0,
            }
        }
        Register::Shelters => {
            let h = r::get_shelter(store, scope, id).await?;
            Resource {
                busy: h.status == "open",
                region_code: h.region_code,
                what: register,
                name: h.name,
                active: h.active,
            }
        }
        // Not resource registers: `subject` reads them.
        Register::Sensors | Register::ProtectedObjects => return Err(StoreError::NotFound),
    })
}

/// What approved orders hold of a warehouse's lines, read in the transaction.
async fn reserved_in_warehouse(tx: &mut Tx, id: &str) -> StoreResult<i64> {
    let mut q = Sql::new(
        "SELECT CAST(COALESCE(SUM(reserved), 0) AS BIGINT) FROM stock WHERE warehouse_id = ",
    );
    q.bind(id);
    Ok(q.fetch_one(tx).await?.try_get(0)?)
}

/// 停用 or 启用 a record of a register, and why.
#[derive(Debug, Clone, Copy)]
pub struct Activation<'a> {
    pub register: Register,
    pub id: &'a str,
    pub active: bool,
    pub reason: &'a str,
}

/// 停用 / 启用 a record of a register in the caller's transaction. A deactivated record is kept
/// with its history; what is out on an incident, reserved for an order or open to evacuees must
/// come back first. The caller's role and the reason are checked before
/// (`core::resources::access::may_edit_registers`, `deactivation::check_reason`).
pub async fn set_active_in(
    tx: &mut Tx,
    store: &crate::Store,
    ctx: &Ctx,
    now_ms: i64,
    change: Activation<'_>,
) -> StoreResult<()> {
    let Activation {
        register,
        id,
        active,
        reason,
    } = change;
    let s = subject(tx, store, ctx, register, id, now_ms).await?;
    if s.active == active {
        return Err(StoreError::conflict(
            "active",
            deactivation::already(register, active),
        ));
    }
    if let (false, Some(busy)) = (active, &s.busy) {
        return Err(StoreError::conflict("active", busy.clone()));
    }
    let mut u = match register {
        Register::Sensors => {
            let mut u = Sql::new("UPDATE sensors SET status = ");
            u.bind(if active { "active" } else { "inactive" });
            u
        }
        _ => {
            let mut u = Sql::new(&format!(
                "UPDATE {} SET deactivated_ms = ",
                table_of(register)
            ));
            u.bind(if active { None } else { Some(now_ms) });
            u
        }
    };
    u.push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", id);
    u.execute(tx).await?;
    if register == Register::Sensors {
        bump_generation(tx, "sensors").await?;
    }
    let verb = if active { "reactivate" } else { "deactivate" };
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            action: &format!("{}.{verb}", register.entity()),
            entity_type: register.entity(),
            entity_id: Some(id),
            summary: deactivation::summary(register, active, &s.name, reason),
            before: Some(serde_json::json!({"active": s.active})),
            after: Some(serde_json::json!({"active": active, "reason": reason})),
        },
    )
    .await?;
    Ok(())
}

/// The table of a register kept with `deactivated_ms` (all but sensors, which keep a status).
fn table_of(register: Register) -> &'static str {
    match register {
        Register::Teams => "teams",
        Register::Experts => "experts",
        Register::Warehouses => "warehouses",
        Register::Stock => "stock",
        Register::Shelters => "shelters",
        Register::Sensors => "sensors",
        Register::ProtectedObjects => "protected_objects",
    }
}

pub use yingji_core::resources::import::ImportMode;

#[derive(Debug, Default)]
pub struct ImportOutcome {
    pub errors: Vec<RowError>,
    pub valid_rows: usize,
    pub imported: usize,
}

/// A caller who may not register these at all is refused an import whole, not row by row.
pub fn forbid_import(ctx: &Ctx, register: Register) -> StoreResult<()> {
    match register {
        Register::Sensors => crate::monitoring::forbid_sensor_writes(ctx.role),
        Register::ProtectedObjects => crate::warning::targeting::forbid_object_role(ctx),
        _ => crate::resources::forbid_unless_manager(ctx),
    }
}

/// Writes parsed rows into a register in the caller's transaction: each row goes through the
/// register's own create, so an imported row is held to exactly the rules of the form; its
/// errors are reported by row and column. Whether the rows that passed are kept is the caller's
/// decision (`ImportMode::stores`): it commits, or rolls back.
pub async fn import_rows_in(
    tx: &mut Tx,
    store: &crate::Store,
    ctx: &Ctx,
    now_ms: i64,
    register: Register,
    rows: Vec<(usize, Map<String, Value>)>,
) -> StoreResult<ImportOutcome> {
    let mut out = ImportOutcome::default();
    for (row, body) in rows {
        let one = ImportRow {
            row,
            existing: None,
            body,
        };
        match import_row_in(tx, store, ctx, now_ms, register, one).await? {
            Ok(_) => out.valid_rows += 1,
            Err(errors) => out.errors.extend(errors),
        }
    }
    Ok(out)
}

/// One imported row: its number, the record it replaces (the census merges by its code), and
/// the body of the register's create.
#[derive(Debug)]
pub struct ImportRow<'a> {
    pub row: usize,
    pub existing: Option<&'a str>,
    pub body: Map<String, Value>,
}

/// One row into a register in the caller's transaction, through the register's own create (or
/// edit, over `existing`): the record's id, or the row's errors as report lines.
pub async fn import_row_in(
    tx: &mut Tx,
    store: &crate::Store,
    ctx: &Ctx,
    now_ms: i64,
    register: Register,
    one: ImportRow<'_>,
) -> StoreResult<Result<String, Vec<RowError>>> {
    let ImportRow {
        row,
        existing,
        mut body,
    } = one;
    let saved = match resolve(store, ctx, register, &mut body).await {
        Ok(()) => save(tx, store, ctx, now_ms, (register, existing), body).await,
        Err(e) => Err(e),
    };
    match saved {
        Ok(id) => Ok(Ok(id)),
        Err(StoreError::Db(e)) => Err(StoreError::Db(e)),
        Err(e) => Ok(Err(row_errors(register, row, e))),
    }
}

/// Records an import that keeps its valid rows, in its transaction.
pub async fn record_import_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    register: Register,
    out: &ImportOutcome,
) -> StoreResult<()> {
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            action: &format!("{}.import", register.entity()),
            entity_type: register.entity(),
            entity_id: None,
            summary: import::summary(register, out.valid_rows),
            before: None,
            after: Some(serde_json::json!({"rows": out.valid_rows, "rejected": out.errors.len()})),
        },
    )
    .await?;
    Ok(())
}

/// Cells that name another record: a warehouse by its name, a material by its name or code, an
/// enterprise by its 统一社会信用代码.
async fn resolve(
    store: &crate::Store,
    ctx: &Ctx,
    register: Register,
    body: &mut Map<String, Value>,
) -> StoreResult<()> {
    let take = |body: &mut Map<String, Value>, field: &str| {
        body.remove(field)
            .and_then(|v| v.as_str().map(|s| s.trim().to_string()))
            .filter(|s| !s.is_empty())
    };
    match register {
        Register::Stock => {
            let name = take(body, "warehouse_name").unwrap_or_default();
            let mut q = Sql::new("SELECT w.id FROM warehouses w WHERE w.name = ");
            q.bind(name.as_str());
            crate::resources::push_visible(&mut q, "w", &ctx.scope);
            let ids = store.fetch_all(q).await?;
            let id: String = match ids.as_slice() {
                [one] => one.try_get(0)?,
                [] => {
                    return Err(StoreError::invalid(
                        "warehouse_name",
                        import::unknown_warehouse(&name),
                    ));
                }
                _ => {
                    return Err(StoreError::invalid(
                        "warehouse_name",
                        import::ambiguous_warehouse(&name),
                    ));
                }
            };
            body.insert("warehouse_id".into(), id.into());
            let m = take(body, "material").unwrap_or_default();
            let code = crate::resources::catalogue()
                .materials
                .iter()
                .find(|x| x.code == m || x.name == m)
                .map(|x| x.code.clone())
                .ok_or_else(|| StoreError::invalid("material", import::unknown_material(&m)))?;
            body.insert("material_code".into(), code.into());
        }
        Register::Sensors => {
            if let Some(uscc) = take(body, "enterprise_uscc") {
                let mut q = Sql::new("SELECT id FROM enterprises WHERE uscc = ");
                q.bind(uscc.to_ascii_uppercase());
                let id: String = match store.fetch_optional(q).await? {
                    Some(r) => r.try_get(0)?,
                    None => {
                        return Err(StoreError::invalid(
                            "enterprise_uscc",
                            import::unknown_enterprise(&uscc),
                        ));
                    }
                };
                body.insert("enterprise_id".into(), id.into());
            }
        }
        _ => {}
    }
    Ok(())
}

fn parse<T: serde::de::DeserializeOwned>(body: Map<String, Value>) -> StoreResult<T> {
    serde_json::from_value(Value::Object(body))
        .map_err(|e| StoreError::invalid("", import::bad_format(&e.to_string())))
}

async fn save(
    tx: &mut Tx,
    store: &crate::Store,
    ctx: &Ctx,
    now_ms: i64,
    (register, existing): (Register, Option<&str>),
    body: Map<String, Value>,
) -> StoreResult<String> {
    use crate::resources as r;
    Ok(match register {
        Register::Teams => r::save_team(tx, store, ctx, now_ms, existing, &parse(body)?).await?,
        Register::Experts => {
            r::save_expert(tx, store, ctx, now_ms, existing, &parse(body)?).await?
        }
        Register::Warehouses => {
            r::save_warehouse(tx, store, ctx, now_ms, existing, &parse(body)?).await?
        }
        // A stock line is only ever opened by an import.
        Register::Stock => r::insert_stock(tx, store, ctx, now_ms, &parse(body)?).await?,
        Register::Shelters => {
            r::save_shelter(tx, store, ctx, now_ms, existing, &parse(body)?).await?
        }
        Register::Sensors => {
            let who = crate::monitoring::Who {
                actor: &ctx.actor,
                scope: &ctx.scope,
                role: ctx.role,
            };
            crate::monitoring::save_sensor(tx, store, who, now_ms, existing, &parse(body)?).await?
        }
        Register::ProtectedObjects => {
            crate::warning::targeting::save_object(tx, store, ctx, now_ms, existing, &parse(body)?)
                .await?
        }
    })
}

/// A row's failure as report lines: each field error under its column's header.
fn row_errors(register: Register, row: usize, e: StoreError) -> Vec<RowError> {
    let line = |field: &str, message: String| {
        // sections[1] → sections
        let base = field.split(['[', '.']).next().unwrap_or(field);
        let header = match register.header_of(base) {
            "" => match base {
                "warehouse_id" => register.header_of("warehouse_name"),
                "material_code" => register.header_of("material"),
                "enterprise_id" => register.header_of("enterprise_uscc"),
                _ => "",
            },
            h => h,
        };
        RowError {
            row,
            column: header.to_string(),
            reason: import::row_reason(row, &message),
        }
    };
    match e {
        StoreError::Invalid(inv) => inv
            .0
            .into_iter()
            .map(|f| line(&f.field, f.message))
            .collect(),
        StoreError::Conflict { field, message } => vec![line(&field, message)],
        StoreError::Forbidden(m) => vec![line("region_code", m)],
        StoreError::NotFound => vec![line("", import::MISSING_REFERENCE.into())],
        StoreError::Db(e) => vec![line("", e.to_string())],
    }
}
