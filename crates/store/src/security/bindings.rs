//! 账号绑定对象: the rows the account keepers may bind an account to, with nothing but id, name
//! and region (core::security::bindings decides who asks and what).

use crate::db::like_contains;
use crate::directory::enterprises::push_scope;
use crate::{Sql, Store, StoreResult};
use sqlx::Row;
use yingji_core::kernel::role::Scope;
use yingji_core::security::bindings::{BindingKind, BindingQuery, LIMIT};

/// An enterprise or insurer as the lookup shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct BindingTarget {
    pub id: String,
    pub name: String,
    /// The enterprise's street (乡镇/街道) code; none for an insurer.
    pub region_code: Option<String>,
    pub region_name: Option<String>,
}

/// At most [`LIMIT`] targets of `query.kind` inside `scope`, by name; `query.q` matches a part
/// of the name (or of the 统一社会信用代码).
pub async fn search(
    store: &Store,
    scope: &Scope,
    query: &BindingQuery,
) -> StoreResult<Vec<BindingTarget>> {
    let (mut sql, alias) = match query.kind {
        BindingKind::Enterprise => (enterprises(scope, query.q.as_deref()), "e"),
        BindingKind::Insurer => (insurers(scope, query.q.as_deref()), "i"),
    };
    sql.push_bind(&format!(" ORDER BY {alias}.name, {alias}.id LIMIT "), LIMIT);
    store
        .fetch_all(sql)
        .await?
        .iter()
        .map(|r| {
            Ok(BindingTarget {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                region_code: r.try_get("region_code")?,
                region_name: r.try_get("region_name")?,
            })
        })
        .collect()
}

fn enterprises(scope: &Scope, q: Option<&str>) -> Sql {
    let mut sql = Sql::new(
        "SELECT e.id AS id, e.name AS name, e.street_code AS region_code, r.name AS region_name \
         FROM enterprises e LEFT JOIN regions r ON r.code = e.street_code WHERE 1 = 1",
    );
    push_scope(&mut sql, scope);
    if let Some(q) = q {
        let like = like_contains(q);
        sql.push_bind(" AND (e.name LIKE ", like.clone())
            .push(" ESCAPE '\\'")
            .push_bind(" OR e.uscc LIKE ", like.to_ascii_uppercase())
            .push(" ESCAPE '\\')");
    }
    sql
}

/// 保险机构 serve the whole district: every scope that sees everything sees them all; an
/// insurer's own account its own; other scopes none.
fn insurers(scope: &Scope, q: Option<&str>) -> Sql {
    let mut sql = Sql::new(
        "SELECT i.id AS id, i.name AS name, CAST(NULL AS TEXT) AS region_code, \
         CAST(NULL AS TEXT) AS region_name FROM credit_insurers i WHERE 1 = 1",
    );
    match scope {
        Scope::All => {}
        Scope::Insurer { insurer_id } => {
            sql.push_bind(" AND i.id = ", insurer_id.as_str());
        }
        _ => {
            sql.push(" AND 1 = 0");
        }
    }
    if let Some(q) = q {
        let like = like_contains(q);
        sql.push_bind(" AND (i.name LIKE ", like.clone())
            .push(" ESCAPE '\\'")
            .push_bind(" OR i.credit_code LIKE ", like.to_ascii_uppercase())
            .push(" ESCAPE '\\')");
    }
    sql
}
