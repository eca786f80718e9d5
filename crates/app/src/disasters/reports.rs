//! 报送灾情: a 初报, 续报 or 核报 of a process, checked (sequence, rows, jumps), marked late
//! against the deadline it answers, written with its photos in one transaction; 10 or more dead
//! and missing reach the higher levels at once (R04); a response level the linked incident's
//! plans now reach is proposed to the commanders.

use yingji_core::disasters::processes::{NOT_A_REPORTER, Status, may_report};
use yingji_core::disasters::reports::{
    ReportInput, Sequence, Townships, check_report, check_sequence,
};
use yingji_core::disasters::reports_figures::Figures;
use yingji_core::disasters::reports_rules::{
    Facts, higher_levels_message, jumps, lateness, next_due, report_summary, tells_higher_levels,
};
use yingji_core::kernel::notify::Message;
use yingji_core::kernel::role::Scope;
use yingji_core::kernel::validation::Errors;
use yingji_store::disasters::processes::{self, Process};
use yingji_store::disasters::reports::{self, Filing, Report};
use yingji_store::disasters::{reports_due, reports_settings};
use yingji_store::kernel::Ctx;
use yingji_store::kernel::idempotency::{self, Key};
use yingji_store::{Store, StoreError, StoreResult, directory, response};

/// The kind of submission a report's idempotency key is recorded for.
pub const KIND: &str = "disaster_report";

/// Files a report on a process the caller may read, for townships the caller covers. Sent again
/// with the same `key`, it answers the first one.
pub async fn file(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    process_id: &str,
    input: &ReportInput,
    key: Option<&str>,
) -> StoreResult<Report> {
    if !may_report(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_REPORTER.into()));
    }
    let key = key.map(|key| Key {
        user_id: &ctx.user_id,
        key,
        kind: KIND,
    });
    let p = processes::get(store, ctx, process_id).await?;
    if let Some(id) = idempotency::replayed(store, key).await? {
        return one(store, process_id, &id).await;
    }
    let t = Townships {
        affected: &p.townships,
        prefix: ctx.scope.region_prefix(),
    };
    let checked = check_report(input, &t)?;
    let previous = reports::of_process(store, process_id).await?;
    let last = previous.last();
    check_sequence(
        checked.kind,
        Sequence {
            status: p.status(),
            has_initial: !previous.is_empty(),
            has_final: p.status() == Status::Verified,
        },
    )?;
    let settings = reports_settings::get(store, &p.district_code).await?;
    if checked.explanation.is_none()
        && let Some(last) = last
    {
        refuse_jumps(settings.jump, last, &checked)?;
    }
    let facts = Facts {
        started_ms: p.started_ms,
        status: p.status(),
        stable_ms: p.stable_ms,
        major: p.major,
        last: last.map(|r| (r.kind(), r.filed_ms)),
    };
    let due = next_due(&facts);
    let late_note = lateness(due.as_ref(), checked.kind, now_ms);
    let higher = tells_higher_levels(last.map(|r| &r.totals), &checked.totals);
    let mut tx = store.begin().await?;
    let id = reports::create_in(
        &mut tx,
        ctx,
        now_ms,
        Filing {
            process: &p,
            report: &checked,
            due: due.as_ref().filter(|d| d.kind == checked.kind),
            late_note: late_note.clone(),
            seq: previous.len() as i64 + 1,
            photos: &input.attachments,
            summary: report_summary(&p.name, checked.kind, late_note.as_deref()),
        },
    )
    .await
    .map_err(|e| match e {
        StoreError::Db(d) if is_unique(&d) => {
            StoreError::conflict("kind", "该灾害过程刚有另一份报告提交，请刷新后重试")
        }
        e => e,
    })?;
    if higher {
        tell_higher_levels(store, &mut tx, now_ms, &p, &checked, &settings).await?;
    }
    idempotency::record_in(&mut tx, key, &id, now_ms).await?;
    tx.commit().await?;
    propose(store, now_ms, &p).await?;
    one(store, process_id, &id).await
}

/// A jump of a main figure since the last report without an explanation: every jump named.
fn refuse_jumps(
    rule: yingji_core::disasters::reports_rules::JumpRule,
    last: &Report,
    checked: &yingji_core::disasters::reports::CheckedReport,
) -> StoreResult<()> {
    let before: Vec<(String, Figures)> = last
        .rows
        .iter()
        .map(|r| (r.region_code.clone(), r.figures))
        .collect();
    let now: Vec<(String, String, Figures)> = checked
        .rows
        .iter()
        .map(|r| (r.township.clone(), r.name.clone(), r.figures))
        .collect();
    let found = jumps(rule, &before, &now);
    if found.is_empty() {
        return Ok(());
    }
    let mut errs = Errors::default();
    for (field, message) in found {
        errs.add(&field, message);
    }
    Err(errs.into_invalid().into())
}

/// R04 in the report's transaction: the higher levels' channels and the district's leaders.
async fn tell_higher_levels(
    store: &Store,
    tx: &mut yingji_store::Tx,
    now_ms: i64,
    p: &Process,
    checked: &yingji_core::disasters::reports::CheckedReport,
    settings: &reports_settings::Settings,
) -> StoreResult<()> {
    let district_name = directory::regions::get(store, &Scope::All, &p.district_code)
        .await
        .map(|r| r.name)
        .unwrap_or_default();
    let (title, body) =
        higher_levels_message(&district_name, &p.name, checked.kind, &checked.totals);
    let message = Message {
        event: "disaster.report_higher".into(),
        title,
        body,
        link: reports_due::link(&p.id),
        subject_id: p.id.clone(),
    };
    let ids: Vec<String> = settings
        .city_channel_ids
        .iter()
        .chain(settings.province_channel_ids.iter())
        .cloned()
        .collect();
    reports_due::tell_higher_levels_in(tx, now_ms, &p.district_code, &ids, &message).await?;
    Ok(())
}

fn is_unique(e: &yingji_store::sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

async fn one(store: &Store, process_id: &str, id: &str) -> StoreResult<Report> {
    reports::of_process(store, process_id)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(StoreError::NotFound)
}

/// For a process linked to an incident: the best plan suggestion with the new figures; a level
/// other than the one proposed before is proposed to the commanders.
async fn propose(store: &Store, now_ms: i64, p: &Process) -> StoreResult<()> {
    let Some(incident) = &p.incident_id else {
        return Ok(());
    };
    let suggestions = response::plans::suggestions(store, &Scope::All, incident, now_ms).await?;
    let Some((level, s)) = suggestions
        .iter()
        .find_map(|s| s.suggested_level.map(|l| (l, s)))
    else {
        return Ok(());
    };
    if p.suggested_level == Some(level) {
        return Ok(());
    }
    let label = s.suggested_label.clone().unwrap_or_default();
    let message = Message {
        event: "disaster.response_proposed".into(),
        title: format!("建议启动{label}应急响应：{}", p.name),
        body: format!(
            "灾害过程“{}”的最新灾情已达到《{}》{label}响应的启动条件，请研判是否启动。",
            p.name, s.plan_name
        ),
        link: format!("/response/incidents/{incident}"),
        subject_id: p.id.clone(),
    };
    let mut tx = store.begin().await?;
    reports_due::propose_in(&mut tx, now_ms, &p.district_code, &p.id, level, &message).await?;
    tx.commit().await?;
    Ok(())
}
