//! 许可证照, 标准化等级, 关键岗位人员 and the enterprise's proposals on the wire.

use serde::Serialize;
use yingji_core::credit::licences::{days_left, expiry};
use yingji_store::credit::{key_people, licences, standardisation};

/// The expiry status of a validity as of today (Asia/Shanghai).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExpiryStatus {
    /// valid / within_90 / within_30 / expired
    pub expiry: String,
    /// 有效 / 90天内到期 / 30天内到期 / 已过期
    pub expiry_label: String,
    /// Days to the last valid day (negative once expired).
    pub days_left: i64,
}

impl ExpiryStatus {
    pub fn of(valid_until: &str, today: jiff::civil::Date) -> Option<Self> {
        let d: jiff::civil::Date = valid_until.parse().ok()?;
        let e = expiry(d, today);
        Some(Self {
            expiry: e.as_str().into(),
            expiry_label: e.label().into(),
            days_left: days_left(d, today),
        })
    }
}

/// A licence or certificate (许可证照), confirmed by the supervising department.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Licence {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub kind: String,
    pub kind_label: String,
    pub number: String,
    pub scope: Option<String>,
    pub issuer: Option<String>,
    pub valid_from: String,
    pub valid_until: String,
    /// confirmed / revoked / suspended
    pub status: String,
    pub status_label: String,
    pub updated_by: String,
    pub updated_ms: i64,
    pub expiry: Option<ExpiryStatus>,
}

impl Licence {
    pub fn of(l: licences::Licence, today: jiff::civil::Date) -> Self {
        Self {
            expiry: ExpiryStatus::of(&l.valid_until, today),
            id: l.id,
            enterprise_id: l.enterprise_id,
            enterprise_name: l.enterprise_name,
            kind: l.kind,
            kind_label: l.kind_label,
            number: l.number,
            scope: l.scope,
            issuer: l.issuer,
            valid_from: l.valid_from,
            valid_until: l.valid_until,
            status: l.status,
            status_label: l.status_label,
            updated_by: l.updated_by,
            updated_ms: l.updated_ms,
        }
    }
}

/// An enterprise's proposal (a licence or its 标准化 grade) for its department to decide.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CreditProposal {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    /// licence / standardisation
    pub subject: String,
    /// The licence it changes (null: a new one).
    pub target_id: Option<String>,
    /// The proposed input as submitted.
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    /// pending / confirmed / rejected
    pub status: String,
    pub proposed_by: String,
    pub proposed_ms: i64,
    pub decided_by: Option<String>,
    pub decided_ms: Option<i64>,
    /// The reason of a rejection (or a note on a confirmation).
    pub reason: Option<String>,
}

impl From<licences::Proposal> for CreditProposal {
    fn from(p: licences::Proposal) -> Self {
        Self {
            id: p.id,
            enterprise_id: p.enterprise_id,
            enterprise_name: p.enterprise_name,
            subject: p.subject,
            target_id: p.target_id,
            payload: p.payload,
            status: p.status,
            proposed_by: p.proposed_by,
            proposed_ms: p.proposed_ms,
            decided_by: p.decided_by,
            decided_ms: p.decided_ms,
            reason: p.reason,
        }
    }
}

/// What a submission did: `licence` written at once (a department), or `proposal` waiting for
/// the department (an enterprise user).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Submission {
    /// saved / proposed
    pub outcome: String,
    pub licence: Option<Licence>,
    pub proposal: Option<CreditProposal>,
}

/// 安全生产标准化等级.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Standardisation {
    pub enterprise_id: String,
    /// 1 / 2 / 3
    pub grade: i64,
    pub grade_label: String,
    pub certificate_number: String,
    pub valid_until: String,
    pub status: String,
    pub updated_by: String,
    pub updated_ms: i64,
    pub expiry: Option<ExpiryStatus>,
}

impl Standardisation {
    pub fn of(s: standardisation::Standardisation, today: jiff::civil::Date) -> Self {
        Self {
            expiry: ExpiryStatus::of(&s.valid_until, today),
            enterprise_id: s.enterprise_id,
            grade: s.grade,
            grade_label: s.grade_label,
            certificate_number: s.certificate_number,
            valid_until: s.valid_until,
            status: s.status,
            updated_by: s.updated_by,
            updated_ms: s.updated_ms,
        }
    }
}

/// A key person (关键岗位人员) and their certificate.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KeyPerson {
    pub id: String,
    pub enterprise_id: String,
    /// principal / safety_director / safety_manager / registered_engineer / special_operator
    pub post: String,
    pub post_label: String,
    pub name: String,
    pub phone: Option<String>,
    pub certificate_kind: Option<String>,
    pub certificate_number: Option<String>,
    pub valid_until: Option<String>,
    pub updated_ms: i64,
    pub expiry: Option<ExpiryStatus>,
}

impl KeyPerson {
    pub fn of(p: key_people::KeyPerson, today: jiff::civil::Date) -> Self {
        Self {
            expiry: p
                .valid_until
                .as_deref()
                .and_then(|u| ExpiryStatus::of(u, today)),
            id: p.id,
            enterprise_id: p.enterprise_id,
            post: p.post,
            post_label: p.post_label,
            name: p.name,
            phone: p.phone,
            certificate_kind: p.certificate_kind,
            certificate_number: p.certificate_number,
            valid_until: p.valid_until,
            updated_ms: p.updated_ms,
        }
    }
}
