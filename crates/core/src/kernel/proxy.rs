//! The client behind a trusted reverse proxy (issue 25): `[server] trusted_proxies` lists the
//! proxies' addresses or networks (CIDR). Only when the socket peer is one of them is
//! `X-Forwarded-For` read, from the right: the client is the rightmost address that is not
//! itself a trusted proxy. A client can write anything into the header, so it is never read
//! from an untrusted peer, and garbage in it ends the walk (the last trusted hop is kept).

use std::net::IpAddr;

/// One address or network of trusted proxies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    bits: u8,
}

impl Cidr {
    /// `10.0.0.5`, `10.0.0.0/8`, `::1`, `fd00::/8`; None for anything else.
    pub fn parse(s: &str) -> Option<Cidr> {
        let s = s.trim();
        let (addr, bits) = match s.split_once('/') {
            Some((a, b)) => (a, Some(b)),
            None => (s, None),
        };
        let net: IpAddr = addr.parse().ok()?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let bits = match bits {
            Some(b) if b.bytes().all(|c| c.is_ascii_digit()) && !b.is_empty() => {
                b.parse::<u8>().ok().filter(|&n| n <= max)?
            }
            Some(_) => return None,
            None => max,
        };
        // `::ffff:10.0.0.0/104` is the IPv4 network 10.0.0.0/8 (addresses are compared in
        // their IPv4 form).
        if let IpAddr::V6(v6) = net
            && let Some(v4) = v6.to_ipv4_mapped()
        {
            return (bits >= 96).then(|| Cidr {
                net: IpAddr::V4(v4),
                bits: bits - 96,
            });
        }
        Some(Cidr { net, bits })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (canonical(self.net), ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => prefix_eq(&n.octets(), &a.octets(), self.bits),
            (IpAddr::V6(n), IpAddr::V6(a)) => prefix_eq(&n.octets(), &a.octets(), self.bits),
            _ => false,
        }
    }
}

/// An IPv4 address mapped into IPv6 (`::ffff:10.0.0.5`, as a dual-stack socket reports it) is
/// the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

fn prefix_eq(a: &[u8], b: &[u8], bits: u8) -> bool {
    let full = usize::from(bits / 8);
    let (Some(a_full), Some(b_full)) = (a.get(..full), b.get(..full)) else {
        return false;
    };
    if a_full != b_full {
        return false;
    }
    let rest = bits % 8;
    rest == 0 || {
        let mask = 0xffu8 << (8 - rest);
        matches!((a.get(full), b.get(full)), (Some(x), Some(y)) if x & mask == y & mask)
    }
}

/// The checked `trusted_proxies` list; the message names the first entry that is not an
/// address or network.
pub fn parse_list(entries: &[String]) -> Result<Vec<Cidr>, String> {
    entries
        .iter()
        .map(|e| {
            Cidr::parse(e).ok_or_else(|| {
                format!("server.trusted_proxies 中的“{e}”不是IP地址或网段（如 10.0.0.0/8）")
            })
        })
        .collect()
}

/// The client's address: the peer, or, when the peer is a trusted proxy, the rightmost
/// `X-Forwarded-For` address that is not trusted. `forwarded` holds every X-Forwarded-For
/// header value in order.
pub fn client_of(peer: IpAddr, forwarded: &[&str], trusted: &[Cidr]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    let peer = canonical(peer);
    if !is_trusted(peer) {
        return peer;
    }
    let hops = forwarded
        .iter()
        .flat_map(|h| h.split(','))
        .collect::<Vec<_>>();
    let mut client = peer;
    for hop in hops.iter().rev() {
        let Some(ip) = parse_hop(hop) else {
            return client;
        };
        client = canonical(ip);
        if !is_trusted(client) {
            return client;
        }
    }
    client
}

/// One X-Forwarded-For entry: an address, `[v6]`, `v4:port` or `[v6]:port`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    hop.parse::<std::net::SocketAddrV4>()
        .ok()
        .map(|s| IpAddr::V4(*s.ip()))
}

