//! Attachments (photos, documents) of hazards and their transitions. Uploaded first, then
//! linked to their owner in the transaction that records the owner.

use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use base64::Engine;
use sha2::Digest;
use sqlx::Row;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Attachment {
    pub id: String,
    pub filename: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
    pub owner_id: Option<String>,
    pub created_ms: i64,
}

const META: &str = "id, filename, mime, size, sha256, owner_id, created_ms";

fn meta(r: &sqlx::any::AnyRow) -> StoreResult<Attachment> {
    Ok(Attachment {
        id: r.try_get("id")?,
        filename: r.try_get("filename")?,
        mime: r.try_get("mime")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        owner_id: r.try_get("owner_id")?,
        created_ms: r.try_get("created_ms")?,
    })
}

/// Stores checked bytes (see `yingji_core::kernel::attachment::check`). `uploaded_by` is None for the
/// public report form.
pub async fn insert(
    store: &Store,
    now_ms: i64,
    uploaded_by: Option<&str>,
    filename: &str,
    mime: &str,
    bytes: &[u8],
) -> StoreResult<Attachment> {
    let id = new_id();
    let sha = hex::encode(sha2::Sha256::digest(bytes));
    let mut q = Sql::new(
        "INSERT INTO attachments (id, owner_type, owner_id, filename, mime, size, sha256, data, uploaded_by, created_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        None::<String>.into(),
        None::<String>.into(),
        filename.into(),
        mime.into(),
        (bytes.len() as i64).into(),
        sha.clone().into(),
        base64::engine::general_purpose::STANDARD
            .encode(bytes)
            .into(),
        uploaded_by.into(),
        now_ms.into(),
    ]);
    store.execute(q).await?;
    Ok(Attachment {
        id,
        filename: filename.into(),
        mime: mime.into(),
        size: bytes.len() as i64,
        sha256: sha,
        owner_id: None,
        created_ms: now_ms,
    })
}

/// Links unlinked uploads of the same uploader to an owner; any other id is refused.
pub async fn link(
    tx: &mut Tx,
    ids: &[String],
    owner_type: &str,
    owner_id: &str,
    uploaded_by: Option<&str>,
    field: &str,
) -> StoreResult<()> {
    if ids.len() > 20 {
        return Err(StoreError::invalid(
            field,
            yingji_core::kernel::wording::TOO_MANY_ATTACHMENTS,
        ));
    }
    for id in ids {
        let mut q = Sql::new("UPDATE attachments SET owner_type = ");
        q.bind(owner_type)
            .push_bind(", owner_id = ", owner_id)
            .push_bind(" WHERE id = ", id)
            .push(" AND owner_id IS NULL");
        match uploaded_by {
            Some(u) => q.push_bind(" AND uploaded_by = ", u),
            None => q.push(" AND uploaded_by IS NULL"),
        };
        if q.execute(tx).await? != 1 {
            return Err(StoreError::invalid(
                field,
                yingji_core::kernel::wording::attachment_unusable(id),
            ));
        }
    }
    Ok(())
}

pub async fn list_for(store: &Store, owner_id: &str) -> StoreResult<Vec<Attachment>> {
    let mut q = Sql::new(&format!("SELECT {META} FROM attachments WHERE owner_id = "));
    q.bind(owner_id).push(" ORDER BY created_ms, id");
    store.fetch_all(q).await?.iter().map(meta).collect()
}

/// The bytes and metadata; the caller checks that the owner is visible.
pub async fn get(store: &Store, id: &str) -> StoreResult<(Attachment, Option<String>, Vec<u8>)> {
    let mut q = Sql::new(&format!(
        "SELECT {META}, owner_type, uploaded_by, data FROM attachments WHERE id = "
    ));
    q.bind(id);
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    let data: String = r.try_get("data")?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .map_err(|_| StoreError::NotFound)?;
    Ok((meta(&r)?, r.try_get("uploaded_by")?, bytes))
}
