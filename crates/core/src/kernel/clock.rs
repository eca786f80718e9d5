//! Time. Instants are epoch milliseconds (UTC); "today", deadlines and displayed times are in
//! Asia/Shanghai. Everything that asks "what time is it" takes a [`Clock`], so tests move time.

/// A calendar day (Asia/Shanghai where it matters), for the layers that do not depend on jiff.
pub use jiff::civil::Date;
use jiff::{Timestamp, tz::TimeZone};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

pub trait Clock: Send + Sync + 'static {
    fn now_ms(&self) -> i64;
}

pub type SharedClock = Arc<dyn Clock>;

#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        Timestamp::now().as_millisecond()
    }
}

/// A clock that only moves when told to.
#[derive(Debug, Default)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn new(ms: i64) -> Self {
        Self(AtomicI64::new(ms))
    }
    pub fn set(&self, ms: i64) {
        self.0.store(ms, Ordering::SeqCst);
    }
    pub fn advance(&self, ms: i64) {
        self.0.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

pub fn shanghai() -> TimeZone {
    // The bundled tz database always has Asia/Shanghai; the fixed +08:00 fallback is the same rule.
    TimeZone::get("Asia/Shanghai").unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(8)))
}

/// Today's date in Asia/Shanghai.
pub fn today(now_ms: i64) -> jiff::civil::Date {
    Timestamp::from_millisecond(now_ms)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(shanghai())
        .date()
}

/// The month (YYYY-MM) of an instant in Asia/Shanghai, as statistics group by it.
pub fn month_of(ms: i64) -> String {
    let d = today(ms);
    format!("{:04}-{:02}", d.year(), d.month())
}

/// RFC 3339 with the +08:00 offset, to the second: `2026-07-01T10:00:00+08:00`.
pub fn to_rfc3339(ms: i64) -> String {
    match Timestamp::from_millisecond(ms) {
        Ok(ts) => ts
            .to_zoned_datetime(shanghai())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
        Err(_) => String::new(),
    }
}

/// `2026-07-01 10:00` in Asia/Shanghai, as deadlines read in messages.
pub fn to_local_minute(ms: i64) -> String {
    match Timestamp::from_millisecond(ms) {
        Ok(ts) => ts
            .to_zoned_datetime(shanghai())
            .strftime("%Y-%m-%d %H:%M")
            .to_string(),
        Err(_) => String::new(),
    }
}

/// Parses RFC 3339 with an offset (or `Z`), a zone-less local date-time, or a plain date taken as the
/// start of that day, both in Asia/Shanghai.
pub fn parse_instant(s: &str) -> Result<i64, String> {
    let s = s.trim();
    if let Ok(ts) = s.parse::<Timestamp>() {
        return Ok(ts.as_millisecond());
    }
    // Gateways often send local time without a zone ("2026-07-01 10:00:00"): Beijing time.
    // (Tried before the plain date, whose parser would drop the time of day.)
    if let Ok(dt) = s.replacen(' ', "T", 1).parse::<jiff::civil::DateTime>()
        && let Ok(z) = dt.to_zoned_datetime(shanghai())
    {
        return Ok(z.timestamp().as_millisecond());
    }
    if let Ok(d) = s.parse::<jiff::civil::Date>()
        && let Ok(z) = d.to_zoned_datetime(shanghai())
    {
        return Ok(z.timestamp().as_millisecond());
    }
    Err(format!(
        "时间“{s}”格式不正确，应为 2026-07-01T10:00:00+08:00 或 2026-07-01"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shanghai_offset() {
        assert_eq!(to_rfc3339(0), "1970-01-01T08:00:00+08:00");
        assert_eq!(
            parse_instant("2026-07-01T10:00:00+08:00").unwrap(),
            parse_instant("2026-07-01T02:00:00Z").unwrap()
        );
        assert_eq!(
            parse_instant("2026-07-01 10:00:00").unwrap(),
            parse_instant("2026-07-01T02:00:00Z").unwrap()
        );
        assert_eq!(
            to_rfc3339(parse_instant("2026-07-01").unwrap()),
            "2026-07-01T00:00:00+08:00"
        );
        assert!(parse_instant("明天").is_err());
    }

    #[test]
    fn manual_clock_moves() {
        let c = ManualClock::new(1000);
        c.advance(500);
        assert_eq!(c.now_ms(), 1500);
    }
}
