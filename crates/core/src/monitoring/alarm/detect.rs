//! Detection: the alarm levels, a sensor's thresholds with hysteresis, and the rate of change.

use super::Milli4;
use serde::{Deserialize, Serialize};

/// 低低报 / 低报 / 高报 / 高高报 from the thresholds, 变化速率超限 from the rate-of-change limit,
/// and 离线 when a sensor has been silent longer than its timeout.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[schema(as = AlarmLevel)]
#[serde(rename_all = "UPPERCASE")]
pub enum Level {
    Ll,
    L,
    H,
    Hh,
    Rate,
    Offline,
}

impl Level {
    /// The levels a threshold defines, from the lowest.
    pub const THRESHOLDS: [Level; 4] = [Level::Ll, Level::L, Level::H, Level::Hh];
    pub const ALL: [Level; 6] = [
        Level::Ll,
        Level::L,
        Level::H,
        Level::Hh,
        Level::Rate,
        Level::Offline,
    ];

    /// The stored and wire code: LL, L, H, HH, RATE, OFFLINE.
    pub fn code(self) -> &'static str {
        match self {
            Self::Ll => "LL",
            Self::L => "L",
            Self::H => "H",
            Self::Hh => "HH",
            Self::Rate => "RATE",
            Self::Offline => "OFFLINE",
        }
    }

    pub fn parse(code: &str) -> Option<Level> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Orders levels by how urgent they are: HH/LL, then H/L/RATE, then OFFLINE.
    pub fn severity(self) -> u8 {
        match self {
            Self::Hh | Self::Ll => 3,
            Self::H | Self::L | Self::Rate => 2,
            Self::Offline => 1,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Ll => "低低报",
            Self::L => "低报",
            Self::H => "高报",
            Self::Hh => "高高报",
            Self::Rate => "变化速率超限",
            Self::Offline => "离线",
        }
    }

    /// HH and LL are the severe levels (often tied to interlocks).
    pub fn is_severe(self) -> bool {
        matches!(self, Self::Ll | Self::Hh)
    }

    /// The milder level on the same side, which this one inhibits.
    pub fn inhibits(self) -> Option<Level> {
        match self {
            Self::Hh => Some(Self::H),
            Self::Ll => Some(Self::L),
            _ => None,
        }
    }
}

/// A sensor's alarm thresholds; any may be absent. Hysteresis is the dead band a value must
/// leave a threshold by before its alarm clears.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Thresholds {
    pub ll: Option<Milli4>,
    pub l: Option<Milli4>,
    pub h: Option<Milli4>,
    pub hh: Option<Milli4>,
    pub hysteresis: Milli4,
}

impl Thresholds {
    fn of(&self, level: Level) -> Option<Milli4> {
        match level {
            Level::Ll => self.ll,
            Level::L => self.l,
            Level::H => self.h,
            Level::Hh => self.hh,
            Level::Rate | Level::Offline => None,
        }
    }

    /// Chinese message naming the field when the thresholds are not in order LL < L < H < HH.
    pub fn check(&self) -> Result<(), (&'static str, &'static str)> {
        if self.hysteresis.0 < 0 {
            return Err(("hysteresis", "回差不能为负数"));
        }
        let ordered: Vec<(Level, Milli4)> = Level::THRESHOLDS
            .iter()
            .filter_map(|l| self.of(*l).map(|v| (*l, v)))
            .collect();
        for w in ordered.windows(2) {
            if w[0].1 >= w[1].1 {
                let field = match w[1].0 {
                    Level::L => "threshold_l",
                    Level::H => "threshold_h",
                    _ => "threshold_hh",
                };
                return Err((field, "报警阈值应满足 低低报 < 低报 < 高报 < 高高报"));
            }
        }
        Ok(())
    }

    /// Whether `value` is in alarm at `level`, given whether that alarm is already active:
    /// an active alarm clears only once the value is back past the threshold by the hysteresis.
    pub fn in_alarm(&self, level: Level, value: Milli4, active: bool) -> bool {
        let Some(t) = self.of(level) else {
            return false;
        };
        let band = if active { self.hysteresis.0 } else { 0 };
        match level {
            Level::H | Level::Hh => value.0 >= t.0 - band,
            Level::L | Level::Ll => value.0 <= t.0 + band,
            Level::Rate | Level::Offline => false,
        }
    }

    /// The levels in alarm after `value`, given those active before (hysteresis applies).
    pub fn evaluate(&self, value: Milli4, active: &[Level]) -> Vec<Level> {
        Level::THRESHOLDS
            .into_iter()
            .filter(|l| self.in_alarm(*l, value, active.contains(l)))
            .collect()
    }
}

/// Whether a sensor moved from `prev` to `next` (each `(epoch ms, value)`) faster than `limit`
/// per minute. Exact: |Δv| × 60 000 > limit × Δms; readings at the same or an earlier time never
/// exceed.
pub fn rate_exceeded(prev: (i64, Milli4), next: (i64, Milli4), limit: Milli4) -> bool {
    let dt = i128::from(next.0) - i128::from(prev.0);
    if dt <= 0 {
        return false;
    }
    let dv = (i128::from(next.1.0) - i128::from(prev.1.0)).abs();
    dv * 60_000 > i128::from(limit.0) * dt
}
