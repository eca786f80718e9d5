//! 用户管理 (administrators).

use crate::AppState;
use crate::auth::hash_password_blocking;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Caller};
use crate::routes::ListResponse;
use crate::routes::directory::api::users::User;
use crate::routes::directory::api::users::UserInput;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use yingji_app::directory::{logins, users as use_cases};
use yingji_core::directory::user::PasswordSetter;
use yingji_core::security::admins;
use yingji_store::Page;
use yingji_store::directory::users;
use yingji_store::directory::users::UserFilter;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserQuery {
    pub q: Option<String>,
    pub role: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// The 系统管理员 and the 安全保密管理员 read accounts (三员分立).
fn require_account_reader(caller: &Caller) -> Result<(), ApiError> {
    if admins::reads_accounts(caller.role()) {
        Ok(())
    } else {
        Err(ApiError::forbidden(admins::ONLY_ACCOUNT_KEEPERS))
    }
}

/// 用户列表.
#[utoipa::path(get, path = "/api/v1/users", tag = "用户", params(UserQuery), responses((status = 200, body = ListResponse<User>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<UserQuery>,
) -> ApiResult<Json<ListResponse<User>>> {
    require_account_reader(&caller)?;
    let (items, total) = users::list(
        &app.store,
        &UserFilter {
            q: q.q,
            role: q.role,
        },
        Page::new(q.page, q.page_size),
    )
    .await?;
    Ok(Json(ListResponse {
        items: items.into_iter().map(Into::into).collect(),
        total,
    }))
}

/// 用户详情.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "用户", params(("id" = String, Path)), responses((status = 200, body = User)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<User>> {
    if caller.user.id != id {
        require_account_reader(&caller)?;
    }
    Ok(Json(users::by_id(&app.store, &id).await?.into()))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NewUser {
    #[serde(flatten)]
    pub user: UserInput,
    /// Initial password; the user must change it at first login.
    pub password: String,
}

/// 新增用户.
#[utoipa::path(post, path = "/api/v1/users", tag = "用户", request_body = NewUser, responses((status = 201, body = User), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<serde_json::Value>,
) -> ApiResult<(StatusCode, Json<User>)> {
    caller.require_admin()?;
    // `flatten` and `deny_unknown_fields` do not mix in serde, so the password is split off by hand.
    let mut obj = input;
    let password = obj
        .as_object_mut()
        .and_then(|o| o.remove("password"))
        .and_then(|p| p.as_str().map(str::to_string))
        .ok_or_else(|| ApiError::field("password", "缺少必填字段“password”（初始密码）"))?;
    let user: UserInput = serde_path_to_error::deserialize(obj).map_err(|e| {
        let path = e.path().to_string();
        ApiError::field(
            &path,
            crate::extract::describe_serde_error(&path, &e.inner().to_string()),
        )
    })?;
    if let Ok(role) = yingji_core::kernel::role::Role::parse(user.role.trim()) {
        admins::may_create(caller.role(), role).map_err(use_cases::refused)?;
    }
    let policy = crate::routes::security::policy::current(&app).await?;
    yingji_core::security::policy::check_password(&policy, &user.username, &password)
        .map_err(|m| ApiError::field("password", m))?;
    let hash = hash_password_blocking(password).await?;
    let now = app.clock.now_ms();
    let u = use_cases::create(&app.store, now, &caller.actor(), &user.into(), &hash, true).await?;
    Ok((StatusCode::CREATED, Json(u.into())))
}

/// 修改用户 (role, scope, active); the user's sessions end.
#[utoipa::path(put, path = "/api/v1/users/{id}", tag = "用户", params(("id" = String, Path)), request_body = UserInput, responses((status = 200, body = User)))]
pub async fn update(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<UserInput>,
) -> ApiResult<Json<User>> {
    if !admins::reads_accounts(caller.role()) {
        return Err(ApiError::forbidden(admins::ONLY_SYSTEM_ADMIN));
    }
    Ok(Json(
        use_cases::update(
            &app.store,
            app.clock.now_ms(),
            (caller.role(), &caller.actor()),
            &id,
            &input.into(),
        )
        .await?
        .into(),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    pub new_password: String,
}

/// 重置密码: the user must change it at next login; their sessions end.
#[utoipa::path(post, path = "/api/v1/users/{id}/password", tag = "用户", params(("id" = String, Path)), request_body = PasswordReset, responses((status = 204)))]
pub async fn reset_password(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(req): ApiJson<PasswordReset>,
) -> ApiResult<StatusCode> {
    admins::may_reset_or_unlock(caller.role(), id == caller.user.id).map_err(use_cases::refused)?;
    let target = users::by_id(&app.store, &id).await?;
    let policy = crate::routes::security::policy::current(&app).await?;
    yingji_core::security::policy::check_password(&policy, &target.username, &req.new_password)
        .map_err(|m| ApiError::field("new_password", m))?;
    let hash = hash_password_blocking(req.new_password).await?;
    use_cases::set_password(
        &app.store,
        app.clock.now_ms(),
        &caller.actor(),
        &target,
        &hash,
        PasswordSetter::Administrator,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 解除登录锁定: clears the failed-login counts of every address for the account.
#[utoipa::path(post, path = "/api/v1/users/{id}/unlock", tag = "用户", params(("id" = String, Path)), responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn unlock(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    admins::may_reset_or_unlock(caller.role(), id == caller.user.id).map_err(use_cases::refused)?;
    logins::unlock(&app.store, app.clock.now_ms(), &caller.actor(), &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
