//! 灾害信息员 rows, read within the caller's region and written in the caller's transaction.

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
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
        "SELECT i.*, COALESCE(r.name, '') AS region_name FROM disaster_informants i LEFT JOIN regions r ON r.code = i.region_code WHERE 1 = 1",
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
                input: InformantInput {
                    region_code: r.try_get("region_code")?,
                    name: r.try_get("name")?,
                    phone: r.try_get("phone")?,
                    backup_name: r.try_get("backup_name")?,
                    backup_phone: r.try_get("backup_phone")?,
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
        i.phone.clone().into(),
        i.backup_name.clone().into(),
        i.backup_phone.clone().into(),
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
