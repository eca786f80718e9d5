//! Sensor trends: how a time range is drawn (raw readings or buckets of the 1-minute rollups),
//! and the arithmetic of buckets. Rollups keep count, minimum, maximum and sum per sensor and
//! minute, so any larger bucket is exact: counts and sums add, extremes compare.

use crate::monitoring::alarm::Milli4;

pub const MINUTE_MS: i64 = 60_000;

/// Bucket widths a chart may use, in minutes. Each divides a day, so buckets line up with
/// midnight in Asia/Shanghai (UTC+8 all year).
pub const BUCKET_MINUTES: [i64; 8] = [1, 5, 15, 30, 60, 180, 360, 1440];

/// Most points one chart line gets; above this a larger bucket is chosen.
pub const MAX_POINTS: i64 = 800;

/// Spans up to this long are drawn from raw readings (when they are still kept).
pub const RAW_SPAN_MS: i64 = 2 * 3600 * 1000;

const SHANGHAI_OFFSET_MS: i64 = 8 * 3600 * 1000;

/// The start of the minute holding `at_ms`.
pub fn minute_of(at_ms: i64) -> i64 {
    at_ms.div_euclid(MINUTE_MS) * MINUTE_MS
}

/// The start of the `minutes`-wide bucket holding `at_ms`, aligned to Shanghai midnight.
pub fn bucket_of(at_ms: i64, minutes: i64) -> i64 {
    let w = minutes * MINUTE_MS;
    (at_ms + SHANGHAI_OFFSET_MS).div_euclid(w) * w - SHANGHAI_OFFSET_MS
}

/// How a range is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Every reading.
    Raw,
    /// Buckets of this many minutes.
    Minutes(i64),
}

impl Resolution {
    /// Raw readings for short spans whose start is still within raw retention; otherwise the
    /// smallest bucket that keeps the line under `MAX_POINTS`.
    pub fn for_range(from_ms: i64, to_ms: i64, raw_kept_from_ms: i64) -> Self {
        let span = (to_ms - from_ms).max(0);
        if span <= RAW_SPAN_MS && from_ms >= raw_kept_from_ms {
            return Self::Raw;
        }
        let minutes = BUCKET_MINUTES
            .iter()
            .copied()
            .find(|m| span / (m * MINUTE_MS) <= MAX_POINTS)
            .unwrap_or(1440);
        Self::Minutes(minutes)
    }

    /// Seconds per point, 0 for raw (the API's `resolution_s`).
    pub fn seconds(self) -> i64 {
        match self {
            Self::Raw => 0,
            Self::Minutes(m) => m * 60,
        }
    }
}

/// Count, extremes and sum of the readings in one bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    pub start_ms: i64,
    pub n: i64,
    pub min: Milli4,
    pub max: Milli4,
    pub sum: i64,
}

impl Bucket {
    pub fn of_reading(start_ms: i64, value: Milli4) -> Self {
        Self {
            start_ms,
            n: 1,
            min: value,
            max: value,
            sum: value.0,
        }
    }

    /// Folds another part of the same bucket in.
    pub fn merge(&mut self, other: &Bucket) {
        self.n += other.n;
        self.min = self.min.min(other.min);
        self.max = self.max.max(other.max);
        self.sum = self.sum.saturating_add(other.sum);
    }

    /// The mean, rounded half away from zero to a ten-thousandth.
    pub fn mean(&self) -> Milli4 {
        if self.n == 0 {
            return Milli4(0);
        }
        let (q, r) = (self.sum / self.n, self.sum % self.n);
        let adjust = if 2 * r.abs() >= self.n { r.signum() } else { 0 };
        Milli4(q + adjust)
    }
}

/// Merges bucket parts (from rollups and from raw readings not yet rolled up) into one ordered
/// line: parts with the same start become one bucket.
pub fn merge_buckets(mut parts: Vec<Bucket>) -> Vec<Bucket> {
    parts.sort_by_key(|b| b.start_ms);
    let mut out: Vec<Bucket> = Vec::with_capacity(parts.len());
    for b in parts {
        match out.last_mut() {
            Some(last) if last.start_ms == b.start_ms => last.merge(&b),
            _ => out.push(b),
        }
    }
    out
}

/// Days raw readings and rollups are kept. Raw readings must outlive the oldest reading ingest
/// accepts (7 days), so that a late reading can still be rolled up with its minute's others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub raw_days: i64,
    pub rollup_days: i64,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            raw_days: 30,
            rollup_days: 400,
        }
    }
}

impl Retention {
    pub const MIN_RAW_DAYS: i64 = 8;

