//! Rate limits shared by every node: hits are counted per key in fixed one-minute windows in the
//! database (`rate_limits`), so N nodes behind a load balancer allow what one node allows. A
//! fixed window lets a client that times its bursts at a window's edge through up to twice the
//! limit within any 60 s; the per-pair login lock (ADR 0016) stays behind it.

/// The key a client's hits are counted under: its IPv4 address, or the /64 network of an IPv6
/// address, since one subscriber is routinely handed a whole /64 and could otherwise multiply its
/// attempts by walking through it. An IPv4-mapped IPv6 address counts as the IPv4 one.
pub fn client_network(ip: std::net::IpAddr) -> String {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{net}/64")
            }
        },
    }
}

/// The length of one counting window.
pub const WINDOW_MS: i64 = 60_000;

/// The start of the window `now_ms` falls in.
pub fn window_of(now_ms: i64) -> i64 {
    now_ms - now_ms.rem_euclid(WINDOW_MS)
}

/// Seconds until the window of `now_ms` ends (for `Retry-After`), at least 1.
pub fn retry_after_s(now_ms: i64) -> i64 {
    let left = window_of(now_ms) + WINDOW_MS - now_ms;
    ((left + 999) / 1000).max(1)
}

/// Windows that started before this are pruned (the current and the previous one are kept).
pub fn prune_before(now_ms: i64) -> i64 {
    window_of(now_ms) - WINDOW_MS
}

/// Whether the `hits`-th hit of a window (counting this one) goes over `per_minute`.
pub fn over_limit(hits: i64, per_minute: usize) -> bool {
    hits > i64::try_from(per_minute).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_are_counted_by_address_or_ipv6_network() {
        let key = |s: &str| client_network(s.parse().unwrap());
        assert_eq!(key("203.0.113.7"), "203.0.113.7");
        assert_eq!(key("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(key("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
        assert_ne!(key("2001:db8:1:3::1"), key("2001:db8:1:2::1"));
        assert_eq!(key("::1"), "::/64");
    }

    #[test]
    fn windows_and_waits() {
        assert_eq!(window_of(125_000), 120_000);
        assert_eq!(window_of(120_000), 120_000);
        assert_eq!(retry_after_s(120_000), 60);
        assert_eq!(retry_after_s(179_999), 1);
        assert_eq!(retry_after_s(150_500), 30);
        assert!(!over_limit(3, 3));
        assert!(over_limit(4, 3));
    }
}
