//! 隐患: reports from five sources, the closed loop (rules in `yingji_core::prevention::hazard`), 挂牌督办 with
//! escalation on durable timers, the public report form with tracking codes, and statistics.

use crate::directory::enterprises::push_region_on;
use crate::kernel::audit::{self, Change};
use crate::kernel::escalation;
use crate::kernel::timers::{self, Family, HazardOverdue, ListingStep, TimerCode, TimerKind};
use crate::kernel::{attachments, notifications};
use crate::prevention::risk_points::{push_scope_on, region_columns};
use crate::{Actor, Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::directory::enterprise::{join_codes, split_codes};
use yingji_core::kernel::notify::Message;
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::kernel::validation::{Errors, optional_text, phone, required_text};
use yingji_core::prevention::hazard::{
    self as rules, Action, CATEGORIES, Finding, HazardFacts, HazardLevel, PLAN_ITEMS, Refusal,
    SOURCES, Standing, Status, label_of,
};

use crate::kernel::Ctx;

/// The caller's standing towards a hazard of `enterprise_id` (its own enterprise or not).
fn standing(ctx: &Ctx, enterprise_id: Option<&str>) -> Standing {
    let own = matches!(&ctx.scope, Scope::Enterprise { enterprise_id: e } if Some(e.as_str()) == enterprise_id);
    Standing::of(ctx.role, own)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HazardInput {
    /// self_check / inspection / grid_patrol (defaults from the role).
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub enterprise_id: Option<String>,
    #[serde(default)]
    pub risk_point_id: Option<String>,
    /// Region of a hazard at a place without an enterprise (community or grid).
    #[serde(default)]
    pub region_code: Option<String>,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    pub category: String,
    pub description: String,
    /// general / major; a met criterion makes it major whatever is chosen here.
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub findings: Vec<Finding>,
    #[serde(default)]
    pub attachments: Vec<String>,
    /// Grading at once (定级): the deadline and the people responsible.
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub responsible_name: Option<String>,
    #[serde(default)]
    pub responsible_phone: Option<String>,
    #[serde(default)]
    pub measures: Option<String>,
    #[serde(default)]
    pub funds: Option<String>,
}

/// The anonymous public form (群众举报).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicReportInput {
    pub region_code: String,
    pub location: String,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    pub category: String,
    pub description: String,
    #[serde(default)]
    pub reporter_name: Option<String>,
    #[serde(default)]
    pub reporter_phone: Option<String>,
    #[serde(default)]
    pub attachments: Vec<String>,
}

/// One step of the loop; which fields are needed depends on the action.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionInput {
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub attachments: Vec<String>,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub findings: Vec<Finding>,
    #[serde(default)]
    pub deadline: Option<String>,
    #[serde(default)]
    pub responsible_name: Option<String>,
    #[serde(default)]
    pub responsible_phone: Option<String>,
    #[serde(default)]
    pub measures: Option<String>,
    #[serde(default)]
    pub funds: Option<String>,
    /// 治理方案: goal, methods, funds_materials, organisation, timeline, safety_measures.
    #[serde(default)]
    pub plan: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default)]
    pub evaluator: Option<String>,
    #[serde(default)]
    pub conclusion: Option<String>,
    #[serde(default)]
    pub approve: Option<bool>,
    #[serde(default)]
    pub department_id: Option<String>,
    #[serde(default)]
    pub listing_level: Option<String>,
    #[serde(default)]
    pub supervising_body: Option<String>,
    #[serde(default)]
    pub doc_number: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hazard {
    pub id: String,
    pub code: String,
    pub source: String,
    pub source_label: String,
    pub enterprise_id: Option<String>,
    pub enterprise_name: Option<String>,
    pub risk_point_id: Option<String>,
    pub location: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub region_code: String,
    pub street_name: Option<String>,
    pub department_id: Option<String>,
    pub department_name: Option<String>,
    pub category: String,
    pub category_label: String,
    pub description: String,
    pub level: String,
    pub level_label: String,
    pub status: String,
    pub status_label: String,
    pub criteria: Vec<String>,
    pub deadline: Option<String>,
    pub overdue: bool,
    pub responsible_name: Option<String>,
    pub responsible_phone: Option<String>,
    pub measures: Option<String>,
    pub funds: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub plan: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub evaluation: Option<serde_json::Value>,
    #[schema(value_type = Option<Object>)]
    pub extension: Option<serde_json::Value>,
    pub reporter_name: String,
    pub listed: bool,
    pub reported_ms: i64,
    pub closed_ms: Option<i64>,
    pub updated_ms: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HazardEvent {
    pub action: String,
    pub label: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub actor_name: String,
    pub note: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub data: Option<serde_json::Value>,
    pub attachments: Vec<String>,
    pub at_ms: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Listing {
    pub id: String,
    pub listing_level: String,
    pub supervising_body: String,
    pub department_id: Option<String>,
    pub deadline: String,
    pub doc_number: String,
    pub listed_by_name: String,
    pub listed_ms: i64,
    pub status: String,
    pub steps_fired: i64,
    pub last_step: Option<String>,
    pub delisted_ms: Option<i64>,
    pub escalations: Vec<Escalation>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Escalation {
    pub step_code: String,
    pub step_label: String,
    pub due_ms: i64,
    pub fired_ms: i64,
    pub notified: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HazardDetail {
    #[serde(flatten)]
    pub hazard: Hazard,
    pub events: Vec<HazardEvent>,
    pub listings: Vec<Listing>,
    pub attachments: Vec<attachments::Attachment>,
    /// The actions the caller may take now (codes of `Action`).
    pub allowed_actions: Vec<String>,
    /// Escalation steps still to come: (kind, due).
    pub pending_timers: Vec<(String, i64)>,
}

const COLUMNS: &str =
    "h.*, en.name AS enterprise_name, st.name AS street_name, dp.name AS department_name";
const FROM: &str = " FROM hazards h LEFT JOIN enterprises en ON en.id = h.enterprise_id LEFT JOIN regions st ON st.code = h.street_code LEFT JOIN departments dp ON dp.id = h.department_id";

fn json_col(r: &AnyRow, c: &str) -> StoreResult<Option<serde_json::Value>> {
    Ok(r.try_get::<Option<String>, _>(c)?
        .and_then(|s| serde_json::from_str(&s).ok()))
}

fn from_row(r: &AnyRow) -> StoreResult<Hazard> {
    let source: String = r.try_get("source")?;
    let category: String = r.try_get("category")?;
    let level: String = r.try_get("level")?;
    let status: String = r.try_get("status")?;
    Ok(Hazard {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        source_label: label_of(SOURCES, &source).unwrap_or("").into(),
        source,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        risk_point_id: r.try_get("risk_point_id")?,
        location: r.try_get("location")?,
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        region_code: r.try_get("region_code")?,
        street_name: r.try_get("street_name")?,
        department_id: r.try_get("department_id")?,
        department_name: r.try_get("department_name")?,
        category_label: label_of(CATEGORIES, &category).unwrap_or("").into(),
        category,
        description: r.try_get("description")?,
        level_label: HazardLevel::parse(&level)
            .map(|l| l.label())
            .unwrap_or("")
            .into(),
        level,
        status_label: Status::parse(&status)
            .map(|s| s.label())
            .unwrap_or("")
            .into(),
        status,
        criteria: split_codes(&r.try_get::<String, _>("criteria")?),
        deadline: r.try_get("deadline")?,
        overdue: r.try_get::<i64, _>("overdue")? != 0,
        responsible_name: r.try_get("responsible_name")?,
        responsible_phone: r.try_get("responsible_phone")?,
        measures: r.try_get("measures")?,
        funds: r.try_get("funds")?,
        plan: json_col(r, "plan")?,
        evaluation: json_col(r, "evaluation")?,
        extension: json_col(r, "extension")?,
        reporter_name: r.try_get("reporter_name")?,
        listed: r.try_get::<i64, _>("listed")? != 0,
        reported_ms: r.try_get("reported_ms")?,
        closed_ms: r.try_get("closed_ms")?,
        updated_ms: r.try_get("updated_ms")?,
    })
}

/// Limits a query on `hazards h` to the caller's scope: region subtree, a department's
/// categories or the hazards turned over to it, or one enterprise.
pub fn push_scope(sql: &mut Sql, scope: &Scope) {
    push_scope_on(sql, "h", scope, Some("department_id"));
}

pub(crate) fn month_of(ms: i64) -> String {
    let d = rules::today(ms);
    format!("{:04}-{:02}", d.year(), d.month())
}

fn check_funds(errs: &mut Errors, v: Option<&str>) -> Option<String> {
    let v = v.map(str::trim).filter(|s| !s.is_empty())?;
    match yingji_core::prevention::risk::Hundredths::parse(v) {
        Some(h) => Some(h.to_string()),
        None => {
            errs.add(
                "funds",
                format!("治理资金“{v}”应为金额（元，至多两位小数）"),
            );
            None
        }
    }
}

async fn next_code(tx: &mut Tx, district: &str, now_ms: i64) -> StoreResult<String> {
    let year = rules::today(now_ms).year();
    let n = crate::kernel::sequences::next_in_sequence(tx, &format!("{district}-{year}")).await?;
    Ok(format!("YH{district}{year}{n:06}"))
}

struct NewHazard {
    source: String,
    enterprise_id: Option<String>,
    risk_point_id: Option<String>,
    location: String,
    lon: Option<f64>,
    lat: Option<f64>,
    region_code: String,
    industry: String,
    categories: String,
    category: String,
    description: String,
    level: HazardLevel,
    criteria: Vec<String>,
    findings: Vec<Finding>,
    reporter_id: Option<String>,
    reporter_name: String,
    reporter_phone: Option<String>,
    tracking_code: Option<String>,
    attachments: Vec<String>,
}

async fn insert(
    tx: &mut Tx,
    now_ms: i64,
    actor: &Actor,
    h: &NewHazard,
) -> StoreResult<(String, String)> {
    let id = new_id();
    let [d, s, c, g] = region_columns(&h.region_code);
    let code = next_code(tx, &d, now_ms).await?;
    let mut q = Sql::new(
        "INSERT INTO hazards (id, code, source, enterprise_id, risk_point_id, location, lon, lat, region_code, district_code, street_code, community_code, grid_code, industry, categories, department_id, category, description, level, status, criteria, findings, deadline, overdue, reporter_id, reporter_name, reporter_phone, tracking_code, listed, reported_ms, reported_month, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        code.clone().into(),
        h.source.clone().into(),
        h.enterprise_id.clone().into(),
        h.risk_point_id.clone().into(),
        h.location.clone().into(),
        h.lon.into(),
        h.lat.into(),
        h.region_code.clone().into(),
        d.into(),
        s.into(),
        c.into(),
        g.into(),
        h.industry.clone().into(),
        h.categories.clone().into(),
        None::<String>.into(),
        h.category.clone().into(),
        h.description.clone().into(),
        h.level.as_str().into(),
        Status::Registered.as_str().into(),
        join_codes(&h.criteria).into(),
        (!h.findings.is_empty())
            .then(|| serde_json::to_string(&h.findings).unwrap_or_default())
            .into(),
        None::<String>.into(),
        0i64.into(),
        h.reporter_id.clone().into(),
        h.reporter_name.clone().into(),
        h.reporter_phone.clone().into(),
        h.tracking_code.clone().into(),
        0i64.into(),
        now_ms.into(),
        month_of(now_ms).into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    attachments::link(
        tx,
        &h.attachments,
        "hazard",
        &id,
        h.reporter_id.as_deref(),
        "attachments",
    )
    .await?;
    let data = (!h.criteria.is_empty()).then(|| serde_json::json!({"criteria": h.criteria}));
    event(
        tx,
        &id,
        Action::Grade,
        "report",
        None,
        Status::Registered,
        actor,
        &h.reporter_name,
        None,
        data,
        &h.attachments,
        now_ms,
    )
    .await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            action: "hazard.create",
            entity_type: "hazard",
            entity_id: Some(&id),
            summary: format!("登记隐患{code}（{}，{}）", label_of(SOURCES, &h.source).unwrap_or(""), h.level.label()),
            before: None,
            after: Some(serde_json::json!({"code": code, "source": h.source, "level": h.level.as_str(), "criteria": h.criteria, "description": h.description, "enterprise_id": h.enterprise_id, "region_code": h.region_code})),
        },
    )
    .await?;
    Ok((id, code))
}

#[allow(clippy::too_many_arguments)]
async fn event(
    tx: &mut Tx,
    hazard_id: &str,
    action: Action,
    action_code: &str,
    from: Option<Status>,
    to: Status,
    actor: &Actor,
    actor_name: &str,
    note: Option<&str>,
    data: Option<serde_json::Value>,
    attachment_ids: &[String],
    now_ms: i64,
) -> StoreResult<()> {
    let _ = action;
    let mut q = Sql::new(
        "INSERT INTO hazard_events (id, hazard_id, action, from_status, to_status, actor_id, actor_name, note, data, attachments, at_ms) VALUES ",
    );
    q.values(vec![
        new_id().into(),
        hazard_id.into(),
        action_code.into(),
        from.map(|s| s.as_str()).into(),
        to.as_str().into(),
        actor.user_id.clone().into(),
        actor_name.into(),
        note.into(),
        data.map(|d| d.to_string()).into(),
        join_codes(attachment_ids).into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    Ok(())
}

fn default_source(role: Role) -> &'static str {
    match role {
        Role::EnterpriseUser => "self_check",
        Role::DepartmentStaff | Role::Inspector | Role::Admin | Role::Commander => "inspection",
        _ => "grid_patrol",
    }
}

fn allowed_sources(role: Role) -> &'static [&'static str] {
    match role {
        Role::EnterpriseUser => &["self_check"],
        Role::DepartmentStaff | Role::Inspector => &["inspection", "accident_investigation"],
        Role::GridWorker | Role::StreetStaff => &["grid_patrol"],
        Role::Admin | Role::Commander => &[
            "inspection",
            "grid_patrol",
            "self_check",
            "accident_investigation",
        ],
        _ => &["grid_patrol"],
    }
}

fn common_text(
    errs: &mut Errors,
    category: &str,
    description: &str,
    location: &str,
) -> (String, String) {
    if label_of(CATEGORIES, category).is_none() {
        errs.add("category", format!("隐患类别“{category}”无效"));
    }
    let d = errs
        .check("description", required_text("隐患描述", description, 4000))
        .unwrap_or_default();
    let l = errs
        .check("location", optional_text("隐患位置", location, 200))
        .flatten()
        .unwrap_or_default();
    (d, l)
}

pub(crate) fn coords(errs: &mut Errors, lon: Option<f64>, lat: Option<f64>) {
    if lon.is_some() != lat.is_some() {
        errs.add("lon", "经度和纬度须同时填写");
    }
    if let Some(v) = lon {
        errs.check("lon", yingji_core::kernel::validation::longitude(v));
    }
    if let Some(v) = lat {
        errs.check("lat", yingji_core::kernel::validation::latitude(v));
    }
}

/// Reports a hazard (企业自查 / 执法检查 / 网格巡查); grades it at once when a deadline is given.
pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &HazardInput,
) -> StoreResult<HazardDetail> {
    let mut tx = store.begin().await?;
    let id = create_in(&mut tx, store, ctx, now_ms, input).await?;
    tx.commit().await?;
    detail(store, ctx, &id).await
}

/// Reports a hazard inside the caller's transaction (so that another use case, such as an
/// investigation's follow-up, commits it together with its own rows); returns its id.
pub(crate) async fn create_in(
    tx: &mut Tx,
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &HazardInput,
) -> StoreResult<String> {
    if !ctx.role.reports_hazards() {
        return Err(StoreError::Forbidden("您的角色不能上报隐患".into()));
    }
    let mut errs = Errors::default();
    let source = input
        .source
        .clone()
        .unwrap_or_else(|| default_source(ctx.role).into());
    if !allowed_sources(ctx.role).contains(&source.as_str()) {
        errs.add(
            "source",
            format!(
                "您的角色不能以“{}”来源上报隐患",
                label_of(SOURCES, &source).unwrap_or(&source)
            ),
        );
    }
    let enterprise_id = ctx
        .scope
        .owning_enterprise(input.enterprise_id.as_deref())
        .map_err(|m| StoreError::invalid("enterprise_id", m))?;
    let (region_code, industry, categories) = match &enterprise_id {
        Some(eid) => {
            let e = crate::directory::enterprises::get_referenced(store, &ctx.scope, eid).await?;
            (
                e.grid_code,
                e.industry_code.get(..1).unwrap_or("").to_string(),
                join_codes(&e.categories),
            )
        }
        None => {
            let code = input.region_code.clone().unwrap_or_default();
            if code.len() < 12 {
                errs.add("region_code", "无企业的隐患须指定所在社区或网格");
            } else if !ctx.scope.covers_region(&code) {
                return Err(StoreError::Forbidden("该区域不在您的管辖范围内".into()));
            }
            let cats = match &ctx.scope {
                Scope::Department { categories, .. } => join_codes(categories),
                _ => String::new(),
            };
            (code, String::new(), cats)
        }
    };
    if let Some(rp) = input.risk_point_id.as_deref().filter(|s| !s.is_empty()) {
        let p = crate::prevention::risk_points::get(store, &ctx.scope, rp).await;
        if !matches!(&p, Ok(p) if p.enterprise_id == enterprise_id) {
            errs.add("risk_point_id", "关联的风险点不存在或不属于该企业");
        }
    }
    let (description, location) = common_text(
        &mut errs,
        &input.category,
        &input.description,
        &input.location,
    );
    coords(&mut errs, input.lon, input.lat);
    let chosen = match input.level.as_deref().filter(|s| !s.is_empty()) {
        None => HazardLevel::General,
        Some(l) => errs
            .check("level", HazardLevel::parse(l))
            .unwrap_or(HazardLevel::General),
    };
    let criteria = crate::prevention::criteria::active(store).await?;
    let (level, met) = match rules::level_from_findings(chosen, &criteria, &input.findings) {
        Ok(x) => x,
        Err(e) => {
            for f in e.0 {
                errs.add(&f.field, f.message);
            }
            (chosen, vec![])
        }
    };
    // Grading at once is checked before anything is written.
    let grade = match input.deadline.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(_) => {
            let t = TransitionInput {
                deadline: input.deadline.clone(),
                responsible_name: input.responsible_name.clone(),
                responsible_phone: input.responsible_phone.clone(),
                measures: input.measures.clone(),
                funds: input.funds.clone(),
                ..Default::default()
            };
            Some(check_grade(&mut errs, &t, now_ms))
        }
    };
    if !errs.is_empty() {
        return Err(errs.into_invalid().into());
    }
    let (id, _code) = insert(
        tx,
        now_ms,
        &ctx.actor,
        &NewHazard {
            source,
            enterprise_id,
            risk_point_id: input.risk_point_id.clone().filter(|s| !s.is_empty()),
            location,
            lon: input.lon,
            lat: input.lat,
            region_code,
            industry,
            categories,
            category: input.category.clone(),
            description,
            level,
            criteria: met,
            findings: input.findings.clone(),
            reporter_id: Some(ctx.user_id.clone()),
            reporter_name: ctx.display_name.clone(),
            reporter_phone: None,
            tracking_code: None,
            attachments: input.attachments.clone(),
        },
    )
    .await?;
    if let Some(g) = grade {
        let h = load_tx(tx, &id).await?;
        let standing = standing(ctx, h.enterprise_id.as_deref());
        let cfg = crate::prevention::rules::current_tx(tx, &h.region_code)
            .await?
            .rules
            .hazard;
        rules::transition(&facts(&h), Action::Grade, standing, &ctx.user_id, &cfg)
            .map_err(refusal)?;
        apply_grade(tx, ctx, now_ms, &h, level, met_of(&h), g, None, &[]).await?;
    }
    Ok(id)
}

fn met_of(h: &Hazard) -> Vec<String> {
    h.criteria.clone()
}

/// The public form: no login, no scope; returns (hazard code, tracking code).
pub async fn create_public(
    store: &Store,
    now_ms: i64,
    ip: Option<String>,
    input: &PublicReportInput,
) -> StoreResult<(String, String)> {
    let mut errs = Errors::default();
    let (description, location) = common_text(
        &mut errs,
        &input.category,
        &input.description,
        &input.location,
    );
    if location.is_empty() {
        errs.add("location", "隐患位置不能为空");
    }
    coords(&mut errs, input.lon, input.lat);
    let name = errs
        .check(
            "reporter_name",
            optional_text(
                "举报人姓名",
                input.reporter_name.as_deref().unwrap_or(""),
                50,
            ),
        )
        .flatten();
    let tel = errs
        .check(
            "reporter_phone",
            phone("联系电话", input.reporter_phone.as_deref().unwrap_or("")),
        )
        .flatten();
    let region = crate::directory::regions::get(store, &Scope::All, &input.region_code)
        .await
        .ok();
    match &region {
        Some(r) if r.code.len() >= 9 => {}
        _ => errs.add("region_code", "请选择隐患所在的街道或社区"),
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid().into());
    }
    let tracking = tracking_code();
    let actor = Actor {
        user_id: None,
        name: "群众举报".into(),
        ip,
    };
    let mut tx = store.begin().await?;
    let (_, code) = insert(
        &mut tx,
        now_ms,
        &actor,
        &NewHazard {
            source: "public_report".into(),
            enterprise_id: None,
            risk_point_id: None,
            location,
            lon: input.lon,
            lat: input.lat,
            region_code: input.region_code.clone(),
            industry: String::new(),
            categories: String::new(),
            category: input.category.clone(),
            description,
            level: HazardLevel::General,
            criteria: vec![],
            findings: vec![],
            reporter_id: None,
            reporter_name: name.unwrap_or_else(|| "匿名".into()),
            reporter_phone: tel,
            tracking_code: Some(tracking.clone()),
            attachments: input.attachments.clone(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((code, tracking))
}

/// 12 characters from an alphabet without look-alikes (no 0/O, 1/I/L).
fn tracking_code() -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    let bytes = uuid::Uuid::new_v4().into_bytes();
    bytes
        .iter()
        .take(12)
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Tracking {
    pub code: String,
    pub status_label: String,
    pub reported_ms: i64,
    /// Public milestones only: no names of staff, no internal notes.
    pub steps: Vec<(String, i64)>,
}

pub async fn track(store: &Store, tracking: &str) -> StoreResult<Tracking> {
    let t = tracking.trim().to_ascii_uppercase();
    if t.len() != 12 {
        return Err(StoreError::NotFound);
    }
    let mut q =
        Sql::new("SELECT id, code, status, reported_ms FROM hazards WHERE tracking_code = ");
    q.bind(&t);
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    let id: String = r.try_get("id")?;
    let mut ev = Sql::new("SELECT to_status, at_ms FROM hazard_events WHERE hazard_id = ");
    ev.bind(&id).push(" ORDER BY at_ms, id");
    let mut steps: Vec<(String, i64)> = Vec::new();
    for e in store.fetch_all(ev).await? {
        let s: String = e.try_get("to_status")?;
        let label = Status::parse(&s)
            .map(|s| s.label())
            .unwrap_or("")
            .to_string();
        let label = if s == "registered" {
            "已受理".to_string()
        } else {
            label
        };
        if steps.last().map(|x| &x.0) != Some(&label) {
            steps.push((label, e.try_get("at_ms")?));
        }
    }
    let status: String = r.try_get("status")?;
    Ok(Tracking {
        code: r.try_get("code")?,
        status_label: Status::parse(&status)
            .map(|s| s.label())
            .unwrap_or("")
            .into(),
        reported_ms: r.try_get("reported_ms")?,
        steps,
    })
}

/// The monitoring hook: an alarm that is a hazard becomes one (source 监测预警), recorded in the
/// caller's transaction with the alarm, the sensor and its readings as evidence
/// (alarm_hazards::convert).
pub(crate) async fn insert_from_monitoring(
    tx: &mut Tx,
    now_ms: i64,
    actor: &Actor,
    e: &crate::directory::enterprises::Enterprise,
    description: &str,
    evidence: serde_json::Value,
) -> StoreResult<String> {
    let (id, _) = insert(
        tx,
        now_ms,
        actor,
        &NewHazard {
            source: "monitoring".into(),
            enterprise_id: Some(e.id.clone()),
            risk_point_id: None,
            location: e.address.clone(),
            lon: e.lon,
            lat: e.lat,
            region_code: e.grid_code.clone(),
            industry: e.industry_code.get(..1).unwrap_or("").into(),
            categories: join_codes(&e.categories),
            category: "equipment".into(),
            description: description.chars().take(4000).collect(),
            level: HazardLevel::General,
            criteria: vec![],
            findings: vec![],
            reporter_id: actor.user_id.clone(),
            reporter_name: actor.name.clone(),
            reporter_phone: None,
            tracking_code: None,
            attachments: vec![],
        },
    )
    .await?;
    let mut u = Sql::new("UPDATE hazard_events SET data = ");
    u.bind(evidence.to_string())
        .push_bind(" WHERE hazard_id = ", &id);
    u.execute(tx).await?;
    Ok(id)
}

struct Grade {
    deadline: jiff::civil::Date,
    responsible_name: String,
    responsible_phone: Option<String>,
    measures: Option<String>,
    funds: Option<String>,
}

fn check_grade(errs: &mut Errors, t: &TransitionInput, now_ms: i64) -> Grade {
    let deadline = match t.deadline.as_deref().filter(|s| !s.is_empty()) {
        None => {
            errs.add("deadline", "定级时须设定整改期限");
            None
        }
        Some(d) => match rules::parse_deadline("deadline", "整改期限", d, now_ms) {
            Ok(d) => Some(d),
            Err(e) => {
                for f in e.0 {
                    errs.add(&f.field, f.message);
                }
                None
            }
        },
    };
    let responsible_name = errs
        .check(
            "responsible_name",
            required_text(
                "整改责任人",
                t.responsible_name.as_deref().unwrap_or(""),
                50,
            ),
        )
        .unwrap_or_default();
    let responsible_phone = errs
        .check(
            "responsible_phone",
            phone("责任人电话", t.responsible_phone.as_deref().unwrap_or("")),
        )
        .flatten();
    let measures = errs
        .check(
            "measures",
            optional_text("整改措施", t.measures.as_deref().unwrap_or(""), 4000),
        )
        .flatten();
    let funds = check_funds(errs, t.funds.as_deref());
    Grade {
        deadline: deadline.unwrap_or(jiff::civil::Date::MIN),
        responsible_name,
        responsible_phone,
        measures,
        funds,
    }
}

#[allow(clippy::too_many_arguments)]
async fn apply_grade(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    h: &Hazard,
    level: HazardLevel,
    criteria: Vec<String>,
    g: Grade,
    note: Option<&str>,
    files: &[String],
) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE hazards SET status = ");
    u.bind(Status::Rectifying.as_str())
        .push_bind(", level = ", level.as_str())
        .push_bind(", criteria = ", join_codes(&criteria))
        .push_bind(", deadline = ", g.deadline.to_string())
        .push_bind(", responsible_name = ", &g.responsible_name)
        .push_bind(", responsible_phone = ", g.responsible_phone.clone())
        .push_bind(", measures = ", g.measures.clone())
        .push_bind(", funds = ", g.funds.clone())
        .push_bind(", graded_ms = ", now_ms)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", &h.id);
    u.execute(tx).await?;
    let overdue = TimerKind::HazardOverdue(HazardOverdue {
        deadline: g.deadline.to_string(),
    });
    timers::schedule(
        tx,
        now_ms,
        &overdue,
        &h.id,
        rules::overdue_from_ms(g.deadline),
    )
    .await?;
    let data = serde_json::json!({"level": level.as_str(), "criteria": criteria, "deadline": g.deadline.to_string(), "responsible_name": g.responsible_name, "measures": g.measures, "funds": g.funds});
    event(
        tx,
        &h.id,
        Action::Grade,
        "grade",
        Some(Status::Registered),
        Status::Rectifying,
        &ctx.actor,
        &ctx.display_name,
        note,
        Some(data.clone()),
        files,
        now_ms,
    )
    .await?;
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            action: "hazard.grade",
            entity_type: "hazard",
            entity_id: Some(&h.id),
            summary: format!(
                "隐患{}定级为{}，整改期限{}",
                h.code,
                level.label(),
                g.deadline
            ),
            before: Some(serde_json::json!({"status": h.status, "level": h.level})),
            after: Some(data),
        },
    )
    .await?;
    Ok(())
}

