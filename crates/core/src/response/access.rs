//! Who may do what in response: pure role decisions, asked by the store before it writes.

use crate::kernel::role::Role;

/// May keep the duty room: set the roster and write the duty log.
pub fn may_keep_duty(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander | Role::DutyOfficer)
}

/// May start, edit and submit an accident investigation and its follow-ups.
pub fn may_investigate(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::Commander | Role::DutyOfficer | Role::DepartmentStaff
    )
}

/// May approve (批复) an investigation report: bureau leaders and administrators.
pub fn may_approve_investigations(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander)
}

/// May record incidents and their reports (experts advise, they do not record).
pub fn may_record_incidents(role: Role) -> bool {
    role.reads_business_data() && !matches!(role, Role::Expert | Role::Insurer)
}

/// May command an incident: grade it, start a response, close it.
pub fn may_command(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander | Role::DutyOfficer)
}

/// May write emergency plans.
pub fn may_edit_plans(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander | Role::DepartmentStaff)
}

/// May update a response task (处置任务) of an incident.
pub fn may_update_tasks(role: Role) -> bool {
    matches!(
        role,
        Role::Admin
            | Role::Commander
            | Role::DutyOfficer
            | Role::DepartmentStaff
            | Role::StreetStaff
    )
}

/// May dispatch teams and experts to an incident.
pub fn may_dispatch(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander | Role::DutyOfficer)
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

    const DUTY_ROOM: [Role; 3] = [Role::Admin, Role::Commander, Role::DutyOfficer];

    #[test]
    fn duty_is_kept_by_the_duty_room() {
        allows_exactly(may_keep_duty, &DUTY_ROOM);
    }

    #[test]
    fn investigators_are_bureau_and_department_staff() {
        allows_exactly(
            may_investigate,
            &[
                Role::Admin,
                Role::Commander,
                Role::DutyOfficer,
                Role::DepartmentStaff,
            ],
        );
    }

    #[test]
    fn only_leaders_approve_investigations() {
        allows_exactly(may_approve_investigations, &[Role::Admin, Role::Commander]);
    }

    #[test]
    fn everyone_but_experts_and_insurers_records_incidents() {
        let allowed: Vec<Role> = Role::ALL
            .into_iter()
            .filter(|r| r.reads_business_data() && !matches!(r, Role::Expert | Role::Insurer))
            .collect();
        allows_exactly(may_record_incidents, &allowed);
    }

    #[test]
    fn the_duty_room_commands() {
        allows_exactly(may_command, &DUTY_ROOM);
    }

    #[test]
    fn plans_are_edited_by_leaders_and_departments() {
        allows_exactly(
            may_edit_plans,
            &[Role::Admin, Role::Commander, Role::DepartmentStaff],
        );
    }

    #[test]
    fn tasks_are_updated_by_bureau_department_and_street_staff() {
        allows_exactly(
            may_update_tasks,
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
    fn the_duty_room_dispatches() {
        allows_exactly(may_dispatch, &DUTY_ROOM);
    }
}
