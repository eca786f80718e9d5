//! 接收 CAP 预警: a CAP message from another bureau, read and checked by `yingji_cap`, stored
//! once per sender and identifier and applied to the warnings it references (更新 →
//! superseded, 解除 → cancelled), in one transaction. `POST /api/v1/warnings/cap` and the feed
//! poller (`yingji_jobs::feeds`) both take messages in through `ingest`.

use yingji_core::kernel::role::Scope;
use yingji_core::warning::cap::{MAX_POINTS, incoming_of};
use yingji_store::warning;
use yingji_store::warning::ingest::{self, Ingested};
use yingji_store::{Actor, Store, StoreError};

#[derive(Debug)]
pub enum IngestError {
    /// The message was refused: every error `yingji_cap` (or the check for an <info>) found.
    Cap(Vec<yingji_cap::CapError>),
    Store(StoreError),
}

impl From<StoreError> for IngestError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl From<yingji_store::sqlx::Error> for IngestError {
    fn from(e: yingji_store::sqlx::Error) -> Self {
        Self::Store(StoreError::Db(e))
    }
}

/// Takes in CAP message `xml` for `district` (the district it is taken in for), recorded as
/// `author`. The same sender and identifier again answers the stored warning, `created` false.
pub async fn ingest(
    store: &Store,
    actor: &Actor,
    author: &str,
    district: &str,
    now_ms: i64,
    xml: &[u8],
) -> Result<Ingested, IngestError> {
    let alert = yingji_cap::read_with(
        xml,
        yingji_cap::ReadOptions {
            max_polygon_points: MAX_POINTS,
            ..Default::default()
        },
    )
    .map_err(IngestError::Cap)?;
    if let Some(id) = ingest::taken(store, &alert.sender, &alert.identifier).await? {
        return Ok(Ingested {
            created: false,
            warning: warning::get(store, &Scope::All, &id, now_ms).await?,
            superseded: vec![],
        });
    }
    let mut inc = incoming_of(&alert).map_err(IngestError::Cap)?;
    // Geocodes of regions we know add their boundaries.
    let known = ingest::known_region_polygons(store, &inc.region_codes).await?;
    inc.polygons.extend(known);
    let mut tx = store.begin().await?;
    let (id, superseded) =
        ingest::ingest_in(&mut tx, actor, author, district, now_ms, &inc).await?;
    tx.commit().await?;
    Ok(Ingested {
        created: true,
        warning: warning::get(store, &Scope::All, &id, now_ms).await?,
        superseded,
    })
}
