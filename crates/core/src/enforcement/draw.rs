//! 双随机 (国办发〔2015〕58号, 国发〔2019〕5号): a random sample of enterprises from the published
//! 检查对象名录库 and, for each, a random team from the 执法检查人员名录库. The draw is a pure function
//! of its inputs and a recorded seed, so anyone can run it again and get the same result (复核).
//!
//! The algorithm (ADR 0024), written down so that it can be re-implemented elsewhere:
//! 1. The candidates are the pool's enterprise ids minus the excluded ones (重点检查 list, already
//!    inspected this cycle), sorted by id as bytes. The quota is taken from the pool's size (the
//!    population the ratio speaks of) and capped at the number of candidates.
//! 2. A SplitMix64 generator is seeded with the seed ([`Rng::new`]). A partial Fisher–Yates
//!    shuffle picks the enterprises: for i in 0..quota, j = i + uniform(n − i), swap i and j, where
//!    uniform is rejection-sampled (no modulo bias).
//! 3. For each picked enterprise in draw order, the eligible inspectors (sorted by id; no conflict
//!    of interest with the enterprise; 执法证 valid on the draw day) are shuffled the same way with
//!    the same generator and the first `team_size` form the team.

use std::collections::{BTreeSet, HashMap};

use jiff::civil::Date;

use crate::kernel::rng::Rng;
use crate::kernel::validation::{Errors, Invalid};

/// At least two inspectors take part in every inspection (行政处罚法 第四十二条).
pub const MIN_TEAM: usize = 2;
/// A team is not larger than this.
pub const MAX_TEAM: usize = 5;

/// How a ratio's quota is rounded (district configuration; the default ceil gives at least one
/// enterprise whenever the ratio is above zero).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Rounding {
    #[default]
    Ceil,
    HalfUp,
    Floor,
}

impl Rounding {
    pub const CODES: [(&'static str, &'static str); 3] = [
        ("ceil", "向上取整"),
        ("half_up", "四舍五入"),
        ("floor", "向下取整"),
    ];
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "ceil" => Ok(Self::Ceil),
            "half_up" => Ok(Self::HalfUp),
            "floor" => Ok(Self::Floor),
            _ => Err(format!(
                "取整方式“{s}”无效，应为 ceil（向上取整）、half_up（四舍五入）或 floor（向下取整）"
            )),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ceil => "ceil",
            Self::HalfUp => "half_up",
            Self::Floor => "floor",
        }
    }
}

/// How many enterprises a draw takes: a count, or a ratio of the pool in basis points (1/10000;
/// 5% is 500) so that the arithmetic is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quota {
    Count(u32),
    Ratio {
        basis_points: u32,
        rounding: Rounding,
    },
}

impl Quota {
    /// Reads a quota as the API gives it: a count, or a percentage written as a decimal with at
    /// most two places ("5", "2.5", "0.75"), between 0 and 100.
    pub fn parse(
        count: Option<i64>,
        percent: Option<&str>,
        rounding: Rounding,
    ) -> Result<Self, Invalid> {
        match (count, percent.map(str::trim).filter(|p| !p.is_empty())) {
            (Some(_), Some(_)) => Err(Invalid::one(
                "ratio_percent",
                "抽查数量和抽查比例只能填写一项",
            )),
            (Some(c), None) if (1..=100_000).contains(&c) => Ok(Self::Count(c as u32)),
            (Some(_), None) => Err(Invalid::one("count", "抽查数量应为 1 至 100000 之间的整数")),
            (None, Some(p)) => parse_percent(p)
                .map(|basis_points| Self::Ratio {
                    basis_points,
                    rounding,
                })
                .map_err(|m| Invalid::one("ratio_percent", m)),
            (None, None) => Err(Invalid::one("count", "请填写抽查数量或抽查比例")),
        }
    }

    /// The number of enterprises to draw from a pool of `pool` (before the cap at the candidates).
    pub fn of(self, pool: usize) -> usize {
        match self {
            Self::Count(c) => c as usize,
            Self::Ratio {
                basis_points,
                rounding,
            } => {
                let num = pool as u64 * basis_points as u64;
                let q = num / 10_000;
                let r = num % 10_000;
                let up = match rounding {
                    Rounding::Ceil => r > 0,
                    Rounding::HalfUp => r >= 5_000,
                    Rounding::Floor => false,
                };
                (q + u64::from(up)) as usize
            }
        }
    }
}

/// "5" → 500, "2.5" → 250, "0.75" → 75 basis points; more than two decimals, a sign, or a value
/// outside 0–100 is refused.
fn parse_percent(p: &str) -> Result<u32, String> {
    let bad = || format!("抽查比例“{p}”无效，应为 0 至 100 之间的百分数，最多两位小数");
    let (int, frac) = p.split_once('.').unwrap_or((p, ""));
    if int.is_empty() && frac.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || int.len() > 3
    {
        return Err(bad());
    }
    let whole: u32 = if int.is_empty() {
        0
    } else {
        int.parse().map_err(|_| bad())?
    };
    let cents: u32 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    let bp = whole * 100 + cents;
    if bp == 0 || bp > 10_000 {
        return Err(format!("抽查比例“{p}”应大于 0 且不超过 100%"));
    }
    Ok(bp)
}

/// An inspector in the 执法检查人员名录库 as the draw sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectorEntry {
    pub id: String,
    pub name: String,
    /// The last day the 执法证 is valid.
    pub cert_valid_until: Date,
    /// Enterprises this inspector must not inspect (回避).
    pub conflicts: BTreeSet<String>,
}

