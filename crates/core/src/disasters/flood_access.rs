//! Who may do what in 防汛与地灾 and 转移: pure role decisions, asked by the store before it
//! reads or writes (the record's region is checked apart, against the caller's scope).

use crate::kernel::role::Role;

/// Keep the 三个责任人 of an object: the roles that register 承灾体.
pub fn may_keep_duty(role: Role) -> bool {
    crate::warning::access::may_register_objects(role)
}

/// File a 巡查 log: the 巡查责任人 / 群测群防员 (grid-worker accounts) and the staff of the area.
pub fn may_file_patrol(role: Role) -> bool {
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

/// Read the duty registers, patrol logs, plans and orders: every role with an area.
pub fn may_read(role: Role) -> bool {
    may_file_patrol(role)
}

/// Keep evacuation plans, issue 转移 and 断禁停撤疏 orders: command, duty, department and street.
pub fn may_command(role: Role) -> bool {
    matches!(
        role,
        Role::Admin
            | Role::Commander
            | Role::DutyOfficer
            | Role::DepartmentStaff
            | Role::StreetStaff
    )
}

/// Record answers (到达 / 拒绝 / 失联) and carry out orders: command roles and grid workers.
pub fn may_answer(role: Role) -> bool {
    may_file_patrol(role)
}

/// Whether an account of role `code` may be named as a duty person (government staff and grid
/// workers; not enterprise users, experts, inspectors or insurers).
pub fn may_hold_duty(code: &str) -> bool {
    Role::parse(code).is_ok_and(may_file_patrol)
}

/// Refused: the role may not do this here.
pub const DENIED: &str = "您没有防汛与转移工作的该项权限";
/// Refused: the record is outside the caller's area.
pub const OUTSIDE: &str = "该记录不在您的管辖范围内";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_roles_patrol_but_do_not_command() {
        assert!(may_file_patrol(Role::GridWorker));
        assert!(!may_command(Role::GridWorker));
        assert!(!may_read(Role::EnterpriseUser));
        assert!(may_command(Role::StreetStaff));
        assert!(may_hold_duty("grid_worker"));
        assert!(!may_hold_duty("enterprise_user"));
    }
}
