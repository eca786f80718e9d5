//! One escalation engine. Whatever climbs a ladder on the durable timers — a listed hazard's
//! 函告 → 通报 → 约谈, an alarm's 叫应 steps, a warning work order's 叫应 — takes one step the
//! same way: the capability checks that the step still applies (the hazard is open, the alarm
//! unacknowledged, the order unanswered), resolves whom it reaches, words the message, and calls
//! [`step`], which tells them in the app, pushes the message to their channels and texts them
//! through the outbox, and schedules the next step. The capability then records the step in its
//! own history with what [`Reached`] reports.

use crate::kernel::notifications;
use crate::kernel::outbox::{self, Destination};
use crate::kernel::timers::{self, TimerKind};
use crate::monitoring::channels::{self, Recipient};
use crate::{Sql, StoreResult, Tx};
use sqlx::Row;
use yingji_core::kernel::notify::Message;

/// A person a step reaches: user id, name, phone.
pub type Person = (String, String, Option<String>);

/// Whom a step reaches: people (texted when their phone is a mobile) and channels.
#[derive(Debug, Clone, Default)]
pub struct Audience {
    pub users: Vec<Person>,
    pub channels: Vec<Recipient>,
}

/// One group a step is addressed to.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// The enterprise's active users, and its channels.
    Enterprise(&'a str),
    /// The active street staff (街道/社区/网格) of a region (exact code), and the region's channels.
    Staff(&'a str),
    /// The commanders and duty officers of a district (exact code), and the district's channels.
    Command(&'a str),
    /// The users of these departments, or, when there are none, the bureau's commanders; and
    /// the departments' channels.
    Departments(&'a [String]),
    /// One active user.
    User(&'a str),
}

/// Resolves targets into people (each once, in the order found) and, with `with_channels`, the
/// active channels of their audiences (each once).
pub async fn resolve(
    tx: &mut Tx,
    targets: &[Target<'_>],
    with_channels: bool,
) -> StoreResult<Audience> {
    let mut out = Audience::default();
    for t in targets {
        let mut q =
            Sql::new("SELECT u.id, u.display_name, u.phone FROM users u WHERE u.active = 1");
        let audience = match *t {
            Target::Enterprise(e) => {
                q.push_bind(" AND u.enterprise_id = ", e);
                Some(channels::Audience::Enterprise(e))
            }
            Target::Staff(region) => {
                q.push(" AND u.role = 'street_staff'")
                    .push_bind(" AND u.region_code = ", region);
                Some(channels::Audience::Region(region))
            }
            Target::Command(district) => {
                q.push(" AND u.role IN ('commander', 'duty_officer')")
                    .push_bind(" AND u.region_code = ", district);
                Some(channels::Audience::Region(district))
            }
            Target::Departments(ids) => {
                if ids.is_empty() {
                    q.push(" AND u.role = 'commander'");
                } else {
                    q.push(" AND u.department_id IN ").bind_list(ids);
                }
                Some(channels::Audience::Departments(ids))
            }
            Target::User(id) => {
                q.push_bind(" AND u.id = ", id);
                None
            }
        };
        for r in q.fetch_all(tx).await? {
            let id: String = r.try_get(0)?;
            if !out.users.iter().any(|u| u.0 == id) {
                // users.phone is sealed at rest (ADR 0032): opened to text the person.
                let phone = super::keys::open_opt(r.try_get(2)?);
                out.users.push((id, r.try_get(1)?, phone));
            }
        }
        if let (true, Some(a)) = (with_channels, audience) {
            for c in channels::of_audience(tx, a).await? {
                if !out.channels.iter().any(|have| have.0 == c.0) {
                    out.channels.push(c);
                }
            }
        }
    }
    Ok(out)
}

/// One step: the message, whom it reaches and how, and what comes next.
pub struct Escalation<'a> {
    /// Title, body and link of the in-app notification; the outbox's event and subject. The
    /// next step is scheduled on the same subject.
    pub message: Message,
    /// Users told in the app (ids; each once).
    pub notify: Vec<String>,
    /// People texted through the outbox (each mobile number once).
    pub text: &'a [Person],
    /// Channels (group robots, mailboxes, webhooks) the message is pushed to.
    pub channels: &'a [Recipient],
    /// The next step and when it is due.
    pub next: Option<(TimerKind, i64)>,
}

impl<'a> Escalation<'a> {
    /// Told in the app only.
    pub fn in_app(message: Message, users: Vec<String>) -> Self {
        Self {
            message,
            notify: users,
            text: &[],
            channels: &[],
            next: None,
        }
    }

    /// Everyone of an audience: in the app, by SMS and on its channels.
    pub fn to(message: Message, audience: &'a Audience) -> Self {
        Self {
            message,
            notify: audience.users.iter().map(|u| u.0.clone()).collect(),
            text: &audience.users,
            channels: &audience.channels,
            next: None,
        }
    }

    /// Schedules `kind` at `due_ms` on the message's subject with this step.
    pub fn then(mut self, kind: TimerKind, due_ms: i64) -> Self {
        self.next = Some((kind, due_ms));
        self
    }
}

/// Whom a step reached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reached {
    /// Users told in the app.
    pub notified: usize,
    /// People texted.
    pub texted: usize,
    /// Names of the channels the message was pushed to.
    pub channels: Vec<String>,
}

impl Reached {
    /// "站内通知 3 人，短信 1 人，推送 安全群、值班室邮箱" (SMS and channels only when any).
    pub fn tally(&self) -> String {
        yingji_core::kernel::wording::reached(self.notified, self.texted, &self.channels)
    }
}

/// Takes one step inside the caller's transaction (the scheduler's, which has claimed the
/// timer): in-app notifications, channel messages and texts on the outbox, the next timer.
pub async fn step(tx: &mut Tx, now_ms: i64, e: Escalation<'_>) -> StoreResult<Reached> {
    let m = &e.message;
    let notified =
        notifications::send(tx, now_ms, &e.notify, &m.title, &m.body, Some(&m.link)).await?;
    for (id, kind, name) in e.channels {
        let to = Destination::Channel {
            id,
            kind: *kind,
            name,
        };
        outbox::enqueue(tx, now_ms, to, m).await?;
    }
    let texted = outbox::text_people(tx, now_ms, e.text, m).await?;
    if let Some((kind, due_ms)) = &e.next {
        timers::schedule(tx, now_ms, kind, &m.subject_id, *due_ms).await?;
    }
    Ok(Reached {
        notified,
        texted,
        channels: e.channels.iter().map(|c| c.2.clone()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::Reached;

    #[test]
    fn tally_names_only_what_was_used() {
        let r = Reached {
            notified: 3,
            texted: 0,
            channels: vec![],
        };
        assert_eq!(r.tally(), "站内通知 3 人");
        let r = Reached {
            notified: 2,
            texted: 1,
            channels: vec!["安全群".into(), "值班室邮箱".into()],
        };
        assert_eq!(
            r.tally(),
            "站内通知 2 人，短信 1 人，推送 安全群、值班室邮箱"
        );
    }
}
