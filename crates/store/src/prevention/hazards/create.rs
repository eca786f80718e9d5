//! Creating hazards: the five sources (staff, enterprise self-checks, the public form with its tracking codes, monitoring alarms), numbering and the first events.

use crate::kernel::attachments;
use crate::kernel::audit::{self, Change};
use crate::prevention::risk_points::region_columns;
use crate::{Actor, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use yingji_core::directory::enterprise::join_codes;
use yingji_core::kernel::role::Scope;
use yingji_core::kernel::validation::Errors;
use yingji_core::prevention::hazard::{
    self as rules, Action, CheckedPublicReport, CheckedReport, Finding, HazardInput, HazardLevel,
    PublicReportInput, Status, check_report, check_source, wording,
};

use super::{Event, Graded, apply_grade, event, facts, load_tx, refusal, standing};
use crate::kernel::Ctx;

pub(super) async fn next_code(tx: &mut Tx, district: &str, now_ms: i64) -> StoreResult<String> {
    let year = rules::today(now_ms).year();
    let n = crate::kernel::sequences::next_in_sequence(tx, &format!("{district}-{year}")).await?;
    Ok(format!("YH{district}{year}{n:06}"))
}

pub(super) struct NewHazard {
    source: String,
    enterprise_id: Option<String>,
    risk_point_id: Option<String>,
    location: String,
    lon: Option<f64>,
    lat: Option<f64>,
    region_code: String,
    industry: String,
    categories: String,
    category: String,
    description: String,
    level: HazardLevel,
    criteria: Vec<String>,
    findings: Vec<Finding>,
    reporter_id: Option<String>,
    reporter_name: String,
    reporter_phone: Option<String>,
    tracking_code: Option<String>,
    attachments: Vec<String>,
}

/// Registers a new hazard: numbers it (隐患编号), writes its row, links its attachments and
/// records its first event and audit record; returns its id and code.
pub(super) async fn insert(
    tx: &mut Tx,
    now_ms: i64,
    actor: &Actor,
    h: &NewHazard,
) -> StoreResult<(String, String)> {
    let id = new_id();
    let [district, ..] = region_columns(&h.region_code);
    let code = next_code(tx, &district, now_ms).await?;
    insert_row(tx, now_ms, &id, &code, h).await?;
    attachments::link(
        tx,
        &h.attachments,
        "hazard",
        &id,
        h.reporter_id.as_deref(),
        "attachments",
    )
    .await?;
    report_event(tx, now_ms, actor, &id, h).await?;
    audit_created(tx, now_ms, actor, &id, &code, h).await?;
    Ok((id, code))
}

/// The hazard's row as registered: 已登记, without a deadline, not overdue, not listed.
async fn insert_row(
    tx: &mut Tx,
    now_ms: i64,
    id: &str,
    code: &str,
    h: &NewHazard,
) -> StoreResult<()> {
    let [d, s, c, g] = region_columns(&h.region_code);
    let mut q = Sql::new(
        "INSERT INTO hazards (id, code, source, enterprise_id, risk_point_id, location, lon, lat, region_code, district_code, street_code, community_code, grid_code, industry, categories, department_id, category, description, level, status, criteria, findings, deadline, overdue, reporter_id, reporter_name, reporter_phone, tracking_code, listed, reported_ms, reported_month, updated_ms) VALUES ",
    );
    q.values(vec![
        id.into(),
        code.into(),
        h.source.clone().into(),
        h.enterprise_id.clone().into(),
        h.risk_point_id.clone().into(),
        h.location.clone().into(),
        h.lon.into(),
        h.lat.into(),
        h.region_code.clone().into(),
        d.into(),
        s.into(),
        c.into(),
        g.into(),
        h.industry.clone().into(),
        h.categories.clone().into(),
        None::<String>.into(),
        h.category.clone().into(),
        h.description.clone().into(),
        h.level.as_str().into(),
        Status::Registered.as_str().into(),
        join_codes(&h.criteria).into(),
        (!h.findings.is_empty())
            .then(|| serde_json::to_string(&h.findings).unwrap_or_default())
            .into(),
        None::<String>.into(),
        0i64.into(),
        h.reporter_id.clone().into(),
        h.reporter_name.clone().into(),
        crate::kernel::keys::seal_opt(h.reporter_phone.as_deref())?.into(),
        h.tracking_code.clone().into(),
        0i64.into(),
        now_ms.into(),
        yingji_core::kernel::clock::month_of(now_ms).into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    Ok(())
}

/// The first event of the timeline: 上报登记, with the criteria met if any.
async fn report_event(
    tx: &mut Tx,
    now_ms: i64,
    actor: &Actor,
    id: &str,
    h: &NewHazard,
) -> StoreResult<()> {
    let data = (!h.criteria.is_empty()).then(|| serde_json::json!({"criteria": h.criteria}));
    event(
        tx,
        Event {
            hazard_id: id,
            code: "report",
            from: None,
            to: Status::Registered,
            actor,
            actor_name: &h.reporter_name,
            note: None,
            data,
            attachments: &h.attachments,
            at_ms: now_ms,
        },
    )
    .await
}

/// The audit record of a hazard registered.
async fn audit_created(
    tx: &mut Tx,
    now_ms: i64,
    actor: &Actor,
    id: &str,
    code: &str,
    h: &NewHazard,
) -> StoreResult<()> {
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            action: "hazard.create",
            entity_type: "hazard",
            entity_id: Some(id),
            summary: wording::created(code, &h.source, h.level),
            before: None,
            after: Some(serde_json::json!({"code": code, "source": h.source, "level": h.level.as_str(), "criteria": h.criteria, "description": h.description, "enterprise_id": h.enterprise_id, "region_code": h.region_code})),
        },
    )
    .await?;
    Ok(())
}

/// Reports a hazard (企业自查 / 执法检查 / 网格巡查) inside the caller's transaction (so that
/// another use case, such as an investigation's follow-up, commits it together with its own
/// rows); grades it at once when a deadline is given; returns its id. The input is checked by
/// `yingji_core::prevention::hazard::check_report` after the enterprise, region and risk point
/// it names are looked up in the caller's scope.
pub async fn create_in(
    tx: &mut Tx,
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &HazardInput,
) -> StoreResult<String> {
    if !ctx.role.reports_hazards() {
        return Err(StoreError::Forbidden(wording::MAY_NOT_REPORT.into()));
    }
    let mut errs = Errors::default();
    let source = check_source(&mut errs, ctx.role, input.source.as_deref());
    let place = place_of(store, ctx, input, &mut errs).await?;
    if let Some(rp) = input.risk_point_id.as_deref().filter(|s| !s.is_empty()) {
        let p = crate::prevention::risk_points::get(store, &ctx.scope, rp).await;
        if !matches!(&p, Ok(p) if p.enterprise_id == place.enterprise_id) {
            errs.add("risk_point_id", wording::RISK_POINT_NOT_OURS);
        }
    }
    let criteria = crate::prevention::criteria::active(store).await?;
    let r = check_report(&mut errs, source, input, &criteria, now_ms);
    if !errs.is_empty() {
        return Err(errs.into_invalid().into());
    }
    let (grade, level) = (r.grade.clone(), r.level);
    let hazard = reported(ctx, input, place, r);
    let (id, _code) = insert(tx, now_ms, &ctx.actor, &hazard).await?;
    if let Some(grade) = grade {
        grade_at_once(tx, ctx, now_ms, &id, level, grade).await?;
    }
    Ok(id)
}

/// Where a reported hazard is: its enterprise (grid, industry, categories) or, without one, the
/// community or grid given, which must be in the caller's area.
struct Place {
    enterprise_id: Option<String>,
    region_code: String,
    industry: String,
    categories: String,
}

async fn place_of(
    store: &Store,
    ctx: &Ctx,
    input: &HazardInput,
    errs: &mut Errors,
) -> StoreResult<Place> {
    let enterprise_id = ctx
        .scope
        .owning_enterprise(input.enterprise_id.as_deref())
        .map_err(|m| StoreError::invalid("enterprise_id", m))?;
    if let Some(eid) = &enterprise_id {
        let e = crate::directory::enterprises::get_referenced(store, &ctx.scope, eid).await?;
        return Ok(Place {
            enterprise_id,
            region_code: e.grid_code,
            industry: e.industry_code.get(..1).unwrap_or("").to_string(),
            categories: join_codes(&e.categories),
        });
    }
    let code = input.region_code.clone().unwrap_or_default();
    if code.len() < 12 {
        errs.add("region_code", wording::REGION_NEEDED);
    } else if !ctx.scope.covers_region(&code) {
        return Err(StoreError::Forbidden(wording::REGION_OUTSIDE_SCOPE.into()));
    }
    let categories = match &ctx.scope {
        Scope::Department { categories, .. } => join_codes(categories),
        _ => String::new(),
    };
    Ok(Place {
        enterprise_id: None,
        region_code: code,
        industry: String::new(),
        categories,
    })
}

/// The row of a checked staff report.
fn reported(ctx: &Ctx, input: &HazardInput, place: Place, r: CheckedReport) -> NewHazard {
    NewHazard {
        source: r.source,
        enterprise_id: place.enterprise_id,
        risk_point_id: input.risk_point_id.clone().filter(|s| !s.is_empty()),
        location: r.location,
        lon: input.lon,
        lat: input.lat,
        region_code: place.region_code,
        industry: place.industry,
        categories: place.categories,
        category: input.category.clone(),
        description: r.description,
        level: r.level,
        criteria: r.criteria,
        findings: input.findings.clone(),
        reporter_id: Some(ctx.user_id.clone()),
        reporter_name: ctx.display_name.clone(),
        reporter_phone: None,
        tracking_code: None,
        attachments: input.attachments.clone(),
    }
}

/// 定级 at the report, if the caller may grade the hazard just recorded.
async fn grade_at_once(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    level: HazardLevel,
    grade: rules::Grade,
) -> StoreResult<()> {
    let h = load_tx(tx, id).await?;
    let standing = standing(ctx, h.enterprise_id.as_deref());
    let cfg = crate::prevention::rules::current_tx(tx, &h.region_code)
        .await?
        .rules
        .hazard;
    rules::transition(&facts(&h), Action::Grade, standing, &ctx.user_id, &cfg).map_err(refusal)?;
    let graded = Graded {
        level,
        criteria: h.criteria.clone(),
        grade,
        note: None,
        files: &[],
    };
    apply_grade(tx, ctx, now_ms, &h, graded).await
}

/// The public form's lookup: the region named, if it exists (the rest is
/// `yingji_core::prevention::hazard::check_public`).
pub async fn check_public(
    store: &Store,
    input: &PublicReportInput,
) -> StoreResult<CheckedPublicReport> {
    let region = crate::directory::regions::get(store, &Scope::All, &input.region_code)
        .await
        .ok();
    Ok(rules::check_public(
        input,
        region.as_ref().map(|r| r.code.as_str()),
    )?)
}

/// Records a checked public report inside the caller's transaction; returns (hazard code,
/// tracking code).
pub async fn create_public_in(
    tx: &mut Tx,
    now_ms: i64,
    ip: Option<String>,
    input: &PublicReportInput,
    report: CheckedPublicReport,
) -> StoreResult<(String, String)> {
    let CheckedPublicReport {
        description,
        location,
        reporter_name: name,
        reporter_phone: tel,
    } = report;
    let tracking = tracking_code();
    let actor = Actor {
        user_id: None,
        name: wording::PUBLIC_REPORTER.into(),
        ip,
    };
    let (_, code) = insert(
        tx,
        now_ms,
        &actor,
        &NewHazard {
            source: "public_report".into(),
            enterprise_id: None,
            risk_point_id: None,
            location,
            lon: input.lon,
            lat: input.lat,
            region_code: input.region_code.clone(),
            industry: String::new(),
            categories: String::new(),
            category: input.category.clone(),
            description,
            level: HazardLevel::General,
            criteria: vec![],
            findings: vec![],
            reporter_id: None,
            reporter_name: name.unwrap_or_else(|| wording::ANONYMOUS.into()),
            reporter_phone: tel,
            tracking_code: Some(tracking.clone()),
            attachments: input.attachments.clone(),
        },
    )
    .await?;
    Ok((code, tracking))
}

/// 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L).
pub fn tracking_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let bytes = uuid::Uuid::new_v4().into_bytes();
    bytes
        .iter()
        .take(12)
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Tracking {
    pub code: String,
    pub status_label: String,
    pub reported_ms: i64,
    /// Public milestones only: no names of staff, no internal notes.
    pub steps: Vec<(String, i64)>,
}

pub async fn track(store: &Store, tracking: &str) -> StoreResult<Tracking> {
    let t = tracking.trim().to_ascii_uppercase();
    if t.len() != 12 {
        return Err(StoreError::NotFound);
    }
    let mut q =
        Sql::new("SELECT id, code, status, reported_ms FROM hazards WHERE tracking_code = ");
    q.bind(&t);
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    let id: String = r.try_get("id")?;
    let mut ev = Sql::new("SELECT to_status, at_ms FROM hazard_events WHERE hazard_id = ");
    ev.bind(&id).push(" ORDER BY at_ms, id");
    let mut steps: Vec<(String, i64)> = Vec::new();
    for e in store.fetch_all(ev).await? {
        let s: String = e.try_get("to_status")?;
        let label = Status::parse(&s)
            .map(|s| s.label())
            .unwrap_or("")
            .to_string();
        let label = if s == "registered" {
            wording::RECEIVED.to_string()
        } else {
            label
        };
        if steps.last().map(|x| &x.0) != Some(&label) {
            steps.push((label, e.try_get("at_ms")?));
        }
    }
    let status: String = r.try_get("status")?;
    Ok(Tracking {
        code: r.try_get("code")?,
        status_label: Status::parse(&status)
            .map(|s| s.label())
            .unwrap_or("")
            .into(),
        reported_ms: r.try_get("reported_ms")?,
        steps,
    })
}

/// The monitoring hook: an alarm that is a hazard becomes one (source 监测预警), recorded in the
/// caller's transaction with the alarm, the sensor and its readings as evidence
/// (alarm_hazards::convert).
pub(crate) async fn insert_from_monitoring(
    tx: &mut Tx,
    now_ms: i64,
    actor: &Actor,
    e: &crate::directory::enterprises::Enterprise,
    description: &str,
    evidence: serde_json::Value,
) -> StoreResult<String> {
    let (id, _) = insert(
        tx,
        now_ms,
        actor,
        &NewHazard {
            source: "monitoring".into(),
            enterprise_id: Some(e.id.clone()),
            risk_point_id: None,
            location: e.address.clone(),
            lon: e.lon,
            lat: e.lat,
            region_code: e.grid_code.clone(),
            industry: e.industry_code.get(..1).unwrap_or("").into(),
            categories: join_codes(&e.categories),
            category: "equipment".into(),
            description: description.chars().take(4000).collect(),
            level: HazardLevel::General,
            criteria: vec![],
            findings: vec![],
            reporter_id: actor.user_id.clone(),
            reporter_name: actor.name.clone(),
            reporter_phone: None,
            tracking_code: None,
            attachments: vec![],
        },
    )
    .await?;
    let mut u = Sql::new("UPDATE hazard_events SET data = ");
    u.bind(evidence.to_string())
        .push_bind(" WHERE hazard_id = ", &id);
    u.execute(tx).await?;
    Ok(id)
}
