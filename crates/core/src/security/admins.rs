//! 三员分立: who may change which account. The 系统管理员 keeps the accounts of business
//! roles (create, name, phone, active); the 安全保密管理员 changes roles and scopes (including
//! assigning or removing the three administrator roles), unlocks and resets others' passwords;
//! the 安全审计员 only reads the audit log. Nobody changes their own role, and the last active
//! holder of an administrator role cannot be removed. The route checks who calls; these
//! functions decide on the change itself (docs/security.md “访问控制与三员分立”, ADR 0029).

use crate::kernel::role::Role;

pub const ONLY_SYSTEM_ADMIN: &str = "仅系统管理员可执行此操作";
pub const ONLY_SECURITY_ADMIN: &str = "仅安全保密管理员可执行此操作";
pub const ONLY_AUDITOR: &str = "仅安全审计员可查看、导出和校验审计日志";
pub const ONLY_ACCOUNT_KEEPERS: &str = "仅系统管理员和安全保密管理员可查看账号";
pub const NOT_FOR_ROLE: &str = "您的角色无权使用此功能";
pub const CREATE_BUSINESS_ONLY: &str =
    "系统管理员只能新增业务角色的账号；三员角色由安全保密管理员分配";
pub const ROLE_CHANGE_IS_SECURITY: &str = "角色和管辖范围的变更由安全保密管理员执行";
pub const ADMIN_ACCOUNTS_ARE_SECURITY: &str = "三员账号由安全保密管理员管理";
pub const NOT_YOURSELF: &str = "不能修改自己的角色或停用自己的账号";
pub const OWN_PASSWORD: &str = "请在“我的账号”中修改自己的密码";

/// The last active holder of an administrator role is kept.
pub fn last_holder(role: Role) -> String {
    format!("不能移除最后一位在用的{}", role.label())
}

/// The parts of an account that a change touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountState {
    pub role: Role,
    /// (region_code, department_id, enterprise_id, insurer_id).
    pub scope: [Option<String>; 4],
    pub active: bool,
}

/// A refusal: the field it names and the message; `forbidden` answers 403, else 400.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub field: &'static str,
    pub message: String,
    pub forbidden: bool,
}

fn refuse(field: &'static str, message: impl Into<String>, forbidden: bool) -> Refusal {
    Refusal {
        field,
        message: message.into(),
        forbidden,
    }
}

/// May `actor` create an account with `role`: the 系统管理员, business roles only.
pub fn may_create(actor: Role, role: Role) -> Result<(), Refusal> {
    if !actor.is_admin() {
        return Err(refuse("role", ONLY_SYSTEM_ADMIN, true));
    }
    if role.is_administrator() {
        return Err(refuse("role", CREATE_BUSINESS_ONLY, true));
    }
    Ok(())
}

/// May `actor` change an account from `before` to `after` (`own`: the actor's own account).
/// `active_holders` is the number of active accounts holding `before.role` (the target
/// included).
pub fn may_update(
    actor: Role,
    own: bool,
    (before, after): (&AccountState, &AccountState),
    active_holders: i64,
) -> Result<(), Refusal> {
    let role_or_scope = before.role != after.role || before.scope != after.scope;
    if own && (before.role != after.role || !after.active) {
        return Err(refuse("role", NOT_YOURSELF, true));
    }
    if actor.is_admin() {
        if before.role.is_administrator() && !own {
            return Err(refuse("role", ADMIN_ACCOUNTS_ARE_SECURITY, true));
        }
        if role_or_scope {
            return Err(refuse("role", ROLE_CHANGE_IS_SECURITY, true));
        }
    } else if !actor.manages_security() {
        return Err(refuse("role", ONLY_SYSTEM_ADMIN, true));
    }
    let leaves = before.active && (before.role != after.role || !after.active);
    if before.role.is_administrator() && leaves && active_holders <= 1 {
        return Err(refuse("role", last_holder(before.role), false));
    }
    Ok(())
}

/// May `actor` reset the password of or unlock another account (`own`: their own).
pub fn may_reset_or_unlock(actor: Role, own: bool) -> Result<(), Refusal> {
    if !actor.manages_security() {
        return Err(refuse("id", ONLY_SECURITY_ADMIN, true));
    }
    if own {
        return Err(refuse("id", OWN_PASSWORD, true));
    }
    Ok(())
}

/// Who reads the account list: the 系统管理员 and the 安全保密管理员.
pub fn reads_accounts(actor: Role) -> bool {
    actor.is_admin() || actor.manages_security()
}

