//! Audit rows as RFC 5424 syslog messages for the bureau's 安全管理中心 (issue 26): facility 13
//! (log audit), severity 6 (informational), app-name `yingji`, msgid `audit`, the row's facts
//! as structured data `[yingji@32473 …]` and the summary as the UTF-8 message. Over TCP each
//! message is framed by its length (RFC 6587 octet counting); over UDP one datagram each.

/// The structured-data id: 32473 is the private enterprise number RFC 5612 sets aside for
/// documentation; collectors match on the name.
pub const SD_ID: &str = "yingji@32473";
/// `<PRI>` of every message: facility 13 (log audit) × 8 + severity 6 (informational).
pub const PRI: u8 = 13 * 8 + 6;
/// The most bytes of the summary a message carries (a UDP datagram stays well under 64 KiB,
/// and most collectors take 8 KiB).
pub const MAX_MSG_BYTES: usize = 4096;

/// What one audit row tells the collector.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEvent<'a> {
    pub seq: i64,
    /// RFC 3339 time in UTC with milliseconds.
    pub at: &'a str,
    pub action: &'a str,
    pub actor_id: Option<&'a str>,
    pub actor_name: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Option<&'a str>,
    pub ip: Option<&'a str>,
    pub hash: &'a str,
    pub summary: &'a str,
}

/// A header field: printable US-ASCII without spaces, at most `max` bytes, `-` when empty.
fn header_field(s: &str, max: usize) -> String {
    let v: String = s
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(max)
        .collect();
    if v.is_empty() { "-".into() } else { v }
}

/// A PARAM-VALUE: `"`, `\` and `]` escaped with a backslash (RFC 5424 6.3.3).
fn param_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| !c.is_control()) {
        if matches!(c, '"' | '\\' | ']') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Cuts at a character boundary at most `max` bytes in.
fn cut(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The RFC 5424 message of one audit row (without transport framing).
pub fn message(hostname: &str, procid: &str, e: &AuditEvent) -> String {
    let mut sd = format!(
        "[{SD_ID} seq=\"{}\" action=\"{}\"",
        e.seq,
        param_value(e.action)
    );
    let params = [
        ("actor", e.actor_id.unwrap_or("")),
        ("actorName", e.actor_name),
        ("entityType", e.entity_type),
        ("entityId", e.entity_id.unwrap_or("")),
        ("ip", e.ip.unwrap_or("")),
        ("hash", e.hash),
    ];
    for (name, value) in params {
        if !value.is_empty() {
            sd.push_str(&format!(" {name}=\"{}\"", param_value(value)));
        }
    }
    sd.push(']');
    let summary: String = e
        .summary
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!(
        "<{PRI}>1 {} {} yingji {} audit {sd} \u{feff}{}",
        header_field(e.at, 64),
        header_field(hostname, 255),
        header_field(procid, 128),
        cut(&summary, MAX_MSG_BYTES)
    )
}

/// RFC 6587 octet-counting frame for TCP: `LEN SP MSG`.
pub fn tcp_frame(msg: &str) -> Vec<u8> {
    let mut out = format!("{} ", msg.len()).into_bytes();
    out.extend_from_slice(msg.as_bytes());
    out
}

/// An instant as an RFC 5424 TIMESTAMP: UTC with milliseconds.
pub fn timestamp(ms: i64) -> String {
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(t) => format!("{t:.3}"),
        Err(_) => "-".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_as_rfc5424() {
        let e = AuditEvent {
            seq: 7,
            at: "2026-05-28T10:00:00.000Z",
            action: "user.create",
            actor_id: Some("u1"),
            actor_name: "张三",
            entity_type: "user",
            entity_id: Some("u\"2]"),
            ip: None,
            hash: "ab",
            summary: "新建账号\n李四",
        };
        let m = message("node 1", "42", &e);
        assert_eq!(
            m,
            "<110>1 2026-05-28T10:00:00.000Z node1 yingji 42 audit [yingji@32473 seq=\"7\" action=\"user.create\" actor=\"u1\" actorName=\"张三\" entityType=\"user\" entityId=\"u\\\"2\\]\" hash=\"ab\"] \u{feff}新建账号 李四"
        );
        assert!(tcp_frame("abc").starts_with(b"3 abc"));
        let long = "字".repeat(3000);
        let m = message(
            "",
            "",
            &AuditEvent {
                summary: &long,
                ..e
            },
        );
        assert!(m.contains(" - yingji - audit "));
        assert!(m.len() < MAX_MSG_BYTES + 300);
    }

    #[test]
    fn utc_with_milliseconds() {
        assert_eq!(timestamp(1_780_000_000_123), "2026-05-28T20:26:40.123Z");
        assert_eq!(timestamp(0), "1970-01-01T00:00:00.000Z");
    }
}
