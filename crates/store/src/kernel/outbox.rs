//! The notification outbox: one row per message to one channel or phone, written in the
//! transaction of whatever caused it and then delivered (at least once) by the loop in
//! yingji-jobs. A row being sent holds a lease (`next_ms` in the future); a node that dies
//! mid-send leaves it to be taken again when the lease runs out. On PostgreSQL the claim skips
//! rows another node is claiming (`FOR UPDATE SKIP LOCKED`, ADR 0027).

use crate::{Backend, Sql, Store, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::notify::{ChannelKind, Message};

/// How long a claimed row is left to one sender before another may try: longer than any send
/// may take (HTTP and SMTP time out after at most 10 s), short enough that the messages a killed
/// node had claimed go out from another node within 15 s (docs/deployment.md).
pub const LEASE_MS: i64 = 15_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pending,
    Sending,
    Sent,
    /// Given up after the last attempt or a permanent refusal.
    Failed,
    /// Not sent because the deployment has no such gateway (e.g. no SMS gateway configured).
    Skipped,
}

impl Status {
    fn code(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sending => "sending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Skipped => "skipped",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "sending" => Self::Sending,
            "sent" => Self::Sent,
            "failed" => Self::Failed,
            "skipped" => Self::Skipped,
            _ => Self::Pending,
        }
    }
    pub fn label(self) -> &'static str {
        yingji_core::kernel::wording::delivery_status_label(self.code())
    }
}

/// Where one message goes: a channel, or a person's phone.
pub enum Destination<'a> {
    Channel {
        id: &'a str,
        kind: ChannelKind,
        name: &'a str,
    },
    Phone {
        number: &'a str,
        person: &'a str,
    },
}

pub async fn enqueue(
    tx: &mut Tx,
    now_ms: i64,
    to: Destination<'_>,
    msg: &Message,
) -> StoreResult<String> {
    let (channel_id, kind, destination, recipient) = match to {
        Destination::Channel { id, kind, name } => (Some(id), kind, id, name),
        Destination::Phone { number, person } => (None, ChannelKind::Sms, number, person),
    };
    // A phone number is personal: sealed at rest like the column it came from (ADR 0032).
    let destination = match channel_id {
        Some(_) => destination.to_string(),
        None => super::keys::seal(destination)?,
    };
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO outbox (id, channel_id, kind, destination, recipient, event, subject_id, title, body, link, status, attempts, next_ms, last_error, created_ms, sent_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        channel_id.into(),
        kind.code().into(),
        destination.into(),
        recipient.into(),
        msg.event.clone().into(),
        msg.subject_id.clone().into(),
        msg.title.clone().into(),
        msg.body.clone().into(),
        msg.link.clone().into(),
        Status::Pending.code().into(),
        0i64.into(),
        now_ms.into(),
        None::<String>.into(),
        now_ms.into(),
        None::<i64>.into(),
    ]);
    q.execute(tx).await?;
    Ok(id)
}

/// Texts each person with a mobile number once (people as id, name, phone); answers how many.
pub async fn text_people(
    tx: &mut Tx,
    now_ms: i64,
    people: &[(String, String, Option<String>)],
    msg: &Message,
) -> StoreResult<usize> {
    let mut texted: Vec<&str> = Vec::new();
    for (_, name, phone) in people {
        let Some(number) = phone
            .as_deref()
            .filter(|p| yingji_core::kernel::notify::is_mobile(p))
        else {
            continue;
        };
        if texted.contains(&number) {
            continue;
        }
        texted.push(number);
        let to = Destination::Phone {
            number,
            person: name,
        };
        enqueue(tx, now_ms, to, msg).await?;
    }
    Ok(texted.len())
}

/// A claimed message, ready to send.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub id: String,
    pub channel_id: Option<String>,
    pub kind: ChannelKind,
    pub destination: String,
    /// This attempt's number, from 1.
    pub attempt: i64,
    pub created_ms: i64,
    /// `link` is relative (`/alarms?id=…`); the sender makes it absolute.
    pub message: Message,
}

const COLUMNS: &str = "id, channel_id, kind, destination, recipient, event, subject_id, title, body, link, status, attempts, next_ms, last_error, created_ms, sent_ms";

/// Claims up to `limit` due messages (pending, or sending with a lapsed lease) for this sender:
/// each claimed row is `sending`, its attempt counted and its lease (`next_ms`) moved `LEASE_MS`
/// ahead. Several nodes may call this at once and each row goes to one of them. PostgreSQL: one
/// `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n) RETURNING`, so a node takes
/// the due rows no other node is claiming instead of queueing behind them. SQLite (one writer):
/// a conditional update per picked row.
pub async fn claim_due(store: &Store, now_ms: i64, limit: i64) -> StoreResult<Vec<Claimed>> {
    let rows = match store.backend {
        Backend::Postgres => {
            let mut u = Sql::new(
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_ms = ",
            );
            u.bind(now_ms + LEASE_MS)
                .push(" WHERE id IN (SELECT id FROM outbox WHERE status IN ('pending', 'sending') AND next_ms <= ")
                .bind(now_ms)
                .push(" ORDER BY next_ms, id")
                .push_bind(" LIMIT ", limit)
                .push(&format!(" FOR UPDATE SKIP LOCKED) RETURNING {COLUMNS}"));
            store.fetch_all(u).await?
        }
        Backend::Sqlite => claim_one_by_one(store, now_ms, limit).await?,
    };
    rows.iter().map(claimed_from_row).collect()
}

