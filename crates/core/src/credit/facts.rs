//! The dated records a rating is computed from. Each carries its day, so that a rating can be
//! replayed as of any past day: the engine keeps those of the window ending on that day.

use crate::kernel::clock::Date;
use crate::response::incident::Severity;
use serde::{Deserialize, Serialize};

/// A 生产安全事故 of the enterprise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccidentFact {
    pub id: String,
    pub day: Date,
    pub title: String,
    pub severity: Severity,
}

/// A 行政处罚决定 on the enterprise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PenaltyFact {
    pub case_id: String,
    pub day: Date,
    /// 决定书文号, when the document was issued.
    pub number: Option<String>,
    pub title: String,
}

/// A dated record with only an id and a description (重大隐患逾期, 拒不整改, 未承诺).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedFact {
    pub id: String,
    pub day: Date,
    pub text: String,
}

/// A period (标准化 certificate, insurance policy, listing): from, until (inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodFact {
    pub id: String,
    pub from: Date,
    pub until: Option<Date>,
    /// The 标准化 grade (1, 2, 3); 0 for the others.
    pub grade: u8,
}

impl PeriodFact {
    pub fn covers(&self, day: Date) -> bool {
        self.from <= day && self.until.is_none_or(|u| day <= u)
    }
}

/// A department's adjustment (or an objection upheld): points with its written reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdjustmentFact {
    pub id: String,
    pub day: Date,
    pub points: i32,
    pub reason: String,
}

/// Everything the platform knows that the scheme rates, for one enterprise.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub accidents: Vec<AccidentFact>,
    pub penalties: Vec<PenaltyFact>,
    pub overdue_major_hazards: Vec<DatedFact>,
    pub refused_rectifications: Vec<DatedFact>,
    /// Days a 安全承诺 was missing at the deadline.
    pub missed_commitments: Vec<DatedFact>,
    /// Confirmed 标准化 certificates.
    pub standardisations: Vec<PeriodFact>,
    /// 安责险 policies.
    pub insurance: Vec<PeriodFact>,
    /// 严重失信主体名单 listings of the unit.
    pub listings: Vec<PeriodFact>,
    pub adjustments: Vec<AdjustmentFact>,
}
