//! Registering an incident (接报): the checks that read what it names (its enterprise or place,
//! the district's rules), then its number, its row, the first report and its timeline step.

use super::{NewReport, Step, insert_report, record};
use crate::kernel::{Ctx, attachments};
use crate::prevention::risk_points::region_columns;
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use yingji_core::kernel::role::Scope;
use yingji_core::kernel::validation::{Errors, Invalid};
use yingji_core::response::incident::{
    Casualties, CheckedIntake, IntakeFacts, check_intake, check_reporter,
};
use yingji_core::response::reports::{
    IntakeTimes, REGION_OUT_OF_SCOPE, REGION_REQUIRED, heading, intake_summary, intake_times,
};

pub use yingji_core::response::reports::IncidentInput;

/// An 接报 checked against what it names and graded, ready to be recorded (`create_in`).
pub struct CheckedIncident {
    intake: CheckedIntake,
    times: IntakeTimes,
    enterprise_id: Option<String>,
    region_code: String,
    /// The enterprise's supervision categories, comma-joined (empty without one).
    categories: String,
    lon: Option<f64>,
    lat: Option<f64>,
    casualties: Casualties,
    larger_risk: bool,
    larger_risk_judged: bool,
    warning_level: Option<i64>,
    window_end_ms: i64,
    /// 报告人, phone and channel.
    reporter: (Option<String>, Option<String>, Option<String>),
    /// Photos of the 初报.
    attachments: Vec<String>,
}

/// 接报's checks: the times, the place (an enterprise the caller sees, or a street, community
/// or grid in its regions), the reporter, the facts graded by core, and the 补报 window as the
/// district's rules in force count it. Every field error is reported at once.
pub async fn check_create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &IncidentInput,
) -> StoreResult<CheckedIncident> {
    let mut errs = Errors::default();
    let times = intake_times(&mut errs, input, now_ms);
    yingji_core::kernel::validation::coordinates(&mut errs, input.lon, input.lat);
    let enterprise_id = ctx
        .scope
        .owning_enterprise(input.enterprise_id.as_deref())
        .map_err(|m| StoreError::invalid("enterprise_id", m))?;
    let (region_code, categories) =
        place_of(store, ctx, input, enterprise_id.as_deref(), &mut errs).await?;
    let Some(times) = times else {
        return Err(errs.into_invalid().into());
    };
    let reporter = check_reporter(
        &mut errs,
        input.reporter_name.as_deref(),
        input.reporter_phone.as_deref(),
        input.report_channel.as_deref(),
    );
    let intake = check_intake(&facts(input, &times), now_ms);
    let intake = together(errs, intake)?;
    let larger_risk =
        intake.subtype.work_safety && input.casualties.is_larger_risk(input.larger_risk_judged);
    let config = crate::prevention::rules::current(store, &region_code)
        .await?
        .rules
        .incident;
    let window_end_ms = config.window_end_ms(intake.subtype, times.occurred_ms);
    Ok(CheckedIncident {
        intake,
        times,
        enterprise_id,
        region_code,
        categories,
        lon: input.lon,
        lat: input.lat,
        casualties: input.casualties,
        larger_risk,
        larger_risk_judged: input.larger_risk_judged,
        warning_level: input.warning_level,
        window_end_ms,
        reporter,
        attachments: input.attachments.clone(),
    })
}

/// Where the incident is: its enterprise's grid and categories, or the region given (a street,
/// community or grid inside the caller's regions).
async fn place_of(
    store: &Store,
    ctx: &Ctx,
    input: &IncidentInput,
    enterprise_id: Option<&str>,
    errs: &mut Errors,
) -> StoreResult<(String, String)> {
    if let Some(eid) = enterprise_id {
        let e = crate::directory::enterprises::get_referenced(store, &ctx.scope, eid).await?;
        return Ok((
            e.grid_code,
            yingji_core::directory::enterprise::join_codes(&e.categories),
        ));
    }
    let code = input.region_code.clone().unwrap_or_default();
    if code.len() < 9
        || crate::directory::regions::get(store, &Scope::All, &code)
            .await
            .is_err()
    {
        errs.add("region_code", REGION_REQUIRED);
    } else if !ctx.scope.covers_region(&code) {
        return Err(StoreError::Forbidden(REGION_OUT_OF_SCOPE.into()));
    }
    Ok((code, String::new()))
}

fn facts<'a>(input: &'a IncidentInput, times: &IntakeTimes) -> IntakeFacts<'a> {
    IntakeFacts {
        title: &input.title,
        category: &input.category,
        subtype: &input.subtype,
        occurred_ms: times.occurred_ms,
        received_ms: times.received_ms,
        unit_learned_ms: times.unit_learned_ms,
        casualties: input.casualties,
        texts: &input.texts,
        warning_level: input.warning_level,
        assessed: input.assessed_severity.as_deref(),
    }
}

