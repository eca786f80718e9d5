//! The `Idempotency-Key` header of the writes a phone may send again (ADR 0023).

/// A client-generated key (8–100 letters, digits, `-`, `_`, `.`, `:`; a UUID fits), unique per
/// submission. Sent again with the same key, the write is not repeated: the answer is the record
/// the first submission wrote (as it reads now).
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IdempotencyHeader {
    /// 客户端生成的幂等键：同一键重复提交只记录一次，返回首次提交的记录。
    #[param(rename = "Idempotency-Key")]
    pub idempotency_key: Option<String>,
}
