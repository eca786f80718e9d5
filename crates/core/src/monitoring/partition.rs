//! Time partitions of the telemetry tables on PostgreSQL (migration 0057, ADR 0008): raw
//! readings by Asia/Shanghai day, 1-minute rollups by Asia/Shanghai month. Which partitions a
//! moment needs, their names and bounds; the store makes and drops them.

use crate::kernel::clock::{shanghai, today};
use jiff::ToSpan;
use jiff::civil::Date;

const DAY_MS: i64 = 86_400_000;

/// Partitions are made this many days ahead, so that ingest at midnight finds its day ready.
pub const AHEAD_DAYS: i64 = 3;

/// Partitions are made back to this many days ago: the 7 days of late readings ingest accepts,
/// and a day more (older rows go to the default partition and are pruned by DELETE).
pub const BACK_DAYS: i64 = 8;

/// How long one partition of a table spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// One Asia/Shanghai day (raw readings).
    Day,
    /// One Asia/Shanghai calendar month (rollups).
    Month,
}

/// One partition: its name's suffix (`20261205`, `202612`) and its range [lo, hi) in epoch ms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub suffix: String,
    pub lo_ms: i64,
    pub hi_ms: i64,
}

fn start_ms(d: Date) -> i64 {
    d.to_zoned_datetime(shanghai())
        .map_or(0, |z| z.timestamp().as_millisecond())
}

impl Part {
    /// The partition of `period` holding the instant `at_ms`.
    pub fn of(period: Period, at_ms: i64) -> Part {
        let d = today(at_ms);
        let (lo, hi, suffix) = match period {
            Period::Day => (d, d.tomorrow().unwrap_or(d), d.strftime("%Y%m%d")),
            Period::Month => {
                let first = d.first_of_month();
                let next = first.checked_add(1.month()).unwrap_or(first);
                (first, next, d.strftime("%Y%m"))
            }
        };
        Part {
            suffix: suffix.to_string(),
            lo_ms: start_ms(lo),
            hi_ms: start_ms(hi),
        }
    }
}

/// The partitions of `period` that should exist at `now_ms`: from `BACK_DAYS` ago to
/// `AHEAD_DAYS` ahead, in the order the upkeep makes them: the current one, those ahead, then
/// those behind, newest first. After an upgrade the default partition holds every old row;
/// moving them out must not delay the partitions ingest writes to now.
pub fn wanted(period: Period, now_ms: i64) -> Vec<Part> {
    let last = now_ms + AHEAD_DAYS * DAY_MS;
    let mut out = Vec::new();
    let mut p = Part::of(period, now_ms - BACK_DAYS * DAY_MS);
    while p.lo_ms <= last && p.hi_ms > p.lo_ms {
        let next = p.hi_ms;
        out.push(p);
        p = Part::of(period, next);
    }
    let current = out.iter().position(|p| p.hi_ms > now_ms).unwrap_or(0);
    let mut past = out.drain(..current).collect::<Vec<_>>();
    past.reverse();
    out.extend(past);
    out
}

/// A partition may be dropped once all of it is older than the retention cutoff.
pub fn past_retention(hi_ms: i64, cutoff_ms: i64) -> bool {
    hi_ms <= cutoff_ms
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::clock::parse_instant;

    fn at(s: &str) -> i64 {
        parse_instant(s).expect("instant")
    }

    #[test]
    fn days_and_months_in_shanghai() {
        let p = Part::of(Period::Day, at("2026-12-05T07:59:59+08:00"));
        assert_eq!(p.suffix, "20261205");
        assert_eq!(p.lo_ms, at("2026-12-05T00:00:00+08:00"));
        assert_eq!(p.hi_ms, at("2026-12-06T00:00:00+08:00"));
        // 2026-12-04 16:00 UTC is already the 5th in Beijing.
        assert_eq!(
            Part::of(Period::Day, at("2026-12-04T16:00:00Z")).suffix,
            "20261205"
        );
        let m = Part::of(Period::Month, at("2026-12-31T23:00:00+08:00"));
        assert_eq!(m.suffix, "202612");
        assert_eq!(m.hi_ms, at("2027-01-01T00:00:00+08:00"));
        assert_eq!(Part::of(Period::Month, m.hi_ms).suffix, "202701");
    }

    #[test]
    fn wanted_from_eight_days_back_to_three_ahead() {
        let now = at("2026-12-05T10:00:00+08:00");
        let mut days = wanted(Period::Day, now);
        let order: Vec<&str> = days.iter().map(|p| p.suffix.as_str()).collect();
        // Today, the three days ahead, then the eight behind from the newest.
        assert_eq!(
            order,
            [
                "20261205", "20261206", "20261207", "20261208", "20261204", "20261203", "20261202",
                "20261201", "20261130", "20261129", "20261128", "20261127"
            ]
        );
        days.sort_by_key(|p| p.lo_ms);
        assert!(days.windows(2).all(|w| w[0].hi_ms == w[1].lo_ms));
        let months: Vec<String> = wanted(Period::Month, now)
            .into_iter()
            .map(|p| p.suffix)
            .collect();
        assert_eq!(months, ["202612", "202611"]);
        assert!(past_retention(days[0].hi_ms, days[1].lo_ms));
        assert!(!past_retention(days[1].hi_ms, days[1].lo_ms));
    }
}
