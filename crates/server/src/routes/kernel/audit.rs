//! 审计日志 (administrators).

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiQuery, Caller};
use crate::routes::ListResponse;
use crate::routes::kernel::api::audit::VerifyReport;
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use yingji_app::security::access_log;
use yingji_core::kernel::audit_action::{entity_label, label as action_label};
use yingji_core::kernel::clock::{parse_instant, to_rfc3339};
use yingji_core::security::audit_events as words;
use yingji_store::Page;
use yingji_store::kernel::audit;
use yingji_store::kernel::audit::AuditFilter;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// User name or id.
    pub actor: Option<String>,
    pub action: Option<String>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// RFC 3339 or a date (Asia/Shanghai), inclusive.
    pub from: Option<String>,
    /// RFC 3339 or a date (Asia/Shanghai), exclusive.
    pub to: Option<String>,
    /// Summary contains.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEntry {
    #[serde(flatten)]
    pub record: yingji_core::kernel::audit::AuditRecord,
    /// `at_ms` as RFC 3339 in Asia/Shanghai.
    pub at: String,
    /// The action in words (新建突发事件).
    pub action_label: String,
    /// The entity type in words (突发事件).
    pub entity_label: String,
}

impl AuditQuery {
    /// The query's conditions in words, for the audit record of the read.
    fn words(&self) -> String {
        words::audit_query_words(&[
            ("操作人", self.actor.as_deref()),
            ("操作", self.action.as_deref()),
            ("对象类型", self.entity_type.as_deref()),
            ("对象", self.entity_id.as_deref()),
            ("起", self.from.as_deref()),
            ("止", self.to.as_deref()),
            ("摘要含", self.q.as_deref()),
        ])
    }

    pub fn filter(&self) -> ApiResult<AuditFilter> {
        let from_ms = self
            .from
            .as_deref()
            .map(parse_instant)
            .transpose()
            .map_err(|m| ApiError::field("from", m))?;
        let to_ms = self
            .to
            .as_deref()
            .map(parse_instant)
            .transpose()
            .map_err(|m| ApiError::field("to", m))?;
        Ok(AuditFilter {
            actor: self.actor.clone(),
            action: self.action.clone(),
            entity_type: self.entity_type.clone(),
            entity_id: self.entity_id.clone(),
            from_ms,
            to_ms,
            q: self.q.clone(),
        })
    }
}

/// 审计日志列表, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "审计", params(AuditQuery), responses((status = 200, body = ListResponse<AuditEntry>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<ListResponse<AuditEntry>>> {
    caller.require_auditor()?;
    let f = q.filter()?;
    let (records, total) = audit::list(&app.store, &f, Page::new(q.page, q.page_size)).await?;
    let summary = words::audit_read_summary(&q.words(), total);
    work(&app, &caller, (words::AUDIT_READ, summary)).await?;
    let items = records
        .into_iter()
        .map(|r| AuditEntry {
            at: to_rfc3339(r.at_ms),
            action_label: action_label(&r.action, &r.entity_type),
            entity_label: entity_label(&r.entity_type).to_string(),
            record: r,
        })
        .collect();
    Ok(Json(ListResponse { items, total }))
}

/// 校验审计链: names the first broken record, if any.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "审计", responses((status = 200, body = VerifyReport)))]
pub async fn verify(State(app): State<AppState>, caller: Caller) -> ApiResult<Json<VerifyReport>> {
    caller.require_auditor()?;
    // Without the key ring every keyed record is reported as not verifiable.
    let ring = yingji_store::kernel::keys::installed().unwrap_or_default();
    let report = audit::verify(&app.store, &ring).await?;
    let first_break = report.first_break.as_ref().map(|b| b.seq);
    let summary = words::audit_verify_summary(report.checked, first_break);
    work(&app, &caller, (words::AUDIT_VERIFY, summary)).await?;
    Ok(Json(report.into()))
}

/// Records the 安全审计员's own work on the audit log.
async fn work(app: &AppState, caller: &Caller, what: (&'static str, String)) -> ApiResult<()> {
    let now = app.clock.now_ms();
    access_log::record_audit_work(&app.store, now, &caller.actor(), what).await?;
    Ok(())
}

/// 审计日志导出 (.xlsx, the 安全审计员), same filters as the list; actions in words.
#[utoipa::path(get, path = "/api/v1/audit/export", tag = "审计", params(AuditQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn export(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<axum::response::Response> {
    use crate::spreadsheet::table::{self, Table, datetime, label, number, text};
    use yingji_core::kernel::audit::AuditRecord;
    caller.require_auditor()?;
    let f = q.filter()?;
    let rows = table::collect(|p| audit::list(&app.store, &f, p)).await?;
    let summary = words::audit_export_summary(&q.words(), rows.len());
    work(&app, &caller, (words::AUDIT_EXPORT, summary)).await?;
    let columns = vec![
        number("序号", |r: &AuditRecord| r.seq),
        datetime("时间", |r: &AuditRecord| r.at_ms),
        text("操作人", |r: &AuditRecord| r.actor_name.clone()),
        label("操作", |r: &AuditRecord| {
            action_label(&r.action, &r.entity_type)
        }),
        text("摘要", |r: &AuditRecord| r.summary.clone()),
        text("来源地址", |r: &AuditRecord| r.ip.clone()),
    ];
    let sheet = Table {
        sheet: "审计日志",
        columns,
        rows,
    };
    table::respond(sheet, "审计日志.xlsx").await
}
