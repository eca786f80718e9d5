//! What every capability shares: the clock, validation and its Chinese messages, roles and scopes,
//! the audit chain, secrets, attachments and their photo sizes, geometry and notification channels.

pub mod attachment;
pub mod audit;
pub mod audit_action;
pub mod basemap;
pub mod clock;
pub mod datum;
pub mod geo;
pub mod gm;
pub mod idempotency;
pub mod metrics;
pub mod notify;
pub mod personal;
pub mod photo;
pub mod pmtiles;
pub mod proxy;
pub mod rate_limit;
pub mod rng;
pub mod role;
pub mod secret;
pub mod validation;
pub mod wording;

/// The Chinese label of `code` in a (code, label) list.
pub fn label_of(list: &[(&str, &'static str)], code: &str) -> Option<&'static str> {
    list.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}
