//! 安责险 coverage: the operating enterprises in the caller's scope with where they lie and
//! whether a policy is in force on a day, and who is told when one is uninsured.

use crate::directory::enterprises;
use crate::{Sql, Store, StoreResult};
use sqlx::Row;
use yingji_core::directory::enterprise::split_codes;
use yingji_core::kernel::role::Scope;

/// An operating enterprise as coverage reads it.
#[derive(Debug, Clone)]
pub struct Subject {
    pub id: String,
    pub name: String,
    pub uscc: String,
    pub street_code: String,
    pub street_name: String,
    pub grid_code: String,
    pub categories: Vec<String>,
    pub flags: Vec<String>,
    pub industry_code: String,
    pub insured: bool,
}

/// The operating enterprises in `scope`, each with whether a policy is in force on `today`.
pub async fn subjects(store: &Store, scope: &Scope, today: &str) -> StoreResult<Vec<Subject>> {
    let mut q = Sql::new(
        "SELECT e.id, e.name, e.uscc, e.street_code, e.grid_code, e.categories, e.flags, e.industry_code, r.name AS street_name, (SELECT COUNT(*) FROM credit_insurance_policies p WHERE p.enterprise_id = e.id AND p.status = 'active' AND p.starts_day <= ",
    );
    q.bind(today)
        .push_bind(" AND p.ends_day >= ", today)
        .push(") AS policies FROM enterprises e LEFT JOIN regions r ON r.code = e.street_code WHERE e.status = 'operating'");
    enterprises::push_scope(&mut q, scope);
    q.push(" ORDER BY e.street_code, e.name");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Subject {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                uscc: r.try_get("uscc")?,
                street_code: r.try_get("street_code")?,
                street_name: r
                    .try_get::<Option<String>, _>("street_name")?
                    .unwrap_or_default(),
                grid_code: r.try_get("grid_code")?,
                categories: split_codes(&r.try_get::<String, _>("categories")?),
                flags: split_codes(&r.try_get::<String, _>("flags")?),
                industry_code: r.try_get("industry_code")?,
                insured: r.try_get::<i64, _>("policies")? > 0,
            })
        })
        .collect()
}

/// Who is told that an enterprise is uninsured: its own users and the users of the
/// departments supervising one of its categories over its region (active accounts).
pub async fn recipients(store: &Store, subject: &Subject) -> StoreResult<Vec<String>> {
    let mut q = Sql::new("SELECT u.id FROM users u WHERE u.active = 1 AND u.enterprise_id = ");
    q.bind(subject.id.as_str());
    let mut ids: Vec<String> = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
    if subject.categories.is_empty() {
        return Ok(ids);
    }
    let mut d = Sql::new(
        "SELECT u.id FROM users u JOIN departments d ON d.id = u.department_id WHERE u.active = 1 AND ",
    );
    d.bind(subject.grid_code.as_str())
        .push(" LIKE d.region_code || '%' AND ");
    enterprises::push_categories_on(&mut d, "d", &subject.categories);
    for r in store.fetch_all(d).await? {
        let id: String = r.try_get("id")?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}