fn facts(h: &Hazard) -> HazardFacts {
    HazardFacts {
        status: Status::parse(&h.status).unwrap_or(Status::Closed),
        level: HazardLevel::parse(&h.level).unwrap_or(HazardLevel::Major),
        has_enterprise: h.enterprise_id.is_some(),
        reporter_id: None,
        rectifier_id: None,
        has_plan: h.plan.is_some(),
        has_evaluation: h.evaluation.is_some(),
        extension_pending: h
            .extension
            .as_ref()
            .is_some_and(|e| e.get("status").and_then(|s| s.as_str()) == Some("pending")),
        listed: h.listed,
    }
}

async fn facts_tx(tx: &mut Tx, h: &Hazard) -> StoreResult<HazardFacts> {
    let mut q = Sql::new("SELECT reporter_id, rectifier_id FROM hazards WHERE id = ");
    q.bind(&h.id);
    let r = q.fetch_one(tx).await?;
    let mut f = facts(h);
    f.reporter_id = r.try_get("reporter_id")?;
    f.rectifier_id = r.try_get("rectifier_id")?;
    Ok(f)
}

fn refusal(r: Refusal) -> StoreError {
    match r {
        Refusal::Forbidden(m) => StoreError::Forbidden(m),
        Refusal::Conflict(m) => StoreError::conflict("action", m),
    }
}

