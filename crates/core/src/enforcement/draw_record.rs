//! What a draw records so that anyone can run it again (复核): every input of [`draw`], in a JSON
//! document whose SHA-256 is kept beside it and in the audit log.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::draw::{DrawInput, Drawn, InspectorEntry, Quota, Rounding, draw};
use crate::kernel::validation::Invalid;

/// An inspector as recorded: the draw's view plus the 执法证号 that is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedInspector {
    pub id: String,
    pub name: String,
    pub cert_no: String,
    pub cert_valid_until: String,
    pub conflicts: BTreeSet<String>,
}

/// The quota as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RecordedQuota {
    Count { count: u32 },
    Ratio { basis_points: u32, rounding: String },
}

impl From<Quota> for RecordedQuota {
    fn from(q: Quota) -> Self {
        match q {
            Quota::Count(count) => Self::Count { count },
            Quota::Ratio {
                basis_points,
                rounding,
            } => Self::Ratio {
                basis_points,
                rounding: rounding.as_str().into(),
            },
        }
    }
}

/// Every input of a draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawRecord {
    /// The seed as decimal text (a u64 does not fit every JSON reader).
    pub seed: String,
    /// The draw day, YYYY-MM-DD.
    pub on: String,
    pub quota: RecordedQuota,
    pub team_size: usize,
    /// The pool's enterprise ids, sorted.
    pub pool: Vec<String>,
    /// Excluded enterprise ids with why (the 重点 reasons, or `inspected_this_year`).
    pub excluded: BTreeMap<String, Vec<String>>,
    pub inspectors: Vec<RecordedInspector>,
}

/// The answer when a record cannot be read back.
const UNREADABLE: &str = "抽取记录已损坏，无法复核";

impl DrawRecord {
    /// The canonical JSON text that is stored and hashed.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The SHA-256 of a stored inputs document, hex.
    pub fn sha256_of(json: &str) -> String {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(json.as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn from_json(s: &str) -> Result<Self, Invalid> {
        serde_json::from_str(s).map_err(|_| Invalid::one("inputs", UNREADABLE))
    }

    /// Runs the draw on the recorded inputs.
    pub fn run(&self) -> Result<Drawn, Invalid> {
        let bad = || Invalid::one("inputs", UNREADABLE);
        let seed: u64 = self.seed.parse().map_err(|_| bad())?;
        let on = self.on.parse().map_err(|_| bad())?;
        let quota = match &self.quota {
            RecordedQuota::Count { count } => Quota::Count(*count),
            RecordedQuota::Ratio {
                basis_points,
                rounding,
            } => Quota::Ratio {
                basis_points: *basis_points,
                rounding: Rounding::parse(rounding).map_err(|_| bad())?,
            },
        };
        let inspectors = self
            .inspectors
            .iter()
            .map(|i| {
                Ok(InspectorEntry {
                    id: i.id.clone(),
                    name: i.name.clone(),
                    cert_valid_until: i.cert_valid_until.parse().map_err(|_| bad())?,
                    conflicts: i.conflicts.clone(),
                })
            })
            .collect::<Result<Vec<_>, Invalid>>()?;
        let excluded: BTreeSet<String> = self.excluded.keys().cloned().collect();
        draw(&DrawInput {
            pool: &self.pool,
            excluded: &excluded,
            quota,
            inspectors: &inspectors,
            team_size: self.team_size,
            on,
            seed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_runs_again_to_the_same_draw() {
        let rec = DrawRecord {
            seed: "18446744073709551615".into(),
            on: "2026-03-01".into(),
            quota: Quota::Ratio {
                basis_points: 500,
                rounding: Rounding::Ceil,
            }
            .into(),
            team_size: 2,
            pool: (0..30).map(|i| format!("e{i:02}")).collect(),
            excluded: [("e00".to_string(), vec!["major_hazard".to_string()])].into(),
            inspectors: ["张", "李", "王"]
                .iter()
                .enumerate()
                .map(|(n, name)| RecordedInspector {
                    id: format!("u{n}"),
                    name: name.to_string(),
                    cert_no: format!("ZF00{n}001"),
                    cert_valid_until: "2030-01-01".into(),
                    conflicts: BTreeSet::new(),
                })
                .collect(),
        };
        let json = rec.to_json();
        let back = DrawRecord::from_json(&json).unwrap();
        assert_eq!(back, rec);
        let a = rec.run().unwrap();
        assert_eq!(a.picks.len(), 2, "ceil(30 × 5 %) = 2");
        assert_eq!(back.run().unwrap(), a);
        assert!(a.picks.iter().all(|p| p.enterprise_id != "e00"));
        assert!(DrawRecord::from_json("{}").is_err());
    }
}
