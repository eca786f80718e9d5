//! 企业: registry CRUD, Excel export, template, and import with a per-row report.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery, Caller, ctx, string_or_number};
use crate::routes::ListResponse;
use crate::routes::directory::api::enterprises::{Enterprise, EnterpriseInput};
use crate::routes::kernel::imports::{ImportQuery, ImportReport, read_sheet, report};
use crate::spreadsheet::table::{self, Column, Table};
use crate::spreadsheet::{self, xlsx_response};
use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use yingji_app::directory::enterprises as use_cases;
use yingji_core::directory::enterprise::{
    CATEGORIES, FLAGS, INDUSTRY_SECTIONS, SCALES, STATUSES, label_of,
};
use yingji_core::directory::import::ImportMode;
use yingji_core::directory::import::{self, COLUMNS};
use yingji_store::Page;
use yingji_store::directory::enterprises;
use yingji_store::directory::enterprises::Enterprise as EnterpriseRow;
use yingji_store::directory::enterprises::EnterpriseFilter;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseQuery {
    /// Name or 统一社会信用代码 contains.
    #[serde(default, deserialize_with = "string_or_number")]
    pub q: Option<String>,
    pub category: Option<String>,
    pub flag: Option<String>,
    /// Region code: the region and everything below it.
    #[serde(default, deserialize_with = "string_or_number")]
    pub region: Option<String>,
    pub scale: Option<String>,
    pub status: Option<String>,
    /// GB/T 4754 code prefix.
    pub industry: Option<String>,
    /// name / uscc / updated_at / created_at / employees / grid_code
    pub sort: Option<String>,
    /// asc / desc
    pub order: Option<String>,
    pub page: Option<i64>,
    pub page_size: Option<i64>,
}

impl EnterpriseQuery {
    fn filter(&self) -> Result<EnterpriseFilter, ApiError> {
        let check = |field: &str,
                     v: &Option<String>,
                     list: &[yingji_core::directory::enterprise::Code],
                     what: &str|
         -> Result<Option<String>, ApiError> {
            match v.as_deref().filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(s) => yingji_core::directory::enterprise::code_of(list, s)
                    .map(|c| Some(c.to_string()))
                    .ok_or_else(|| ApiError::field(field, format!("{what}“{s}”无效"))),
            }
        };
        if let Some(s) = &self.sort
            && !enterprises::SORTS.iter().any(|x| x.0 == s)
        {
            return Err(ApiError::field(
                "sort",
                format!(
                    "排序字段“{s}”无效，可选：name、uscc、updated_at、created_at、employees、grid_code"
                ),
            ));
        }
        let desc = match self.order.as_deref() {
            None | Some("desc") => self.sort.is_none() || self.order.is_some(),
            Some("asc") => false,
            Some(o) => {
                return Err(ApiError::field(
                    "order",
                    format!("排序方向“{o}”无效，应为asc或desc"),
                ));
            }
        };
        if let Some(r) = &self.region
            && !r.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(ApiError::field("region", "区划代码应为数字"));
        }
        Ok(EnterpriseFilter {
            q: self.q.clone(),
            category: check("category", &self.category, CATEGORIES, "监管类别")?,
            flag: check("flag", &self.flag, FLAGS, "重点监管标识")?,
            region: self.region.clone(),
            scale: check("scale", &self.scale, SCALES, "企业规模")?,
            status: check("status", &self.status, STATUSES, "经营状态")?,
            industry: self.industry.clone(),
            sort: self.sort.clone(),
            desc,
        })
    }
}

/// 企业列表: search, filter, sort and page within the caller's scope.
#[utoipa::path(get, path = "/api/v1/enterprises", tag = "企业", params(EnterpriseQuery), responses((status = 200, body = ListResponse<Enterprise>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<EnterpriseQuery>,
) -> ApiResult<Json<ListResponse<Enterprise>>> {
    let f = q.filter()?;
    let (items, total) = enterprises::list(
        &app.store,
        &caller.scope,
        &f,
        Page::new(q.page, q.page_size),
    )
    .await?;
    let flags = yingji_app::credit::admission::hits(&app.store, &items).await?;
    Ok(Json(ListResponse {
        items: items.into_iter().zip(flags).map(with_admission).collect(),
        total,
    }))
}

/// The enterprise answer with its 准入负面清单 hits.
fn with_admission(
    (e, hits): (
        yingji_store::directory::enterprises::Enterprise,
        Vec<yingji_core::credit::admission::AdmissionHit>,
    ),
) -> Enterprise {
    Enterprise {
        admission: hits,
        ..e.into()
    }
}

