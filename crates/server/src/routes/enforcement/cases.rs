//! 行政处罚案件: list (by the caller's view), read with the timeline and deadlines, open (立案),
//! and take a step (调查取证 → 法制审核 → 告知 → 决定 → 执行 → 结案, 延期, 行刑衔接).

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery, Caller, ctx};
use crate::routes::ListResponse;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::enforcement::case::{
    self as rules, CaseState, NewCaseInput, SOURCES, StepInput as CoreStepInput,
};
use yingji_core::enforcement::case_document::kinds_in;
use yingji_core::enforcement::case_windows::record_label;
use yingji_core::enforcement::document::KINDS;
use yingji_core::enforcement::penalty::DiscretionTable;
use yingji_core::enforcement::surcharge::owed;
use yingji_core::kernel::clock::{Date, today};
use yingji_core::kernel::label_of;
use yingji_store::Page;
use yingji_store::enforcement::cases::{self, CaseFilter};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_cases, create_case))
        .routes(routes!(get_case))
        .routes(routes!(take_case_step))
}

/// A case to open (立案).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseInput {
    /// 办案部门 (a department's staff and inspectors: their own, the default).
    #[serde(default)]
    pub department_id: Option<String>,
    /// 当事企业.
    pub enterprise_id: String,
    /// 案由.
    pub title: String,
    /// 简要案情.
    #[serde(default)]
    pub facts: Option<String>,
    /// 法律依据 (printed on the case's documents).
    #[serde(default)]
    pub legal_basis: Option<String>,
    /// 案件来源: finding 检查发现, complaint 投诉举报, referral 移送.
    pub source: String,
    /// The source record's id (an inspection finding, a complaint, a referral letter).
    #[serde(default)]
    pub source_id: Option<String>,
    /// 承办人 (user ids; at least two of the department).
    pub investigators: Vec<String>,
}

/// A step to take. Fields a step does not use are ignored.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseStepInput {
    /// investigate, submit_review, return_review, approve, statement, hearing_request, hearing,
    /// decide, execute, close, extend, transfer.
    pub step: String,
    /// 意见/说明 (for extend: the reason and approval).
    #[serde(default)]
    pub note: Option<String>,
    /// submit_review, decide: general, large, major, extraordinary (the accident's grade).
    #[serde(default)]
    pub accident_grade: Option<String>,
    /// 情节特别严重 (the range's maximum times the table's factor).
    #[serde(default)]
    pub aggravated: bool,
    /// submit_review: 建议罚款; decide: 决定罚款 (元).
    #[serde(default)]
    pub amount_yuan: Option<i64>,
    /// Why a fine lies outside the discretion range (从轻、减轻、从重).
    #[serde(default)]
    pub fine_reason: Option<String>,
    /// extend: the new last day (YYYY-MM-DD).
    #[serde(default)]
    pub extend_until: Option<String>,
    /// execute: the fine is paid.
    #[serde(default)]
    pub paid: bool,
    /// execute: 强制执行 requested from the court.
    #[serde(default)]
    pub compulsory: bool,
    /// transfer: why the case goes to the public security organs (行刑衔接).
    #[serde(default)]
    pub transfer_reason: Option<String>,
    /// statement: the party waived 陈述申辩 (else `note` holds what they said).
    #[serde(default)]
    pub waived: bool,
}

impl From<CaseStepInput> for CoreStepInput {
    fn from(v: CaseStepInput) -> Self {
        Self {
            note: v.note,
            accident_grade: v.accident_grade,
            aggravated: v.aggravated,
            amount_yuan: v.amount_yuan,
            fine_reason: v.fine_reason,
            extend_until: v.extend_until,
            paid: v.paid,
            compulsory: v.compulsory,
            transfer_reason: v.transfer_reason,
            waived: v.waived,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseInvestigator {
    pub user_id: String,
    pub name: String,
}

/// A row of the case's timeline.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseEvent {
    pub step: String,
    pub step_label: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub actor_name: String,
    pub note: Option<String>,
    pub at_ms: i64,
}

/// A step that may be taken in the case's state.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseNextStep {
    pub step: String,
    pub label: String,
}

/// The running deadline: what is due, the last day, the days left (negative: overdue).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseDeadline {
    pub label: String,
    pub due: String,
    pub days_left: i64,
}

/// The discretion range for the case's accident grade (元).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseFineRange {
    pub grade_label: String,
    pub min_yuan: i64,
    pub max_yuan: i64,
}