/// What a draw is given.
#[derive(Debug, Clone)]
pub struct DrawInput<'a> {
    /// The enterprise ids of the published pool after the filters.
    pub pool: &'a [String],
    /// Enterprises not to draw: the 重点检查 list and those inspected this cycle.
    pub excluded: &'a BTreeSet<String>,
    pub quota: Quota,
    pub inspectors: &'a [InspectorEntry],
    pub team_size: usize,
    /// The day of the draw (执法证 validity is checked on it).
    pub on: Date,
    pub seed: u64,
}

/// One drawn enterprise and its team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    pub enterprise_id: String,
    pub inspector_ids: Vec<String>,
}

/// A draw's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drawn {
    /// The pool's size, the candidates after the exclusions and the quota asked for.
    pub pool_size: usize,
    pub candidates: usize,
    pub quota: usize,
    pub picks: Vec<Pick>,
}

/// Runs a draw. An empty pool, a team smaller than two or an enterprise for which fewer than
/// `team_size` inspectors are eligible is refused with a message naming the field.
pub fn draw(input: &DrawInput) -> Result<Drawn, Invalid> {
    check_input(input)?;
    let mut candidates: Vec<&String> = input
        .pool
        .iter()
        .filter(|id| !input.excluded.contains(*id))
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    let n_candidates = candidates.len();
    let quota = input.quota.of(input.pool.len());
    let take = quota.min(candidates.len());
    let mut rng = Rng::new(input.seed);
    shuffle_prefix(&mut rng, &mut candidates, take);
    let eligible = Eligible::new(input);
    let mut picks = Vec::with_capacity(take);
    for enterprise_id in candidates.into_iter().take(take) {
        let team = eligible
            .team(&mut rng, enterprise_id, input.team_size)
            .map_err(|n| Invalid::one("inspectors", too_few_inspectors(n, input.team_size)))?;
        picks.push(Pick {
            enterprise_id: enterprise_id.clone(),
            inspector_ids: team,
        });
    }
    Ok(Drawn {
        pool_size: input.pool.len(),
        candidates: n_candidates,
        quota,
        picks,
    })
}

/// Step 3 without building each enterprise's list: the inspectors whose 执法证 is valid on the
/// day (sorted by id) and, per enterprise, the positions among them that must 回避. The k-th
/// eligible inspector is the k-th valid one skipping those positions, and the partial shuffle
/// records only its swaps, so a team costs O(team × 回避) instead of O(inspectors) — with the
/// very same generator calls and result as shuffling the whole list.
struct Eligible<'a> {
    valid: Vec<&'a InspectorEntry>,
    conflicts: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Eligible<'a> {
    fn new(input: &DrawInput<'a>) -> Self {
        let mut valid: Vec<&InspectorEntry> = input
            .inspectors
            .iter()
            .filter(|i| i.cert_valid_until >= input.on)
            .collect();
        valid.sort_by(|a, b| a.id.cmp(&b.id));
        let mut conflicts: HashMap<&str, Vec<usize>> = HashMap::new();
        for (pos, inspector) in valid.iter().enumerate() {
            for enterprise in &inspector.conflicts {
                conflicts.entry(enterprise.as_str()).or_default().push(pos);
            }
        }
        Self { valid, conflicts }
    }

    /// The team for one enterprise, or the number of eligible inspectors when too few.
    fn team(&self, rng: &mut Rng, enterprise_id: &str, size: usize) -> Result<Vec<String>, usize> {
        let blocked: &[usize] = self
            .conflicts
            .get(enterprise_id)
            .map_or(&[], |v| v.as_slice());
        let n = self.valid.len() - blocked.len();
        if n < size {
            return Err(n);
        }
        let mut swapped: Vec<(usize, usize)> = Vec::with_capacity(2 * size);
        let at = |swapped: &[(usize, usize)], k: usize| {
            swapped
                .iter()
                .rev()
                .find(|(pos, _)| *pos == k)
                .map_or(k, |(_, v)| *v)
        };
        for i in 0..size {
            let j = i + rng.uniform(n - i);
            let (vi, vj) = (at(&swapped, i), at(&swapped, j));
            swapped.push((i, vj));
            swapped.push((j, vi));
        }
        Ok((0..size)
            .map(|k| {
                let mut idx = at(&swapped, k);
                for &c in blocked {
                    if c <= idx {
                        idx += 1;
                    } else {
                        break;
                    }
                }
                self.valid[idx].id.clone()
            })
            .collect())
    }
}

fn check_input(input: &DrawInput) -> Result<(), Invalid> {
    let mut errs = Errors::default();
    if input.pool.is_empty() {
        errs.add("pool", "检查对象名录库中没有符合条件的企业，无法抽取");
    }
    if !(MIN_TEAM..=MAX_TEAM).contains(&input.team_size) {
        errs.add(
            "team_size",
            format!("每组执法人员应为 {MIN_TEAM} 至 {MAX_TEAM} 人（行政执法须两人以上）"),
        );
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs.into_invalid())
    }
}

/// The refusal when an enterprise cannot be given a full team.
pub fn too_few_inspectors(eligible: usize, team_size: usize) -> String {
    format!(
        "可选执法人员不足：每组须 {team_size} 人，排除回避和执法证过期的人员后只有 {eligible} 人"
    )
}

/// Moves a uniform random choice of `take` items to the front, in draw order.
fn shuffle_prefix<T>(rng: &mut Rng, items: &mut [T], take: usize) {
    let n = items.len();
    for i in 0..take.min(n) {
        let j = i + rng.uniform(n - i);
        items.swap(i, j);
    }
}

#[cfg(test)]
#[path = "draw_tests.rs"]
mod tests;