async fn flagged(
    app: &AppState,
    e: yingji_store::directory::enterprises::Enterprise,
) -> ApiResult<Enterprise> {
    let hits = yingji_app::credit::admission::hits_of(&app.store, &e).await?;
    Ok(with_admission((e, hits)))
}

/// 企业详情.
#[utoipa::path(get, path = "/api/v1/enterprises/{id}", tag = "企业", params(("id" = String, Path)), responses((status = 200, body = Enterprise), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Enterprise>> {
    let e = enterprises::get(&app.store, &caller.scope, &id).await?;
    Ok(Json(flagged(&app, e).await?))
}

/// 新增企业.
#[utoipa::path(post, path = "/api/v1/enterprises", tag = "企业", request_body = EnterpriseInput,
    responses((status = 201, body = Enterprise), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<EnterpriseInput>,
) -> ApiResult<(StatusCode, Json<Enterprise>)> {
    let e = use_cases::create(
        &app.store,
        app.clock.now_ms(),
        &ctx(&caller),
        &input.try_into()?,
    )
    .await?;
    crate::live::map_counts_changed(&app).await;
    Ok((StatusCode::CREATED, Json(flagged(&app, e).await?)))
}

/// 修改企业.
#[utoipa::path(put, path = "/api/v1/enterprises/{id}", tag = "企业", params(("id" = String, Path)), request_body = EnterpriseInput,
    responses((status = 200, body = Enterprise), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn update(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<EnterpriseInput>,
) -> ApiResult<Json<Enterprise>> {
    let e = use_cases::update(
        &app.store,
        app.clock.now_ms(),
        &ctx(&caller),
        &id,
        &input.try_into()?,
    )
    .await?;
    crate::live::map_counts_changed(&app).await;
    Ok(Json(flagged(&app, e).await?))
}

/// 删除企业.
#[utoipa::path(delete, path = "/api/v1/enterprises/{id}", tag = "企业", params(("id" = String, Path)), responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
pub async fn delete(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    use_cases::delete(&app.store, app.clock.now_ms(), &ctx(&caller), &id).await?;
    crate::live::map_counts_changed(&app).await;
    Ok(StatusCode::NO_CONTENT)
}

fn labels(list: &[yingji_core::directory::enterprise::Code], codes: &[String]) -> String {
    codes
        .iter()
        .filter_map(|c| label_of(list, c))
        .collect::<Vec<_>>()
        .join("、")
}

/// The registry in the template's column order, so an export imports back unchanged.
fn export_columns() -> Vec<Column<EnterpriseRow>> {
    COLUMNS
        .iter()
        .map(|(header, field, _)| match *field {
            "lon" => table::number(header, |e: &EnterpriseRow| e.lon),
            "lat" => table::number(header, |e: &EnterpriseRow| e.lat),
            "employees" => table::number(header, |e: &EnterpriseRow| e.employees),
            "categories" => table::label(header, |e: &EnterpriseRow| {
                labels(CATEGORIES, &e.categories)
            }),
            "scale" => table::label(header, |e: &EnterpriseRow| label_of(SCALES, &e.scale)),
            "flags" => table::label(header, |e: &EnterpriseRow| labels(FLAGS, &e.flags)),
            "status" => table::label(header, |e: &EnterpriseRow| e.status_label.clone()),
            field => {
                let field: &'static str = field;
                table::text(header, move |e: &EnterpriseRow| text_field(e, field))
            }
        })
        .collect()
}

fn text_field(e: &EnterpriseRow, field: &str) -> Option<String> {
    match field {
        "name" => Some(e.name.clone()),
        "uscc" => Some(e.uscc.clone()),
        "industry_code" => Some(e.industry_code.clone()),
        "address" => Some(e.address.clone()),
        "grid_code" => Some(e.grid_code.clone()),
        "principal_name" => e.principal_name.clone(),
        "principal_phone" => e.principal_phone.clone(),
        "safety_officer_name" => e.safety_officer_name.clone(),
        "safety_officer_phone" => e.safety_officer_phone.clone(),
        _ => None,
    }
}

/// 导出企业 (.xlsx, same filters and scope as the list).
#[utoipa::path(get, path = "/api/v1/enterprises/export", tag = "企业", params(EnterpriseQuery), responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn export(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<EnterpriseQuery>,
) -> ApiResult<Response> {
    let f = q.filter()?;
    let rows =
        table::collect(|page| enterprises::list(&app.store, &caller.scope, &f, page)).await?;
    let sheet = Table {
        sheet: "企业",
        columns: export_columns(),
        rows,
    };
    crate::spreadsheet::personal::respond(&app, &caller, sheet, "企业名录.xlsx").await
}

