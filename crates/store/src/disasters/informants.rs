//! 灾害信息员 rows, read within the caller's region and written in the caller's transaction.
//! Their phones are sealed with SM4 at rest (ADR 0032): sealed in the insert and update, opened
//! in the row mapping.

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::kernel::keys;
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use yingji_core::disasters::informants::{InformantInput, Training};
use yingji_core::disasters::processes::{NOT_A_READER, may_read};
use yingji_core::kernel::role::Scope;

#[derive(Debug, Clone)]
pub struct Informant {
    pub id: String,
    pub region_name: String,
    pub input: InformantInput,
    pub updated_ms: i64,
    /// The grid-worker account that reports, and its name.
    pub user_id: Option<String>,
    pub user_name: Option<String>,
    pub retired_ms: Option<i64>,
    pub retired_reason: Option<String>,
}

fn push_visible(q: &mut Sql, ctx: &Ctx) -> StoreResult<()> {
    if !may_read(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_READER.into()));
    }
    match &ctx.scope {
        Scope::All => {}
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            q.push_bind(" AND (i.region_code LIKE ", format!("{prefix}%"))
                .push_bind(" OR ", prefix.as_str())
                .push(" LIKE i.region_code || '%')");
        }
        Scope::Enterprise { .. } | Scope::Insurer { .. } => {
            q.push(" AND 1 = 0");
        }
    }
    Ok(())
}

/// The informants the caller may read, by village/community.
pub async fn list(store: &Store, ctx: &Ctx, region: Option<&str>) -> StoreResult<Vec<Informant>> {
    let mut q = Sql::new(
        "SELECT i.*, COALESCE(r.name, '') AS region_name, u.display_name AS user_name FROM disaster_informants i LEFT JOIN regions r ON r.code = i.region_code LEFT JOIN users u ON u.id = i.user_id WHERE 1 = 1",
    );
    push_visible(&mut q, ctx)?;
    if let Some(r) = region.filter(|r| !r.is_empty()) {
        q.push_bind(" AND i.region_code LIKE ", format!("{r}%"));
    }
    q.push(" ORDER BY i.region_code, i.name LIMIT 2000");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            let trainings: Vec<Training> =
                serde_json::from_str(&r.try_get::<String, _>("trainings")?).unwrap_or_default();
            Ok(Informant {
                id: r.try_get("id")?,
                region_name: r.try_get("region_name")?,
                updated_ms: r.try_get("updated_ms")?,
                user_id: r.try_get("user_id")?,
                user_name: r.try_get("user_name")?,
                retired_ms: r.try_get("retired_ms")?,
                retired_reason: r.try_get("retired_reason")?,
                input: InformantInput {
                    region_code: r.try_get("region_code")?,
                    name: r.try_get("name")?,
                    phone: keys::open(r.try_get("phone")?),
                    backup_name: r.try_get("backup_name")?,
                    backup_phone: keys::open_opt(r.try_get("backup_phone")?),
                    trainings,
                },
            })
        })
        .collect()
}

/// Registers a checked informant (the caller has checked the region).
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    i: &InformantInput,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO disaster_informants (id, region_code, name, phone, backup_name, backup_phone, user_id, trainings, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        i.region_code.clone().into(),
        i.name.clone().into(),
        keys::seal(&i.phone)?.into(),
        i.backup_name.clone().into(),
        keys::seal_opt(i.backup_phone.as_deref())?.into(),
        None::<String>.into(),
        serde_json::to_string(&i.trainings)
            .unwrap_or_default()
            .into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    let summary = format!(
        "登记灾害信息员：{}（{} 条培训记录）",
        i.name,
        i.trainings.len()
    );
    let change = Change::of(
        "disaster.informant_create",
        "disaster_informant",
        &id,
        summary,
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(id)
}

/// An account's role, region and whether it is active (the informant's link is checked on them).
pub async fn account(
    store: &Store,
    user_id: &str,
) -> StoreResult<Option<(String, Option<String>)>> {
    let mut q = Sql::new("SELECT role, region_code FROM users WHERE active = 1 AND id = ");
    q.bind(user_id);
    Ok(match store.fetch_optional(q).await? {
        Some(r) => Some((r.try_get(0)?, r.try_get(1)?)),
        None => None,
    })
}

/// Edits a checked informant (the caller has checked the region and the account).
pub async fn update_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    i: &InformantInput,
    user_id: Option<&str>,
) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE disaster_informants SET region_code = ");
    q.bind(i.region_code.as_str())
        .push_bind(", name = ", i.name.as_str())
        .push_bind(", phone = ", keys::seal(&i.phone)?)
        .push_bind(", backup_name = ", i.backup_name.clone())
        .push_bind(
            ", backup_phone = ",
            keys::seal_opt(i.backup_phone.as_deref())?,
        )
        .push_bind(", user_id = ", user_id.map(String::from))
        .push_bind(
            ", trainings = ",
            serde_json::to_string(&i.trainings).unwrap_or_default(),
        )
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", id)
        .push(" AND retired_ms IS NULL");
    if q.execute(tx).await? == 0 {
        return Err(StoreError::conflict("id", "该灾害信息员已退出，不能再修改"));
    }
    let summary = format!(
        "修改灾害信息员：{}（{} 条培训记录{}）",
        i.name,
        i.trainings.len(),
        if user_id.is_some() {
            "，已关联账号"
        } else {
            ""
        }
    );
    let change = Change::of(
        "disaster.informant_update",
        "disaster_informant",
        id,
        summary,
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}

/// Retires an informant with the reason.
pub async fn retire_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    name: &str,
    reason: &str,
) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE disaster_informants SET retired_ms = ");
    q.bind(now_ms)
        .push_bind(", retired_reason = ", reason)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", id)
        .push(" AND retired_ms IS NULL");
    if q.execute(tx).await? == 0 {
        return Err(StoreError::conflict("id", "该灾害信息员已退出"));
    }
    let change = Change::of(
        "disaster.informant_retire",
        "disaster_informant",
        id,
        format!("灾害信息员{name}退出：{reason}"),
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(())
}
