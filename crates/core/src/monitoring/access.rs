//! Who may do what in monitoring: pure role decisions, asked by the store before it writes.

use crate::kernel::role::Role;

/// Who may register, edit and deactivate notification channels (each inside what they see).
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

/// Who may register a department's notification channel.
pub fn may_register_department_channels(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander | Role::DepartmentStaff)
}

/// Who may register, edit and deactivate gateways (each inside what they see).
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

/// Who may register, edit and deactivate sensors (each inside what they see).
pub fn may_write_sensors(role: Role) -> bool {
    matches!(
        role,
        Role::Admin
            | Role::Commander
            | Role::DepartmentStaff
            | Role::StreetStaff
            | Role::EnterpriseUser
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed(f: fn(Role) -> bool) -> Vec<Role> {
        Role::ALL.into_iter().filter(|r| f(*r)).collect()
    }

    const OWNERS: [Role; 5] = [
        Role::Admin,
        Role::Commander,
        Role::DepartmentStaff,
        Role::StreetStaff,
        Role::EnterpriseUser,
    ];

    #[test]
    fn channel_managers() {
        assert_eq!(allowed(may_manage_channels), OWNERS);
    }

    #[test]
    fn department_channel_registrars() {
        assert_eq!(
            allowed(may_register_department_channels),
            [Role::Admin, Role::Commander, Role::DepartmentStaff]
        );
    }

    #[test]
    fn gateway_managers() {
        assert_eq!(allowed(may_manage_gateways), OWNERS);
    }

    #[test]
    fn sensor_writers() {
        assert_eq!(allowed(may_write_sensors), OWNERS);
    }
}
