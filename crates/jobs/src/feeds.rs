//! Polls the configured 预警订阅源 (yingji_store::warning::feeds): reads the Atom/RSS feed, fetches
//! the CAP message of every new or changed entry and takes it in through the use case `POST
//! /api/v1/warnings/cap` calls (`yingji_app::warning::ingest`: same checks, idempotent by sender
//! and identifier, targeting).
//! A refused message is remembered with its errors and not fetched again until its entry changes;
//! a feed that cannot be read keeps its entries and is tried at its next interval.

use serde::Serialize;
use std::time::Duration;
use yingji_app::warning::ingest::{IngestError, ingest};
use yingji_cap::atom::FeedEntry;
use yingji_core::kernel::clock::SharedClock;
use yingji_store::warning::feeds::{self as feeds, EntryOutcome, Feed};
use yingji_store::{Actor, Store, StoreResult};

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
    let poller = EntryPoller {
        store,
        clock,
        client,
        feed,
        base,
        actor: Actor::system(&format!("预警订阅源：{}", feed.name)),
    };
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
        retry_later |= poller.take_entry(entry, report).await;
    }
    Ok(if retry_later { None } else { tag })
}

/// What handling one entry of a feed needs.
struct EntryPoller<'a> {
    store: &'a Store,
    clock: &'a SharedClock,
    client: &'a reqwest::Client,
    feed: &'a Feed,
    /// The feed's address, against which entries' links resolve.
    base: reqwest::Url,
    actor: Actor,
}

impl EntryPoller<'_> {
    /// Fetches a new or changed entry's CAP message and takes it in as `POST
    /// /api/v1/warnings/cap` does (`yingji_app::warning::ingest::ingest`: read and checked by
    /// `yingji_cap`, once per sender and identifier, in one transaction). True when the entry
    /// must be tried again at the next poll.
    async fn take_entry(&self, entry: &FeedEntry, report: &mut PollReport) -> bool {
        let now = self.clock.now_ms();
        let url = match resolve(&self.base, &entry.cap_href) {
            Ok(u) => u,
            Err(e) => {
                report.refused += 1;
                self.refuse(entry, now, e).await;
                return false;
            }
        };
        let xml = match fetch(self.client, &url, None, MAX_CAP_BYTES).await {
            Ok(Fetched::Body(b, _)) => b,
            Ok(Fetched::NotModified) => return false,
            Err(e) => {
                // Unreachable now; the entry stays unseen and is tried at the next poll.
                report.error.get_or_insert(e);
                return true;
            }
        };
        let (store, feed) = (self.store, self.feed);
        match ingest(
            store,
            &self.actor,
            &feed.name,
            &feed.district_code,
            now,
            &xml,
        )
        .await
        {
            Ok(ingested) => {
                if ingested.created {
                    report.taken += 1;
                } else {
                    report.unchanged += 1;
                }
                let taken = EntryOutcome::Taken {
                    warning_id: &ingested.warning.id,
                };
                let _ = record_entry(store, &feed.id, entry, url.as_str(), now, taken).await;
                false
            }
            Err(IngestError::Cap(errors)) => {
                report.refused += 1;
                let msgs: Vec<String> = errors.iter().take(5).map(|e| e.message.clone()).collect();
                let error = format!("CAP 消息不符合规范：{}", msgs.join("；"));
                self.refuse(entry, now, error).await;
                false
            }
            Err(IngestError::Store(e)) => {
                report.error.get_or_insert(format!("保存失败：{e}"));
                true
            }
        }
    }

    /// Remembers a refused entry with its error; it is not fetched again until it changes.
    async fn refuse(&self, entry: &FeedEntry, now_ms: i64, error: String) {
        let refused = EntryOutcome::Refused { error: &error };
        let _ = record_entry(
            self.store,
            &self.feed.id,
            entry,
            &entry.cap_href,
            now_ms,
            refused,
        )
        .await;
    }
}

/// Remembers what became of an entry, in a transaction of its own.
async fn record_entry(
    store: &Store,
    feed_id: &str,
    entry: &FeedEntry,
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

/// The lease of the polling rounds: one node at a time polls (ADR 0027); each feed is claimed
/// besides, so an overlap polls a feed once.
pub const LEASE: &str = "warning_feeds.poll";

/// The loop on every node: the node holding the lease claims due feeds and polls them one after
/// another.
pub async fn run(store: Store, clock: SharedClock, node: String) {
    let lease = yingji_store::kernel::leases::Lease::for_loop(LEASE, &node, POLL);
    let client = match client() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "warning feeds not polled");
            return;
        }
    };
    loop {
        if !lease.take(&store, clock.now_ms()).await {
            tokio::time::sleep(POLL).await;
            continue;
        }
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