/// A 行政处罚案件.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Case {
    pub id: String,
    pub department_id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub title: String,
    pub facts: Option<String>,
    pub legal_basis: Option<String>,
    pub source: String,
    pub source_label: String,
    pub source_id: Option<String>,
    pub state: String,
    pub state_label: String,
    pub investigators: Vec<CaseInvestigator>,
    pub reviewer_name: Option<String>,
    pub filed_day: String,
    pub decision_due: String,
    pub extended_until: Option<String>,
    pub extension_reason: Option<String>,
    pub statement_until: Option<String>,
    pub hearing_until: Option<String>,
    /// 陈述申辩: made, waived (null: not recorded).
    pub statement: Option<String>,
    /// 听证: requested, held (null: not requested).
    pub hearing: Option<String>,
    /// What the windows hold: 陈述申辩已完成 / 放弃陈述申辩, 已申请听证 / 听证已举行.
    pub statement_label: Option<String>,
    pub hearing_label: Option<String>,
    pub decided_day: Option<String>,
    pub payment_due: Option<String>,
    /// 加处罚款 owed today (分) on an unpaid decided fine (3 % a day after `payment_due`,
    /// capped at the fine); null when there is nothing to pay.
    pub late_surcharge_fen: Option<i64>,
    /// Days the fine is late (0 until `payment_due` has passed).
    pub late_days: Option<i64>,
    pub accident_grade: Option<String>,
    pub aggravated: bool,
    pub fine_range: Option<CaseFineRange>,
    pub proposed_fine: Option<i64>,
    pub decided_fine: Option<i64>,
    pub fine_reason: Option<String>,
    /// 行刑衔接: flagged for transfer to the public security organs.
    pub criminal_transfer: bool,
    pub transfer_reason: Option<String>,
    pub paid: bool,
    pub compulsory: bool,
    pub overdue: bool,
    /// The deadline now running, if any.
    pub deadline: Option<CaseDeadline>,
    pub next_steps: Vec<CaseNextStep>,
    /// The 执法文书 the case's state allows (kind codes, see `/document-kinds`).
    pub document_kinds: Vec<String>,
    /// The timeline, oldest first (empty in lists).
    pub timeline: Vec<CaseEvent>,
    pub updated_ms: i64,
}

fn deadline(c: &cases::Case, state: CaseState, today: Date) -> Option<CaseDeadline> {
    let (label, due) = if state.before_decision() {
        (
            "作出处罚决定",
            c.extended_until.as_ref().unwrap_or(&c.decision_due),
        )
    } else if state == CaseState::Decided && !c.paid {
        ("缴纳罚款", c.payment_due.as_ref()?)
    } else {
        return None;
    };
    let d: Date = due.parse().ok()?;
    Some(CaseDeadline {
        label: label.into(),
        due: due.clone(),
        days_left: rules::days_left(d, today),
    })
}

