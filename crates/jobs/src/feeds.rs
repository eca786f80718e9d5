//! Polls the configured 预警订阅源 (yingji_store::warning::feeds): reads the Atom/RSS feed, fetches
//! the CAP message of every new or changed entry and takes it in exactly as `POST
//! /api/v1/warnings/cap` does (same checks, idempotent by sender and identifier, targeting).
//! A refused message is remembered with its errors and not fetched again until its entry changes;
//! a feed that cannot be read keeps its entries and is tried at its next interval.

use serde::Serialize;
use std::time::Duration;
use yingji_core::kernel::clock::SharedClock;
use yingji_core::kernel::role::Scope;
use yingji_core::warning::cap::{MAX_POINTS, incoming_of};
use yingji_store::warning::feeds::{self as feeds, EntryOutcome, Feed};
use yingji_store::warning::{self, ingest};
use yingji_store::{Actor, Store, StoreError, StoreResult};

/// How often the loop looks for due feeds.
pub const POLL: Duration = Duration::from_secs(5);
const TIMEOUT: Duration = Duration::from_secs(15);
const MAX_FEED_BYTES: usize = 8 * 1024 * 1024;
const MAX_CAP_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct PollReport {
    /// Entries with a CAP link in the feed.
    pub entries: usize,
    /// Taken in as new warnings now.
    pub taken: usize,
    /// Already taken (same entry, or the same message through another path).
    pub unchanged: usize,
    /// Refused: their CAP was invalid (the errors are on the entry).
    pub refused: usize,
    /// The feed could not be read (or an entry could not be fetched): the reason.
    pub error: Option<String>,
}

pub fn client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .user_agent("yingji/feeds")
        .build()
        .map_err(|e| format!("订阅源客户端无法创建：{e}"))
}

enum Fetched {
    Body(Vec<u8>, Option<String>),
    NotModified,
}

