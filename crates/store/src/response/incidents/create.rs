//! Registering an incident: grading, the first report and its deadlines.

use super::{IncidentDetail, Step, detail, insert_report, record};
use crate::kernel::Ctx;
use crate::prevention::risk_points::region_columns;
use crate::{Sql, Store, StoreError, StoreResult, new_id};
use yingji_core::kernel::role::Scope;
use yingji_core::kernel::validation::Errors;
use yingji_core::response::incident::{IntakeFacts, check_intake, check_reporter};
use yingji_core::response::reports::{heading, instant, intake_summary};

pub use yingji_core::response::reports::IncidentInput;

/// 接报: checks, grades and stores an incident with its 初报, in one transaction.
pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &IncidentInput,
) -> StoreResult<IncidentDetail> {
    if !yingji_core::response::access::may_record_incidents(ctx.role) {
        return Err(StoreError::Forbidden("您的角色不能登记突发事件".into()));
    }
    let mut errs = Errors::default();
    let occurred = instant(&mut errs, "occurred_at", "发生时间", &input.occurred_at);
    let received = match input
        .received_at
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        Some(raw) => instant(&mut errs, "received_at", "接报时间", raw),
        None => Some(now_ms),
    };
    let learned = match input
        .unit_learned_at
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        Some(raw) => instant(&mut errs, "unit_learned_at", "单位负责人接报时间", raw).map(Some),
        None => Some(None),
    };
    crate::prevention::hazards::coords(&mut errs, input.lon, input.lat);
    let enterprise_id = ctx
        .scope
        .owning_enterprise(input.enterprise_id.as_deref())
        .map_err(|m| StoreError::invalid("enterprise_id", m))?;
    let (region_code, categories) = match &enterprise_id {
        Some(eid) => {
            let e = crate::directory::enterprises::get_referenced(store, &ctx.scope, eid).await?;
            (
                e.grid_code,
                yingji_core::directory::enterprise::join_codes(&e.categories),
            )
        }
        None => {
            let code = input.region_code.clone().unwrap_or_default();
            if code.len() < 9
                || crate::directory::regions::get(store, &Scope::All, &code)
                    .await
                    .is_err()
            {
                errs.add("region_code", "请选择事件所在的街道、社区或网格");
            } else if !ctx.scope.covers_region(&code) {
                return Err(StoreError::Forbidden("该区域不在您的管辖范围内".into()));
            }
            (code, String::new())
        }
    };
    let (Some(occurred_ms), Some(received_ms), Some(unit_learned_ms)) =
        (occurred, received, learned)
    else {
        return Err(errs.into_invalid().into());
    };
    let (reporter_name, reporter_phone, report_channel) = check_reporter(
        &mut errs,
        input.reporter_name.as_deref(),
        input.reporter_phone.as_deref(),
        input.report_channel.as_deref(),
    );
    let checked = check_intake(
        &IntakeFacts {
            title: &input.title,
            category: &input.category,
            subtype: &input.subtype,
            occurred_ms,
            received_ms,
            unit_learned_ms,
            casualties: input.casualties,
            texts: &input.texts,
            warning_level: input.warning_level,
            assessed: input.assessed_severity.as_deref(),
        },
        now_ms,
    );
    let checked = match checked {
        Ok(c) if errs.is_empty() => c,
        Ok(_) => return Err(errs.into_invalid().into()),
        Err(invalid) => {
            for f in invalid.0 {
                errs.add(&f.field, f.message);
            }
            return Err(errs.into_invalid().into());
        }
    };
    let larger_risk =
        checked.subtype.work_safety && input.casualties.is_larger_risk(input.larger_risk_judged);
    // The district's rules in force say how the 补报 window's days are counted.
    let config = crate::prevention::rules::current(store, &region_code)
        .await?
        .rules
        .incident;
    let window_end_ms = config.window_end_ms(checked.subtype, occurred_ms);
    let id = new_id();
    let [d, s, cm, g] = region_columns(&region_code);
    let mut tx = store.begin().await?;
    let year = yingji_core::prevention::hazard::today(occurred_ms).year();
    let n = crate::kernel::sequences::next_in_sequence(&mut tx, &format!("SJ{d}-{year}")).await?;
    let code = format!("SJ{d}{year}{n:05}");
    let c = &input.casualties;
    let t = &checked.texts;
    let mut q = Sql::new(
        "INSERT INTO incidents (id, code, title, category, subtype, occurred_ms, occurred_month, received_ms, unit_learned_ms, enterprise_id, region_code, district_code, street_code, community_code, grid_code, categories, location, lon, lat, deaths, missing, serious_injuries, minor_injuries, trapped, at_risk, evacuated, loss_yuan, severity, graded_by_rule, larger_risk, larger_risk_judged, warning_level, unit_overview, scene, account, measures, other_info, response_level, status, last_report_ms, window_end_ms, recorded_by, created_ms, updated_ms, closed_ms, reporter_name, reporter_phone, report_channel) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        code.clone().into(),
        checked.title.clone().into(),
        checked.category.as_str().into(),
        checked.subtype.code.into(),
        occurred_ms.into(),
        crate::prevention::hazards::month_of(occurred_ms).into(),
        received_ms.into(),
        checked.unit_learned_ms.into(),
        enterprise_id.clone().into(),
        region_code.clone().into(),
        d.into(),
        s.into(),
        cm.into(),
        g.into(),
        categories.into(),
        t.location.clone().into(),
        input.lon.into(),
        input.lat.into(),
        c.deaths.into(),
        c.missing.into(),
        c.serious_injuries.into(),
        c.minor_injuries.into(),
        c.trapped.into(),
        c.at_risk.into(),
        c.evacuated.into(),
        c.loss_yuan.into(),
        checked.severity.rank().into(),
        i64::from(checked.graded_by_rule).into(),
        i64::from(larger_risk).into(),
        i64::from(input.larger_risk_judged).into(),
        input.warning_level.into(),
        t.unit_overview.clone().into(),
        t.scene.clone().into(),
        t.account.clone().into(),
        t.measures.clone().into(),
        t.other.clone().into(),
        None::<i64>.into(),
        "open".into(),
        received_ms.into(),
        window_end_ms.into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
        now_ms.into(),
        None::<i64>.into(),
        reporter_name.into(),
        reporter_phone.into(),
        report_channel.into(),
    ]);
    q.execute(&mut tx).await?;
    insert_report(
        &mut tx,
        &id,
        "initial",
        received_ms,
        c,
        None,
        checked.severity,
        true,
        &t.account,
        &ctx.display_name,
    )
    .await?;
    let summary = intake_summary(
        checked.subtype.label,
        &checked.title,
        &c.summary(),
        checked.severity,
        checked.graded_by_rule,
        larger_risk,
    );
    let heading = heading(&checked.title, &code);
    let after = serde_json::json!({
        "code": code, "category": checked.category.as_str(), "subtype": checked.subtype.code,
        "occurred_ms": occurred_ms, "received_ms": received_ms, "casualties": c,
        "severity": checked.severity.as_str(), "larger_risk": larger_risk,
    });
    let step = Step {
        action: "incident.create",
        kind: "report",
        at_ms: received_ms,
        text: &summary,
        before: None,
        after: Some(after),
    };
    record(&mut tx, ctx, now_ms, &id, &heading, step).await?;
    tx.commit().await?;
    detail(store, &ctx.scope, &id, now_ms).await
}