async fn load_tx(tx: &mut Tx, id: &str) -> StoreResult<Hazard> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE h.id = "));
    q.bind(id);
    from_row(&q.fetch_optional(tx).await?.ok_or(StoreError::NotFound)?)
}

/// Applies one step of the loop for the caller.
pub async fn transition(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    action: Action,
    t: &TransitionInput,
) -> StoreResult<HazardDetail> {
    let visible = get(store, &ctx.scope, id).await?;
    let mut errs = Errors::default();
    let note = errs
        .check(
            "note",
            optional_text("说明", t.note.as_deref().unwrap_or(""), 2000),
        )
        .flatten();
    // Action-specific input, checked before the transaction.
    let grade = (action == Action::Grade).then(|| check_grade(&mut errs, t, now_ms));
    let criteria = crate::prevention::criteria::active(store).await?;
    let mut level_met = None;
    if matches!(action, Action::Grade | Action::Escalate) {
        let chosen = match (action, t.level.as_deref().filter(|s| !s.is_empty())) {
            (Action::Escalate, _) => HazardLevel::Major,
            (_, None) => HazardLevel::parse(&visible.level).unwrap_or(HazardLevel::General),
            (_, Some(l)) => errs
                .check("level", HazardLevel::parse(l))
                .unwrap_or(HazardLevel::General),
        };
        match rules::level_from_findings(chosen, &criteria, &t.findings) {
            Ok((l, mut met)) => {
                for c in &visible.criteria {
                    if !met.contains(c) {
                        met.push(c.clone());
                    }
                }
                // Criteria ticked at the report keep the hazard 重大.
                let l = if met.is_empty() {
                    l
                } else {
                    HazardLevel::Major
                };
                level_met = Some((l, met));
            }
            Err(e) => {
                for f in e.0 {
                    errs.add(&f.field, f.message);
                }
            }
        }
        if action == Action::Escalate && t.findings.is_empty() && note.is_none() {
            errs.add("note", "升级为重大隐患须说明理由或勾选判定标准条款");
        }
    }
    let mut plan = None;
    if action == Action::SubmitPlan {
        let p = t.plan.clone().unwrap_or_default();
        let mut out = serde_json::Map::new();
        for (k, label) in PLAN_ITEMS {
            match p.get(*k).map(|s| s.trim()).filter(|s| !s.is_empty()) {
                None => errs.add(&format!("plan.{k}"), format!("治理方案须包含“{label}”")),
                Some(v) if v.chars().count() > 4000 => {
                    errs.add(&format!("plan.{k}"), format!("“{label}”不能超过4000字"))
                }
                Some(v) => {
                    out.insert(k.to_string(), v.into());
                }
            }
        }
        for k in p.keys() {
            if !PLAN_ITEMS.iter().any(|(x, _)| x == k) {
                errs.add(&format!("plan.{k}"), format!("治理方案没有“{k}”这一项"));
            }
        }
        plan = Some(serde_json::Value::Object(out));
    }
    let mut evaluation = None;
    if action == Action::Evaluate {
        let who = errs.check(
            "evaluator",
            required_text(
                "评估人（技术人员或专家）",
                t.evaluator.as_deref().unwrap_or(""),
                100,
            ),
        );
        let c = errs.check(
            "conclusion",
            required_text("评估结论", t.conclusion.as_deref().unwrap_or(""), 4000),
        );
        evaluation = Some(
            serde_json::json!({"evaluator": who, "conclusion": c, "by": ctx.display_name, "at_ms": now_ms}),
        );
    }
    if action == Action::SubmitRectification && note.is_none() {
        errs.add("note", "请填写整改情况说明");
    }
    if action == Action::Reject && note.is_none() {
        errs.add("note", "驳回须填写理由");
    }
    if action == Action::Dismiss && note.is_none() {
        errs.add("note", "不予立案须填写理由");
    }
    let mut new_deadline = None;
    if action == Action::RequestExtension {
        match t.deadline.as_deref().filter(|s| !s.is_empty()) {
            None => errs.add("deadline", "请填写申请延期至的日期"),
            Some(d) => match rules::parse_deadline("deadline", "延期后的整改期限", d, now_ms)
            {
                Ok(d) => {
                    if visible
                        .deadline
                        .as_deref()
                        .is_some_and(|cur| d.to_string().as_str() <= cur)
                    {
                        errs.add("deadline", "延期后的整改期限须晚于原期限");
                    }
                    new_deadline = Some(d);
                }
                Err(e) => errs.add("deadline", e.summary()),
            },
        }
        if note.is_none() {
            errs.add("note", "请填写延期理由");
        }
    }
    if action == Action::DecideExtension && t.approve.is_none() {
        errs.add("approve", "请选择同意或不同意延期");
    }
    let mut department = None;
    if action == Action::Transfer {
        match t.department_id.as_deref().filter(|s| !s.is_empty()) {
            None => errs.add("department_id", "请选择转办的部门"),
            Some(d) => match crate::directory::departments::get(store, &Scope::All, d).await {
                Ok(dep) => department = Some(dep),
                Err(_) => errs.add("department_id", "转办的部门不存在"),
            },
        }
    }
    let mut listing = None;
    if action == Action::List {
        let lvl = errs.check(
            "listing_level",
            required_text("督办级别", t.listing_level.as_deref().unwrap_or(""), 20),
        );
        let body = errs.check(
            "supervising_body",
            required_text("督办单位", t.supervising_body.as_deref().unwrap_or(""), 100),
        );
        let doc = errs.check(
            "doc_number",
            required_text("督办文号", t.doc_number.as_deref().unwrap_or(""), 100),
        );
        let dl = match t.deadline.as_deref().filter(|s| !s.is_empty()) {
            None => {
                errs.add("deadline", "请填写督办整改期限");
                None
            }
            Some(d) => match rules::parse_deadline("deadline", "督办整改期限", d, now_ms) {
                Ok(d) => Some(d),
                Err(e) => {
                    errs.add("deadline", e.summary());
                    None
                }
            },
        };
        if let (Some(l), Some(b), Some(d), Some(dl)) = (lvl, body, doc, dl) {
            listing = Some((l, b, d, dl));
        }
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid().into());
    }

    let mut tx = store.begin().await?;
    // Re-read inside the transaction: the state may have moved since the check above.
    let h = load_tx(&mut tx, id).await?;
    let f = facts_tx(&mut tx, &h).await?;
    let cfg = crate::prevention::rules::current_tx(&mut tx, &h.region_code)
        .await?
        .rules
        .hazard;
    let standing = standing(ctx, h.enterprise_id.as_deref());
    let to = rules::transition(&f, action, standing, &ctx.user_id, &cfg).map_err(refusal)?;
    let from = f.status;
    attachments::link(
        &mut tx,
        &t.attachments,
        "hazard",
        &h.id,
        Some(&ctx.user_id),
        "attachments",
    )
    .await?;
    let mut set = Sql::new("UPDATE hazards SET updated_ms = ");
    set.bind(now_ms);
    let mut data = serde_json::Value::Null;
    let mut summary = format!("隐患{}：{}", h.code, action.label());
    match action {
        Action::Grade => {
            let (level, met) = level_met.unwrap_or((HazardLevel::General, vec![]));
            let g = grade.unwrap_or_else(|| check_grade(&mut Errors::default(), t, now_ms));
            apply_grade(
                &mut tx,
                ctx,
                now_ms,
                &h,
                level,
                met,
                g,
                note.as_deref(),
                &t.attachments,
            )
            .await?;
            tx.commit().await?;
            return detail(store, ctx, id).await;
        }
        Action::SubmitPlan => {
            set.push_bind(", plan = ", plan.clone().unwrap_or_default().to_string());
            data = serde_json::json!({"plan": plan});
        }
        Action::Evaluate => {
            set.push_bind(
                ", evaluation = ",
                evaluation.clone().unwrap_or_default().to_string(),
            );
            data = evaluation.unwrap_or_default();
        }
        Action::SubmitRectification => {
            set.push_bind(", rectifier_id = ", &ctx.user_id);
        }
        Action::Accept => {
            let on_time = h
                .deadline
                .as_deref()
                .is_some_and(|d| rules::today(now_ms).to_string().as_str() <= d);
            set.push_bind(", acceptor_id = ", &ctx.user_id)
                .push_bind(", closed_ms = ", now_ms)
                .push_bind(", closed_on_time = ", on_time)
                .push(", overdue = 0");
            timers::cancel(&mut tx, &h.id, Family::Hazard).await?;
            if h.listed {
                // 摘牌: acceptance ends the listed supervision.
                let mut d =
                    Sql::new("UPDATE hazard_listings SET status = 'delisted', delisted_ms = ");
                d.bind(now_ms)
                    .push_bind(" WHERE status = 'active' AND hazard_id = ", &h.id);
                d.execute(&mut tx).await?;
                set.push(", listed = 0");
                summary = format!("隐患{}：验收通过，摘牌销号", h.code);
                data = serde_json::json!({"delisted": true});
            }
        }
        Action::Reject => {}
        Action::RequestExtension => {
            let ext = serde_json::json!({"status": "pending", "deadline": new_deadline.map(|d| d.to_string()), "reason": note, "requested_by": ctx.display_name, "requested_ms": now_ms});
            set.push_bind(", extension = ", ext.to_string());
            data = ext;
        }
        Action::DecideExtension => {
            let mut ext = h.extension.clone().unwrap_or_default();
            let approve = t.approve.unwrap_or(false);
            ext["status"] = if approve { "approved" } else { "refused" }.into();
            ext["decided_by"] = ctx.display_name.clone().into();
            ext["decision_note"] = note.clone().into();
            set.push_bind(", extension = ", ext.to_string());
            if approve {
                let nd = ext["deadline"].as_str().unwrap_or_default().to_string();
                if let Ok(d) = nd.parse::<jiff::civil::Date>() {
                    set.push_bind(", deadline = ", d.to_string());
                    set.push_bind(", overdue = ", rules::is_overdue(from, Some(d), now_ms));
                    timers::cancel(&mut tx, &h.id, TimerCode::HazardOverdue).await?;
                    let overdue = TimerKind::HazardOverdue(HazardOverdue {
                        deadline: d.to_string(),
                    });
                    let due = rules::overdue_from_ms(d);
                    timers::schedule(&mut tx, now_ms, &overdue, &h.id, due).await?;
                }
                summary = format!("隐患{}：同意延期至{nd}", h.code);
            } else {
                summary = format!("隐患{}：不同意延期", h.code);
            }
            data = ext;
        }
        Action::Escalate => {
            let (_, met) = level_met.unwrap_or((HazardLevel::Major, vec![]));
            set.push_bind(", level = ", HazardLevel::Major.as_str())
                .push_bind(", criteria = ", join_codes(&met));
            data = serde_json::json!({"criteria": met});
        }
        Action::Transfer => {
            let dep = department.as_ref();
            set.push_bind(", department_id = ", dep.map(|d| d.id.clone()));
            summary = format!(
                "隐患{}转办至{}",
                h.code,
                dep.map(|d| d.name.as_str()).unwrap_or("")
            );
            data = serde_json::json!({"department_id": dep.map(|d| &d.id), "department_name": dep.map(|d| &d.name)});
            if let Some(dep) = dep {
                let users = users_where(&mut tx, "department_id", &dep.id).await?;
                notifications::send(
                    &mut tx,
                    now_ms,
                    &users,
                    &format!("隐患转办：{}", h.code),
                    &format!(
                        "{}转办隐患“{}”至贵部门。",
                        ctx.display_name,
                        short(&h.description)
                    ),
                    Some(&format!("/hazards/{}", h.id)),
                )
                .await?;
            }
        }
        Action::Dismiss => {
            set.push_bind(", closed_ms = ", now_ms);
        }
        Action::List => {
            let (lvl, body, doc, dl) = listing
                .clone()
                .ok_or_else(|| StoreError::invalid("deadline", "督办信息不完整"))?;
            let lid = new_id();
            let dep_id = match &ctx.scope {
                Scope::Department { department_id, .. } => Some(department_id.clone()),
                _ => None,
            };
            let mut q = Sql::new(
                "INSERT INTO hazard_listings (id, hazard_id, listing_level, supervising_body, department_id, deadline, doc_number, listed_by, listed_by_name, listed_ms, status, steps_fired, last_step, delisted_ms) VALUES ",
            );
            q.values(vec![
                lid.clone().into(),
                h.id.clone().into(),
                lvl.clone().into(),
                body.clone().into(),
                dep_id.into(),
                dl.to_string().into(),
                doc.clone().into(),
                ctx.user_id.clone().into(),
                ctx.display_name.clone().into(),
                now_ms.into(),
                "active".into(),
                0i64.into(),
                None::<String>.into(),
                None::<i64>.into(),
            ]);
            q.execute(&mut tx).await?;
            for step in &cfg.escalation_steps {
                let due = rules::step_due_ms(dl, step.days_after_deadline);
                let kind = TimerKind::HazardListingStep(ListingStep {
                    listing_id: lid.clone(),
                    code: step.code.clone(),
                    label: step.label.clone(),
                    days: step.days_after_deadline,
                });
                timers::schedule(&mut tx, now_ms, &kind, &h.id, due).await?;
            }
            set.push(", listed = 1");
            summary = format!("隐患{}挂牌督办（{lvl}，{body}，{doc}，期限{dl}）", h.code);
            data = serde_json::json!({"listing_id": lid, "listing_level": lvl, "supervising_body": body, "doc_number": doc, "deadline": dl.to_string()});
            let users = responsible_users(&mut tx, &h, Some(&ctx.user_id)).await?;
            notifications::send(
                &mut tx,
                now_ms,
                &users,
                &format!("重大隐患挂牌督办：{}", h.code),
                &format!(
                    "{body}对重大隐患“{}”挂牌督办（{doc}），须于{dl}前完成整改。",
                    short(&h.description)
                ),
                Some(&format!("/hazards/{}", h.id)),
            )
            .await?;
        }
    }
    set.push_bind(", status = ", to.as_str())
        .push_bind(" WHERE id = ", &h.id);
    set.execute(&mut tx).await?;
    let data = (!data.is_null()).then_some(data);
    event(
        &mut tx,
        &h.id,
        action,
        action.as_str(),
        Some(from),
        to,
        &ctx.actor,
        &ctx.display_name,
        note.as_deref(),
        data.clone(),
        &t.attachments,
        now_ms,
    )
    .await?;
    audit::append(
        &mut tx,
        now_ms,
        &ctx.actor,
        Change {
            action: &format!("hazard.{}", action.as_str()),
            entity_type: "hazard",
            entity_id: Some(&h.id),
            summary: match &note {
                Some(n) => format!("{summary}；说明：{}", short(n)),
                None => summary,
            },
            before: Some(serde_json::json!({"status": from.as_str(), "level": h.level})),
            after: Some(serde_json::json!({"status": to.as_str(), "data": data})),
        },
    )
    .await?;
    tx.commit().await?;
    detail(store, ctx, id).await
}

