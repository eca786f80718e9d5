//! What the capabilities share, kept in one place rather than in whichever capability wrote it
//! first: who is acting (`Ctx`), the audit chain, the outbox of deliveries, typed timers, the
//! escalation engine every timed ladder steps through, leases of singleton background work,
//! in-app notifications, attachments, numbered sequences and rows written by one column list.

pub mod attachments;
pub mod audit;
pub mod escalation;
pub mod idempotency;
pub mod keys;
pub mod leases;
pub mod live;
pub mod map;
pub mod metrics;
pub mod notifications;
pub mod outbox;
pub mod rate_limits;
pub mod rows;
pub mod sealing;
pub mod sequences;
pub mod tiles;
pub mod timers;
pub mod todo;

use crate::Actor;
use yingji_core::kernel::role::{Role, Scope};

/// Who is acting: the audit actor, the user, their role and what they may see and change.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub actor: Actor,
    pub user_id: String,
    pub display_name: String,
    pub role: Role,
    pub scope: Scope,
}

/// Whether a statement failed on a unique constraint (both backends).
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .map(|d| d.is_unique_violation())
        .unwrap_or(false)
}
