//! Attachments (photos, documents) of hazards and their transitions, work-order feedback and
//! incident reports. Uploaded first, then linked to their owner in the transaction that records
//! the owner. A photo also keeps its display version and thumbnail (`yingji_core::kernel::photo`).

use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use base64::Engine;
use sha2::Digest;
use sqlx::Row;
use yingji_core::kernel::photo::{Derived, Size};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Attachment {
    pub id: String,
    pub filename: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
    pub owner_id: Option<String>,
    pub created_ms: i64,
    /// The picture's size after orientation (photos only; None until its versions are made).
    pub width: Option<i64>,
    pub height: Option<i64>,
}

const META: &str = "id, filename, mime, size, sha256, owner_id, created_ms, width, height";

fn meta(r: &sqlx::any::AnyRow) -> StoreResult<Attachment> {
    Ok(Attachment {
        id: r.try_get("id")?,
        filename: r.try_get("filename")?,
        mime: r.try_get("mime")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        owner_id: r.try_get("owner_id")?,
        created_ms: r.try_get("created_ms")?,
        width: r.try_get("width")?,
        height: r.try_get("height")?,
    })
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// One upload, checked (see `yingji_core::kernel::attachment::check`); a photo comes with its
/// derived versions. `uploaded_by` is None for the public report form.
pub struct Upload<'a> {
    pub uploaded_by: Option<&'a str>,
    pub filename: &'a str,
    pub mime: &'a str,
    pub bytes: &'a [u8],
    pub derived: Option<&'a Derived>,
}

/// Stores an upload, unlinked until the record that cites it is written.
pub async fn insert(store: &Store, now_ms: i64, u: Upload<'_>) -> StoreResult<Attachment> {
    let id = new_id();
    let sha = hex::encode(sha2::Sha256::digest(u.bytes));
    let d = u.derived;
    let mut q = Sql::new(
        "INSERT INTO attachments (id, owner_type, owner_id, filename, mime, size, sha256, data, uploaded_by, created_ms, width, height, display_data, thumb_data) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        None::<String>.into(),
        None::<String>.into(),
        u.filename.into(),
        u.mime.into(),
        (u.bytes.len() as i64).into(),
        sha.clone().into(),
        b64(u.bytes).into(),
        u.uploaded_by.into(),
        now_ms.into(),
        d.map(|d| i64::from(d.width)).into(),
        d.map(|d| i64::from(d.height)).into(),
        d.map(|d| b64(&d.display)).into(),
        d.map(|d| b64(&d.thumb)).into(),
    ]);
    store.execute(q).await?;
    Ok(Attachment {
        id,
        filename: u.filename.into(),
        mime: u.mime.into(),
        size: u.bytes.len() as i64,
        sha256: sha,
        owner_id: None,
        created_ms: now_ms,
        width: d.map(|d| i64::from(d.width)),
        height: d.map(|d| i64::from(d.height)),
    })
}

/// Keeps the versions made later from a photo stored before they existed (a cache fill: the
/// same bytes whoever makes them first, so it is not audited and a second fill changes nothing).
pub async fn fill_derived(store: &Store, id: &str, d: &Derived) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE attachments SET width = ");
    q.bind(i64::from(d.width))
        .push_bind(", height = ", i64::from(d.height))
        .push_bind(", display_data = ", b64(&d.display))
        .push_bind(", thumb_data = ", b64(&d.thumb))
        .push_bind(" WHERE id = ", id)
        .push(" AND thumb_data IS NULL");
    store.execute(q).await?;
    Ok(())
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

/// One stored attachment as a download reads it: who owns and uploaded it, and the bytes of
/// the version asked for (None: a smaller version not made yet, or not a photo).
pub struct Stored {
    pub meta: Attachment,
    pub owner_type: Option<String>,
    pub uploaded_by: Option<String>,
    pub bytes: Option<Vec<u8>>,
}

/// The metadata and the bytes of one version; the caller checks that the owner is visible.
pub async fn get(store: &Store, id: &str, size: Size) -> StoreResult<Stored> {
    let column = match size {
        Size::Original => "data",
        Size::Display => "display_data",
        Size::Thumb => "thumb_data",
    };
    let mut q = Sql::new(&format!(
        "SELECT {META}, owner_type, uploaded_by, {column} AS bytes FROM attachments WHERE id = "
    ));
    q.bind(id);
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    let bytes = match r.try_get::<Option<String>, _>("bytes")? {
        Some(data) => Some(
            base64::engine::general_purpose::STANDARD
                .decode(data)
                .map_err(|_| StoreError::NotFound)?,
        ),
        None => None,
    };
    Ok(Stored {
        meta: meta(&r)?,
        owner_type: r.try_get("owner_type")?,
        uploaded_by: r.try_get("uploaded_by")?,
        bytes,
    })
}
