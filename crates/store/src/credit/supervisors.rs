//! Who is told when a district's enterprises miss a submission (the daily 安全承诺, the 履职报告):
//! each department supervising their categories, with the staff to notify and the names of its
//! enterprises, and the user ids a query selects. Shared by the credit sweeps.

use crate::{Sql, StoreResult, Tx};
use sqlx::Row;
use yingji_core::directory::enterprise::split_codes;

/// A missing enterprise: (id, name, categories).
pub type Missing = (String, String, Vec<String>);

/// The first column of every row (user ids).
pub async fn ids(tx: &mut Tx, mut q: Sql) -> StoreResult<Vec<String>> {
    q.fetch_all(tx)
        .await?
        .iter()
        .map(|r| Ok(r.try_get::<String, _>(0)?))
        .collect()
}

/// For each department of the district supervising one of the missing enterprises' categories:
/// its active staff and the names of its missing enterprises (departments with none left out).
pub async fn staff_and_names_in(
    tx: &mut Tx,
    district: &str,
    missing: &[Missing],
) -> StoreResult<Vec<(Vec<String>, Vec<String>)>> {
    let mut d = Sql::new("SELECT id, categories FROM departments WHERE region_code LIKE ");
    d.bind(format!("{district}%"));
    let departments: Vec<(String, Vec<String>)> = d
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                split_codes(&r.try_get::<String, _>("categories")?),
            ))
        })
        .collect::<StoreResult<_>>()?;
    let mut out = Vec::new();
    for (dept, cats) in departments {
        let names: Vec<String> = missing
            .iter()
            .filter(|m| m.2.iter().any(|c| cats.contains(c)))
            .map(|m| m.1.clone())
            .collect();
        if names.is_empty() {
            continue;
        }
        let mut u = Sql::new(
            "SELECT id FROM users WHERE active = 1 AND role = 'department_staff' AND department_id = ",
        );
        u.bind(dept.as_str());
        out.push((ids(tx, u).await?, names));
    }
    Ok(out)
}
