//! The demo district's 有奖举报: the duty officer appointed reward officer (with the national
//! table of 安监总财〔2018〕19号 第十一条), and the oldest 随手拍 reports carried along the steps —
//! one paid, one decided (to claim on the public page), one identified (the amount to confirm),
//! one verified, one found untrue; the others wait for 核查.

use super::enforcement_cases::ctx_of;
use yingji_app::grid::rewards::{self as uc, Identification};
use yingji_core::kernel::clock::to_local_minute;
use yingji_core::prevention::rules::DistrictRules;
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreResult};

const DAY: i64 = 24 * 3_600_000;

/// What 认定 records: (row code, fine in 元, hidden deaths).
type Row<'a> = (&'a str, Option<&'a str>, Option<i64>);
/// One report's plan: (steps, truthful, row).
type Plan = (usize, bool, Row<'static>);

/// Appoints the officer in the district's rules (a new version, audited).
async fn appoint(store: &Store, admin: &Ctx, officer: &Ctx, now: i64) -> StoreResult<String> {
    let prefix = officer.scope.region_prefix().unwrap_or_default();
    let district = yingji_store::prevention::rules::district_for(store, prefix).await?;
    let cur = yingji_store::prevention::rules::current(store, &district).await?;
    let mut rules: DistrictRules = cur.rules;
    if !rules.grid_rewards.is_officer(&officer.user_id) {
        rules.grid_rewards.officers.push(officer.user_id.clone());
        let note = Some("任命举报奖励专员".to_string());
        yingji_app::prevention::rules::save(store, &admin.actor, now, &district, &rules, note)
            .await?;
    }
    Ok(district)
}

/// One report taken `steps` steps (1 核查 … 4 发放); `truthful` false stops at 核查.
async fn walk(
    store: &Store,
    officer: &Ctx,
    (id, at): (&str, i64),
    (steps, truthful): (usize, bool),
    row: Row<'_>,
) -> StoreResult<()> {
    let note = if truthful {
        "经现场核查，举报情况属实"
    } else {
        "经现场核查，未发现举报所述情况"
    };
    uc::verify(store, officer, at + DAY, id, (truthful, note)).await?;
    if !truthful || steps < 2 {
        return Ok(());
    }
    let i = Identification {
        row_code: row.0.into(),
        fine_yuan: row.1.map(Into::into),
        deaths: row.2,
        note: Some("依据区应急管理局行政处罚决定认定".into()),
        ..Identification::default()
    };
    uc::identify(store, officer, at + 3 * DAY, id, i).await?;
    if steps < 3 {
        return Ok(());
    }
    uc::decide(store, officer, at + 4 * DAY, id).await?;
    if steps < 4 {
        return Ok(());
    }
    let paid_on: String = to_local_minute(at + 6 * DAY).chars().take(10).collect();
    uc::pay(
        store,
        officer,
        at + 6 * DAY,
        id,
        (&paid_on, "银行转账", "JL-DEMO-0001"),
    )
    .await?;
    Ok(())
}

/// Answers how many rewards were started.
pub async fn generate_grid_rewards(store: &Store, now: i64) -> StoreResult<usize> {
    let (Some(admin), Some(duty)) = (ctx_of(store, "admin").await?, ctx_of(store, "duty").await?)
    else {
        return Ok(0);
    };
    appoint(store, &admin, &duty, now).await?;
    // The public reports, oldest first.
    let mut queue = uc::queue(store, &duty, Some("pending")).await?;
    queue.reverse();
    let plan: [Plan; 5] = [
        (4, true, ("major_hazard", Some("50000"), None)),
        (3, true, ("illegal_operation", Some("12000"), None)),
        (2, true, ("major_hazard", Some("33333.33"), None)),
        (1, true, ("major_hazard", None, None)),
        (1, false, ("major_hazard", None, None)),
    ];
    let mut n = 0;
    for (item, (steps, truthful, row)) in queue.iter().zip(plan) {
        let at = item.event.created_ms.min(now - 7 * DAY);
        walk(store, &duty, (&item.event.id, at), (steps, truthful), row).await?;
        n += 1;
    }
    Ok(n)
}
