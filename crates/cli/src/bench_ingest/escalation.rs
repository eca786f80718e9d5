//! Figure 3: 10,000 open incidents whose next 叫应 step falls due over a window; how late each
//! fires, beside tokio sleeps to the same instants (the runtime's own jitter).

use super::{IngestBenchArgs, fresh_store, ms, percentile};
use std::sync::Arc;
use std::time::{Duration, Instant};
use yingji_core::kernel::clock::{SharedClock, SystemClock};
use yingji_core::kernel::role::Scope;
use yingji_store::monitoring;
use yingji_store::{Sql, Store};

/// The window over which the planned steps fall due, from 5 seconds after the first steps.
const WINDOW_MS: i64 = 20_000;

pub(super) async fn escalation(
    args: &IngestBenchArgs,
    dir: &std::path::Path,
) -> anyhow::Result<()> {
    let n = args.incidents;
    let store = fresh_store(dir, "escalation.db", n).await?;
    let clock: SharedClock = Arc::new(SystemClock);
    open_alarms(&store, clock.now_ms(), n).await?;
    // Step 0 of each is due at once; fire them all first so only the planned steps remain.
    yingji_jobs::run_due(&store, &clock).await?;
    let base = clock.now_ms() + 5_000;
    let dues = spread_steps(&store, base).await?;
    let pending = dues.len();
    let wake = Arc::new(tokio::sync::Notify::new());
    let loop_task = tokio::spawn(yingji_jobs::run(store.clone(), clock.clone(), wake));
    let mut base_late = tokio_lateness(&clock, &dues).await?;
    wait_until_fired(&store, base).await?;
    loop_task.abort();
    let mut late = fired_lateness(&store, base).await?;
    late.sort();
    let pick = |p: f64| {
        late.get(((late.len() as f64 * p).ceil() as usize).clamp(1, late.len().max(1)) - 1)
            .copied()
            .unwrap_or(0)
    };
    base_late.sort();
    let early = late.iter().filter(|l| **l < 0).count();
    println!(
        "{n} 起未确认报警，{pending} 个叫应步骤在 20 秒内陆续到期：已触发 {} 个；迟到 p50 {} ms，p99 {} ms，最大 {} ms；提前触发 {early} 个",
        late.len(),
        pick(0.5),
        pick(0.99),
        pick(1.0)
    );
    println!(
        "基线 tokio 定时器（同样的到期时刻）：迟到 p50 {} ms，p99 {} ms，最大 {} ms",
        ms(percentile(&base_late, 0.5)),
        ms(percentile(&base_late, 0.99)),
        ms(percentile(&base_late, 1.0))
    );
    Ok(())
}

/// n incidents: every sensor crosses H once.
async fn open_alarms(store: &Store, now: i64, n: usize) -> anyhow::Result<()> {
    for chunk in (0..n).collect::<Vec<_>>().chunks(2000) {
        let batch: Vec<monitoring::ReadingIn> = chunk
            .iter()
            .map(|i| monitoring::ReadingIn {
                sensor: format!("B-{i:05}"),
                at_ms: now - 1000,
                value: yingji_core::monitoring::alarm::Milli4(920_000),
                quality: "good".into(),
            })
            .collect();
        monitoring::ingest(store, &Scope::All, now, &batch).await?;
    }
    Ok(())
}

/// Moves each incident's next step to an instant spread evenly over the window from `base`;
/// answers those instants.
async fn spread_steps(store: &Store, base: i64) -> anyhow::Result<Vec<i64>> {
    let ids: Vec<String> = store
        .fetch_all(Sql::new(
            "SELECT id FROM timers WHERE fired_ms IS NULL AND kind = 'alarm.escalate' ORDER BY id",
        ))
        .await?
        .iter()
        .map(|r| yingji_store::sqlx::Row::try_get::<String, _>(r, 0))
        .collect::<Result<_, _>>()?;
    let pending = ids.len();
    let mut dues = Vec::with_capacity(pending);
    let mut tx = store.begin().await?;
    for (i, id) in ids.iter().enumerate() {
        let due = base + (i as i64 * WINDOW_MS) / pending.max(1) as i64;
        dues.push(due);
        let mut u = Sql::new("UPDATE timers SET due_ms = ");
        u.bind(due).push_bind(" WHERE id = ", id.as_str());
        u.execute(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(dues)
}

/// Baseline: tokio sleeps to the same instants (the runtime's own lateness).
async fn tokio_lateness(clock: &SharedClock, dues: &[i64]) -> anyhow::Result<Vec<Duration>> {
    let base_tasks: Vec<_> = dues
        .iter()
        .map(|&due| {
            let clock = clock.clone();
            tokio::spawn(async move {
                let wait = (due - clock.now_ms()).max(0) as u64;
                tokio::time::sleep(Duration::from_millis(wait)).await;
                clock.now_ms() - due
            })
        })
        .collect();
    let mut base_late = Vec::new();
    for t in base_tasks {
        base_late.push(Duration::from_millis(t.await?.max(0) as u64));
    }
    Ok(base_late)
}

/// Waits (two minutes at most) for the loop to fire every step of the window.
async fn wait_until_fired(store: &Store, base: i64) -> anyhow::Result<()> {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let mut q = Sql::new(
            "SELECT COUNT(*) FROM timers WHERE fired_ms IS NULL AND kind = 'alarm.escalate' AND due_ms < ",
        );
        q.bind(base + WINDOW_MS);
        if store.fetch_i64(q).await? == 0 || Instant::now() > deadline {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// How late (ms; negative if early) each step of the window fired.
async fn fired_lateness(store: &Store, base: i64) -> anyhow::Result<Vec<i64>> {
    let mut q = Sql::new(
        "SELECT fired_ms - due_ms FROM timers WHERE kind = 'alarm.escalate' AND fired_ms IS NOT NULL AND due_ms >= ",
    );
    q.bind(base).push_bind(" AND due_ms < ", base + WINDOW_MS);
    Ok(store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| yingji_store::sqlx::Row::try_get::<i64, _>(r, 0).unwrap_or(i64::MAX))
        .collect())
}