/// Whether the request reached the first proxy over TLS: only a trusted proxy's
/// `X-Forwarded-Proto` counts (its last value, as the nearest proxy set or appended it), so a
/// client cannot switch HSTS on or off by writing the header itself.
pub fn over_tls(peer: IpAddr, forwarded_proto: &[&str], trusted: &[Cidr]) -> bool {
    let peer = canonical(peer);
    if !trusted.iter().any(|c| c.contains(peer)) {
        return false;
    }
    forwarded_proto
        .iter()
        .flat_map(|h| h.split(','))
        .next_back()
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"))
}

#[cfg(test)]
mod tests {

    use super::*;

    #[test]
    fn an_ipv4_mapped_entry_is_its_ipv4_network() {
        let mapped = Cidr::parse("::ffff:10.0.0.0/104").expect("mapped network");
        assert!(mapped.contains("10.1.2.3".parse().expect("ip")));
        assert!(mapped.contains("::ffff:10.9.9.9".parse().expect("ip")));
        assert!(!mapped.contains("11.0.0.1".parse().expect("ip")));
        let one = Cidr::parse("::ffff:10.0.0.1").expect("mapped address");
        assert!(one.contains("10.0.0.1".parse().expect("ip")));
        assert!(Cidr::parse("::ffff:10.0.0.0/64").is_none());
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn parses_and_matches_networks() {
        let n = Cidr::parse("10.0.0.0/8").unwrap();
        assert!(n.contains(ip("10.1.2.3")));
        assert!(!n.contains(ip("11.0.0.1")));
        assert!(n.contains(ip("::ffff:10.9.9.9")));
        assert!(
            Cidr::parse("192.168.1.0/25")
                .unwrap()
                .contains(ip("192.168.1.127"))
        );
        assert!(
            !Cidr::parse("192.168.1.0/25")
                .unwrap()
                .contains(ip("192.168.1.128"))
        );
        assert!(Cidr::parse("::1").unwrap().contains(ip("::1")));
        assert!(Cidr::parse("fd00::/8").unwrap().contains(ip("fd12::1")));
        assert!(Cidr::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        for bad in [
            "",
            "10.0.0.0/33",
            "10.0.0/8",
            "abc",
            "10.0.0.0/",
            "10.0.0.0/-1",
            "::/129",
        ] {
            assert_eq!(Cidr::parse(bad), None, "{bad}");
        }
        let err = parse_list(&["127.0.0.1".into(), "nginx".into()]).unwrap_err();
        assert!(err.contains("nginx"));
    }

    #[test]
    fn takes_the_rightmost_untrusted_hop() {
        let t = parse_list(&["127.0.0.1".into(), "10.0.0.0/8".into()]).unwrap();
        let lo = ip("127.0.0.1");
        // Untrusted peer: the header is ignored.
        assert_eq!(
            client_of(ip("203.0.113.9"), &["1.2.3.4"], &t),
            ip("203.0.113.9")
        );
        // Trusted peer: the rightmost untrusted entry, whatever the client wrote to the left.
        assert_eq!(
            client_of(lo, &["6.6.6.6, 198.51.100.7, 10.0.0.2"], &t),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_of(lo, &["6.6.6.6", "198.51.100.7:5555"], &t),
            ip("198.51.100.7")
        );
        assert_eq!(client_of(lo, &["[2001:db8::1]:80"], &t), ip("2001:db8::1"));
        // No header, or garbage right of the proxy: the last trusted hop.
        assert_eq!(client_of(lo, &[], &t), lo);
        assert_eq!(client_of(lo, &["1.2.3.4, junk"], &t), lo);
        assert_eq!(client_of(lo, &["junk, 10.0.0.3"], &t), ip("10.0.0.3"));
        // Nothing trusted: always the peer.
        assert_eq!(client_of(lo, &["1.2.3.4"], &[]), lo);
    }

    #[test]
    fn tls_only_as_a_trusted_proxy_says() {
        let t = parse_list(&["127.0.0.1".to_string()]).expect("list");
        let lo: IpAddr = "127.0.0.1".parse().expect("ip");
        let other: IpAddr = "198.51.100.7".parse().expect("ip");
        assert!(over_tls(lo, &["https"], &t));
        assert!(over_tls(lo, &["http, HTTPS"], &t));
        assert!(!over_tls(lo, &["https, http"], &t));
        assert!(!over_tls(lo, &[], &t));
        assert!(!over_tls(other, &["https"], &t));
        assert!(!over_tls(lo, &["https"], &[]));
    }
}
