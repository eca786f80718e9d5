//! API types of directory::users: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct User {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub phone: Option<String>,
    pub role: String,
    pub role_label: String,
    pub region_code: Option<String>,
    pub department_id: Option<String>,
    pub enterprise_id: Option<String>,
    /// 所属保险机构 (保险机构人员).
    pub insurer_id: Option<String>,
    /// Human description of the scope, e.g. "浔阳区" or "区应急管理局 × 浔阳区".
    pub scope_label: String,
    pub active: bool,
    pub must_change_password: bool,
    pub locked_until_ms: Option<i64>,
    pub created_ms: i64,
    pub updated_ms: i64,
    #[serde(skip)]
    pub password_hash: String,
    #[serde(skip)]
    pub failed_logins: i64,
}

impl From<yingji_store::directory::users::User> for User {
    fn from(v: yingji_store::directory::users::User) -> Self {
        Self {
            id: v.id,
            username: v.username,
            display_name: v.display_name,
            phone: v.phone,
            role: v.role,
            role_label: v.role_label,
            region_code: v.region_code,
            department_id: v.department_id,
            enterprise_id: v.enterprise_id,
            insurer_id: v.insurer_id,
            scope_label: v.scope_label,
            active: v.active,
            must_change_password: v.must_change_password,
            locked_until_ms: v.locked_until_ms,
            created_ms: v.created_ms,
            updated_ms: v.updated_ms,
            password_hash: v.password_hash,
            failed_logins: v.failed_logins,
        }
    }
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    #[serde(default)]
    pub phone: Option<String>,
    pub role: String,
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub department_id: Option<String>,
    #[serde(default)]
    pub enterprise_id: Option<String>,
    /// 所属保险机构 (保险机构人员 only).
    #[serde(default)]
    pub insurer_id: Option<String>,
    #[serde(default)]
    pub active: Option<bool>,
}

impl From<UserInput> for yingji_store::directory::users::UserInput {
    fn from(v: UserInput) -> Self {
        Self {
            username: v.username,
            display_name: v.display_name,
            phone: v.phone,
            role: v.role,
            region_code: v.region_code,
            department_id: v.department_id,
            enterprise_id: v.enterprise_id,
            insurer_id: v.insurer_id,
            active: v.active,
        }
    }
}
