//! Exact sensor values: ten-thousandths, parsed from a gateway's decimal text.

use serde::{Deserialize, Serialize};

/// A reading or threshold in ten-thousandths: sensor values are compared exactly, never as f64.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Milli4(pub i64);

impl Milli4 {
    /// A decimal as sent by gateways: "12.34", "-0.01", 17 (JSON numbers arrive as their text).
    /// At most four decimals are kept (more are rounded half away from zero); NaN, infinities,
    /// exponents and magnitudes beyond ±10¹² are refused.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let (neg, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() && frac.is_empty() || !digits(int) || !digits(frac) || int.len() > 12 {
            return None;
        }
        let int: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
        let mut f = frac.bytes().map(|b| i64::from(b - b'0'));
        let mut units = 0;
        for _ in 0..4 {
            units = units * 10 + f.next().unwrap_or(0);
        }
        if f.next().is_some_and(|d| d >= 5) {
            units += 1;
        }
        let v = int.checked_mul(10_000)?.checked_add(units)?;
        Some(Self(if neg { -v } else { v }))
    }

    pub fn to_f64(self) -> f64 {
        self.0 as f64 / 10_000.0
    }
}

impl std::fmt::Display for Milli4 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let (int, frac) = (a / 10_000, a % 10_000);
        if frac == 0 {
            write!(f, "{sign}{int}")
        } else {
            let s = format!("{frac:04}");
            write!(f, "{sign}{int}.{}", s.trim_end_matches('0'))
        }
    }
}