fn short(s: &str) -> String {
    let mut t: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        t.push('…');
    }
    t
}

async fn users_where(tx: &mut Tx, column: &str, value: &str) -> StoreResult<Vec<String>> {
    let mut q = Sql::new(&format!(
        "SELECT id FROM users WHERE active = 1 AND {column} = "
    ));
    q.bind(value);
    q.fetch_all(tx)
        .await?
        .iter()
        .map(|r| Ok(r.try_get::<String, _>(0)?))
        .collect()
}

/// The people a hazard's reminders go to: the enterprise's users (or the street's staff for a
/// place), the department it was turned over to, and whoever listed it.
async fn responsible_users(
    tx: &mut Tx,
    h: &Hazard,
    listed_by: Option<&str>,
) -> StoreResult<Vec<String>> {
    let mut out = match &h.enterprise_id {
        Some(e) => users_where(tx, "enterprise_id", e).await?,
        None => {
            let street = h.region_code.get(..9).unwrap_or("");
            let mut q = Sql::new(
                "SELECT id FROM users WHERE active = 1 AND role = 'street_staff' AND region_code = ",
            );
            q.bind(street);
            q.fetch_all(tx)
                .await?
                .iter()
                .map(|r| r.try_get::<String, _>(0))
                .collect::<Result<_, _>>()?
        }
    };
    if let Some(d) = &h.department_id {
        out.extend(users_where(tx, "department_id", d).await?);
    }
    if let Some(u) = listed_by {
        out.push(u.to_string());
    }
    Ok(out)
}

