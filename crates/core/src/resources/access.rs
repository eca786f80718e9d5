//! Who may do what in resources: pure role decisions, asked by the store before it writes.

use super::OrderAction;
use crate::kernel::role::Role;

/// May add, edit and take out teams, experts, warehouses, stock and shelters, and request
/// allocations.
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

/// May approve or reject an allocation request: bureau leaders and administrators.
pub fn may_approve_allocations(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander)
}

/// May take a step on an allocation order: 审批 and 驳回 are the leaders', the others (出库, 签收,
/// 撤销) every resource manager's.
pub fn may_take_order_step(role: Role, action: OrderAction) -> bool {
    match action {
        OrderAction::Approve | OrderAction::Reject => may_approve_allocations(role),
        OrderAction::Ship | OrderAction::Receive | OrderAction::Cancel => {
            may_manage_resources(role)
        }
    }
}

/// May change a register (停用/启用 a row): everyone but inspectors, who only read them.
/// The register's own rules (scope, sensor and object roles) apply on top.
pub fn may_edit_registers(role: Role) -> bool {
    role.reads_business_data() && !matches!(role, Role::Inspector | Role::Insurer)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks `may` against the roles that must be allowed, over every role.
    fn allows_exactly(may: fn(Role) -> bool, allowed: &[Role]) {
        for role in Role::ALL {
            assert_eq!(may(role), allowed.contains(&role), "{role:?}");
        }
    }

    #[test]
    fn resources_are_managed_by_bureau_department_and_street_staff() {
        allows_exactly(
            may_manage_resources,
            &[
                Role::Admin,
                Role::Commander,
                Role::DutyOfficer,
                Role::DepartmentStaff,
                Role::StreetStaff,
            ],
        );
    }

    #[test]
    fn only_leaders_approve_allocations() {
        allows_exactly(may_approve_allocations, &[Role::Admin, Role::Commander]);
    }

    #[test]
    fn everyone_but_inspectors_and_insurers_edits_registers() {
        let allowed: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.reads_business_data() && !matches!(r, Role::Inspector | Role::Insurer))
            .collect();
        allows_exactly(may_edit_registers, &allowed);
    }

    #[test]
    fn order_steps_are_the_leaders_or_the_managers() {
        let leaders = [Role::Admin, Role::Commander];
        let managers = [
            Role::Admin,
            Role::Commander,
            Role::DutyOfficer,
            Role::DepartmentStaff,
            Role::StreetStaff,
        ];
        for (action, allowed) in [
            (OrderAction::Approve, &leaders[..]),
            (OrderAction::Reject, &leaders[..]),
            (OrderAction::Ship, &managers[..]),
            (OrderAction::Receive, &managers[..]),
            (OrderAction::Cancel, &managers[..]),
        ] {
            for role in Role::ALL {
                assert_eq!(
                    may_take_order_step(role, action),
                    allowed.contains(&role),
                    "{action:?} {role:?}"
                );
            }
        }
    }
}
