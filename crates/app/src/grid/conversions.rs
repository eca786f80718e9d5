//! 网格事件 turned into a hazard (转隐患, by the handling unit, as its 处置) or an incident (转接报,
//! by the duty room; the event is closed and the incident goes on): each in one transaction with
//! the new record, so the event and what it became are linked or neither exists.

use super::events::{as_unit, config_of};
use yingji_core::grid::conversions::{self as rules, NOT_THE_DUTY_ROOM};
use yingji_core::grid::events::{Status, may_dispatch, reporter_visible};
use yingji_core::response::access::may_record_incidents;
use yingji_store::grid::conversions::{Table, code_in, to_incident_in};
use yingji_store::grid::events::{self as reads, EventDetail, GridEvent};
use yingji_store::grid::events_close::{Handling, handle_in};
use yingji_store::kernel::Ctx;
use yingji_store::prevention::hazards::{self, HazardInput};
use yingji_store::response::incidents::{IncidentInput, check_create};
use yingji_store::{Store, StoreError, StoreResult};

/// What the unit says of the hazard: the rest comes from the event.
#[derive(Debug, Clone, Default)]
pub struct HazardFields {
    /// A hazard category (prevention::hazard::CATEGORIES).
    pub category: String,
    /// general / major (a met criterion makes it major).
    pub level: Option<String>,
    /// Defaults to the event's description.
    pub description: Option<String>,
    pub deadline: Option<String>,
    pub responsible_name: Option<String>,
    pub responsible_phone: Option<String>,
    pub measures: Option<String>,
}

fn status_of(e: &GridEvent) -> StoreResult<Status> {
    Status::parse(&e.status).ok_or_else(|| StoreError::conflict("status", rules::INCIDENT_NOT_NOW))
}

fn hazard_input(e: &GridEvent, f: HazardFields) -> HazardInput {
    HazardInput {
        enterprise_id: e.enterprise_id.clone(),
        region_code: Some(e.region_code.clone()),
        location: e.address.clone().unwrap_or_else(|| e.title.clone()),
        lon: Some(e.lon),
        lat: Some(e.lat),
        category: f.category,
        description: f
            .description
            .filter(|d| !d.trim().is_empty())
            .unwrap_or_else(|| e.description.clone()),
        level: f.level,
        deadline: f.deadline,
        responsible_name: f.responsible_name,
        responsible_phone: f.responsible_phone,
        measures: f.measures,
        ..HazardInput::default()
    }
}

/// 转隐患: the unit that has the event in hand reports it as a hazard (checked like any hazard
/// report of theirs); the event is 已处置 with the hazard linked, its 反馈 still due.
pub async fn to_hazard(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    fields: HazardFields,
) -> StoreResult<EventDetail> {
    let e = as_unit(store, ctx, id).await?;
    let config = config_of(store, &e.district_code).await?;
    let converted = e.hazard_id.is_some() || e.incident_id.is_some();
    rules::check_to_hazard(status_of(&e)?, config.category(&e.category), converted)
        .map_err(|m| StoreError::conflict("status", m))?;
    let input = hazard_input(&e, fields);
    let unit = e.unit_name.clone().unwrap_or_default();
    let mut tx = store.begin().await?;
    super::joint::ensure_parts_done_in(&mut tx, &e.id).await?;
    let hazard_id = hazards::create_in(&mut tx, store, ctx, now_ms, &input).await?;
    let code = code_in(&mut tx, Table::Hazards, &hazard_id).await?;
    let result = rules::hazard_result(&code);
    let h = Handling {
        result: &result,
        answer: None,
        photos: &[],
        summary: rules::to_hazard_summary(&e.title, &unit, &code),
        hazard_id: Some(&hazard_id),
    };
    handle_in(&mut tx, &ctx.actor, now_ms, &e, h, &config).await?;
    tx.commit().await?;
    reads::detail(store, ctx, id).await
}

/// The 接报's fields the duty room left empty, from the event: place, enterprise, the reporter
/// (only as the duty room may see them) and the channel.
fn fill_from_event(ctx: &Ctx, e: &GridEvent, mut input: IncidentInput) -> IncidentInput {
    if input.enterprise_id.is_none() && input.region_code.is_none() {
        input.enterprise_id = e.enterprise_id.clone();
        input.region_code = Some(e.region_code.clone());
    }
    if input.lon.is_none() && input.lat.is_none() {
        (input.lon, input.lat) = (Some(e.lon), Some(e.lat));
    }
    if input.reporter_name.is_none()
        && input.reporter_phone.is_none()
        && reporter_visible(ctx.role, &e.source, false)
    {
        input.reporter_name = e.reporter_name.clone();
        input.reporter_phone = e.reporter_phone.clone();
    }
    if input.report_channel.is_none() {
        let source = yingji_core::grid::events::Source::parse(&e.source);
        input.report_channel = source.map(|s| rules::report_channel(s).to_string());
    }
    input
}

/// 转接报: the duty room records the incident (checked and graded like any 接报) and closes the
/// event with the incident linked, in one transaction.
pub async fn to_incident(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: IncidentInput,
) -> StoreResult<EventDetail> {
    if !may_dispatch(ctx.role) || !may_record_incidents(ctx.role) {
        return Err(StoreError::Forbidden(NOT_THE_DUTY_ROOM.into()));
    }
    let e = reads::get(store, ctx, id).await?;
    let converted = e.hazard_id.is_some() || e.incident_id.is_some();
    rules::check_to_incident(status_of(&e)?, converted)
        .map_err(|m| StoreError::conflict("status", m))?;
    let input = fill_from_event(ctx, &e, input);
    let checked = check_create(store, ctx, now_ms, &input).await?;
    let mut tx = store.begin().await?;
    let incident_id = crate::response::incidents::record_in(&mut tx, ctx, now_ms, &checked).await?;
    let code = code_in(&mut tx, Table::Incidents, &incident_id).await?;
    let result = rules::incident_result(&code);
    let summary = rules::to_incident_summary(&e.title, &code);
    to_incident_in(
        &mut tx,
        &ctx.actor,
        now_ms,
        &e,
        (&incident_id, &result, summary),
    )
    .await?;
    tx.commit().await?;
    reads::detail(store, ctx, id).await
}
