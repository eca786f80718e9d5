//! 用户: the input of an account, its check (role and the scope it must be given), and the
//! wording of the audit records of accounts and sessions.

use crate::kernel::role::{Role, ScopeKind};
use crate::kernel::validation::{self as v, Errors, Invalid};

#[derive(Debug, Clone)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub role: String,
    pub region_code: Option<String>,
    pub department_id: Option<String>,
    pub enterprise_id: Option<String>,
    /// 所属保险机构 (保险机构人员 only).
    pub insurer_id: Option<String>,
    pub active: Option<bool>,
}

/// A user input that passed [`check_user`] and [`UserDraft::finish`]: the scope fields the role
/// does not use are cleared.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedUser {
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub role: Role,
    pub region_code: Option<String>,
    pub department_id: Option<String>,
    pub enterprise_id: Option<String>,
    pub insurer_id: Option<String>,
}

/// The checked fields and the errors so far; the store adds the errors of references that do
/// not exist ([`UserDraft::missing_reference`]) before [`UserDraft::finish`].
#[derive(Debug)]
pub struct UserDraft {
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub role: Option<Role>,
    pub region_code: Option<String>,
    pub department_id: Option<String>,
    pub enterprise_id: Option<String>,
    pub insurer_id: Option<String>,
    errors: Errors,
}

impl UserDraft {
    /// The references to look up: (field, table, key column, value).
    pub fn references(&self) -> Vec<(&'static str, &'static str, &'static str, &str)> {
        [
            ("region_code", "regions", "code", &self.region_code),
            ("department_id", "departments", "id", &self.department_id),
            ("enterprise_id", "enterprises", "id", &self.enterprise_id),
            ("insurer_id", "credit_insurers", "id", &self.insurer_id),
        ]
        .into_iter()
        .filter_map(|(f, t, k, v)| v.as_deref().map(|v| (f, t, k, v)))
        .collect()
    }

    /// 所属区划/部门/企业 “…” does not exist.
    pub fn missing_reference(&mut self, field: &str, value: &str) {
        let label = match field {
            "region_code" => "区划",
            "department_id" => "部门",
            "insurer_id" => "保险机构",
            _ => "企业",
        };
        self.errors
            .add(field, format!("所属{label}“{value}”不存在"));
    }

    pub fn finish(self) -> Result<CheckedUser, Invalid> {
        match (self.role, self.errors.is_empty()) {
            (Some(role), true) => Ok(CheckedUser {
                username: self.username,
                display_name: self.display_name,
                phone: self.phone,
                role,
                region_code: self.region_code,
                department_id: self.department_id,
                enterprise_id: self.enterprise_id,
                insurer_id: self.insurer_id,
            }),
            _ => Err(self.errors.into_invalid()),
        }
    }
}

/// 用户名, 姓名, 手机号, a known role, and the one scope field the role needs (区划, 部门 or
/// 企业); the others are cleared.
pub fn check_user(input: &UserInput) -> UserDraft {
    let mut e = Errors::default();
    let username = e
        .check("username", v::username(&input.username))
        .unwrap_or_default();
    let display_name = e
        .check(
            "display_name",
            v::required_text("姓名", &input.display_name, 50),
        )
        .unwrap_or_default();
    let phone = e
        .check(
            "phone",
            v::phone("手机号", input.phone.as_deref().unwrap_or("")),
        )
        .flatten();
    let role = e.check("role", Role::parse(input.role.trim()));
    let clean = |o: &Option<String>| {
        o.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let (mut region_code, mut department_id, mut enterprise_id) = (
        clean(&input.region_code),
        clean(&input.department_id),
        clean(&input.enterprise_id),
    );
    let mut insurer_id = clean(&input.insurer_id);
    if role.is_some_and(|r| r.scope_kind() != ScopeKind::Insurer) {
        insurer_id = None;
    }
    if let Some(role) = role {
        match role.scope_kind() {
            ScopeKind::All => (region_code, department_id, enterprise_id) = (None, None, None),
            ScopeKind::Region => {
                (department_id, enterprise_id) = (None, None);
                if region_code.is_none() {
                    e.add("region_code", format!("{}须指定所属区划", role.label()));
                }
            }
            ScopeKind::Department => {
                enterprise_id = None;
                if department_id.is_none() {
                    e.add("department_id", format!("{}须指定所属部门", role.label()));
                }
            }
            ScopeKind::Enterprise => {
                (region_code, department_id) = (None, None);
                if enterprise_id.is_none() {
                    e.add("enterprise_id", "企业用户须指定所属企业");
                }
            }
            ScopeKind::Insurer => {
                (region_code, department_id, enterprise_id) = (None, None, None);
                if insurer_id.is_none() {
                    e.add("insurer_id", "保险机构人员须指定所属保险机构");
                }
            }
        }
    }
    UserDraft {
        username,
        display_name,
        phone,
        role,
        region_code,
        department_id,
        enterprise_id,
        insurer_id,
        errors: e,
    }
}

/// How a user's scope reads, e.g. "浔阳区" or "区应急管理局 × 浔阳区"; empty for an unknown role.
pub fn scope_label(
    kind: Option<ScopeKind>,
    region_name: Option<String>,
    department_name: Option<String>,
    enterprise_name: Option<String>,
    insurer_name: Option<String>,
) -> String {
    match kind {
        Some(ScopeKind::All) => "全部".to_string(),
        Some(ScopeKind::Region) => region_name.unwrap_or_default(),
        Some(ScopeKind::Department) => format!(
            "{} × {}",
            department_name.unwrap_or_default(),
            region_name.unwrap_or_else(|| "部门辖区".into())
        ),
        Some(ScopeKind::Enterprise) => enterprise_name.unwrap_or_default(),
        Some(ScopeKind::Insurer) => insurer_name.unwrap_or_default(),
        None => String::new(),
    }
}

/// A user name is given once.
pub const USERNAME_FIXED: &str = "用户名不能修改";

/// Another account has this user name.
pub fn username_taken(username: &str) -> String {
    format!("用户名“{username}”已存在")
}

/// Who sets a password: the user, changing their own, or someone resetting it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordSetter {
    /// 修改密码: the user, knowing the old one.
    Own,
    /// 重置密码: an administrator.
    Administrator,
    /// 重置密码 on the command line.
    CommandLine,
}

