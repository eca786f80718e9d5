//! Who may do what in resources: pure role decisions, asked by the store before it writes.

use crate::kernel::role::Role;

pub fn may_manage_resources(role: Role) -> bool {
    matches!(
        role,
        Role::Admin
            | Role::Commander
            | Role::DutyOfficer
            | Role::DepartmentStaff
            | Role::StreetStaff
    )
}

pub fn may_approve_allocations(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander)
}
