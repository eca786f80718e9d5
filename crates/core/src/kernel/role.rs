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
    /// 安全保密管理员 (三员分立): roles and scopes of other accounts, unlocks, password resets,
    /// password/session policy; no business data.
    SecurityAdmin,
    /// 安全审计员 (三员分立): the only reader of the audit log; changes nothing, no business data.
    Auditor,
}

impl Role {
    pub const ALL: [Role; 13] = [
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
        Self::SecurityAdmin,
        Self::Auditor,
    ];
    /// The three administrators of 三员分立 (系统管理员, 安全保密管理员, 安全审计员).
    pub const ADMINISTRATORS: [Role; 3] = [Self::Admin, Self::SecurityAdmin, Self::Auditor];
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
            Self::SecurityAdmin => "security_admin",
            Self::Auditor => "auditor",
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
            Self::SecurityAdmin => "安全保密管理员",
            Self::Auditor => "安全审计员",
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
            Self::Admin | Self::SecurityAdmin | Self::Auditor => ScopeKind::All,
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
        self.reads_business_data()
            && !matches!(
                self,
                Self::GridWorker | Self::EnterpriseUser | Self::Insurer
            )
    }
    /// May report a hidden hazard, by hand or by turning an alarm into one (experts advise and
    /// the duty room relays; neither reports).
    pub fn reports_hazards(self) -> bool {
        self.reads_business_data()
            && !matches!(self, Self::Expert | Self::DutyOfficer | Self::Insurer)
    }
    /// 系统管理员: accounts (business roles), regions, departments, configuration and today's
    /// business-data access; not the audit log (三员分立).
    pub fn is_admin(self) -> bool {
        self == Self::Admin
    }
    /// 安全保密管理员: changes other accounts' roles and scopes, unlocks, resets others'
    /// passwords, sets the password/session policy and which roles need a second factor.
    pub fn manages_security(self) -> bool {
        self == Self::SecurityAdmin
    }
    /// 安全审计员: the only role that reads, exports and verifies the audit log.
    pub fn reads_audit(self) -> bool {
        self == Self::Auditor
    }
    /// One of the three administrators of 三员分立.
    pub fn is_administrator(self) -> bool {
        Self::ADMINISTRATORS.contains(&self)
    }
    /// Whether the role sees business records at all: the security administrator and the
    /// auditor see none (their scope resolves to [`Scope::nothing`]), whatever a feature's own
    /// role list says.
    pub fn reads_business_data(self) -> bool {
        !matches!(self, Self::SecurityAdmin | Self::Auditor)
    }
    /// Whether a caller with this role may call `path` at all. Roles that read business data
    /// reach every route (each route decides); the security administrator and the auditor reach
    /// only their own (deny by default, so a route added later does not let them in).
    pub fn reaches(self, method: &str, path: &str) -> bool {
        if self.reads_business_data() {
            return true;
        }
        let read = matches!(method, "GET" | "HEAD");
        let under = |prefix: &str| {
            path == prefix
                || path
                    .strip_prefix(prefix)
                    .is_some_and(|rest| rest.starts_with('/'))
        };
        let common =
            under("/api/v1/auth") || under("/api/v1/security") || (read && under("/api/v1/meta"));
        common
            || match self {
                Self::SecurityAdmin => {
                    under("/api/v1/users")
                        || (read && (under("/api/v1/regions") || under("/api/v1/departments")))
                }
                Self::Auditor => under("/api/v1/audit"),
                _ => false,
            }
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
    /// The scope that matches no record (a region/department-bound role without its unit, and
    /// the security administrator and auditor, who read no business data).
    pub fn nothing() -> Scope {
        Scope::Enterprise {
            enterprise_id: String::new(),
        }
    }
    /// The scope a user of `role` gets from the unit-derived `resolved` scope: the roles that
    /// read no business data get [`Scope::nothing`].
    pub fn for_role(role: Role, resolved: Scope) -> Scope {
        if role.reads_business_data() {
            resolved
        } else {
            Scope::nothing()
        }
    }
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
    /// The scope for reading the organisation (regions, departments): the security
    /// administrator assigns scopes and so reads all of it; everyone else their own scope.
    pub fn for_directory(role: Role, scope: &Scope) -> Scope {
        if role.manages_security() {
            Scope::All
        } else {
            scope.clone()
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
    fn the_security_admin_and_the_auditor_see_no_business_data() {
        for r in [Role::SecurityAdmin, Role::Auditor] {
            assert_eq!(r.scope_kind(), ScopeKind::All);
            assert!(!r.reads_business_data());
            assert_eq!(Scope::for_role(r, Scope::All), Scope::nothing());
            assert!(!Scope::for_role(r, Scope::All).covers_region("3604"));
            assert!(!r.reads_duty_room() && !r.reports_hazards());
            assert!(r.is_administrator() && !r.is_admin());
            assert!(!r.reaches("GET", "/api/v1/enterprises"));
            assert!(!r.reaches("GET", "/api/v1/workbench"));
            assert!(!r.reaches("POST", "/api/v1/regions"));
            assert!(r.reaches("GET", "/api/v1/auth/me"));
        }
        assert!(Role::SecurityAdmin.reaches("GET", "/api/v1/regions"));
        assert!(!Role::Auditor.reaches("GET", "/api/v1/regions"));
        assert_eq!(
            Scope::for_directory(Role::SecurityAdmin, &Scope::nothing()),
            Scope::All
        );
        assert_eq!(
            Scope::for_directory(Role::Auditor, &Scope::nothing()),
            Scope::nothing()
        );
        assert!(Role::SecurityAdmin.reaches("PUT", "/api/v1/users/u1"));
        assert!(!Role::SecurityAdmin.reaches("GET", "/api/v1/audit"));
        assert!(Role::Auditor.reaches("GET", "/api/v1/audit/verify"));
        assert!(!Role::Auditor.reaches("GET", "/api/v1/users"));
        assert!(!Role::Auditor.reaches("GET", "/api/v1/auditx"));
        assert!(Role::Admin.reads_business_data() && Role::Admin.reaches("GET", "/x"));
        assert_eq!(Scope::for_role(Role::Admin, Scope::All), Scope::All);
        assert!(Role::SecurityAdmin.manages_security() && !Role::Admin.manages_security());
        assert!(Role::Auditor.reads_audit() && !Role::Admin.reads_audit());
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
