//! 一企一档: an enterprise's dossier as JSON, as a workbook (one sheet per section) and as a
//! printable PDF (the 执法文书 machinery, ADR 0025). An enterprise user sees only its own; a
//! department the enterprises it supervises; a street its street (404 otherwise, as for the
//! enterprise itself).

use super::api::dossier::CreditDossier;
use super::api::dossier::CreditDossier as Dossier;
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, ctx};
use crate::spreadsheet::table::{self, Sheet, text_sheet};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_app::credit::dossier as app;
use yingji_core::credit::dossier::export_name;
use yingji_core::enforcement::document_pdf::{Layout, chinese_date, render};
use yingji_core::kernel::clock::{to_rfc3339, today};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(dossier))
        .routes(routes!(dossier_xlsx))
        .routes(routes!(dossier_pdf))
}

async fn read(
    app: &AppState,
    caller: &Caller,
    id: &str,
) -> ApiResult<(Dossier, jiff::civil::Date)> {
    let now_ms = app.clock.now_ms();
    let d = app::dossier(&app.store, &ctx(caller), now_ms, id).await?;
    let row = d.rating.clone();
    let rating = super::rating::face(&app.store, &mut Default::default(), row).await?;
    Ok((Dossier::of(d, rating, now_ms), today(now_ms)))
}

/// 一企一档 of an enterprise the caller may see.
#[utoipa::path(get, path = "/api/v1/credit/dossiers/{enterprise_id}", tag = "企业信用", params(("enterprise_id" = String, Path)), responses((status = 200, body = CreditDossier), (status = 404, body = crate::error::ErrorBody)))]
pub async fn dossier(
    State(app): State<AppState>,
    caller: Caller,
    Path(enterprise_id): Path<String>,
) -> ApiResult<Json<Dossier>> {
    Ok(Json(read(&app, &caller, &enterprise_id).await?.0))
}

/// 一企一档 as a workbook: one sheet per section.
#[utoipa::path(get, path = "/api/v1/credit/dossiers/{enterprise_id}/xlsx", tag = "企业信用", params(("enterprise_id" = String, Path)), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn dossier_xlsx(
    State(app): State<AppState>,
    caller: Caller,
    Path(enterprise_id): Path<String>,
) -> ApiResult<Response> {
    let (d, day) = read(&app, &caller, &enterprise_id).await?;
    let name = export_name(&d.enterprise.name, &day.to_string(), "xlsx");
    table::respond_all(workbook(&d), &name).await
}

/// 一企一档 as a printable PDF (A4, every section).
#[utoipa::path(get, path = "/api/v1/credit/dossiers/{enterprise_id}/pdf", tag = "企业信用", params(("enterprise_id" = String, Path)), responses((status = 200, description = "The dossier as a PDF.", content(("application/pdf"))), (status = 404, body = crate::error::ErrorBody)))]
pub async fn dossier_pdf(
    State(app): State<AppState>,
    caller: Caller,
    Path(enterprise_id): Path<String>,
) -> ApiResult<Response> {
    let (d, day) = read(&app, &caller, &enterprise_id).await?;
    let layout = Layout {
        authority: "一企一档".into(),
        title: format!("{}安全生产档案", d.enterprise.name),
        number: d.enterprise.uscc.clone(),
        version_note: None,
        parties: vec![
            ("单位名称".into(), d.enterprise.name.clone()),
            ("统一社会信用代码".into(), d.enterprise.uscc.clone()),
            ("地址".into(), d.enterprise.address.clone()),
        ],
        sections: sheets(&d)
            .into_iter()
            .map(|(name, _, rows)| (name.to_string(), paragraph(&rows)))
            .collect(),
        closing: None,
        signatures: vec![],
        seal: false,
        date: chinese_date(day),
    };
    let bytes = tokio::task::spawn_blocking(move || render(&layout))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    let file = format!("dossier-{}-{day}.pdf", d.enterprise.uscc);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("inline; filename=\"{file}\""))
                    .unwrap_or(HeaderValue::from_static("inline")),
            ),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("private")),
        ],
        bytes,
    )
        .into_response())
}

