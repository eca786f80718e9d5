//! The demo district's sensor simulator (`serve --demo`): every demo sensor reports every 5 s
//! around a normal value, and one sensor at a time makes an excursion past its H and HH
//! thresholds and back, so that the alarm board, 叫应 and the map have something live to show.
//! The simulator is a gateway like any other: it logs in to the embedded MQTT broker as the
//! district-level demo gateway `DEMO-SIM` (its secret is reset at every start and kept in
//! memory) and publishes to `yj/DEMO-SIM/readings`. Without the embedded broker it hands the
//! readings to the ingest pipeline directly.

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use yingji_app::monitoring::gateways as app_gateways;
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::monitoring::alarm::Milli4;
use yingji_ingest::mqtt::{self, codec};
use yingji_server::AppState;
use yingji_store::Page;
use yingji_store::monitoring::gateways;
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

pub const GATEWAY: &str = "DEMO-SIM";

pub async fn run(state: AppState, broker: Option<std::net::SocketAddr>) {
    let mut tick: u64 = 0;
    let secret = match demo_gateway(&state).await {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(error = %e, "demo gateway unavailable; the simulator is off");
            return;
        }
    };
    let mut conn: Option<TcpStream> = None;
    loop {
        tokio::time::sleep(TICK).await;
        tick += 1;
        let batch = match readings(&state, tick).await {
            Ok(b) if !b.is_empty() => b,
            Ok(_) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "sensor simulator step failed");
                continue;
            }
        };
        let sent = match broker {
            Some(addr) => publish(&mut conn, addr, &secret, tick, &batch).await,
            None => submit(&state, batch).await,
        };
        if let Err(e) = sent {
            tracing::warn!(error = %e, "sensor simulator could not deliver its readings");
            conn = None;
        }
    }
}

/// Registers the demo gateway on first use, and gives it a fresh secret for this run.
async fn demo_gateway(state: &AppState) -> anyhow::Result<String> {
    let actor = yingji_store::Actor::system("演示模拟器");
    let now = state.clock.now_ms();
    let secret = yingji_server::auth::random_token();
    let digest = yingji_core::kernel::secret::digest(&secret);
    match gateways::by_code(&state.store, GATEWAY).await? {
        Some(g) => {
            let change = gateways::GatewayChange::Secret(&digest);
            app_gateways::change(
                &state.store,
                &actor,
                &Scope::All,
                Role::Admin,
                now,
                &g.id,
                change,
            )
            .await?;
        }
        None => {
            let q = yingji_store::Sql::new(
                "SELECT code FROM regions WHERE LENGTH(code) = 6 ORDER BY code LIMIT 1",
            );
            let row = state.store.fetch_optional(q).await?;
            let district: String = row
                .map(|r| yingji_store::sqlx::Row::try_get(&r, 0))
                .transpose()?
                .ok_or_else(|| anyhow::anyhow!("no district loaded"))?;
            let input = gateways::GatewayInput {
                code: GATEWAY.into(),
                name: "演示传感器模拟网关".into(),
                enterprise_id: None,
                region_code: Some(district),
            };
            app_gateways::create(
                &state.store,
                &actor,
                &Scope::All,
                Role::Admin,
                now,
                &input,
                &digest,
            )
            .await?;
        }
    }
    Ok(secret)
}

/// One QoS 1 message per tick over a kept-open connection; waits for its PUBACK.
async fn publish(
    conn: &mut Option<TcpStream>,
    addr: std::net::SocketAddr,
    secret: &str,
    tick: u64,
    batch: &[ReadingIn],
) -> anyhow::Result<()> {
    if conn.is_none() {
        let mut s = TcpStream::connect(addr).await?;
        s.write_all(&codec::connect(
            "yingji-demo-simulator",
            GATEWAY,
            secret,
            60,
        ))
        .await?;
        let mut ack = [0u8; 4];
        s.read_exact(&mut ack).await?;
        anyhow::ensure!(ack[0] == 0x20 && ack[3] == 0, "模拟网关登录被拒绝");
        *conn = Some(s);
    }
    let Some(s) = conn.as_mut() else {
        return Ok(());
    };
    let body: Vec<serde_json::Value> = batch
        .iter()
        .map(|r| serde_json::json!({"sensor": r.sensor, "ts": r.at_ms, "value": r.value.to_string(), "q": r.quality}))
        .collect();
    let body = serde_json::to_vec(&body)?;
    let id = (tick % 65_535 + 1) as u16;
    s.write_all(&codec::publish(
        &mqtt::readings_topic(GATEWAY),
        1,
        id,
        &body,
    ))
    .await?;
    let mut ack = [0u8; 4];
    tokio::time::timeout(Duration::from_secs(10), s.read_exact(&mut ack)).await??;
    anyhow::ensure!(ack[0] == 0x40, "unexpected answer from the broker");
    Ok(())
}

async fn submit(state: &AppState, batch: Vec<ReadingIn>) -> anyhow::Result<()> {
    state
        .ingest
        .submit(Scope::All, batch)
        .await
        .map(|_| ())
        .map_err(anyhow::Error::msg)
}

async fn readings(state: &AppState, tick: u64) -> anyhow::Result<Vec<ReadingIn>> {
    let (sensors, _) = monitoring::list_sensors(
        &state.store,
        &Scope::All,
        None,
        Page::new(Some(1), Some(500)),
    )
    .await?;
    if sensors.is_empty() {
        return Ok(Vec::new());
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
    Ok(batch)
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
