//! Who may do what in warning: pure role decisions, asked by the store before it writes.

use crate::kernel::role::Role;

pub fn may_author_warnings(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::Commander | Role::DutyOfficer | Role::DepartmentStaff
    )
}

pub fn may_approve_warnings(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander)
}