    /// Checks the configured days; the message names the key.
    pub fn validate(&self) -> Result<(), String> {
        if self.raw_days < Self::MIN_RAW_DAYS {
            return Err(format!(
                "monitoring.raw_retention_days 不能小于 {}（网关可补传 7 天内的数据）",
                Self::MIN_RAW_DAYS
            ));
        }
        if self.rollup_days < self.raw_days {
            return Err("monitoring.rollup_retention_days 不能小于 raw_retention_days".into());
        }
        Ok(())
    }

    /// Readings before this are pruned (unless not yet rolled up).
    pub fn raw_cutoff(&self, now_ms: i64) -> i64 {
        minute_of(now_ms - self.raw_days * 86_400_000)
    }

    pub fn rollup_cutoff(&self, now_ms: i64) -> i64 {
        minute_of(now_ms - self.rollup_days * 86_400_000)
    }
}

/// Minutes are rolled up once they ended this long ago; a reading arriving later than that for
/// an already rolled minute sends its sensor back to re-roll from that minute.
pub const ROLLUP_GRACE_MS: i64 = 60_000;

/// The end (exclusive) of the minutes that may be rolled up at `now_ms`.
pub fn rollup_cutoff(now_ms: i64) -> i64 {
    minute_of(now_ms - ROLLUP_GRACE_MS)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_763_942_400_000; // 2025-11-24 08:00:00 +08:00

    #[test]
    fn minutes_and_buckets_align_to_shanghai() {
        assert_eq!(minute_of(T0 + 59_999), T0);
        assert_eq!(minute_of(-1), -60_000);
        // A day bucket starts at Shanghai midnight (16:00 UTC the day before).
        let day = bucket_of(T0 + 5 * 3600 * 1000, 1440);
        assert_eq!(day, T0 - 8 * 3600 * 1000);
        assert_eq!(bucket_of(T0 + 7 * 60_000, 5), T0 + 5 * 60_000);
    }

    #[test]
    fn resolution_follows_span_and_retention() {
        let kept = T0 - 30 * 86_400_000;
        assert_eq!(
            Resolution::for_range(T0, T0 + 3_600_000, kept),
            Resolution::Raw
        );
        // Raw readings of that range are gone: buckets even for a short span.
        assert_eq!(
            Resolution::for_range(kept - 3_600_000, kept, kept),
            Resolution::Minutes(1)
        );
        assert_eq!(
            Resolution::for_range(T0, T0 + 6 * 3_600_000, kept),
            Resolution::Minutes(1)
        );
        assert_eq!(
            Resolution::for_range(T0, T0 + 86_400_000, kept),
            Resolution::Minutes(5)
        );
        assert_eq!(
            Resolution::for_range(T0, T0 + 7 * 86_400_000, kept),
            Resolution::Minutes(15)
        );
        assert_eq!(
            Resolution::for_range(T0, T0 + 365 * 86_400_000, kept),
            Resolution::Minutes(1440)
        );
        assert_eq!(Resolution::Minutes(5).seconds(), 300);
    }

    #[test]
    fn buckets_merge_exactly() {
        let v = |s: &str| Milli4::parse(s).unwrap();
        let parts = vec![
            Bucket::of_reading(T0 + MINUTE_MS, v("2.5")),
            Bucket::of_reading(T0, v("1.0")),
            Bucket::of_reading(T0, v("-3.0")),
            Bucket::of_reading(T0, v("2.0001")),
        ];
        let line = merge_buckets(parts);
        assert_eq!(line.len(), 2);
        assert_eq!(
            (line[0].n, line[0].min, line[0].max),
            (3, v("-3"), v("2.0001"))
        );
        // (1 - 3 + 2.0001) / 3 = 0.0000333… → 0
        assert_eq!(line[0].mean(), Milli4(0));
        assert_eq!(line[1].mean(), v("2.5"));
        let b = Bucket {
            start_ms: 0,
            n: 2,
            min: Milli4(-3),
            max: Milli4(0),
            sum: -3,
        };
        assert_eq!(b.mean(), Milli4(-2), "-1.5 rounds away from zero");
    }

    #[test]
    fn retention_is_checked() {
        assert!(Retention::default().validate().is_ok());
        let short = Retention {
            raw_days: 3,
            rollup_days: 400,
        };
        assert!(short.validate().unwrap_err().contains("raw_retention_days"));
        let inverted = Retention {
            raw_days: 30,
            rollup_days: 10,
        };
        assert!(inverted.validate().is_err());
        assert_eq!(rollup_cutoff(T0 + 90_000), T0);
    }
}