fn paragraph(rows: &[Vec<String>]) -> String {
    if rows.is_empty() {
        return "无".into();
    }
    rows.iter()
        .map(|r| {
            r.iter()
                .filter(|c| !c.is_empty())
                .cloned()
                .collect::<Vec<_>>()
                .join("，")
        })
        .collect::<Vec<_>>()
        .join("；")
}

fn ms(v: i64) -> String {
    to_rfc3339(v)
        .chars()
        .take(16)
        .collect::<String>()
        .replace('T', " ")
}

fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

type SheetRows = (&'static str, &'static [&'static str], Vec<Vec<String>>);

// Long because: one block of cells per section, the sections in the page's order.
fn sheets(d: &Dossier) -> Vec<SheetRows> {
    let e = &d.enterprise;
    let expiry = |x: &Option<super::api::licences::ExpiryStatus>| {
        x.as_ref()
            .map(|x| x.expiry_label.clone())
            .unwrap_or_default()
    };
    let head: Vec<SheetRows> = vec![
        (
            "基本信息",
            &["项目", "内容"],
            vec![
                vec!["单位名称".into(), e.name.clone()],
                vec!["统一社会信用代码".into(), e.uscc.clone()],
                vec!["行业".into(), e.industry_label.clone()],
                vec!["监管类别".into(), e.category_labels.join("、")],
                vec!["地址".into(), e.address.clone()],
                vec!["主要负责人".into(), opt(&e.principal_name)],
                vec!["经营状态".into(), e.status_label.clone()],
            ],
        ),
        (
            "证照",
            &[
                "证照类型",
                "编号",
                "许可范围",
                "发证机关",
                "有效期起",
                "有效期至",
                "状态",
            ],
            d.licences
                .iter()
                .map(|l| {
                    vec![
                        l.kind_label.clone(),
                        l.number.clone(),
                        opt(&l.scope),
                        opt(&l.issuer),
                        l.valid_from.clone(),
                        l.valid_until.clone(),
                        expiry(&l.expiry),
                    ]
                })
                .collect(),
        ),
        (
            "标准化",
            &["等级", "证书编号", "有效期至", "状态"],
            d.standardisation
                .iter()
                .map(|s| {
                    vec![
                        s.grade_label.clone(),
                        s.certificate_number.clone(),
                        s.valid_until.clone(),
                        expiry(&s.expiry),
                    ]
                })
                .collect(),
        ),
        (
            "关键岗位人员",
            &["岗位", "姓名", "证书种类", "证书编号", "有效期至", "状态"],
            d.key_people
                .iter()
                .map(|p| {
                    vec![
                        p.post_label.clone(),
                        p.name.clone(),
                        opt(&p.certificate_kind),
                        opt(&p.certificate_number),
                        opt(&p.valid_until),
                        expiry(&p.expiry),
                    ]
                })
                .collect(),
        ),
        (
            "风险点",
            &["名称", "位置", "等级", "复评日期"],
            d.risk_points
                .iter()
                .map(|r| {
                    vec![
                        r.name.clone(),
                        r.location.clone(),
                        risk_label(&r.level),
                        opt(&r.review_date),
                    ]
                })
                .collect(),
        ),
        (
            "隐患",
            &[
                "编号",
                "等级",
                "状态",
                "描述",
                "整改期限",
                "逾期",
                "发现时间",
            ],
            d.hazards
                .items
                .iter()
                .map(|h| {
                    vec![
                        h.code.clone(),
                        if h.level == "major" {
                            "重大".into()
                        } else {
                            "一般".into()
                        },
                        h.status.clone(),
                        h.description.clone(),
                        opt(&h.deadline),
                        if h.overdue {
                            "是".into()
                        } else {
                            String::new()
                        },
                        ms(h.reported_ms),
                    ]
                })
                .collect(),
        ),
        (
            "重大危险源",
            &["编号", "名称", "级别", "监测点", "监测点状态"],
            d.major_hazards
                .iter()
                .flat_map(|m| {
                    let head = vec![m.code.clone(), m.name.clone(), format!("{}级", m.level)];
                    if m.sensors.is_empty() {
                        return vec![head];
                    }
                    m.sensors
                        .iter()
                        .map(|s| {
                            let mut r = head.clone();
                            r.push(s.name.clone());
                            r.push(s.status.clone());
                            r
                        })
                        .collect()
                })
                .collect(),
        ),
        (
            "报警",
            &["监测点", "等级", "处置", "报警时间"],
            d.alarms
                .iter()
                .map(|a| {
                    vec![
                        a.sensor_id.clone(),
                        a.level.clone(),
                        a.response.clone(),
                        ms(a.opened_ms),
                    ]
                })
                .collect(),
        ),
        (
            "执法检查",
            &["检查时间", "检查人员", "摘要"],
            d.inspections
                .iter()
                .map(|i| {
                    vec![
                        ms(i.recorded_ms),
                        i.recorded_by_name.clone(),
                        i.summary.clone(),
                    ]
                })
                .collect(),
        ),
        (
            "行政处罚",
            &["案由", "状态", "立案日期", "决定日期", "罚款（元）"],
            d.cases
                .iter()
                .map(|c| {
                    vec![
                        c.title.clone(),
                        c.state.clone(),
                        c.filed_day.clone(),
                        opt(&c.decided_day),
                        c.decided_fine.map(|f| f.to_string()).unwrap_or_default(),
                    ]
                })
                .collect(),
        ),
        (
            "事故事件",
            &["编号", "名称", "死亡", "发生时间"],
            d.incidents
                .iter()
                .map(|i| {
                    vec![
                        i.code.clone(),
                        i.title.clone(),
                        i.deaths.to_string(),
                        ms(i.occurred_ms),
                    ]
                })
                .collect(),
        ),
    ];
    head.into_iter()
        .chain(credit_sheets(d))
        .chain([(
            "时间线",
            &["时间", "类别", "事项"] as &'static [&'static str],
            d.timeline
                .iter()
                .map(|t| vec![ms(t.at_ms), t.section_label.clone(), t.title.clone()])
                .collect(),
        )])
        .collect()
}

/// 应急预案备案, the credit face with its reasons and history, and 安责险.
fn credit_sheets(d: &Dossier) -> Vec<SheetRows> {
    let r = &d.rating;
    let mut face = vec![
        vec!["信用等级".into(), format!("{}（{}）", r.tier, r.tier_name)],
        vec!["得分".into(), r.score.to_string()],
        vec!["评定日期".into(), r.as_of_day.clone()],
        vec![
            "每年至少检查次数".into(),
            r.inspections_per_year.to_string(),
        ],
    ];
    face.extend(
        r.reasons
            .iter()
            .map(|x| vec!["评定依据".into(), x.text.clone()]),
    );
    vec![
        (
            "应急预案",
            &["预案编号", "名称", "类别", "版本", "施行日期", "状态"],
            d.plans
                .iter()
                .map(|p| {
                    vec![
                        p.code.clone(),
                        p.name.clone(),
                        p.kind_label.clone(),
                        p.version.clone(),
                        p.effective_date.clone(),
                        if p.status == "active" {
                            "现行".into()
                        } else {
                            "已被替代".into()
                        },
                    ]
                })
                .collect(),
        ),
        ("信用评级", &["项目", "内容"], face),
        (
            "信用变动",
            &["时间", "原等级", "新等级", "说明"],
            d.rating_changes
                .iter()
                .map(|c| {
                    vec![
                        ms(c.changed_ms),
                        c.old_tier.clone().unwrap_or_default(),
                        c.new_tier.clone(),
                        c.explanation.clone(),
                    ]
                })
                .collect(),
        ),
        (
            "安责险",
            &[
                "保险机构",
                "保单号",
                "保险期间",
                "参保人数",
                "每人保额（元）",
                "状态",
            ],
            d.policies
                .iter()
                .map(|p| {
                    vec![
                        p.insurer_name.clone(),
                        p.number.clone(),
                        format!("{} 至 {}", p.starts_day, p.ends_day),
                        p.insured_persons.to_string(),
                        p.cover_per_person.clone(),
                        p.standing_label.clone(),
                    ]
                })
                .collect(),
        ),
    ]
}

fn risk_label(level: &str) -> String {
    yingji_core::prevention::risk::RiskLevel::parse(level)
        .map(|l| l.label().to_string())
        .unwrap_or_else(|_| level.to_string())
}

fn workbook(d: &Dossier) -> Vec<Box<dyn Sheet>> {
    sheets(d)
        .into_iter()
        .map(|(name, headers, rows)| Box::new(text_sheet(name, headers, rows)) as Box<dyn Sheet>)
        .collect()
}
