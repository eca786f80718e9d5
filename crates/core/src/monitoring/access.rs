//! Who may do what in monitoring: pure role decisions, asked by the store before it writes.

use crate::kernel::role::Role;

pub fn may_manage_channels(role: Role) -> bool {
    matches!(
        role,
        Role::Admin
            | Role::Commander
            | Role::DepartmentStaff
            | Role::StreetStaff
            | Role::EnterpriseUser
    )
}

pub fn may_manage_gateways(role: Role) -> bool {
    matches!(
        role,
        Role::Admin
            | Role::Commander
            | Role::DepartmentStaff
            | Role::StreetStaff
            | Role::EnterpriseUser
    )
}
