//! Who may do what in directory: pure role decisions, asked by the store and the use cases.

use crate::kernel::role::Role;

/// The role of an account as stored: roles are checked on write, so a value that no longer
/// parses (a role since removed) gets the least power, 专家 (read-only inside a region).
pub fn stored_role(stored: &str) -> Role {
    Role::parse(stored).unwrap_or(Role::Expert)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stored_role_reads_back_and_unknown_is_expert() {
        for role in Role::ALL {
            assert_eq!(stored_role(role.as_str()), role);
        }
        assert_eq!(stored_role("root"), Role::Expert);
        assert_eq!(stored_role(""), Role::Expert);
    }
}
