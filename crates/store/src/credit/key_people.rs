//! 关键岗位人员 of an enterprise: rows, and the writes in the caller's transaction.

use crate::kernel::keys;
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::credit::key_people::{CheckedKeyPerson, post_label};

#[derive(Debug, Clone, Serialize)]
pub struct KeyPerson {
    pub id: String,
    pub enterprise_id: String,
    pub post: String,
    pub post_label: String,
    pub name: String,
    pub phone: Option<String>,
    pub certificate_kind: Option<String>,
    pub certificate_number: Option<String>,
    pub valid_until: Option<String>,
    pub updated_ms: i64,
}

fn from_row(r: &AnyRow) -> StoreResult<KeyPerson> {
    let post: String = r.try_get("post")?;
    Ok(KeyPerson {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        post_label: post_label(&post),
        post,
        name: r.try_get("name")?,
        phone: keys::open_opt(r.try_get("phone")?),
        certificate_kind: r.try_get("certificate_kind")?,
        certificate_number: r.try_get("certificate_number")?,
        valid_until: r.try_get("valid_until")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

/// The enterprise's key people by post (the caller has checked it may see the enterprise).
pub async fn of_enterprise(store: &Store, enterprise_id: &str) -> StoreResult<Vec<KeyPerson>> {
    let mut q = Sql::new("SELECT * FROM credit_key_people WHERE enterprise_id = ");
    q.bind(enterprise_id)
        .push(" ORDER BY post, name, id LIMIT 500");
    store.fetch_all(q).await?.iter().map(from_row).collect()
}

/// One person of an enterprise.
pub async fn get(store: &Store, enterprise_id: &str, id: &str) -> StoreResult<KeyPerson> {
    let mut q = Sql::new("SELECT * FROM credit_key_people WHERE id = ");
    q.bind(id).push_bind(" AND enterprise_id = ", enterprise_id);
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// Adds (`id` None) or changes a person; answers the id.
pub async fn save_in(
    tx: &mut Tx,
    now: i64,
    enterprise_id: &str,
    id: Option<&str>,
    p: &CheckedKeyPerson,
) -> StoreResult<String> {
    let until = p.valid_until.map(|d| d.to_string());
    if let Some(id) = id {
        let mut u = Sql::new("UPDATE credit_key_people SET post = ");
        u.bind(p.post.as_str())
            .push_bind(", name = ", p.name.as_str())
            .push_bind(", phone = ", keys::seal_opt(p.phone.as_deref())?)
            .push_bind(", certificate_kind = ", p.certificate_kind.clone())
            .push_bind(", certificate_number = ", p.certificate_number.clone())
            .push_bind(", valid_until = ", until)
            .push_bind(", updated_ms = ", now)
            .push_bind(" WHERE id = ", id)
            .push_bind(" AND enterprise_id = ", enterprise_id);
        if u.execute(tx).await? == 0 {
            return Err(StoreError::NotFound);
        }
        return Ok(id.to_string());
    }
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO credit_key_people (id, enterprise_id, post, name, phone, certificate_kind, certificate_number, valid_until, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.as_str().into(),
        enterprise_id.into(),
        p.post.as_str().into(),
        p.name.as_str().into(),
        keys::seal_opt(p.phone.as_deref())?.into(),
        p.certificate_kind.clone().into(),
        p.certificate_number.clone().into(),
        until.into(),
        now.into(),
        now.into(),
    ]);
    q.execute(tx).await?;
    Ok(id)
}

/// Removes a person of an enterprise.
pub async fn delete_in(tx: &mut Tx, enterprise_id: &str, id: &str) -> StoreResult<()> {
    let mut d = Sql::new("DELETE FROM credit_key_people WHERE id = ");
    d.bind(id).push_bind(" AND enterprise_id = ", enterprise_id);
    if d.execute(tx).await? == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
