//! The external broker's authorization hook (docs/monitoring.md, "Ingest on an MQTT cluster"):
//! what a gateway, or yingji's own bridge, may do at mosquitto or EMQX. A gateway publishes to
//! `yj/{its code}/readings` and nothing else; the bridge subscribes to (and receives) the
//! readings topics, plain or shared (`$share/{group}/yj/+/readings`), and publishes nothing.

/// The refusal of a hook call without the configured shared secret.
pub const HOOK_SECRET_WRONG: &str =
    "MQTT 代理回调密钥不正确（请求头 X-Yingji-Hook-Secret 或查询参数 secret）";
/// Why a login was denied (answered to the broker, which logs it).
pub const LOGIN_DENIED: &str = "网关编码或密钥不正确，或网关已停用";
/// Why a topic was denied.
pub const TOPIC_DENIED: &str = "网关只能向 yj/<网关编码>/readings 发布";

/// What a client asks the broker to do with a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrokerAction {
    Publish,
    Subscribe,
    /// A message delivered to the client (mosquitto-go-auth's "read").
    Receive,
}

impl BrokerAction {
    /// EMQX's `action` ("publish", "subscribe", "all") or mosquitto-go-auth's `acc` (1 read,
    /// 2 write, 3 read and write, 4 subscribe); "all" and 3 are read as publish, the stricter
    /// rule for a gateway. None for anything else.
    pub fn parse(action: Option<&str>, acc: Option<i64>) -> Option<Self> {
        match (action.map(str::trim), acc) {
            (Some("publish" | "all"), _) | (None, Some(2 | 3)) => Some(Self::Publish),
            (Some("subscribe"), _) | (None, Some(4)) => Some(Self::Subscribe),
            (None, Some(1)) => Some(Self::Receive),
            _ => None,
        }
    }
}

/// The gateway code of a readings topic `yj/{code}/readings` (no wildcard, no empty level).
pub fn topic_gateway(topic: &str) -> Option<&str> {
    let code = topic.strip_prefix("yj/")?.strip_suffix("/readings")?;
    (!code.is_empty() && !code.contains(['/', '+', '#'])).then_some(code)
}

/// Whether a gateway (its code) may do `action` on `topic`: publish its own readings only.
pub fn gateway_may(code: &str, action: BrokerAction, topic: &str) -> bool {
    action == BrokerAction::Publish && topic_gateway(topic) == Some(code)
}

/// Whether yingji's bridge may do `action` on `topic`: subscribe to the readings filter (plain
/// or in any share group) and receive readings; never publish.
pub fn bridge_may(action: BrokerAction, topic: &str) -> bool {
    match action {
        BrokerAction::Publish => false,
        BrokerAction::Receive => topic_gateway(topic).is_some(),
        BrokerAction::Subscribe => {
            let filter = match topic.strip_prefix("$share/") {
                Some(rest) => match rest.split_once('/') {
                    Some((group, f)) if !group.is_empty() && !group.contains(['+', '#']) => f,
                    _ => return false,
                },
                None => topic,
            };
            filter == "yj/+/readings"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::BrokerAction::*;
    use super::*;

    #[test]
    fn actions() {
        assert_eq!(BrokerAction::parse(Some("publish"), None), Some(Publish));
        assert_eq!(BrokerAction::parse(Some("all"), None), Some(Publish));
        assert_eq!(
            BrokerAction::parse(Some("subscribe"), None),
            Some(Subscribe)
        );
        assert_eq!(BrokerAction::parse(None, Some(1)), Some(Receive));
        assert_eq!(BrokerAction::parse(None, Some(2)), Some(Publish));
        assert_eq!(BrokerAction::parse(None, Some(3)), Some(Publish));
        assert_eq!(BrokerAction::parse(None, Some(4)), Some(Subscribe));
        assert_eq!(BrokerAction::parse(Some("delete"), None), None);
        assert_eq!(BrokerAction::parse(None, None), None);
    }

    #[test]
    fn gateways_publish_their_own_topic_only() {
        assert!(gateway_may("GW-1", Publish, "yj/GW-1/readings"));
        assert!(!gateway_may("GW-1", Publish, "yj/GW-2/readings"));
        assert!(!gateway_may("GW-1", Publish, "yj/+/readings"));
        assert!(!gateway_may("GW-1", Publish, "yj/GW-1/readings/x"));
        assert!(!gateway_may("GW-1", Subscribe, "yj/GW-1/readings"));
        assert!(!gateway_may("GW-1", Receive, "yj/GW-1/readings"));
    }

    #[test]
    fn the_bridge_subscribes_and_receives() {
        assert!(bridge_may(Subscribe, "$share/yingji/yj/+/readings"));
        assert!(bridge_may(Subscribe, "yj/+/readings"));
        assert!(bridge_may(Receive, "yj/GW-1/readings"));
        assert!(!bridge_may(Subscribe, "#"));
        assert!(!bridge_may(Subscribe, "$share//yj/+/readings"));
        assert!(!bridge_may(Subscribe, "$share/yingji/#"));
        assert!(!bridge_may(Publish, "yj/GW-1/readings"));
    }
}