fn template_notes() -> Vec<Vec<String>> {
    let list = |l: &[yingji_core::directory::enterprise::Code]| {
        l.iter().map(|c| c.label).collect::<Vec<_>>().join("、")
    };
    let mut notes = vec![vec!["列名".to_string(), "说明".to_string()]];
    for (header, field, required) in COLUMNS {
        let text = match *field {
            "uscc" => {
                "18位统一社会信用代码（GB 32100），系统校验校验位；不能与已登记企业重复".to_string()
            }
            "industry_code" => format!(
                "国民经济行业代码（GB/T 4754），如C2614；门类：{}",
                INDUSTRY_SECTIONS
                    .iter()
                    .map(|c| format!("{}{}", c.code, c.label))
                    .collect::<Vec<_>>()
                    .join("；")
            ),
            "categories" => format!("可填多项，用顿号分隔：{}", list(CATEGORIES)),
            "scale" => format!("{}，默认规下", list(SCALES)),
            "lon" | "lat" => "十进制度（CGCS2000），经纬度须同时填写或同时留空".to_string(),
            "grid_code" => "15位网格代码或12位社区代码，须在您的管辖范围内".to_string(),
            "flags" => format!("可填多项，用顿号分隔：{}", list(FLAGS)),
            "status" => format!("{}，默认在营", list(STATUSES)),
            "principal_phone" | "safety_officer_phone" => "11位手机号或“区号-号码”".to_string(),
            _ => String::new(),
        };
        notes.push(vec![
            format!("{header}{}", if *required { "（必填）" } else { "" }),
            text,
        ]);
    }
    notes
}

/// 下载导入模板 (.xlsx with an example row and a notes sheet).
#[utoipa::path(get, path = "/api/v1/enterprises/import/template", tag = "企业", responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>)))]
pub async fn template(_caller: Caller) -> ApiResult<Response> {
    let headers: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
    let example: Vec<String> = [
        "九江示例化工有限公司",
        "91350100M000100Y43",
        "C2614",
        "危险化学品、消防重点单位",
        "规上",
        "九江市浔阳区示例路1号",
        "115.99",
        "29.72",
        "360403001001001",
        "张三",
        "13800000000",
        "李四",
        "0792-8221234",
        "重大危险源、使用危化品",
        "在营",
        "120",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let bytes = spreadsheet::write_xlsx(
        "企业",
        &headers,
        &[example],
        Some(("填写说明", template_notes())),
    )
    .map_err(ApiError::internal)?;
    Ok(xlsx_response(bytes, "企业导入模板.xlsx"))
}

/// 导入企业: the request body is the .xlsx, .xls or .csv file itself. The file is read row by row
/// and parsed as it is read, within the bounds of `spreadsheet` (rows, columns, decompressed
/// size, cell length); a file beyond them is refused whole (413 for sizes, 400 otherwise) and
/// nothing is stored. A report lists at most `import::MAX_LISTED_ERRORS` errors, then one entry
/// (row 0) counting the rest, and quotes at most the start of a bad cell.
#[utoipa::path(post, path = "/api/v1/enterprises/import", tag = "企业", params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, body = ImportReport), (status = 422, body = crate::error::ErrorBody),
        (status = 413, description = "文件过大：请求体、解压后大小、单元格或.xls文件超过上限", body = crate::error::ErrorBody)))]
pub async fn import(
    State(app): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ImportQuery>,
    req: Request,
) -> ApiResult<Json<ImportReport>> {
    // Refused before the upload is read.
    use_cases::may_create(caller.role())?;
    let mode = q.mode()?;
    // Rows go straight from the reader into the parser: the sheet is never held whole.
    let parsed = read_sheet(
        &app,
        req,
        import::ImportParser::new(),
        |p, row_no, cells| {
            p.push(row_no, cells);
            p.wants_rows()
        },
    )
    .await?
    .finish();
    let (total_rows, unlisted) = (parsed.total_rows, parsed.unlisted_errors);
    let import_mode = match mode.as_str() {
        "check" => ImportMode::Check,
        "valid_only" => ImportMode::ValidOnly,
        _ => ImportMode::Strict,
    };
    let now = app.clock.now_ms();
    let done = use_cases::import(&app.store, now, &ctx(&caller), import_mode, parsed).await?;
    if done.imported > 0 {
        crate::live::map_counts_changed(&app).await;
    }
    // The parser kept the first errors by row and counted the rest; the database's errors
    // belong to rows it kept, so the first MAX_LISTED_ERRORS of all are still the first ones.
    Ok(Json(report(
        &mode,
        total_rows,
        done.valid_rows,
        done.imported,
        done.errors,
        unlisted,
    )?))
}
