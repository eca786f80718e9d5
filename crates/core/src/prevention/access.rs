//! Who may do what in prevention: pure role decisions, asked by the store before it writes.

use crate::kernel::role::Role;

/// Who may register, edit and deactivate risk points (each inside what they see).
pub fn may_write_risk_points(role: Role) -> bool {
    matches!(
        role,
        Role::Admin
            | Role::Commander
            | Role::DepartmentStaff
            | Role::StreetStaff
            | Role::GridWorker
            | Role::EnterpriseUser
    )
}

/// Who may change the district's rules (a new version): administrators and bureau leadership.
pub fn may_change_rules(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander)
}

/// Who may register a public (城市) risk source, one no enterprise owns.
pub fn may_register_public_risk_sources(role: Role) -> bool {
    matches!(
        role,
        Role::Admin
            | Role::Commander
            | Role::DepartmentStaff
            | Role::StreetStaff
            | Role::GridWorker
    )
}

/// Who may register a major hazard source (重大危险源).
pub fn may_register_major_hazards(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::Commander | Role::DepartmentStaff | Role::EnterpriseUser
    )
}

/// The hazard source a role registers when it names none.
pub fn default_hazard_source(role: Role) -> &'static str {
    match role {
        Role::EnterpriseUser => "self_check",
        Role::DepartmentStaff | Role::Inspector | Role::Admin | Role::Commander => "inspection",
        _ => "grid_patrol",
    }
}

/// The hazard sources (自查、检查、网格巡查、事故调查) a role may register a hazard under.
pub fn allowed_hazard_sources(role: Role) -> &'static [&'static str] {
    match role {
        Role::EnterpriseUser => &["self_check"],
        Role::DepartmentStaff | Role::Inspector => &["inspection", "accident_investigation"],
        Role::GridWorker | Role::StreetStaff => &["grid_patrol"],
        Role::Admin | Role::Commander => &[
            "inspection",
            "grid_patrol",
            "self_check",
            "accident_investigation",
        ],
        _ => &["grid_patrol"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(f: fn(Role) -> bool) -> Vec<Role> {
        Role::ALL.into_iter().filter(|r| f(*r)).collect()
    }

    #[test]
    fn rule_changers() {
        assert_eq!(allowed(may_change_rules), [Role::Admin, Role::Commander]);
    }

    #[test]
    fn risk_point_writers() {
        assert_eq!(
            allowed(may_write_risk_points),
            [
                Role::Admin,
                Role::Commander,
                Role::DepartmentStaff,
                Role::StreetStaff,
                Role::GridWorker,
                Role::EnterpriseUser
            ]
        );
    }

    #[test]
    fn public_risk_source_registrars() {
        assert_eq!(
            allowed(may_register_public_risk_sources),
            [
                Role::Admin,
                Role::Commander,
                Role::DepartmentStaff,
                Role::StreetStaff,
                Role::GridWorker
            ]
        );
    }

    #[test]
    fn major_hazard_registrars() {
        assert_eq!(
            allowed(may_register_major_hazards),
            [
                Role::Admin,
                Role::Commander,
                Role::DepartmentStaff,
                Role::EnterpriseUser
            ]
        );
    }

    #[test]
    fn default_sources() {
        let got: Vec<_> = Role::ALL.map(default_hazard_source).to_vec();
        assert_eq!(
            got,
            [
                "inspection",  // Admin
                "inspection",  // Commander
                "inspection",  // DepartmentStaff
                "grid_patrol", // StreetStaff
                "grid_patrol", // GridWorker
                "grid_patrol", // DutyOfficer
                "self_check",  // EnterpriseUser
                "grid_patrol", // Expert
                "inspection",  // Inspector
                "grid_patrol", // LegalReviewer
                "grid_patrol", // Insurer (reports none: Role::reports_hazards)
                "grid_patrol", // SecurityAdmin (reports none)
                "grid_patrol", // Auditor (reports none)
            ]
        );
    }

    #[test]
    fn allowed_sources_per_role() {
        let all: &[&str] = &[
            "inspection",
            "grid_patrol",
            "self_check",
            "accident_investigation",
        ];
        let got: Vec<_> = Role::ALL.map(allowed_hazard_sources).to_vec();
        assert_eq!(
            got,
            [
                all,                                           // Admin
                all,                                           // Commander
                &["inspection", "accident_investigation"][..], // DepartmentStaff
                &["grid_patrol"][..],                          // StreetStaff
                &["grid_patrol"][..],                          // GridWorker
                &["grid_patrol"][..],                          // DutyOfficer
                &["self_check"][..],                           // EnterpriseUser
                &["grid_patrol"][..],                          // Expert
                &["inspection", "accident_investigation"][..], // Inspector
                &["grid_patrol"][..],                          // LegalReviewer
                &["grid_patrol"][..],                          // Insurer (reports none)
                &["grid_patrol"][..],                          // SecurityAdmin (reports none)
                &["grid_patrol"][..],                          // Auditor (reports none)
            ]
        );
        // Every role's default source is one it may use.
        for r in Role::ALL {
            assert!(allowed_hazard_sources(r).contains(&default_hazard_source(r)));
        }
    }
}
