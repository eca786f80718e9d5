//! Roles and scopes (DESIGN "Who uses it"). A user has one role and one scope; what a caller may
//! see is decided from both, and the store turns the scope into a WHERE clause.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Commander,
    DepartmentStaff,
    StreetStaff,
    GridWorker,
    DutyOfficer,
    EnterpriseUser,
    Expert,
    Inspector,
    LegalReviewer,
    /// 保险机构人员: sees only its insurer's policyholders' 安责险 records.
    Insurer,
}

impl Role {
    pub const ALL: [Role; 11] = [
        Self::Admin,
        Self::Commander,
        Self::DepartmentStaff,
        Self::StreetStaff,
        Self::GridWorker,
        Self::DutyOfficer,
        Self::EnterpriseUser,
        Self::Expert,
        Self::Inspector,
        Self::LegalReviewer,
        Self::Insurer,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Admin => "admin",
            Self::Commander => "commander",
            Self::DepartmentStaff => "department_staff",
            Self::StreetStaff => "street_staff",
            Self::GridWorker => "grid_worker",
            Self::DutyOfficer => "duty_officer",
            Self::EnterpriseUser => "enterprise_user",
            Self::Expert => "expert",
            Self::Inspector => "inspector",
            Self::LegalReviewer => "legal_reviewer",
            Self::Insurer => "insurer",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Admin => "系统管理员",
            Self::Commander => "局领导/指挥长",
            Self::DepartmentStaff => "部门人员",
            Self::StreetStaff => "街道/社区人员",
            Self::GridWorker => "网格员",
            Self::DutyOfficer => "值班员",
            Self::EnterpriseUser => "企业用户",
            Self::Expert => "专家",
            Self::Inspector => "执法人员",
            Self::LegalReviewer => "法制审核员",
            Self::Insurer => "保险机构人员",
        }
    }
    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("角色“{s}”无效"))
    }

    /// The kind of scope this role must be given.
    pub fn scope_kind(self) -> ScopeKind {
        match self {
            Self::Admin => ScopeKind::All,
            Self::DepartmentStaff | Self::Inspector | Self::LegalReviewer => ScopeKind::Department,
            Self::EnterpriseUser => ScopeKind::Enterprise,
            Self::Insurer => ScopeKind::Insurer,
            Self::Commander
            | Self::StreetStaff
            | Self::GridWorker
            | Self::DutyOfficer
            | Self::Expert => ScopeKind::Region,
        }
    }

    /// May create and edit enterprises inside the scope.
    pub fn can_edit_enterprises(self) -> bool {
        matches!(
            self,
            Self::Admin
                | Self::Commander
                | Self::DepartmentStaff
                | Self::StreetStaff
                | Self::EnterpriseUser
        )
    }
    /// May create or delete enterprises (an enterprise user only edits its own record).
    pub fn can_create_enterprises(self) -> bool {
        matches!(
            self,
            Self::Admin | Self::Commander | Self::DepartmentStaff | Self::StreetStaff
        )
    }
    /// May manage regions, departments and accounts.
    /// The duty room (roster with names and phones, log, 值班日报) is for bureau and
    /// department staff, not for grid workers or enterprises.
    pub fn reads_duty_room(self) -> bool {
        !matches!(
            self,
            Self::GridWorker | Self::EnterpriseUser | Self::Insurer
        )
    }
    /// May report a hidden hazard, by hand or by turning an alarm into one (experts advise and
    /// the duty room relays; neither reports).
    pub fn reports_hazards(self) -> bool {
        !matches!(self, Self::Expert | Self::DutyOfficer | Self::Insurer)
    }
    pub fn is_admin(self) -> bool {
        self == Self::Admin
    }
    /// May change the password and session policy (安全保密管理员 once 三员分立 lands).
    // h-admins: replaced by the 安全保密管理员's predicate.
    pub fn manages_security(self) -> bool {
        self == Self::Admin
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    All,
    Region,
    Department,
    Enterprise,
    Insurer,
}

/// What a caller may see, resolved from the user's role and scope columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    /// Everything (system administrators).
    All,
    /// A region subtree: every code that starts with `prefix`.
    Region { region_code: String, prefix: String },
    /// A department's supervision categories within a region subtree (管行业必须管安全).
    Department {
        department_id: String,
        categories: Vec<String>,
        region_code: String,
        prefix: String,
    },
    /// One enterprise.
    Enterprise { enterprise_id: String },
    /// One insurer (保险机构): its policyholders' 安责险 records and nothing else.
    Insurer { insurer_id: String },
}

impl Scope {
    /// The region prefix that bounds this scope, if any.
    pub fn region_prefix(&self) -> Option<&str> {
        match self {
            Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => Some(prefix),
            _ => None,
        }
    }
    /// The enterprise a new record belongs to: an enterprise user's own (naming another one is
    /// refused, not silently replaced), else the one the caller names, if any.
    pub fn owning_enterprise(&self, named: Option<&str>) -> Result<Option<String>, &'static str> {
        let named = named.map(str::trim).filter(|s| !s.is_empty());
        match self {
            Scope::Enterprise { enterprise_id } => match named {
                Some(n) if n != enterprise_id => Err("企业不存在或不在您的管辖范围内"),
                _ => Ok(Some(enterprise_id.clone())),
            },
            _ => Ok(named.map(str::to_string)),
        }
    }
    /// Whether a region code lies inside this scope's region bound.
    pub fn covers_region(&self, code: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
                code.starts_with(prefix.as_str())
            }
            Scope::Enterprise { .. } | Scope::Insurer { .. } => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()).unwrap(), r);
        }
        assert!(Role::parse("root").is_err());
    }

    #[test]
    fn an_enterprise_names_only_itself() {
        let own = Scope::Enterprise {
            enterprise_id: "e1".into(),
        };
        assert_eq!(own.owning_enterprise(None), Ok(Some("e1".into())));
        assert_eq!(own.owning_enterprise(Some(" e1 ")), Ok(Some("e1".into())));
        assert!(own.owning_enterprise(Some("e2")).is_err());
        assert_eq!(Scope::All.owning_enterprise(Some("")), Ok(None));
        assert_eq!(
            Scope::All.owning_enterprise(Some("e2")),
            Ok(Some("e2".into()))
        );
    }

    #[test]
    fn region_cover() {
        let s = Scope::Region {
            region_code: "360403001".into(),
            prefix: "360403001".into(),
        };
        assert!(s.covers_region("360403001002"));
        assert!(!s.covers_region("360403002001"));
        assert!(Scope::All.covers_region("x"));
    }
}