/// SQLite's claim: pick the due ids, then take each with a conditional update (a row another
/// connection took meanwhile updates nothing and is left out).
async fn claim_one_by_one(store: &Store, now_ms: i64, limit: i64) -> StoreResult<Vec<AnyRow>> {
    let mut pick =
        Sql::new("SELECT id FROM outbox WHERE status IN ('pending', 'sending') AND next_ms <= ");
    pick.bind(now_ms)
        .push(" ORDER BY next_ms, id")
        .push_bind(" LIMIT ", limit);
    let ids: Vec<String> = store
        .fetch_all(pick)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let mut u =
            Sql::new("UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_ms = ");
        u.bind(now_ms + LEASE_MS)
            .push_bind(" WHERE id = ", &id)
            .push(" AND status IN ('pending', 'sending') AND next_ms <= ")
            .bind(now_ms)
            .push(&format!(" RETURNING {COLUMNS}"));
        if let Some(r) = store.fetch_optional(u).await? {
            out.push(r);
        }
    }
    Ok(out)
}

fn claimed_from_row(r: &AnyRow) -> StoreResult<Claimed> {
    Ok(Claimed {
        id: r.try_get("id")?,
        channel_id: r.try_get("channel_id")?,
        kind: ChannelKind::parse(&r.try_get::<String, _>("kind")?).unwrap_or(ChannelKind::Webhook),
        destination: super::keys::open(r.try_get("destination")?),
        attempt: r.try_get("attempts")?,
        created_ms: r.try_get("created_ms")?,
        message: Message {
            event: r.try_get("event")?,
            title: r.try_get("title")?,
            body: r.try_get("body")?,
            link: r.try_get("link")?,
            subject_id: r.try_get("subject_id")?,
        },
    })
}

/// What became of one attempt.
pub enum Outcome {
    Sent,
    /// Try again at this time.
    Retry {
        at_ms: i64,
        error: String,
    },
    /// Give up (permanent refusal or the last attempt).
    Failed(String),
    Skipped(String),
}

/// Records the outcome of attempt number `attempt` of message `id`. Only while that attempt is
/// the row's latest: a send that outlived its lease, after another node claimed the row again,
/// does not overwrite the newer attempt's result (the message was sent at least once anyway).
pub async fn record(
    store: &Store,
    (id, attempt): (&str, i64),
    now_ms: i64,
    outcome: Outcome,
) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE outbox SET status = ");
    match outcome {
        Outcome::Sent => u
            .bind(Status::Sent.code())
            .push_bind(", sent_ms = ", now_ms)
            .push(", last_error = NULL"),
        Outcome::Retry { at_ms, error } => u
            .bind(Status::Pending.code())
            .push_bind(", next_ms = ", at_ms)
            .push_bind(", last_error = ", clip(&error)),
        Outcome::Failed(error) => u
            .bind(Status::Failed.code())
            .push_bind(", last_error = ", clip(&error)),
        Outcome::Skipped(why) => u
            .bind(Status::Skipped.code())
            .push_bind(", last_error = ", clip(&why)),
    };
    u.push_bind(" WHERE id = ", id)
        .push(" AND status = 'sending'")
        .push_bind(" AND attempts = ", attempt);
    store.execute(u).await?;
    Ok(())
}

fn clip(s: &str) -> String {
    s.chars().take(500).collect()
}

/// One message as the console shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub id: String,
    pub channel_id: Option<String>,
    pub kind: ChannelKind,
    pub kind_label: String,
    /// Channel name or the person texted.
    pub recipient: String,
    pub event: String,
    pub title: String,
    pub status: Status,
    pub status_label: String,
    pub attempts: i64,
    pub next_ms: i64,
    pub last_error: Option<String>,
    pub created_ms: i64,
    pub sent_ms: Option<i64>,
}

fn delivery_from_row(r: &AnyRow) -> StoreResult<Delivery> {
    let kind = ChannelKind::parse(&r.try_get::<String, _>("kind")?).unwrap_or(ChannelKind::Webhook);
    let status = Status::parse(&r.try_get::<String, _>("status")?);
    Ok(Delivery {
        id: r.try_get("id")?,
        channel_id: r.try_get("channel_id")?,
        kind,
        kind_label: kind.label().into(),
        recipient: r.try_get("recipient")?,
        event: r.try_get("event")?,
        title: r.try_get("title")?,
        status,
        status_label: status.label().into(),
        attempts: r.try_get("attempts")?,
        next_ms: r.try_get("next_ms")?,
        last_error: r.try_get("last_error")?,
        created_ms: r.try_get("created_ms")?,
        sent_ms: r.try_get("sent_ms")?,
    })
}

/// The newest messages about one record, or of one channel; the caller has checked that the
/// record or channel is visible.
pub async fn list(store: &Store, column: ListBy, id: &str) -> StoreResult<Vec<Delivery>> {
    let col = match column {
        ListBy::Subject => "subject_id",
        ListBy::Channel => "channel_id",
    };
    let mut q = Sql::new(&format!("SELECT {COLUMNS} FROM outbox WHERE {col} = "));
    q.bind(id)
        .push(" ORDER BY created_ms DESC, id DESC LIMIT 200");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(delivery_from_row)
        .collect()
}

pub enum ListBy {
    Subject,
    Channel,
}
