//! The demo district's sensor simulator (`serve --demo`): every demo sensor reports every 5 s
//! around a normal value, and one sensor at a time makes an excursion past its H and HH
//! thresholds and back, so that the alarm board, 叫应 and the map have something live to show.
//! Readings go through the same ingest as gateways' readings.

use std::time::Duration;
use yingji_core::alarm::Milli4;
use yingji_core::role::Scope;
use yingji_server::AppState;
use yingji_store::Page;
use yingji_store::monitoring::{self, ReadingIn};

const TICK: Duration = Duration::from_secs(5);
/// Ticks per excursion cycle: 12 × 5 s = one excursion a minute.
const CYCLE: u64 = 12;

/// The simulated value of a sensor: a slow wave below H, or, at `phase` of an excursion, its ramp.
fn value_at(normal: i64, high: i64, highest: Option<i64>, tick: u64, phase: Option<u64>) -> Milli4 {
    let wave = ((tick as f64 / 6.0).sin() * 0.08 * normal as f64) as i64;
    let Some(phase) = phase else {
        return Milli4(normal + wave);
    };
    // Up past H on the 2nd tick of the cycle, past HH on the 3rd and 4th, back down from the 6th.
    let peak = highest.map_or(high + high / 20, |hh| hh + (hh - high) / 4);
    Milli4(match phase {
        2 => high + (peak - high) / 3,
        3 | 4 => peak,
        5 => high + (peak - high) / 5,
        _ => normal + wave,
    })
}

pub async fn run(state: AppState) {
    let mut tick: u64 = 0;
    loop {
        tokio::time::sleep(TICK).await;
        tick += 1;
        if let Err(e) = step(&state, tick).await {
            tracing::warn!(error = %e, "sensor simulator step failed");
        }
    }
}

async fn step(state: &AppState, tick: u64) -> anyhow::Result<()> {
    let (sensors, _) = monitoring::list_sensors(
        &state.store,
        &Scope::All,
        None,
        Page::new(Some(1), Some(500)),
    )
    .await?;
    if sensors.is_empty() {
        return Ok(());
    }
    let now = state.clock.now_ms();
    let excursing = (tick / CYCLE) as usize % sensors.len();
    let batch: Vec<ReadingIn> = sensors
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            let high = s.threshold_h.as_deref().and_then(Milli4::parse)?.0;
            let highest = s
                .threshold_hh
                .as_deref()
                .and_then(Milli4::parse)
                .map(|m| m.0);
            let normal = high * 3 / 5;
            Some(ReadingIn {
                sensor: s.code.clone(),
                at_ms: now,
                value: value_at(
                    normal,
                    high,
                    highest,
                    tick + i as u64,
                    (i == excursing).then_some(tick % CYCLE),
                ),
                quality: "good".into(),
            })
        })
        .collect();
    let report = monitoring::ingest(&state.store, &Scope::All, now, &batch).await?;
    if !report.opened_alarm_ids.is_empty() {
        state.timer_wake.notify_one();
        for id in report.opened_alarm_ids {
            let _ = state.alarm_feed.send(id);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excursion_crosses_hh_and_returns() {
        let (normal, high, hh) = (102_000, 170_000, 185_000);
        let during: Vec<i64> = (0..CYCLE)
            .map(|t| value_at(normal, high, Some(hh), t, Some(t)).0)
            .collect();
        assert!(during.iter().any(|v| *v >= hh));
        assert!(during.last().is_some_and(|v| *v < high));
        assert!((0..100).all(|t| value_at(normal, high, Some(hh), t, None).0 < high));
    }
}
