//! One error type for every handler, and its HTTP mapping.
//!
//! Policy: `code` is stable English for programs, `message` is Chinese for people and names the
//! field where there is one, `details` carries per-field or per-row errors. Internal errors are
//! logged with their cause and answered with a generic message: database text never leaks.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use yingji_store::StoreError;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub details: Option<serde_json::Value>,
    /// Seconds for a `Retry-After` header (429 replies).
    pub retry_after_s: Option<i64>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            details: None,
            retry_after_s: None,
        }
    }
    /// 429 with `Retry-After`.
    pub fn rate_limited(message: impl Into<String>, retry_after_s: i64) -> Self {
        let mut e = Self::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", message);
        e.retry_after_s = Some(retry_after_s.max(1));
        e
    }
    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_input", message)
    }
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::bad_request(message.clone())
            .with_details(serde_json::json!([{"field": field, "message": message}]))
    }
    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", "请先登录")
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "记录不存在或您无权访问")
    }
    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "服务器内部错误，请稍后再试或联系管理员",
        )
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::not_found(),
            StoreError::Conflict { field, message } => {
                Self::new(StatusCode::CONFLICT, "conflict", message.clone())
                    .with_details(serde_json::json!([{"field": field, "message": message}]))
            }
            StoreError::Invalid(inv) => Self::bad_request(inv.summary())
                .with_details(serde_json::to_value(&inv.0).unwrap_or_default()),
            StoreError::Forbidden(m) => Self::forbidden(m),
            StoreError::Db(yingji_store::sqlx::Error::Database(db)) if db.is_unique_violation() => {
                Self::new(
                    StatusCode::CONFLICT,
                    "conflict",
                    "记录已存在（唯一性冲突），请检查后重试",
                )
            }
            StoreError::Db(yingji_store::sqlx::Error::Database(db))
                if db.is_foreign_key_violation() =>
            {
                Self::new(
                    StatusCode::CONFLICT,
                    "conflict",
                    "该记录仍被其他数据引用，不能删除或修改",
                )
            }
            StoreError::Db(e) => Self::internal(e),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            code: self.code.to_string(),
            message: self.message,
            details: self.details,
        };
        let mut resp = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after_s {
            resp.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(secs),
            );
        }
        if self.status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                "www-authenticate",
                axum::http::HeaderValue::from_static("Bearer realm=\"yingji\""),
            );
        }
        resp
    }
}
