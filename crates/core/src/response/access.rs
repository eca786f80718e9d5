//! Who may do what in response: pure role decisions, asked by the store before it writes.

use crate::kernel::role::Role;

pub fn may_keep_duty(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander | Role::DutyOfficer)
}

pub fn may_investigate(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::Commander | Role::DutyOfficer | Role::DepartmentStaff
    )
}

pub fn may_record_incidents(role: Role) -> bool {
    !matches!(role, Role::Expert)
}

pub fn may_command(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander | Role::DutyOfficer)
}

pub fn may_edit_plans(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander | Role::DepartmentStaff)
}

pub fn may_dispatch(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander | Role::DutyOfficer)
}