/// The intake's own check and the errors found before it, reported together.
fn together(
    mut errs: Errors,
    checked: Result<CheckedIntake, Invalid>,
) -> StoreResult<CheckedIntake> {
    match checked {
        Ok(c) if errs.is_empty() => Ok(c),
        Ok(_) => Err(errs.into_invalid().into()),
        Err(invalid) => {
            for f in invalid.0 {
                errs.add(&f.field, f.message);
            }
            Err(errs.into_invalid().into())
        }
    }
}

/// 接报: records a checked incident with its 初报 and its timeline step inside the caller's
/// transaction; returns its id.
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    c: &CheckedIncident,
) -> StoreResult<String> {
    let id = new_id();
    let code = next_code(tx, &c.region_code, c.times.occurred_ms).await?;
    insert_incident(tx, ctx, now_ms, &id, &code, c).await?;
    let by = Some(ctx.user_id.as_str());
    attachments::link(tx, &c.attachments, "incident", &id, by, "attachments").await?;
    let i = &c.intake;
    let report = NewReport {
        incident_id: &id,
        kind: "initial",
        at_ms: c.times.received_ms,
        casualties: &c.casualties,
        before: None,
        after: i.severity,
        within_window: true,
        text: &i.texts.account,
        author: &ctx.display_name,
        attachments: &c.attachments,
    };
    insert_report(tx, &report).await?;
    let summary = intake_summary(
        i.subtype.label,
        &i.title,
        &c.casualties.summary(),
        i.severity,
        i.graded_by_rule,
        c.larger_risk,
    );
    let after = serde_json::json!({
        "code": code, "category": i.category.as_str(), "subtype": i.subtype.code,
        "occurred_ms": c.times.occurred_ms, "received_ms": c.times.received_ms,
        "casualties": c.casualties, "severity": i.severity.as_str(), "larger_risk": c.larger_risk,
    });
    let step = Step {
        action: "incident.create",
        kind: "report",
        at_ms: c.times.received_ms,
        text: &summary,
        before: None,
        after: Some(after),
    };
    record(tx, ctx, now_ms, &id, &heading(&i.title, &code), step).await?;
    Ok(id)
}

/// 事件编号: SJ, the district, the year of occurrence and the district's next number that year.
async fn next_code(tx: &mut Tx, region_code: &str, occurred_ms: i64) -> StoreResult<String> {
    let [d, ..] = region_columns(region_code);
    let year = yingji_core::kernel::clock::today(occurred_ms).year();
    let n = crate::kernel::sequences::next_in_sequence(tx, &format!("SJ{d}-{year}")).await?;
    Ok(format!("SJ{d}{year}{n:05}"))
}

async fn insert_incident(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    code: &str,
    c: &CheckedIncident,
) -> StoreResult<()> {
    let [d, s, cm, g] = region_columns(&c.region_code);
    let (i, n, t) = (&c.intake, &c.casualties, &c.intake.texts);
    let (reporter_name, reporter_phone, report_channel) = c.reporter.clone();
    let mut q = Sql::new(
        "INSERT INTO incidents (id, code, title, category, subtype, occurred_ms, occurred_month, received_ms, unit_learned_ms, enterprise_id, region_code, district_code, street_code, community_code, grid_code, categories, location, lon, lat, deaths, missing, serious_injuries, minor_injuries, trapped, at_risk, evacuated, loss_yuan, severity, graded_by_rule, larger_risk, larger_risk_judged, warning_level, unit_overview, scene, account, measures, other_info, response_level, status, last_report_ms, window_end_ms, recorded_by, created_ms, updated_ms, closed_ms, reporter_name, reporter_phone, report_channel) VALUES ",
    );
    q.values(vec![
        id.into(),
        code.into(),
        i.title.clone().into(),
        i.category.as_str().into(),
        i.subtype.code.into(),
        c.times.occurred_ms.into(),
        yingji_core::kernel::clock::month_of(c.times.occurred_ms).into(),
        c.times.received_ms.into(),
        i.unit_learned_ms.into(),
        c.enterprise_id.clone().into(),
        c.region_code.clone().into(),
        d.into(),
        s.into(),
        cm.into(),
        g.into(),
        c.categories.clone().into(),
        t.location.clone().into(),
        c.lon.into(),
        c.lat.into(),
        n.deaths.into(),
        n.missing.into(),
        n.serious_injuries.into(),
        n.minor_injuries.into(),
        n.trapped.into(),
        n.at_risk.into(),
        n.evacuated.into(),
        n.loss_yuan.into(),
        i.severity.rank().into(),
        i64::from(i.graded_by_rule).into(),
        i64::from(c.larger_risk).into(),
        i64::from(c.larger_risk_judged).into(),
        c.warning_level.into(),
        t.unit_overview.clone().into(),
        t.scene.clone().into(),
        t.account.clone().into(),
        t.measures.clone().into(),
        t.other.clone().into(),
        None::<i64>.into(),
        "open".into(),
        c.times.received_ms.into(),
        c.window_end_ms.into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
        now_ms.into(),
        None::<i64>.into(),
        reporter_name.into(),
        crate::kernel::keys::seal_opt(reporter_phone.as_deref())?.into(),
        report_channel.into(),
    ]);
    q.execute(tx).await?;
    Ok(())
}
