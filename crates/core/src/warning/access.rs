//! Who may do what in warning: pure role decisions, asked by the store before it writes.

use crate::kernel::role::{Role, Scope};

/// 起草 and 提交审核 a warning: the bureau's command, duty and department staff.
pub fn may_author_warnings(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::Commander | Role::DutyOfficer | Role::DepartmentStaff
    )
}

/// 接收 a CAP message from outside (气象、水利、自然资源 …) through the API: the same staff.
pub fn may_receive_warnings(role: Role) -> bool {
    may_author_warnings(role)
}

/// 审核发布, 退回 and 解除 a warning: administrators and commanders.
pub fn may_approve_warnings(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander)
}

/// Register, edit and pause 预警订阅源 (feeds): administrators, commanders and duty officers.
pub fn may_manage_feeds(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander | Role::DutyOfficer)
}

/// Register, edit and deactivate 承灾体: the roles that manage an area (inside it; the scope is
/// checked apart).
pub fn may_register_objects(role: Role) -> bool {
    matches!(
        role,
        Role::Admin
            | Role::Commander
            | Role::DutyOfficer
            | Role::DepartmentStaff
            | Role::StreetStaff
            | Role::GridWorker
    )
}

/// 叫应 / 反馈 a work order for an object's responsible person who does not: staff of its area.
pub fn may_answer_for_others(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::Commander | Role::DutyOfficer | Role::StreetStaff | Role::GridWorker
    )
}

/// Whether the caller may see a 特殊群体's personal data: administrators, and the grid workers
/// whose grid (scope) holds the object's region.
pub fn sees_personal(scope: &Scope, role: Role, region_code: &str) -> bool {
    match role {
        Role::Admin => true,
        Role::GridWorker => scope
            .region_prefix()
            .is_some_and(|p| region_code.starts_with(p)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(f: fn(Role) -> bool) -> Vec<Role> {
        Role::ALL.into_iter().filter(|r| f(*r)).collect()
    }

    #[test]
    fn authors_of_warnings() {
        assert_eq!(
            allowed(may_author_warnings),
            [
                Role::Admin,
                Role::Commander,
                Role::DepartmentStaff,
                Role::DutyOfficer
            ]
        );
    }

    #[test]
    fn receivers_of_warnings() {
        assert_eq!(
            allowed(may_receive_warnings),
            [
                Role::Admin,
                Role::Commander,
                Role::DepartmentStaff,
                Role::DutyOfficer
            ]
        );
    }

    #[test]
    fn approvers_of_warnings() {
        assert_eq!(
            allowed(may_approve_warnings),
            [Role::Admin, Role::Commander]
        );
    }

    #[test]
    fn feed_managers() {
        assert_eq!(
            allowed(may_manage_feeds),
            [Role::Admin, Role::Commander, Role::DutyOfficer]
        );
    }

    #[test]
    fn object_registrars() {
        assert_eq!(
            allowed(may_register_objects),
            [
                Role::Admin,
                Role::Commander,
                Role::DepartmentStaff,
                Role::StreetStaff,
                Role::GridWorker,
                Role::DutyOfficer
            ]
        );
    }

    #[test]
    fn who_answers_for_others() {
        assert_eq!(
            allowed(may_answer_for_others),
            [
                Role::Admin,
                Role::Commander,
                Role::StreetStaff,
                Role::GridWorker,
                Role::DutyOfficer
            ]
        );
    }

    #[test]
    fn personal_data_by_role_and_grid() {
        let grid = Scope::Region {
            region_code: "360402001001".into(),
            prefix: "360402001001".into(),
        };
        for role in Role::ALL {
            let inside = sees_personal(&grid, role, "360402001001");
            let outside = sees_personal(&grid, role, "360402002001");
            match role {
                Role::Admin => assert!(inside && outside),
                Role::GridWorker => assert!(inside && !outside),
                _ => assert!(!inside && !outside, "{role:?}"),
            }
        }
        assert!(!sees_personal(
            &Scope::All,
            Role::GridWorker,
            "360402001001"
        ));
    }
}
