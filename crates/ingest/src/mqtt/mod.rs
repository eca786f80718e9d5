//! MQTT transport. Topic scheme (docs/monitoring.md): a gateway publishes its readings to
//! `yj/{gateway code}/readings`, one reading or an array per message, QoS 0, 1 or 2.

pub mod bridge;
pub mod broker;
pub mod codec;

use crate::{IngestStats, Pending, Pipeline, payload};
use yingji_store::monitoring::gateways::GatewayAuth;

/// Decodes a gateway's message and queues its readings; None when the payload is refused
/// (counted, and kept as the gateway's last fault), in which case nothing is stored.
pub(crate) async fn take(
    pipeline: &Pipeline,
    gateway: &GatewayAuth,
    body: &[u8],
) -> Option<Pending> {
    let now = pipeline.clock.now_ms();
    match payload::decode_message(body, now) {
        Err(invalid) => {
            IngestStats::bump(&pipeline.stats.malformed, 1);
            let detail: Vec<String> = invalid
                .0
                .iter()
                .map(|e| format!("{}：{}", e.field, e.message))
                .collect();
            pipeline.stats.fault(
                &gateway.code,
                now,
                format!("消息未保存：{}", detail.join("；")),
            );
            None
        }
        Ok(readings) => Some(pipeline.enqueue(gateway.scope.clone(), readings).await),
    }
}

pub fn readings_topic(gateway: &str) -> String {
    format!("yj/{gateway}/readings")
}

/// The gateway code of a readings topic.
pub fn gateway_of(topic: &str) -> Option<&str> {
    yingji_core::monitoring::broker_hook::topic_gateway(topic)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics() {
        assert_eq!(gateway_of("yj/GW-1/readings"), Some("GW-1"));
        assert_eq!(gateway_of(&readings_topic("A_2")), Some("A_2"));
        for bad in [
            "yj//readings",
            "yj/a/b/readings",
            "xx/GW/readings",
            "yj/GW/readings/x",
            "yj/+/readings",
        ] {
            assert_eq!(gateway_of(bad), None, "{bad}");
        }
    }
}
