//! The demo district's 每日安全承诺: the last 7 days of its committing (high-risk) enterprises,
//! most submitted before the deadline, a few late, a few missing (the misses recorded at the
//! deadline, some escalated at the later step), and today's for most of them through the use
//! case (so the sweep timer is scheduled). The demo enterprise user's own is left for today, so
//! the board shows every state and the enterprise has its form to fill.

use super::enforcement_cases::ctx_of;
use yingji_app::credit::commitments as use_case;
use yingji_core::credit::commitments::{CommitmentInput, SpecialWorkCount, check};
use yingji_core::kernel::clock::today;
use yingji_core::prevention::hazard::start_of_day_ms;
use yingji_store::credit::commitments as rows;
use yingji_store::directory::enterprises::push_categories_on;
use yingji_store::{Sql, Store, StoreResult};

const DAY_MS: i64 = 86_400_000;
const MIN_MS: i64 = 60_000;
/// At most this many committing enterprises (the demo district has a few dozen).
const ENTERPRISES: i64 = 200;

const DUTY: [&str; 6] = ["王建国", "李红梅", "陈志强", "刘晓燕", "张卫东", "赵丽华"];
const PRINCIPALS: [&str; 4] = ["周永明", "吴海军", "郑春华", "孙国庆"];

/// What an enterprise did on a past day: 0 missed (escalated), 1 missed, 2 late, else on time.
fn plan(i: usize, back: i64) -> usize {
    (i * 7 + back as usize * 3) % 11
}

fn input(i: usize, back: i64) -> CommitmentInput {
    let k = i + back as usize;
    let works = [
        ("hot_work", k % 3),
        ("confined_space", k % 2),
        ("height", (k + 1) % 3),
    ]
    .into_iter()
    .filter(|w| w.1 > 0)
    .map(|w| SpecialWorkCount {
        kind: w.0.into(),
        count: w.1 as i64,
    })
    .collect();
    CommitmentInput {
        enterprise_id: None,
        units_running: 2 + (k % 4) as i64,
        units_stopped: i64::from(k.is_multiple_of(5)),
        units_overhaul: i64::from(k % 6 == 1),
        major_hazard_status: Some(if k % 9 == 4 { "abnormal" } else { "normal" }.into()),
        major_hazard_note: (k % 9 == 4)
            .then(|| "储罐区液位计示值波动，已安排检修，采取人工巡检".into()),
        special_works: works,
        duty_person: DUTY[k % DUTY.len()].into(),
        duty_phone: Some(format!("1390792{:04}", 1000 + i)),
        principal_name: PRINCIPALS[i % PRINCIPALS.len()].into(),
        note: None,
    }
}

// Long because: the past days in one transaction (their commitments and misses), then today's
// through the use case.
pub async fn generate_commitments(store: &Store, now: i64) -> StoreResult<usize> {
    let Some(admin) = ctx_of(store, "admin").await? else {
        return Ok(0);
    };
    let district = rows::district_of_scope(store, &admin.scope).await?;
    let config = use_case::config_of(store, &district).await?;
    let mut q = Sql::new(
        "SELECT e.id, e.name, (SELECT COUNT(*) FROM users u WHERE u.enterprise_id = e.id) AS users FROM enterprises e WHERE e.status = 'operating' AND ",
    );
    push_categories_on(&mut q, "e", &config.categories);
    q.push_bind(" AND e.district_code = ", district.clone());
    q.push(" ORDER BY e.id");
    q.push_bind(" LIMIT ", ENTERPRISES);
    let mut list: Vec<(String, String)> = Vec::new();
    let mut with_users: Vec<String> = Vec::new();
    for r in store.fetch_all(q).await? {
        let id: String = sqlx::Row::try_get(&r, 0)?;
        if sqlx::Row::try_get::<i64, _>(&r, 2)? > 0 {
            with_users.push(id.clone());
        }
        list.push((id, sqlx::Row::try_get(&r, 1)?));
    }
    let mut n = 0;
    let mut tx = store.begin().await?;
    for back in 1..=7 {
        let day = today(now - back * DAY_MS);
        let deadline = config.deadline_ms(day, false);
        for (i, (id, name)) in list.iter().enumerate() {
            let p = plan(i, back);
            if p <= 2 {
                let mut m = Sql::new(
                    "INSERT INTO credit_commitment_misses (enterprise_id, day, flagged_ms, escalated_ms) VALUES ",
                );
                let escalated = (p == 0).then(|| config.deadline_ms(day, true));
                m.values(vec![
                    id.clone().into(),
                    day.to_string().into(),
                    deadline.into(),
                    escalated.into(),
                ]);
                m.execute(&mut tx).await?;
            }
            if p <= 1 {
                continue;
            }
            let at = if p == 2 {
                deadline + (45 + 7 * (i % 20) as i64) * MIN_MS
            } else {
                deadline - (150 - 5 * (i % 25) as i64) * MIN_MS
            };
            let checked = check(&input(i, back))?;
            rows::create_in(&mut tx, &admin, at, (id, name), day, p == 2, &checked).await?;
            n += 1;
        }
    }
    tx.commit().await?;
    // Today: most have committed (through the use case, scheduling the sweep); a few not yet.
    for (i, (id, _)) in list.iter().enumerate() {
        if i % 4 == 3 || with_users.contains(id) {
            continue;
        }
        let mut c = input(i, 0);
        c.enterprise_id = Some(id.clone());
        // Before the deadline (or now, early in the morning): on time.
        let at =
            now.min(config.deadline_ms(today(now), false) - (150 - 2 * (i % 60) as i64) * MIN_MS);
        use_case::submit(store, &admin, at.max(start_of_day_ms(today(now))), &c).await?;
        n += 1;
    }
    Ok(n)
}
