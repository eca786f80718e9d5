//! 报警统计分析: alarms per day by level, per enterprise, time-to-acknowledge distribution,
//! the 叫应 rate and the noisiest sensors, from the incidents of a period. Pure: the store hands
//! in the rows.

use crate::kernel::clock::shanghai;
use crate::monitoring::alarm::{Level, PolicyStep};
use serde::Serialize;
use std::collections::BTreeMap;
use std::collections::HashMap;

/// One incident as the statistics see it.
#[derive(Debug, Clone)]
pub struct AlarmRecord {
    pub level: Level,
    pub opened_ms: i64,
    pub acked_ms: Option<i64>,
    pub policy: Vec<PolicyStep>,
    pub triggers: i64,
    pub enterprise: Option<String>,
    pub sensor: String,
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct DayCount {
    /// YYYY-MM-DD in Asia/Shanghai.
    pub day: String,
    /// Level code → incidents opened that day.
    pub by_level: BTreeMap<String, i64>,
    pub total: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NamedCount {
    pub name: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Bucket {
    pub label: String,
    pub count: i64,
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct AlarmStats {
    pub total: i64,
    pub per_day: Vec<DayCount>,
    pub by_enterprise: Vec<NamedCount>,
    /// Time from opening to acknowledgement: ≤1 min, ≤5, ≤15, ≤60, longer, never.
    pub ack_buckets: Vec<Bucket>,
    /// Median minutes to acknowledge, of the acknowledged ones.
    pub median_ack_minutes: Option<f64>,
    /// 叫应率: the share (0–1) acknowledged before the chain went past its first audience
    /// (before step 2 fell due), of incidents whose chain has more than one step.
    pub response_rate: Option<f64>,
    /// Sensors by incidents opened, then by folded re-triggers: the ones to check first.
    pub noisiest_sensors: Vec<NamedCount>,
}

const ACK_LIMITS_MIN: [(i64, &str); 4] = [
    (1, "1分钟内"),
    (5, "1–5分钟"),
    (15, "5–15分钟"),
    (60, "15–60分钟"),
];

fn day_of(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned_datetime(shanghai()).date().to_string())
        .unwrap_or_default()
}

/// `top` limits the enterprise and sensor lists.
pub fn summarize(records: &[AlarmRecord], top: usize) -> AlarmStats {
    let mut days: BTreeMap<String, DayCount> = BTreeMap::new();
    let mut enterprises: HashMap<&str, i64> = HashMap::new();
    let mut sensors: HashMap<&str, (i64, i64)> = HashMap::new();
    let mut buckets = [0i64; 6];
    let mut ack_minutes: Vec<f64> = Vec::new();
    let (mut answered, mut callable) = (0i64, 0i64);
    for r in records {
        let d = days.entry(day_of(r.opened_ms)).or_default();
        *d.by_level.entry(r.level.code().to_string()).or_default() += 1;
        d.total += 1;
        if let Some(e) = &r.enterprise {
            *enterprises.entry(e).or_default() += 1;
        }
        let s = sensors.entry(&r.sensor).or_default();
        s.0 += 1;
        s.1 += r.triggers;
        match r.acked_ms {
            Some(at) => {
                let wait = (at - r.opened_ms).max(0);
                buckets[ack_bucket(wait)] += 1;
                ack_minutes.push(wait as f64 / 60_000.0);
            }
            None => buckets[5] += 1,
        }
        if let Some(second) = r.policy.get(1) {
            callable += 1;
            let deadline = r.opened_ms + second.after_secs * 1000;
            if r.acked_ms.is_some_and(|at| at < deadline) {
                answered += 1;
            }
        }
    }
    AlarmStats {
        total: records.len() as i64,
        per_day: per_day(days),
        by_enterprise: by_enterprise(enterprises, top),
        ack_buckets: ack_buckets(buckets),
        median_ack_minutes: median(ack_minutes),
        response_rate: (callable > 0).then(|| answered as f64 / callable as f64),
        noisiest_sensors: noisiest(sensors, top),
    }
}

/// The index in `AlarmStats::ack_buckets` of an acknowledgement after `wait_ms` (never the last,
/// 未确认).
fn ack_bucket(wait_ms: i64) -> usize {
    ACK_LIMITS_MIN
        .iter()
        .position(|(m, _)| wait_ms <= m * 60_000)
        .unwrap_or(4)
}

/// The acknowledgement counts with their labels.
fn ack_buckets(counts: [i64; 6]) -> Vec<Bucket> {
    ACK_LIMITS_MIN
        .iter()
        .map(|(_, l)| *l)
        .chain(["60分钟以上", "未确认"])
        .zip(counts)
        .map(|(label, count)| Bucket {
            label: label.into(),
            count,
        })
        .collect()
}

/// The days in order, each named.
fn per_day(days: BTreeMap<String, DayCount>) -> Vec<DayCount> {
    let mut per_day: Vec<DayCount> = days
        .into_iter()
        .map(|(day, mut c)| {
            c.day = day;
            c
        })
        .collect();
    per_day.sort_by(|a, b| a.day.cmp(&b.day));
    per_day
}

/// The `top` enterprises by incidents, then by name.
fn by_enterprise(counts: HashMap<&str, i64>, top: usize) -> Vec<NamedCount> {
    let mut out: Vec<NamedCount> = counts
        .into_iter()
        .map(|(name, count)| NamedCount {
            name: name.to_string(),
            count,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    out.truncate(top);
    out
}

/// The `top` sensors by (incidents, re-triggers), then by name; counted by incidents.
fn noisiest(sensors: HashMap<&str, (i64, i64)>, top: usize) -> Vec<NamedCount> {
    let mut noisy: Vec<(&str, (i64, i64))> = sensors.into_iter().collect();
    noisy.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    noisy.truncate(top);
    noisy
        .into_iter()
        .map(|(name, (count, _))| NamedCount {
            name: name.to_string(),
            count,
        })
        .collect()
}

/// The median, or None of nothing.
fn median(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(|a, b| a.total_cmp(b));
    match values.len() {
        0 => None,
        n if n % 2 == 1 => Some(values[n / 2]),
        n => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitoring::alarm::AlarmConfig;

    #[test]
    fn helpers_bucket_and_rank() {
        assert_eq!(ack_bucket(0), 0);
        assert_eq!(ack_bucket(60_000), 0);
        assert_eq!(ack_bucket(60_001), 1);
        assert_eq!(ack_bucket(3_600_000), 3);
        assert_eq!(ack_bucket(3_600_001), 4);
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0]), Some(2.5));
        let labels: Vec<_> = ack_buckets([1, 2, 3, 4, 5, 6])
            .into_iter()
            .map(|b| (b.label, b.count))
            .collect();
        assert_eq!(labels[4], ("60分钟以上".to_string(), 5));
        assert_eq!(labels[5], ("未确认".to_string(), 6));
        let ranked = by_enterprise(HashMap::from([("乙", 2), ("甲", 2), ("丙", 5)]), 2);
        let names: Vec<_> = ranked.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names, ["丙", "乙"]);
        let noisy = noisiest(HashMap::from([("A", (1, 9)), ("B", (2, 0))]), 5);
        assert_eq!(noisy[0].name, "B");
        assert_eq!(noisy[1].count, 1);
    }

    fn rec(level: Level, opened_ms: i64, acked_after_s: Option<i64>, sensor: &str) -> AlarmRecord {
        AlarmRecord {
            level,
            opened_ms,
            acked_ms: acked_after_s.map(|s| opened_ms + s * 1000),
            policy: AlarmConfig::default().escalation,
            triggers: 1,
            enterprise: Some("甲化工".into()),
            sensor: sensor.into(),
        }
    }

    #[test]
    fn days_follow_shanghai_and_acks_are_bucketed() {
        // 2026-05-27 23:30 and 2026-05-28 00:30 in Shanghai (UTC+8).
        let late = 1_779_895_800_000;
        let records = [
            rec(Level::Hh, late, Some(30), "LT-1"),
            rec(Level::H, late + 3_600_000, Some(400), "LT-1"),
            rec(Level::H, late + 3_700_000, None, "PT-2"),
        ];
        let s = summarize(&records, 10);
        assert_eq!(s.total, 3);
        assert_eq!(s.per_day.len(), 2);
        assert_eq!(s.per_day[0].day, "2026-05-27");
        assert_eq!(s.per_day[1].by_level["H"], 2);
        let counts: Vec<i64> = s.ack_buckets.iter().map(|b| b.count).collect();
        assert_eq!(counts, [1, 0, 1, 0, 0, 1]);
        // 叫应: acknowledged before step 2 (5 min) — only the first.
        assert_eq!(s.response_rate, Some(1.0 / 3.0));
        assert_eq!(s.median_ack_minutes, Some((0.5 + 400.0 / 60.0) / 2.0));
        assert_eq!(s.noisiest_sensors[0].name, "LT-1");
        assert_eq!(s.by_enterprise[0].count, 3);
    }

    #[test]
    fn nothing_gives_empty_figures() {
        let s = summarize(&[], 10);
        assert_eq!(s.total, 0);
        assert_eq!(s.response_rate, None);
        assert_eq!(s.median_ack_minutes, None);
    }
}
