//! The demo district's 网格事件: a month of events from every source (网格员巡查, 随手拍,
//! 12345/12350, 舆情, 值班接报) over its communities, filed, dispatched by the district's rules
//! and carried through 签收, 处置, 反馈 and 回访 at the times they happened; those of the last
//! three days stay open at every step, so the 督办 board shows cards once the timers run.

use super::enforcement_cases::ctx_of;
use yingji_app::grid::{events, events_close};
use yingji_core::grid::events::{EventInput, Source, check_event, filed_summary};
use yingji_core::grid::opinions::{CheckedOpinion, OpinionLevel};
use yingji_core::kernel::role::Scope;
use yingji_store::directory::regions::{self, RegionFilter};
use yingji_store::grid::events_writes::NewEvent;
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreResult};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// (category, what was seen).
const SEEN: &[(&str, &str)] = &[
    ("gas", "小区地下车库燃气管道有明显异味"),
    ("fire_safety", "沿街商铺消防通道被杂物堵塞"),
    ("illegal_hot_work", "工地在无人监护的情况下进行电焊作业"),
    ("city_operation", "路口井盖缺失，夜间存在安全隐患"),
    ("production_hazard", "小作坊内液化气瓶与明火距离过近"),
    ("natural_hazard", "山体护坡出现裂缝，雨后有落石"),
    ("illegal_operation", "居民楼一层疑似无证经营加油点"),
    ("unlicensed_work", "外墙施工人员高处作业未系安全带"),
    ("other", "广场大型充气游乐设施固定不牢"),
];

fn source_of(i: usize) -> Source {
    [
        Source::Grid,
        Source::Public,
        Source::Hotline,
        Source::Grid,
        Source::Duty,
        Source::Opinion,
    ][i % 6]
}

/// Files one event as it would have arrived at `at`; answers its id.
async fn file_one(
    store: &Store,
    filer: &Ctx,
    i: usize,
    (code, center): (&str, [f64; 2]),
    at: i64,
) -> StoreResult<Option<String>> {
    let source = source_of(i);
    let (category, seen) = if source == Source::Opinion {
        ("opinion", "网络平台反映某商场扶梯夹人，转发量较大")
    } else {
        SEEN[i % SEEN.len()]
    };
    let public = source == Source::Public;
    let input = EventInput {
        category: category.into(),
        description: seen.into(),
        lon: Some(center[0]),
        lat: Some(center[1]),
        region_code: code.into(),
        reporter_name: matches!(source, Source::Public | Source::Hotline)
            .then(|| ["王建国", "李秀英", "陈晓明"][i % 3].into()),
        reporter_phone: matches!(source, Source::Public | Source::Hotline)
            .then(|| format!("1390792{:04}", 1000 + i)),
        ..EventInput::default()
    };
    let (checked, config, district) = events::check(store, None, &input, public).await?;
    let _ = check_event(&input, &config, public)?;
    let decided = events::decide(store, &config, &checked).await?;
    let tracking = format!("DEMO{:08}", 2000 + i);
    let order = format!("12345-{}-{:05}", &district, 30_000 + i);
    let opinion = CheckedOpinion {
        platform: ["微博", "微信", "抖音", "本地论坛"][i % 4].into(),
        url: Some(format!("https://weibo.example.cn/post/{}", 1000 + i)),
        heat: Some(12_000 + i as i64 * 500),
        level: [
            OpinionLevel::General,
            OpinionLevel::Larger,
            OpinionLevel::General,
            OpinionLevel::Major,
        ][i % 4],
    };
    let new = NewEvent {
        source,
        checked: &checked,
        district_code: &district,
        reporter_user_id: matches!(source, Source::Grid | Source::Duty)
            .then_some(filer.user_id.as_str()),
        tracking_code: public.then_some(tracking.as_str()),
        external: (source == Source::Hotline).then_some(("12345", order.as_str())),
        opinion: (source == Source::Opinion).then_some(&opinion),
        attachments: &[],
        summary: filed_summary(source, &checked.category, &checked.title),
    };
    let mut tx = store.begin().await?;
    let (id, _) =
        events::record_in(&mut tx, &filer.actor, at, &new, &config, decided.as_ref()).await?;
    tx.commit().await?;
    Ok(Some(id))
}

/// Carries an event `steps` steps along its loop from `at` (签收, 处置, 反馈, 回访).
async fn carry(
    store: &Store,
    (admin, duty): (&Ctx, &Ctx),
    id: &str,
    at: i64,
    steps: usize,
    i: usize,
) -> StoreResult<()> {
    let e = yingji_store::grid::events::get(store, admin, id).await?;
    if e.unit_id.is_none() {
        let (kind, unit) = ("street", e.street_code.clone());
        events::dispatch_to(store, duty, at + HOUR / 2, id, kind, &unit).await?;
    }
    if steps >= 1 {
        events::accept(store, admin, at + HOUR, id).await?;
    }
    if steps >= 2 {
        let result = "已到现场核实并督促整改，隐患已消除";
        events_close::handle(store, admin, at + 20 * HOUR, id, (result, None, &[])).await?;
    }
    if steps >= 3 {
        events_close::answer(
            store,
            admin,
            at + 26 * HOUR,
            id,
            "您反映的问题已处置完毕，感谢您的监督",
        )
        .await?;
    }
    if steps >= 4 {
        let satisfied = if i % 7 == 3 { Some(false) } else { Some(true) };
        events_close::visit(store, duty, at + 30 * HOUR, id, satisfied, None).await?;
    }
    Ok(())
}

/// Answers how many events were filed.
pub async fn generate_grid_events(store: &Store, now: i64) -> StoreResult<usize> {
    let (Some(admin), Some(duty), Some(grid)) = (
        ctx_of(store, "admin").await?,
        ctx_of(store, "duty").await?,
        ctx_of(store, "grid").await?,
    ) else {
        return Ok(0);
    };
    let places: Vec<(String, [f64; 2])> = regions::list(
        store,
        &Scope::All,
        &RegionFilter {
            level: Some("community".into()),
            ..Default::default()
        },
    )
    .await?
    .into_iter()
    .filter_map(|r| r.center.map(|c| (r.code, c)))
    .take(40)
    .collect();
    if places.is_empty() {
        return Ok(0);
    }
    let mut filed = 0;
    for i in 0..64usize {
        // Two a day over 30 days; the last few in the last three days, at every step.
        let age = (63 - i as i64) * 11 * HOUR + 2 * HOUR;
        let at = now - age;
        let (code, center) = &places[(i * 7) % places.len()];
        let filer = if source_of(i) == Source::Grid {
            &grid
        } else {
            &duty
        };
        let Some(id) = file_one(store, filer, i, (code, *center), at).await? else {
            continue;
        };
        filed += 1;
        let steps = if age > 3 * DAY { 4 } else { i % 4 };
        carry(store, (&admin, &duty), &id, at, steps, i).await?;
    }
    Ok(filed)
}