/// The audit summary of a permission change (角色/管辖范围).
pub fn permission_summary(username: &str, before: Role, after: Role) -> String {
    if before == after {
        format!("变更用户“{username}”的管辖范围（{}）", after.label())
    } else {
        format!(
            "变更用户“{username}”的角色：{} → {}",
            before.label(),
            after.label()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(role: Role, region: Option<&str>, active: bool) -> AccountState {
        AccountState {
            role,
            scope: [region.map(str::to_string), None, None, None],
            active,
        }
    }

    #[test]
    fn system_admin_creates_business_accounts_only() {
        assert!(may_create(Role::Admin, Role::GridWorker).is_ok());
        for r in Role::ADMINISTRATORS {
            assert!(may_create(Role::Admin, r).unwrap_err().forbidden);
        }
        for actor in [Role::SecurityAdmin, Role::Auditor, Role::Commander] {
            assert!(may_create(actor, Role::GridWorker).is_err());
        }
    }

    #[test]
    fn role_and_scope_changes_are_the_security_admins() {
        let a = st(Role::GridWorker, Some("1"), true);
        let moved = st(Role::GridWorker, Some("2"), true);
        let promoted = st(Role::StreetStaff, Some("1"), true);
        let off = st(Role::GridWorker, Some("1"), false);
        // The system admin edits name/phone/active of business accounts, nothing else.
        assert!(may_update(Role::Admin, false, (&a, &a), 5).is_ok());
        assert!(may_update(Role::Admin, false, (&a, &off), 5).is_ok());
        assert!(may_update(Role::Admin, false, (&a, &moved), 5).is_err());
        assert!(may_update(Role::Admin, false, (&a, &promoted), 5).is_err());
        let aud = st(Role::Auditor, None, true);
        assert_eq!(
            may_update(Role::Admin, false, (&aud, &aud), 2)
                .unwrap_err()
                .message,
            ADMIN_ACCOUNTS_ARE_SECURITY
        );
        // The security admin changes roles and scopes, admin roles included.
        assert!(may_update(Role::SecurityAdmin, false, (&a, &moved), 5).is_ok());
        assert!(may_update(Role::SecurityAdmin, false, (&a, &aud), 5).is_ok());
        assert!(may_update(Role::SecurityAdmin, false, (&aud, &a), 2).is_ok());
        // The auditor and business roles change nothing.
        assert!(may_update(Role::Auditor, false, (&a, &a), 5).is_err());
        assert!(may_update(Role::Commander, false, (&a, &a), 5).is_err());
    }

    #[test]
    fn nobody_changes_their_own_role_and_the_last_holder_stays() {
        let sec = st(Role::SecurityAdmin, None, true);
        let demoted = st(Role::GridWorker, Some("1"), true);
        let e = may_update(Role::SecurityAdmin, true, (&sec, &demoted), 3).unwrap_err();
        assert_eq!(e.message, NOT_YOURSELF);
        let aud = st(Role::Auditor, None, true);
        let aud_off = st(Role::Auditor, None, false);
        let e = may_update(Role::SecurityAdmin, false, (&aud, &aud_off), 1).unwrap_err();
        assert_eq!(e.message, "不能移除最后一位在用的安全审计员");
        assert!(!e.forbidden);
        assert!(may_update(Role::SecurityAdmin, false, (&aud, &aud_off), 2).is_ok());
        // An inactive last holder may be changed (it holds nothing now).
        assert!(may_update(Role::SecurityAdmin, false, (&aud_off, &demoted), 0).is_ok());
    }

    #[test]
    fn resets_and_unlocks() {
        assert!(may_reset_or_unlock(Role::SecurityAdmin, false).is_ok());
        assert!(may_reset_or_unlock(Role::SecurityAdmin, true).is_err());
        assert!(may_reset_or_unlock(Role::Admin, false).is_err());
        assert!(may_reset_or_unlock(Role::Auditor, false).is_err());
        assert!(reads_accounts(Role::Admin) && reads_accounts(Role::SecurityAdmin));
        assert!(!reads_accounts(Role::Auditor));
    }

    #[test]
    fn permission_wording() {
        assert_eq!(
            permission_summary("zs", Role::GridWorker, Role::Auditor),
            "变更用户“zs”的角色：网格员 → 安全审计员"
        );
        assert_eq!(
            permission_summary("zs", Role::GridWorker, Role::GridWorker),
            "变更用户“zs”的管辖范围（网格员）"
        );
    }
}