impl PasswordSetter {
    /// A password someone else set must be changed at the next login.
    pub fn must_change(self) -> bool {
        self != Self::Own
    }

    /// Audit summary of the new password of `username`.
    pub fn summary(self, username: &str) -> String {
        match self {
            Self::Own => format!("用户“{username}”修改密码"),
            Self::Administrator => format!("重置用户“{username}”的密码"),
            Self::CommandLine => format!("命令行重置用户“{username}”的密码"),
        }
    }
}

pub fn created_summary(username: &str, role: Role) -> String {
    format!("新增用户“{username}”（{}）", role.label())
}

pub fn updated_summary(username: &str) -> String {
    format!("修改用户“{username}”")
}

pub fn login_summary(username: &str) -> String {
    format!("用户“{username}”登录")
}

pub fn logout_summary(username: &str) -> String {
    format!("用户“{username}”退出登录")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(role: &str) -> UserInput {
        UserInput {
            username: " zhang.san ".into(),
            display_name: "张三".into(),
            phone: None,
            role: role.into(),
            region_code: Some("360402".into()),
            department_id: Some(" ".into()),
            enterprise_id: Some("e1".into()),
            insurer_id: None,
            active: None,
        }
    }

    #[test]
    fn clears_what_the_role_does_not_use() {
        let d = check_user(&input("grid_worker"));
        assert_eq!(
            d.references(),
            [("region_code", "regions", "code", "360402")]
        );
        let c = d.finish().unwrap();
        assert_eq!(c.username, "zhang.san");
        assert_eq!((c.department_id, c.enterprise_id), (None, None));
        let c = check_user(&input("admin")).finish().unwrap();
        assert_eq!(c.region_code, None);
    }

    #[test]
    fn names_what_is_missing() {
        let d = check_user(&input("department_staff"));
        let e = d.finish().unwrap_err();
        assert_eq!(e.summary(), "部门人员须指定所属部门");
        let mut d = check_user(&input("enterprise_user"));
        d.missing_reference("enterprise_id", "e1");
        assert_eq!(d.finish().unwrap_err().summary(), "所属企业“e1”不存在");
        assert_eq!(
            check_user(&input("root")).finish().unwrap_err().summary(),
            "角色“root”无效"
        );
    }

    #[test]
    fn scope_labels() {
        let n = |s: &str| Some(s.to_string());
        assert_eq!(
            scope_label(Some(ScopeKind::All), None, None, None, None),
            "全部"
        );
        assert_eq!(
            scope_label(Some(ScopeKind::Department), None, n("安监科"), None, None),
            "安监科 × 部门辖区"
        );
        assert_eq!(
            scope_label(Some(ScopeKind::Region), n("浔阳区"), None, None, None),
            "浔阳区"
        );
        assert_eq!(scope_label(None, n("浔阳区"), None, None, None), "");
    }

    #[test]
    fn wording() {
        assert_eq!(
            created_summary("zs", Role::GridWorker),
            "新增用户“zs”（网格员）"
        );
        assert_eq!(logout_summary("zs"), "用户“zs”退出登录");
        assert_eq!(username_taken("zs"), "用户名“zs”已存在");
        assert_eq!(PasswordSetter::Own.summary("zs"), "用户“zs”修改密码");
        assert_eq!(
            PasswordSetter::Administrator.summary("zs"),
            "重置用户“zs”的密码"
        );
        assert_eq!(
            PasswordSetter::CommandLine.summary("zs"),
            "命令行重置用户“zs”的密码"
        );
        assert!(!PasswordSetter::Own.must_change());
        assert!(PasswordSetter::Administrator.must_change());
        assert!(PasswordSetter::CommandLine.must_change());
    }
}