// Long because: a plain mapping, one line per field of the API type.
fn to_api(c: cases::Case, today: Date) -> Case {
    let state = CaseState::parse(&c.state).unwrap_or(CaseState::Closed);
    let fine_range = c
        .accident_grade
        .as_deref()
        .and_then(rules::parse_grade)
        .map(|g| {
            let r = DiscretionTable::default().range(g);
            CaseFineRange {
                grade_label: g.label().into(),
                min_yuan: r.min_yuan,
                max_yuan: r.max_yuan,
            }
        });
    let surcharge = owed(c.decided_fine, c.paid, c.payment_due.as_deref(), today);
    Case {
        late_surcharge_fen: surcharge.map(|s| s.0),
        late_days: surcharge.map(|s| s.1),
        statement_label: c.statement.as_deref().map(|s| record_label(s).into()),
        hearing_label: c.hearing.as_deref().map(|s| record_label(s).into()),
        document_kinds: kinds_in(&KINDS, state)
            .into_iter()
            .map(|k| k.code.into())
            .collect(),
        deadline: deadline(&c, state, today),
        fine_range,
        source_label: label_of(&SOURCES, &c.source).unwrap_or("").into(),
        state_label: state.label().into(),
        next_steps: rules::steps_in(state)
            .into_iter()
            .map(|s| CaseNextStep {
                step: s.as_str().into(),
                label: s.label().into(),
            })
            .collect(),
        timeline: c
            .steps
            .into_iter()
            .map(|s| CaseEvent {
                step_label: rules::step_label(&s.step).into(),
                step: s.step,
                from_state: s.from_state,
                to_state: s.to_state,
                actor_name: s.actor_name,
                note: s.note,
                at_ms: s.at_ms,
            })
            .collect(),
        investigators: c
            .investigators
            .into_iter()
            .map(|i| CaseInvestigator {
                user_id: i.user_id,
                name: i.name,
            })
            .collect(),
        id: c.id,
        department_id: c.department_id,
        enterprise_id: c.enterprise_id,
        enterprise_name: c.enterprise_name,
        title: c.title,
        facts: c.facts,
        legal_basis: c.legal_basis,
        source: c.source,
        source_id: c.source_id,
        state: c.state,
        reviewer_name: c.reviewer_name,
        filed_day: c.filed_day,
        decision_due: c.decision_due,
        extended_until: c.extended_until,
        extension_reason: c.extension_reason,
        statement_until: c.statement_until,
        hearing_until: c.hearing_until,
        statement: c.statement,
        hearing: c.hearing,
        decided_day: c.decided_day,
        payment_due: c.payment_due,
        accident_grade: c.accident_grade,
        aggravated: c.aggravated,
        proposed_fine: c.proposed_fine,
        decided_fine: c.decided_fine,
        fine_reason: c.fine_reason,
        criminal_transfer: c.criminal_transfer,
        transfer_reason: c.transfer_reason,
        paid: c.paid,
        compulsory: c.compulsory,
        overdue: c.overdue,
        updated_ms: c.updated_ms,
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CaseQuery {
    /// filed, investigating, reviewing, notified, decided, executing, closed.
    pub state: Option<String>,
    pub department: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

/// 行政处罚案件 the caller may see: a department's (managers), those awaiting 法制审核 and
/// reviewed (法制审核员), one's own (承办人), the enterprise's own (企业用户).
#[utoipa::path(get, path = "/api/v1/enforcement/cases", tag = "执法监管", params(CaseQuery), responses((status = 200, body = ListResponse<Case>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_cases(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<CaseQuery>,
) -> ApiResult<Json<ListResponse<Case>>> {
    let f = CaseFilter {
        state: q.state,
        department_id: q.department,
    };
    let page = Page::new(q.page, q.page_size);
    let (items, total) = cases::list(&app.store, &ctx(&caller), &f, page).await?;
    let day = today(app.clock.now_ms());
    Ok(Json(ListResponse {
        items: items.into_iter().map(|c| to_api(c, day)).collect(),
        total,
    }))
}

/// 立案: opens a case; the decision is due 90 days later (durable timer).
#[utoipa::path(post, path = "/api/v1/enforcement/cases", tag = "执法监管", request_body = CaseInput, responses((status = 201, body = Case), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn create_case(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<CaseInput>,
) -> ApiResult<(StatusCode, Json<Case>)> {
    let now = app.clock.now_ms();
    let new = NewCaseInput {
        title: input.title,
        facts: input.facts,
        legal_basis: input.legal_basis,
        source: input.source,
        source_id: input.source_id,
        investigators: input.investigators,
    };
    let c = yingji_app::enforcement::cases::create(
        &app.store,
        &ctx(&caller),
        now,
        input.department_id.as_deref(),
        &input.enterprise_id,
        &new,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(to_api(c, today(now)))))
}

/// One case with its timeline, running deadline and the steps its state allows.
#[utoipa::path(get, path = "/api/v1/enforcement/cases/{id}", tag = "执法监管", params(("id" = String, Path)), responses((status = 200, body = Case), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_case(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Case>> {
    let c = cases::get(&app.store, &ctx(&caller), &id).await?;
    Ok(Json(to_api(c, today(app.clock.now_ms()))))
}

/// Takes a step of a case: a step in the wrong state is 409 naming `step`, a fine outside the
/// discretion range without a reason 400 naming `amount_yuan`; nothing is stored then.
#[utoipa::path(post, path = "/api/v1/enforcement/cases/{id}/steps", tag = "执法监管", params(("id" = String, Path)), request_body = CaseStepInput, responses((status = 200, body = Case), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn take_case_step(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<CaseStepInput>,
) -> ApiResult<Json<Case>> {
    let now = app.clock.now_ms();
    let step = input.step.clone();
    let c = yingji_app::enforcement::cases::step(
        &app.store,
        &ctx(&caller),
        now,
        &id,
        &step,
        &input.into(),
    )
    .await?;
    Ok(Json(to_api(c, today(now))))
}