/// The hazard a timer is about, with what its firing needs; `None` when it is gone.
async fn timer_subject(
    tx: &mut Tx,
    hazard_id: &str,
) -> StoreResult<Option<(Hazard, Status, Actor, String)>> {
    let h = match load_tx(tx, hazard_id).await {
        Ok(h) => h,
        Err(StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let status = Status::parse(&h.status).unwrap_or(Status::Closed);
    let link = format!("/hazards/{}", h.id);
    Ok(Some((h, status, Actor::system("督办定时器"), link)))
}

/// 隐患逾期: the rectification deadline passed without acceptance (in the scheduler's
/// transaction, which has claimed the timer).
pub async fn fire_overdue(
    tx: &mut Tx,
    hazard_id: &str,
    timer: &HazardOverdue,
    now_ms: i64,
) -> StoreResult<()> {
    let Some((h, status, system, link)) = timer_subject(tx, hazard_id).await? else {
        return Ok(());
    };
    let deadline = h.deadline.as_deref().and_then(|d| d.parse().ok());
    // A stale timer (the deadline moved) does nothing; the new one will fire.
    let current = h.deadline.as_deref() == Some(timer.deadline.as_str());
    if !current || !rules::is_overdue(status, deadline, now_ms) || h.overdue {
        return Ok(());
    }
    let mut u = Sql::new("UPDATE hazards SET overdue = 1, updated_ms = ");
    u.bind(now_ms).push_bind(" WHERE id = ", &h.id);
    u.execute(tx).await?;
    event(
        tx,
        &h.id,
        Action::Grade,
        "overdue",
        Some(status),
        status,
        &system,
        "系统",
        Some("已超过整改期限"),
        None,
        &[],
        now_ms,
    )
    .await?;
    let users = responsible_users(tx, &h, None).await?;
    let msg = Message {
        event: "hazard.overdue".into(),
        title: format!("隐患逾期：{}", h.code),
        body: format!(
            "隐患“{}”已超过整改期限{}，请尽快整改。",
            short(&h.description),
            h.deadline.clone().unwrap_or_default()
        ),
        link,
        subject_id: h.id.clone(),
    };
    escalation::step(tx, now_ms, escalation::Escalation::in_app(msg, users)).await?;
    audit::append(
        tx,
        now_ms,
        &system,
        Change {
            action: "hazard.overdue",
            entity_type: "hazard",
            entity_id: Some(&h.id),
            summary: format!(
                "隐患{}逾期（期限{}）",
                h.code,
                h.deadline.clone().unwrap_or_default()
            ),
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// One step (函告 → 通报 → 约谈) of a listed hazard's escalation, due at `due_ms` (in the
/// scheduler's transaction, which has claimed the timer).
pub async fn fire_listing_step(
    tx: &mut Tx,
    hazard_id: &str,
    due_ms: i64,
    step: &ListingStep,
    now_ms: i64,
) -> StoreResult<()> {
    let Some((h, status, system, link)) = timer_subject(tx, hazard_id).await? else {
        return Ok(());
    };
    let (listing_id, code, label) = (
        step.listing_id.as_str(),
        step.code.as_str(),
        step.label.as_str(),
    );
    let mut l = Sql::new(
        "SELECT status, listed_by, supervising_body, deadline FROM hazard_listings WHERE id = ",
    );
    l.bind(listing_id);
    let Some(lr) = l.fetch_optional(tx).await? else {
        return Ok(());
    };
    if lr.try_get::<String, _>("status")? != "active" || !status.is_open() {
        return Ok(());
    }
    let listed_by: Option<String> = lr.try_get("listed_by")?;
    let body: String = lr.try_get("supervising_body")?;
    let deadline: String = lr.try_get("deadline")?;
    let users = responsible_users(tx, &h, listed_by.as_deref()).await?;
    let msg = Message {
        event: "hazard.escalation".into(),
        title: format!("督办升级（{label}）：{}", h.code),
        body: format!(
            "挂牌督办的重大隐患“{}”已超过督办期限{deadline}，{body}启动“{label}”。",
            short(&h.description)
        ),
        link,
        subject_id: h.id.clone(),
    };
    let n = escalation::step(tx, now_ms, escalation::Escalation::in_app(msg, users))
        .await?
        .notified;
    let mut e = Sql::new(
        "INSERT INTO hazard_escalations (id, listing_id, hazard_id, step_code, step_label, due_ms, fired_ms, notified) VALUES ",
    );
    e.values(vec![
        new_id().into(),
        listing_id.into(),
        h.id.clone().into(),
        code.into(),
        label.into(),
        due_ms.into(),
        now_ms.into(),
        (n as i64).into(),
    ]);
    e.execute(tx).await?;
    let mut u = Sql::new("UPDATE hazard_listings SET steps_fired = steps_fired + 1, last_step = ");
    u.bind(label).push_bind(" WHERE id = ", listing_id);
    u.execute(tx).await?;
    event(
        tx,
        &h.id,
        Action::List,
        "escalation",
        Some(status),
        status,
        &system,
        "系统",
        Some(&format!("督办升级：{label}（通知{n}人）")),
        Some(serde_json::json!({"step": code, "label": label})),
        &[],
        now_ms,
    )
    .await?;
    audit::append(
        tx,
        now_ms,
        &system,
        Change {
            action: "hazard.escalation",
            entity_type: "hazard",
            entity_id: Some(&h.id),
            summary: format!("隐患{}督办升级：{label}", h.code),
            before: None,
            after: Some(serde_json::json!({"listing_id": listing_id, "step": code})),
        },
    )
    .await?;
    Ok(())
}

pub async fn get(store: &Store, scope: &Scope, id: &str) -> StoreResult<Hazard> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE h.id = "));
    q.bind(id);
    push_scope(&mut q, scope);
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

pub async fn detail(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<HazardDetail> {
    let hazard = get(store, &ctx.scope, id).await?;
    let mut ev = Sql::new("SELECT * FROM hazard_events WHERE hazard_id = ");
    ev.bind(id).push(" ORDER BY at_ms, id");
    let events = store
        .fetch_all(ev)
        .await?
        .iter()
        .map(|r| {
            let action: String = r.try_get("action")?;
            let label = match action.as_str() {
                "report" => "上报登记".to_string(),
                "overdue" => "逾期".to_string(),
                "escalation" => "督办升级".to_string(),
                a => Action::parse(a)
                    .map(|a| a.label().to_string())
                    .unwrap_or_default(),
            };
            Ok(HazardEvent {
                action,
                label,
                from_status: r.try_get("from_status")?,
                to_status: r.try_get("to_status")?,
                actor_name: r.try_get("actor_name")?,
                note: r.try_get("note")?,
                data: json_col(r, "data")?,
                attachments: split_codes(&r.try_get::<String, _>("attachments")?),
                at_ms: r.try_get("at_ms")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let mut lq = Sql::new("SELECT * FROM hazard_listings WHERE hazard_id = ");
    lq.bind(id).push(" ORDER BY listed_ms");
    let mut listings = Vec::new();
    for r in store.fetch_all(lq).await? {
        let lid: String = r.try_get("id")?;
        let mut eq = Sql::new(
            "SELECT step_code, step_label, due_ms, fired_ms, notified FROM hazard_escalations WHERE listing_id = ",
        );
        eq.bind(&lid).push(" ORDER BY due_ms");
        let escalations = store
            .fetch_all(eq)
            .await?
            .iter()
            .map(|e| {
                Ok(Escalation {
                    step_code: e.try_get("step_code")?,
                    step_label: e.try_get("step_label")?,
                    due_ms: e.try_get("due_ms")?,
                    fired_ms: e.try_get("fired_ms")?,
                    notified: e.try_get("notified")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        listings.push(Listing {
            id: lid,
            listing_level: r.try_get("listing_level")?,
            supervising_body: r.try_get("supervising_body")?,
            department_id: r.try_get("department_id")?,
            deadline: r.try_get("deadline")?,
            doc_number: r.try_get("doc_number")?,
            listed_by_name: r.try_get("listed_by_name")?,
            listed_ms: r.try_get("listed_ms")?,
            status: r.try_get("status")?,
            steps_fired: r.try_get("steps_fired")?,
            last_step: r.try_get("last_step")?,
            delisted_ms: r.try_get("delisted_ms")?,
            escalations,
        });
    }
    let cfg = crate::prevention::rules::current(store, &hazard.region_code)
        .await?
        .rules
        .hazard;
    let mut f = facts(&hazard);
    let mut q = Sql::new("SELECT reporter_id, rectifier_id FROM hazards WHERE id = ");
    q.bind(id);
    if let Some(r) = store.fetch_optional(q).await? {
        f.reporter_id = r.try_get("reporter_id")?;
        f.rectifier_id = r.try_get("rectifier_id")?;
    }
    let standing = standing(ctx, hazard.enterprise_id.as_deref());
    let allowed_actions = Action::ALL
        .into_iter()
        .filter(|a| rules::transition(&f, *a, standing, &ctx.user_id, &cfg).is_ok())
        .map(|a| a.as_str().to_string())
        .collect();
    Ok(HazardDetail {
        attachments: attachments::list_for(store, id).await?,
        pending_timers: timers::pending_for(store, id).await?,
        hazard,
        events,
        listings,
        allowed_actions,
    })
}

#[derive(Debug, Default, Clone)]
pub struct HazardFilter {
    pub q: Option<String>,
    pub status: Option<String>,
    pub level: Option<String>,
    pub source: Option<String>,
    pub region: Option<String>,
    pub enterprise_id: Option<String>,
    pub overdue: Option<bool>,
    pub listed: Option<bool>,
    pub month: Option<String>,
    /// Earliest deadline first (the overdue list) instead of the newest report first.
    pub by_deadline: bool,
}

fn push_filter(w: &mut Sql, f: &HazardFilter) {
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        w.push_bind(" AND h.code = ", q.to_ascii_uppercase());
    }
    if let Some(s) = &f.status {
        if s == "open" {
            w.push(" AND h.status IN ('registered', 'rectifying', 'pending_acceptance')");
        } else {
            w.push_bind(" AND h.status = ", s);
        }
    }
    if let Some(l) = &f.level {
        w.push_bind(" AND h.level = ", l);
    }
    if let Some(s) = &f.source {
        w.push_bind(" AND h.source = ", s);
    }
    if let Some(r) = &f.region {
        push_region_on(w, "h", r);
    }
    if let Some(e) = &f.enterprise_id {
        w.push_bind(" AND h.enterprise_id = ", e);
    }
    if let Some(o) = f.overdue {
        w.push_bind(" AND h.overdue = ", o);
    }
    if let Some(l) = f.listed {
        w.push_bind(" AND h.listed = ", l);
    }
    if let Some(m) = &f.month {
        w.push_bind(" AND h.reported_month = ", m);
    }
}

pub async fn list(
    store: &Store,
    scope: &Scope,
    f: &HazardFilter,
    page: Page,
) -> StoreResult<(Vec<Hazard>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_scope(&mut w, scope);
    push_filter(&mut w, f);
    let total = store
        .fetch_i64(Sql {
            text: format!("SELECT COUNT(*) FROM hazards h{}", w.text),
            args: w.args.clone(),
        })
        .await?;
    // Ids first from the indexes, then the page's rows (as for enterprises, ADR 0004).
    let order = if f.by_deadline {
        "h.deadline, h.id"
    } else {
        "h.reported_ms DESC, h.id DESC"
    };
    let mut ids = Sql {
        text: format!(
            "SELECT h.id, h.reported_ms, h.deadline FROM hazards h{} ORDER BY {order}",
            w.text
        ),
        args: w.args,
    };
    page.push_limit(&mut ids);
    let from = FROM.replacen(" FROM hazards h", "", 1);
    let q = Sql {
        text: format!(
            "SELECT {COLUMNS} FROM ({}) p JOIN hazards h ON h.id = p.id{from} ORDER BY {order}",
            ids.text
        ),
        args: ids.args,
    };
    let items = store
        .fetch_all(q)
        .await?
        .iter()
        .map(from_row)
        .collect::<StoreResult<_>>()?;
    Ok((items, total))
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatRow {
    pub region_code: String,
    pub region_name: Option<String>,
    pub status: String,
    pub level: String,
    pub count: i64,
}

/// Region × status × level counts of the hazards reported in `month` (YYYY-MM), one row per
/// child region of `region` (a district groups by street, a street by community).
pub async fn stats(
    store: &Store,
    scope: &Scope,
    month: &str,
    region: &str,
) -> StoreResult<Vec<StatRow>> {
    let child = crate::prevention::risk_points::child_column(region, "region", "统计区划")?;
    let mut q = Sql::new(&format!(
        "SELECT h.{child} AS code, h.status, h.level, COUNT(*) AS n FROM hazards h WHERE h.reported_month = "
    ));
    q.bind(month);
    push_region_on(&mut q, "h", region);
    push_scope(&mut q, scope);
    q.push(&format!(" GROUP BY h.{child}, h.status, h.level"));
    let rows = store.fetch_all(q).await?;
    let mut names = Sql::new("SELECT code, name FROM regions WHERE parent_code = ");
    names.bind(region);
    let names: Vec<(String, String)> = store
        .fetch_all(names)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<StoreResult<_>>()?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get("code")?;
            Ok(StatRow {
                region_name: names.iter().find(|n| n.0 == code).map(|n| n.1.clone()),
                region_code: code,
                status: r.try_get("status")?,
                level: r.try_get("level")?,
                count: r.try_get("n")?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct MonthFigures {
    pub month: String,
    /// 增量: reported this month.
    pub new_total: i64,
    pub new_major: i64,
    /// Of those, closed (accepted) by now.
    pub closed: i64,
    pub closed_major: i64,
    pub closed_on_time: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Dashboard {
    pub year: i32,
    pub months: Vec<MonthFigures>,
    /// 存量: open 重大 hazards now (动态清零 drives this to zero).
    pub open_major: i64,
    pub open_general: i64,
    pub overdue: i64,
    pub listed: i64,
    /// 整改率 = closed / (reported − dismissed), this year, in percent (one decimal).
    pub rectification_rate: Option<f64>,
    /// 按期整改率 = closed on time / closed.
    pub on_time_rate: Option<f64>,
    pub by_source: Vec<(String, String, i64)>,
    pub by_industry: Vec<(String, i64)>,
    pub by_region: Vec<(String, String, i64, i64)>,
    pub overdue_list: Vec<Hazard>,
}

/// `SELECT COUNT(*)` over `hazards h` with the given WHERE clause.
async fn count(store: &Store, w: Sql) -> StoreResult<i64> {
    store
        .fetch_i64(Sql {
            text: format!("SELECT COUNT(*) FROM hazards h{}", w.text),
            args: w.args,
        })
        .await
}

pub async fn dashboard(
    store: &Store,
    scope: &Scope,
    region: Option<&str>,
    year: i32,
) -> StoreResult<Dashboard> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_scope(&mut w, scope);
    if let Some(r) = region {
        push_region_on(&mut w, "h", r);
    }
    let with = |extra: &str| Sql {
        text: format!("{}{extra}", w.text),
        args: w.args.clone(),
    };
    // One pass over the covering index `hazards_figures` gives the months, sources and industries.
    let year_w = with("");
    let mut figures_q = Sql {
        text: format!(
            "SELECT h.reported_month AS m, h.level, h.status, h.closed_on_time, h.source, h.industry, COUNT(*) AS n FROM hazards h{} AND h.reported_month >= ",
            year_w.text
        ),
        args: year_w.args,
    };
    figures_q
        .bind(format!("{year:04}-01"))
        .push_bind(" AND h.reported_month <= ", format!("{year:04}-12"));
    figures_q.push(
        " GROUP BY h.reported_month, h.level, h.status, h.closed_on_time, h.source, h.industry",
    );
    let mut months: Vec<MonthFigures> = (1..=12)
        .map(|m| MonthFigures {
            month: format!("{year:04}-{m:02}"),
            ..Default::default()
        })
        .collect();
    let (mut reported, mut dismissed, mut closed, mut on_time) = (0, 0, 0, 0);
    let mut sources: std::collections::BTreeMap<String, i64> = Default::default();
    let mut industries: std::collections::BTreeMap<String, i64> = Default::default();
    for r in store.fetch_all(figures_q).await? {
        let m: String = r.try_get("m")?;
        let level: String = r.try_get("level")?;
        let status: String = r.try_get("status")?;
        let ot: Option<i64> = r.try_get("closed_on_time")?;
        let n: i64 = r.try_get("n")?;
        *sources.entry(r.try_get("source")?).or_default() += n;
        *industries.entry(r.try_get("industry")?).or_default() += n;
        let Some(f) = months.iter_mut().find(|f| f.month == m) else {
            continue;
        };
        f.new_total += n;
        reported += n;
        if level == "major" {
            f.new_major += n;
        }
        if status == "dismissed" {
            dismissed += n;
        }
        if status == "closed" {
            f.closed += n;
            closed += n;
            if level == "major" {
                f.closed_major += n;
            }
            if ot == Some(1) {
                f.closed_on_time += n;
                on_time += n;
            }
        }
    }
    let open = "h.status IN ('registered', 'rectifying', 'pending_acceptance')";
    let open_major = count(store, with(&format!(" AND {open} AND h.level = 'major'"))).await?;
    let open_general = count(store, with(&format!(" AND {open} AND h.level = 'general'"))).await?;
    let overdue = count(
        store,
        with(" AND h.overdue = 1 AND h.status IN ('registered', 'rectifying')"),
    )
    .await?;
    let listed = count(store, with(" AND h.listed = 1")).await?;
    let pct = |a: i64, b: i64| (b > 0).then(|| (a as f64 * 1000.0 / b as f64).round() / 10.0);
    let by_source = sources
        .into_iter()
        .map(|(code, n)| (label_of(SOURCES, &code).unwrap_or("").to_string(), code, n))
        .collect();
    let by_industry = industries
        .into_iter()
        .map(|(code, n)| {
            let label = if code.is_empty() {
                "无企业（公共区域）".to_string()
            } else {
                yingji_core::directory::enterprise::label_of(
                    yingji_core::directory::enterprise::INDUSTRY_SECTIONS,
                    &code,
                )
                .unwrap_or(&code)
                .to_string()
            };
            (label, n)
        })
        .collect();
    // Grouped in the order of `hazards_overdue` so that the count is read from that index.
    let ym = with(&format!(" AND {open}"));
    let reg = Sql {
        text: format!(
            "SELECT h.street_code, h.level, COUNT(*) AS n FROM hazards h{} GROUP BY h.street_code, h.level",
            ym.text
        ),
        args: ym.args,
    };
    let mut by_street: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
    for r in store.fetch_all(reg).await? {
        let e = by_street.entry(r.try_get(0)?).or_default();
        let n: i64 = r.try_get("n")?;
        if r.try_get::<String, _>("level")? == "major" {
            e.0 += n;
        }
        e.1 += n;
    }
    let mut by_region = Vec::new();
    for (code, (major, n)) in by_street {
        let name = crate::directory::regions::get(store, &Scope::All, &code)
            .await
            .map(|r| r.name)
            .unwrap_or_else(|_| code.clone());
        by_region.push((code, name, major, n));
    }
    let f = HazardFilter {
        overdue: Some(true),
        status: Some("rectifying".into()),
        region: region.map(str::to_string),
        by_deadline: true,
        ..Default::default()
    };
    let (overdue_list, _) = list(store, scope, &f, Page::new(Some(1), Some(20))).await?;
    Ok(Dashboard {
        year,
        months,
        open_major,
        open_general,
        overdue,
        listed,
        rectification_rate: pct(closed, reported - dismissed),
        on_time_rate: pct(on_time, closed),
        by_source,
        by_industry,
        by_region,
        overdue_list,
    })
}