async fn fetch(
    client: &reqwest::Client,
    url: &reqwest::Url,
    etag: Option<&str>,
    limit: usize,
) -> Result<Fetched, String> {
    let mut req = client.get(url.clone());
    if let Some(t) = etag {
        req = req.header(reqwest::header::IF_NONE_MATCH, t);
    }
    let mut resp = req.send().await.map_err(|e| {
        if e.is_timeout() {
            format!("{url} 超时未响应")
        } else {
            format!("{url} 无法连接：{e}")
        }
    })?;
    if resp.status() == reqwest::StatusCode::NOT_MODIFIED {
        return Ok(Fetched::NotModified);
    }
    if !resp.status().is_success() {
        return Err(format!("{url} 返回 HTTP {}", resp.status().as_u16()));
    }
    let tag = resp
        .headers()
        .get(reqwest::header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut body = Vec::new();
    while let Some(chunk) = resp
        .chunk()
        .await
        .map_err(|e| format!("{url} 读取中断：{e}"))?
    {
        if body.len() + chunk.len() > limit {
            return Err(format!("{url} 内容超过 {} MB", limit / 1024 / 1024));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Fetched::Body(body, tag))
}

/// An entry's CAP address, relative ones against the feed's; only http(s) is followed.
fn resolve(base: &reqwest::Url, href: &str) -> Result<reqwest::Url, String> {
    let u = base
        .join(href)
        .map_err(|_| format!("条目链接“{href}”不是有效网址"))?;
    if matches!(u.scheme(), "http" | "https") {
        Ok(u)
    } else {
        Err(format!("条目链接“{href}”不是 http(s) 地址，未获取"))
    }
}

/// One poll of one feed (already claimed by the caller). Never fails: problems are in the report
/// and on the feed (`last_error`).
pub async fn poll(
    store: &Store,
    clock: &SharedClock,
    client: &reqwest::Client,
    feed: &Feed,
) -> PollReport {
    let mut report = PollReport::default();
    let outcome = poll_entries(store, clock, client, feed, &mut report).await;
    let (error, etag) = match outcome {
        Ok(etag) => (report.error.clone(), etag),
        Err(e) => (Some(e), None),
    };
    if let Some(e) = &error {
        tracing::warn!(feed = %feed.name, error = %e, "warning feed poll failed");
    }
    report.error = error.clone();
    if let Err(e) = feeds::record_poll(
        store,
        &feed.id,
        clock.now_ms(),
        error.as_deref(),
        etag.as_deref(),
    )
    .await
    {
        tracing::error!(feed = %feed.name, error = %e, "feed outcome not recorded");
    }
    report
}

/// Reads the feed and handles its entries; answers the ETag to keep (None while any entry still
/// needs another try, so the next poll reads the feed again).
async fn poll_entries(
    store: &Store,
    clock: &SharedClock,
    client: &reqwest::Client,
    feed: &Feed,
    report: &mut PollReport,
) -> Result<Option<String>, String> {
    let base = reqwest::Url::parse(&feed.url).map_err(|_| "订阅地址不是有效网址".to_string())?;
    let etag = feeds::etag(store, &feed.id)
        .await
        .map_err(|e| e.to_string())?;
    let (body, tag) = match fetch(client, &base, etag.as_deref(), MAX_FEED_BYTES).await? {
        Fetched::NotModified => return Ok(etag),
        Fetched::Body(b, t) => (b, t),
    };
    let entries = yingji_cap::atom::read_feed(&body)
        .map_err(|e| format!("订阅源内容无法读取：{}", e.message))?;
    report.entries = entries.len();
    let actor = Actor::system(&format!("预警订阅源：{}", feed.name));
    let mut retry_later = false;
    // Oldest first, so an Update is taken after the Alert it refers to.
    for entry in entries.iter().rev() {
        if feeds::seen(store, &feed.id, &entry.id, &entry.updated)
            .await
            .map_err(|e| e.to_string())?
        {
            report.unchanged += 1;
            continue;
        }
        let now = clock.now_ms();
        let refuse = |error: String| async move {
            let _ = record_entry(
                store,
                &feed.id,
                entry,
                &entry.cap_href,
                now,
                EntryOutcome::Refused { error: &error },
            )
            .await;
        };
        let url = match resolve(&base, &entry.cap_href) {
            Ok(u) => u,
            Err(e) => {
                report.refused += 1;
                refuse(e).await;
                continue;
            }
        };
        let xml = match fetch(client, &url, None, MAX_CAP_BYTES).await {
            Ok(Fetched::Body(b, _)) => b,
            Ok(Fetched::NotModified) => continue,
            Err(e) => {
                // Unreachable now; the entry stays unseen and is tried at the next poll.
                report.error.get_or_insert(e);
                retry_later = true;
                continue;
            }
        };
        match take_in(store, &actor, feed, now, &xml).await {
            Ok((created, warning_id)) => {
                if created {
                    report.taken += 1;
                } else {
                    report.unchanged += 1;
                }
                let _ = record_entry(
                    store,
                    &feed.id,
                    entry,
                    url.as_str(),
                    now,
                    EntryOutcome::Taken {
                        warning_id: &warning_id,
                    },
                )
                .await;
            }
            Err(IngestError::Cap(errors)) => {
                report.refused += 1;
                let msgs: Vec<String> = errors.iter().take(5).map(|e| e.message.clone()).collect();
                refuse(format!("CAP 消息不符合规范：{}", msgs.join("；"))).await;
            }
            Err(IngestError::Store(e)) => {
                report.error.get_or_insert(format!("保存失败：{e}"));
                retry_later = true;
            }
        }
    }
    Ok(if retry_later { None } else { tag })
}

enum IngestError {
    Cap(Vec<yingji_cap::CapError>),
    Store(StoreError),
}

impl From<StoreError> for IngestError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

/// Takes in CAP message `xml` exactly as `POST /api/v1/warnings/cap` does (yingji-app
/// `warning::ingest::ingest`, which this crate does not depend on): read and checked by
/// `yingji_cap`, once per sender and identifier, in one transaction. Whether it was new, and
/// its warning's id.
async fn take_in(
    store: &Store,
    actor: &Actor,
    feed: &Feed,
    now_ms: i64,
    xml: &[u8],
) -> Result<(bool, String), IngestError> {
    let options = yingji_cap::ReadOptions {
        max_polygon_points: MAX_POINTS,
        ..Default::default()
    };
    let alert = yingji_cap::read_with(xml, options).map_err(IngestError::Cap)?;
    if let Some(id) = ingest::taken(store, &alert.sender, &alert.identifier).await? {
        // As the use case answers it: the stored warning, read in full.
        let w = warning::get(store, &Scope::All, &id, now_ms).await?;
        return Ok((false, w.id));
    }
    let mut inc = incoming_of(&alert).map_err(IngestError::Cap)?;
    let known = ingest::known_region_polygons(store, &inc.region_codes).await?;
    inc.polygons.extend(known);
    let mut tx = store.begin().await?;
    let (id, _) = ingest::ingest_in(
        &mut tx,
        actor,
        &feed.name,
        &feed.district_code,
        now_ms,
        &inc,
    )
    .await?;
    tx.commit()
        .await
        .map_err(|e| IngestError::Store(e.into()))?;
    let w = warning::get(store, &Scope::All, &id, now_ms).await?;
    Ok((true, w.id))
}

/// Remembers what became of an entry, in a transaction of its own.
async fn record_entry(
    store: &Store,
    feed_id: &str,
    entry: &yingji_cap::atom::FeedEntry,
    cap_url: &str,
    now_ms: i64,
    outcome: EntryOutcome<'_>,
) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    feeds::record_entry_in(
        &mut tx,
        feed_id,
        &entry.id,
        &entry.updated,
        cap_url,
        now_ms,
        outcome,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The loop on every node: claims due feeds and polls them one after another.
pub async fn run(store: Store, clock: SharedClock) {
    let client = match client() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "warning feeds not polled");
            return;
        }
    };
    loop {
        match feeds::claim_due(&store, clock.now_ms()).await {
            Ok(due) => {
                for f in &due {
                    poll(&store, &clock, &client, f).await;
                }
            }
            Err(e) => tracing::error!(error = %e, "warning feeds not claimed"),
        }
        tokio::time::sleep(POLL).await;
    }
}
