//! 台账 of a process: 因灾死亡失踪人口台账 and 因灾倒塌损坏住房户台账 (ID numbers checked by their
//! GB 11643 check digit, shown masked).

use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{ApiJson, Caller, ctx};
use crate::routes::Limits;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa_axum::{router::OpenApiRouter, routes};
use yingji_core::disasters::ledgers::{HOUSE_DEGREES, PERSON_STATUS, label, mask_id_number};
use yingji_store::disasters::{ledgers, processes};

pub fn router(_limits: &Limits) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(add_person))
        .routes(routes!(add_house))
}

/// A person who died or is missing.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterLedgerPerson)]
pub struct Person {
    pub id: String,
    /// The township (one of the process's).
    pub township: String,
    pub name: String,
    /// 男 / 女
    pub sex: String,
    pub age: i64,
    /// 公民身份号码 (GB 11643, 18 characters); shown masked.
    pub id_number: String,
    pub address: String,
    /// dead / missing
    pub status: String,
    pub status_label: String,
    pub cause: String,
    /// YYYY-MM-DD
    pub day: String,
}

/// A household whose house collapsed or was damaged.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterLedgerHouse)]
pub struct House {
    pub id: String,
    pub township: String,
    /// 户主姓名.
    pub head: String,
    pub address: String,
    pub rooms: i64,
    /// collapsed / severe / damaged
    pub degree: String,
    pub degree_label: String,
}

/// A person to add to the 死亡失踪人口台账.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = DisasterLedgerPersonInput)]
pub struct PersonIn {
    /// The township (one of the process's).
    pub township: String,
    pub name: String,
    /// 男 / 女
    pub sex: String,
    pub age: i64,
    /// 公民身份号码 (GB 11643, 18 characters, its check digit verified).
    pub id_number: String,
    pub address: String,
    /// dead / missing
    pub status: String,
    pub cause: String,
    /// YYYY-MM-DD
    pub day: String,
}

/// A household to add to the 倒塌损坏住房户台账.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = DisasterLedgerHouseInput)]
pub struct HouseIn {
    pub township: String,
    /// 户主姓名.
    pub head: String,
    pub address: String,
    pub rooms: i64,
    /// collapsed / severe / damaged
    pub degree: String,
}

/// The two 台账 of a process.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = DisasterLedgers)]
pub struct Ledgers {
    pub persons: Vec<Person>,
    pub houses: Vec<House>,
}

async fn ledgers_of(app: &AppState, id: &str) -> ApiResult<Ledgers> {
    let (p, h) = ledgers::of_process(&app.store, id).await?;
    Ok(Ledgers {
        persons: p
            .into_iter()
            .map(|p| Person {
                id: p.id,
                status_label: label(PERSON_STATUS, &p.input.status).into(),
                id_number: mask_id_number(&p.input.id_number),
                township: p.input.township,
                name: p.input.name,
                sex: p.input.sex,
                age: p.input.age,
                address: p.input.address,
                status: p.input.status,
                cause: p.input.cause,
                day: p.input.day,
            })
            .collect(),
        houses: h
            .into_iter()
            .map(|h| House {
                id: h.id,
                degree_label: label(HOUSE_DEGREES, &h.input.degree).into(),
                township: h.input.township,
                head: h.input.head,
                address: h.input.address,
                rooms: h.input.rooms,
                degree: h.input.degree,
            })
            .collect(),
    })
}

/// 台账 of a process.
#[utoipa::path(get, path = "/api/v1/disasters/processes/{id}/ledgers", tag = "灾情报送", params(("id" = String, Path)), responses((status = 200, body = Ledgers), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Ledgers>> {
    processes::get(&app.store, &ctx(&caller), &id).await?;
    Ok(Json(ledgers_of(&app, &id).await?))
}

/// 因灾死亡失踪人口台账: adds a person; answers both 台账.
#[utoipa::path(post, path = "/api/v1/disasters/processes/{id}/ledgers/persons", tag = "灾情报送", params(("id" = String, Path)), request_body = PersonIn, responses((status = 201, body = Ledgers), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn add_person(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(p): ApiJson<PersonIn>,
) -> ApiResult<(StatusCode, Json<Ledgers>)> {
    let input = yingji_core::disasters::ledgers::PersonInput {
        township: p.township,
        name: p.name,
        sex: p.sex,
        age: p.age,
        id_number: p.id_number,
        address: p.address,
        status: p.status,
        cause: p.cause,
        day: p.day,
    };
    yingji_app::disasters::ledgers::add_person(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &input,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(ledgers_of(&app, &id).await?)))
}

/// 因灾倒塌损坏住房户台账: adds a household; answers both 台账.
#[utoipa::path(post, path = "/api/v1/disasters/processes/{id}/ledgers/houses", tag = "灾情报送", params(("id" = String, Path)), request_body = HouseIn, responses((status = 201, body = Ledgers), (status = 400, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn add_house(
    State(app): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(h): ApiJson<HouseIn>,
) -> ApiResult<(StatusCode, Json<Ledgers>)> {
    let input = yingji_core::disasters::ledgers::HouseInput {
        township: h.township,
        head: h.head,
        address: h.address,
        rooms: h.rooms,
        degree: h.degree,
    };
    yingji_app::disasters::ledgers::add_house(
        &app.store,
        &ctx(&caller),
        app.clock.now_ms(),
        &id,
        &input,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(ledgers_of(&app, &id).await?)))
}
