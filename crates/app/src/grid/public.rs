//! 群众随手拍 (no login): file an event from the public form (a public category, inside the
//! district, checked photos, dispatched by the rules at once, a tracking code answered), follow
//! it by its tracking code, and the reporter's own 回访 (phone check, locked after 5 wrong tries).

use super::events::{check, decide, record_in};
use super::events_close::visit_as;
use yingji_core::grid::events::{self as rules, EventInput, Source, Status};
use yingji_core::grid::public::{
    NOT_ANSWERED, PUBLIC_REPORTER, check_phone_tail, public_status_label,
};
use yingji_store::grid::events::GridEvent;
use yingji_store::grid::events_writes::NewEvent;
use yingji_store::grid::public as reads;
use yingji_store::prevention::hazards::tracking_code;
use yingji_store::{Actor, Store, StoreError, StoreResult};

fn public_actor(ip: Option<String>) -> Actor {
    Actor {
        user_id: None,
        name: PUBLIC_REPORTER.into(),
        ip,
    }
}

/// Files a report from the public form; returns (event code, tracking code).
pub async fn file_public(
    store: &Store,
    now_ms: i64,
    ip: Option<String>,
    input: &EventInput,
    photos: &[String],
) -> StoreResult<(String, String)> {
    let (checked, config, district) = check(store, None, input, true).await?;
    let decided = decide(store, &config, &checked).await?;
    let tracking = tracking_code();
    let new = NewEvent {
        source: Source::Public,
        checked: &checked,
        district_code: &district,
        reporter_user_id: None,
        tracking_code: Some(&tracking),
        external: None,
        opinion: None,
        attachments: photos,
        summary: rules::filed_summary(Source::Public, &checked.category, &checked.title),
    };
    let actor = public_actor(ip);
    let mut tx = store.begin().await?;
    let (_, code) = record_in(&mut tx, &actor, now_ms, &new, &config, decided.as_ref()).await?;
    tx.commit().await?;
    Ok((code, tracking))
}

/// What the reporter sees on the tracking page.
#[derive(Debug, Clone)]
pub struct PublicTracking {
    pub code: String,
    pub category: String,
    pub title: String,
    pub status: String,
    pub status_label: String,
    pub reported_ms: i64,
    /// The public lines of the timeline (of the main event once merged).
    pub steps: Vec<(String, i64)>,
    pub answer: Option<String>,
    pub satisfied: Option<bool>,
    /// Whether the reporter may make the 回访 now.
    pub visit_open: bool,
    /// The 回访 needs the last 4 digits of the phone given.
    pub needs_phone: bool,
    pub locked: bool,
    /// The main event's code when this one was merged into it.
    pub merged_into: Option<String>,
}

/// The progress of a public report; a merged one shows its main event's progress.
pub async fn track(store: &Store, tracking: &str) -> StoreResult<PublicTracking> {
    let (own, tries) = reads::by_tracking(store, tracking).await?;
    let main = match own.merged_into.as_deref() {
        Some(id) => Some(reads::by_id(store, id).await?),
        None => None,
    };
    let shown: &GridEvent = main.as_ref().unwrap_or(&own);
    let mut steps = reads::public_steps(store, &own.id).await?;
    if let Some(m) = &main {
        steps.extend(reads::public_steps(store, &m.id).await?);
        steps.sort_by_key(|s| s.1);
    }
    let needs_phone = own.reporter_phone.as_deref().is_some_and(|p| !p.is_empty());
    let locked = needs_phone && tries >= yingji_core::grid::public::MAX_TRIES;
    Ok(PublicTracking {
        code: own.code.clone(),
        category: own.category.clone(),
        title: own.title.clone(),
        status: shown.status.clone(),
        status_label: public_status_label(&shown.status).into(),
        reported_ms: own.created_ms,
        steps,
        answer: shown.answer.clone(),
        satisfied: shown.satisfied,
        visit_open: main.is_none() && own.status == Status::Answered.as_str() && !locked,
        needs_phone,
        locked,
        merged_into: main.map(|m| m.code),
    })
}

/// The reporter's 回访: the phone check first (a wrong try is counted, the 5th locks), then
/// as the duty room's: satisfied closes, unsatisfied reopens once.
pub async fn visit(
    store: &Store,
    now_ms: i64,
    ip: Option<String>,
    tracking: &str,
    (satisfied, note, phone_tail): (bool, Option<&str>, Option<&str>),
) -> StoreResult<PublicTracking> {
    let (e, tries) = reads::by_tracking(store, tracking).await?;
    if let Err(fail) = check_phone_tail(e.reporter_phone.as_deref(), phone_tail, tries) {
        let after = match fail {
            yingji_core::grid::public::PhoneCheck::Wrong => {
                reads::count_wrong_try(store, &e.id).await?
            }
            _ => tries,
        };
        return Err(fail.message(after).into());
    }
    if e.status != Status::Answered.as_str() {
        return Err(StoreError::conflict("status", NOT_ANSWERED));
    }
    visit_as(store, &public_actor(ip), now_ms, &e, Some(satisfied), note).await?;
    track(store, tracking).await
}
