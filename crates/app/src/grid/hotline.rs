//! 12345/12350 热线: an order pushed by the platform (its signature checked by the route) or
//! imported from the platform's export file becomes a grid event of source `hotline`, checked,
//! placed, dispatched by the rules with the hotline's own deadlines, in one transaction; the
//! same order number is stored once. The unit's answer is queued back to the platform in the
//! transaction that records it.

use super::events::{config_of, decide, record_with_in};
use yingji_core::grid::events::{self as rules, CheckedEvent, Source, deadlines, may_dispatch};
use yingji_core::grid::events_config::GridEventConfig;
use yingji_core::grid::hotline::{
    self as hl, AnswerBack, CheckedOrder, NOT_AN_IMPORTER, NOT_CONNECTED, OrderInput, check_order,
    hotline_deadlines,
};
use yingji_core::kernel::geo;
use yingji_core::kernel::notify::Message;
use yingji_core::kernel::role::Scope;
use yingji_core::kernel::validation::{FieldError, Invalid};
use yingji_store::grid::events::GridEvent;
use yingji_store::grid::events_writes::{NewEvent, step_in};
use yingji_store::grid::hotline as store_hl;
use yingji_store::kernel::Ctx;
use yingji_store::kernel::audit::{self, Change};
use yingji_store::{Actor, Store, StoreError, StoreResult, Tx, directory};

/// What became of an order: filed, or already on record; the event's code either way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Received(String),
    Duplicate(String),
}

/// An order checked and placed, ready to record.
struct Placed {
    order: CheckedOrder,
    event: CheckedEvent,
    /// The timeline note when the point is a region's centre.
    located: Option<&'static str>,
}

/// The region (the street given, or the district) and the point (given and inside the
/// district, or the region's centre, marked).
async fn place(store: &Store, district: &str, order: CheckedOrder) -> StoreResult<Placed> {
    let region = match order.street_code.as_deref() {
        Some(code) => {
            let r = directory::regions::get(store, &Scope::All, code).await.ok();
            match r.filter(|r| r.code.starts_with(district)) {
                Some(r) => r,
                None => return Err(StoreError::invalid("street_code", hl::unknown_street(code))),
            }
        }
        None => directory::regions::get(store, &Scope::All, district).await?,
    };
    let (lon, lat, located) = match order.point {
        Some((lon, lat)) => {
            if let Some(b) = directory::regions::boundary(store, &Scope::All, district)
                .await
                .ok()
                .flatten()
                && let Ok(polygons) = geo::polygons_of_geometry(&b)
                && !geo::area_contains(&polygons, lon, lat)
            {
                return Err(StoreError::invalid("lon", hl::outside_district(lon, lat)));
            }
            (lon, lat, None)
        }
        None => {
            let at_street = order.street_code.is_some();
            let [lon, lat] = region.center.unwrap_or_default();
            (lon, lat, Some(hl::located_note(at_street)))
        }
    };
    let event = CheckedEvent {
        category: order.category.clone(),
        title: order.title.clone(),
        description: order.description.clone(),
        lon,
        lat,
        region_code: region.code.clone(),
        address: order.address.clone(),
        enterprise_id: None,
        reporter_name: order.caller_name.clone(),
        reporter_phone: order.caller_phone.clone(),
    };
    Ok(Placed {
        order,
        event,
        located,
    })
}

/// Records one placed order (dispatched by the rules, with the hotline's deadlines), in the
/// caller's transaction; `decided` was read before it.
async fn record_order_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    (p, district, config): (&Placed, &str, &GridEventConfig),
    decided: Option<&(yingji_core::grid::events_config::Assignment, String)>,
) -> StoreResult<String> {
    let platform = p.order.platform.as_str();
    let new = NewEvent {
        source: Source::Hotline,
        checked: &p.event,
        district_code: district,
        reporter_user_id: None,
        tracking_code: None,
        external: Some((platform, &p.order.order_no)),
        opinion: None,
        attachments: &[],
        summary: rules::filed_summary(Source::Hotline, &p.event.category, &p.event.title),
    };
    let due = config
        .category(&p.event.category)
        .map(|cat| hotline_deadlines(deadlines(cat, now_ms), &p.order));
    let (id, code) = record_with_in(tx, actor, now_ms, &new, config, (decided, due)).await?;
    let note = format!("{platform}工单 {}", p.order.order_no);
    step_in(tx, &id, now_ms, "热线工单", &actor.name, Some(&note), false).await?;
    if let Some(located) = p.located {
        step_in(
            tx,
            &id,
            now_ms,
            "位置待核实",
            &actor.name,
            Some(located),
            false,
        )
        .await?;
    }
    Ok(code)
}

