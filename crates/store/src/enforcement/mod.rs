//! 执法监管: the 执法事项目录, the 执法检查人员名录库, the 双随机 draws and the inspection tasks, read
//! within the caller's departments and written in the caller's transaction.

pub mod case_todos;
pub mod cases;
pub mod documents;
pub mod dossier;
pub mod draws;
pub mod inspections;
pub mod inspectors;
pub mod items;
pub mod joint;
pub mod joint_record;
pub mod outcomes;
pub mod plans;
pub mod pools;
pub mod receipts;
pub mod review;
pub mod stats;
pub mod tasks;

use crate::{Sql, StoreError, StoreResult};
use yingji_core::enforcement::{NOT_AN_ENFORCEMENT_READER, may_read};
use yingji_core::kernel::role::Scope;

use crate::kernel::Ctx;

/// Limits a query to the records of the departments the caller may see: a department its own,
/// a region's leaders the departments serving their region, the administrators all.
pub fn push_departments(sql: &mut Sql, ctx: &Ctx, column: &str) -> StoreResult<()> {
    if !may_read(ctx.role) {
        return Err(StoreError::Forbidden(NOT_AN_ENFORCEMENT_READER.into()));
    }
    match &ctx.scope {
        Scope::All => {}
        Scope::Region { prefix, .. } => {
            sql.push(&format!(
                " AND {column} IN (SELECT d.id FROM departments d WHERE d.region_code LIKE "
            ))
            .bind(format!("{prefix}%"))
            .push_bind(" OR ", prefix.as_str())
            .push(" LIKE d.region_code || '%')");
        }
        Scope::Department { department_id, .. } => {
            sql.push_bind(&format!(" AND {column} = "), department_id);
        }
        Scope::Enterprise { .. } | Scope::Insurer { .. } => {
            sql.push(" AND 1 = 0");
        }
    }
    Ok(())
}
