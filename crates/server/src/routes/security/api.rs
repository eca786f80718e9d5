//! API types of security: request and response shapes with their OpenAPI schemas, converted
//! from and into core's policy and the store's rows (ADR 0021).

use serde::{Deserialize, Serialize};
use yingji_core::security::policy::Policy;

/// 密码与会话策略 (absent fields: the 等保 defaults).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SecurityPolicy {
    /// 密码最短长度 (8–64).
    pub min_length: i64,
    /// 大写、小写、数字、符号中至少几种 (1–4).
    pub min_classes: i64,
    /// 不得与最近几次密码相同 (0–24).
    pub history: i64,
    /// 密码有效期（天），0 为不过期.
    pub max_age_days: i64,
    /// 到期前几天提醒.
    pub warn_days: i64,
    /// 空闲超时（分钟）.
    pub idle_minutes: i64,
    /// 会话最长时间（小时）.
    pub absolute_hours: i64,
    /// 同一账号只允许一个会话.
    pub single_session: bool,
    /// 除管理员外须双因素认证的角色.
    pub second_factor_roles: Vec<String>,
    /// API令牌最长有效期（天）.
    pub token_max_days: i64,
    /// 策略启用前设置的密码须在下次登录时修改.
    pub force_change_legacy: bool,
}

impl Default for SecurityPolicy {
    fn default() -> Self {
        Policy::default().into()
    }
}

impl From<Policy> for SecurityPolicy {
    fn from(p: Policy) -> Self {
        Self {
            min_length: p.min_length,
            min_classes: p.min_classes,
            history: p.history,
            max_age_days: p.max_age_days,
            warn_days: p.warn_days,
            idle_minutes: p.idle_minutes,
            absolute_hours: p.absolute_hours,
            single_session: p.single_session,
            second_factor_roles: p.second_factor_roles,
            token_max_days: p.token_max_days,
            force_change_legacy: p.force_change_legacy,
        }
    }
}

impl From<SecurityPolicy> for Policy {
    fn from(p: SecurityPolicy) -> Self {
        Self {
            min_length: p.min_length,
            min_classes: p.min_classes,
            history: p.history,
            max_age_days: p.max_age_days,
            warn_days: p.warn_days,
            idle_minutes: p.idle_minutes,
            absolute_hours: p.absolute_hours,
            single_session: p.single_session,
            second_factor_roles: p.second_factor_roles,
            token_max_days: p.token_max_days,
            force_change_legacy: p.force_change_legacy,
        }
    }
}

/// The policy in force and its version.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PolicyVersion {
    /// 0: never changed (the defaults).
    pub version: i64,
    pub updated_ms: Option<i64>,
    pub updated_by: Option<String>,
    pub policy: SecurityPolicy,
}

/// The caller's second factor.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FactorStatus {
    /// The policy requires a second factor of the caller's role.
    pub required: bool,
    /// A confirmed TOTP (动态口令).
    pub totp: bool,
    pub recovery_codes_left: i64,
    /// SMS codes can be sent (a mobile number is on the account), masked.
    pub sms_phone: Option<String>,
}

/// A TOTP enrolment: the secret (base32) and the URI an authenticator app scans.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TotpEnrolment {
    pub secret: String,
    pub uri: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeInput {
    pub code: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordInput {
    pub password: String,
}

/// New recovery codes, shown once.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RecoveryCodes {
    pub codes: Vec<String>,
}

/// A login waiting for its second factor.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PendingLogin {
    /// Send back with the code (valid 5 minutes).
    pub pending_token: String,
    /// What the account can use: "totp", "sms", "recovery".
    pub methods: Vec<String>,
    pub expires_ms: i64,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecondStep {
    pub pending_token: String,
    /// "totp", "sms" or "recovery".
    pub method: String,
    pub code: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmsRequest {
    pub pending_token: String,
}