/// An order pushed by the platform of `district` (its signature already checked).
pub async fn receive(
    store: &Store,
    now_ms: i64,
    (district, ip): (&str, Option<String>),
    input: &OrderInput,
) -> StoreResult<Outcome> {
    let config = config_of(store, district).await?;
    let order = check_order(input, &config)?;
    let platform = order.platform;
    if let Some(code) = store_hl::known(store, platform.as_str(), &order.order_no).await? {
        return Ok(Outcome::Duplicate(code));
    }
    let order_no = order.order_no.clone();
    let placed = place(store, district, order).await?;
    let decided = decide(store, &config, &placed.event).await?;
    let actor = Actor {
        user_id: None,
        name: platform.actor_name(),
        ip,
    };
    let written = async {
        let mut tx = store.begin().await?;
        let code = record_order_in(
            &mut tx,
            &actor,
            now_ms,
            (&placed, district, &config),
            decided.as_ref(),
        )
        .await?;
        tx.commit().await?;
        Ok::<_, StoreError>(code)
    }
    .await;
    match written {
        Ok(code) => Ok(Outcome::Received(code)),
        // The same order sent twice at once: the unique order number let one of them in.
        Err(e) => match store_hl::known(store, platform.as_str(), &order_no).await? {
            Some(code) => Ok(Outcome::Duplicate(code)),
            None => Err(e),
        },
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub total: usize,
    pub imported: usize,
    /// Rows whose order number was already on record (or earlier in the file).
    pub skipped: usize,
}

/// Imports the rows of the hotline's export file (row number, order) for the duty room of the
/// caller's district: every row is checked first, each error named "第 3 行：…" with its field,
/// and nothing is stored when any row is bad; orders already on record are skipped and counted.
pub async fn import(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    rows: &[(usize, OrderInput)],
) -> StoreResult<Imported> {
    if !may_dispatch(ctx.role) {
        return Err(StoreError::Forbidden(NOT_AN_IMPORTER.into()));
    }
    if rows.is_empty() {
        return Err(StoreError::invalid("file", hl::NO_ROWS));
    }
    let district = directory::regions::district_of_scope(store, &ctx.scope).await?;
    let config = config_of(store, &district).await?;
    let mut errors: Vec<FieldError> = Vec::new();
    let mut placed = Vec::with_capacity(rows.len());
    for (row, input) in rows {
        let checked = match check_order(input, &config) {
            Ok(o) => place(store, &district, o).await,
            Err(e) => Err(e.into()),
        };
        match checked {
            Ok(p) => {
                let decided = decide(store, &config, &p.event).await?;
                placed.push((p, decided));
            }
            Err(StoreError::Invalid(Invalid(list))) => errors.extend(
                list.into_iter()
                    .map(|e| FieldError::new(e.field, hl::row_error(*row, &e.message))),
            ),
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        return Err(Invalid(errors).into());
    }
    let (mut imported, mut skipped) = (0, 0);
    let mut tx = store.begin().await?;
    for (p, decided) in &placed {
        let platform = p.order.platform.as_str();
        if store_hl::known_in(&mut tx, platform, &p.order.order_no)
            .await?
            .is_some()
        {
            skipped += 1;
            continue;
        }
        let ctx3 = (p, district.as_str(), &config);
        record_order_in(&mut tx, &ctx.actor, now_ms, ctx3, decided.as_ref()).await?;
        imported += 1;
    }
    let change = Change {
        after: Some(serde_json::json!({"imported": imported, "skipped": skipped})),
        ..Change::of(
            "grid.hotline_imported",
            "grid_event",
            &district,
            hl::imported_summary(imported, skipped),
        )
    };
    audit::append(&mut tx, now_ms, &ctx.actor, change).await?;
    tx.commit().await?;
    Ok(Imported {
        total: rows.len(),
        imported,
        skipped,
    })
}

/// The unit's answer to a hotline event, queued back to the platform in the caller's
/// transaction (with an internal timeline line saying so, or that the district has no hotline
/// connection); other sources are left alone.
pub async fn answer_back_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    e: &GridEvent,
    (result, answer): (Option<&str>, &str),
) -> StoreResult<()> {
    let (Some(order_no), true) = (
        e.external_no.as_deref(),
        e.source == Source::Hotline.as_str(),
    ) else {
        return Ok(());
    };
    let body = hl::answer_body(&AnswerBack {
        order_no,
        event_code: &e.code,
        result,
        answer,
        answered_ms: now_ms,
        unit: e.unit_name.as_deref().unwrap_or(""),
    });
    let msg = Message {
        event: "grid.hotline_answer".into(),
        title: hl::answer_title(order_no),
        body: body.to_string(),
        link: format!("/grid/events/{}", e.id),
        subject_id: e.id.clone(),
    };
    let pushed = store_hl::push_answer_in(tx, now_ms, &e.district_code, &msg).await?;
    let note = if pushed {
        format!(
            "答复已排队回传{}热线",
            e.external_source.as_deref().unwrap_or("")
        )
    } else {
        NOT_CONNECTED.to_string()
    };
    step_in(
        tx,
        &e.id,
        now_ms,
        "热线回传",
        &actor.name,
        Some(&note),
        false,
    )
    .await
}
