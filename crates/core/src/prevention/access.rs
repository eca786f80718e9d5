//! Who may do what in prevention: pure role decisions, asked by the store before it writes.

use crate::kernel::role::Role;

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
