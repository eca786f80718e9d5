//! Conventions applied to the generated document after the derives (a [`utoipa::Modify`]):
//!
//! - **Common error responses.** Every handler answers errors through `ApiError` as an
//!   [`ErrorBody`](crate::error::ErrorBody), so the statuses any operation may answer are
//!   documented once, as shared responses under `components.responses`, and referenced from each
//!   operation where they apply (an operation's own entry for the same status is kept):
//!   - 401 and 403 on every operation that needs a session, a token or a gateway login (all of
//!     `/api/v1` but login and `/api/v1/meta`): not signed in, or a role or scope without the
//!     right (403 also when a reset password must be changed first);
//!   - 400 on every operation that takes parameters or a body (unknown or ill-typed query
//!     parameters, invalid fields);
//!   - 404 on every operation with a path parameter (unknown, or outside the caller's scope);
//!   - 409 on every authenticated `POST`/`PUT`/`PATCH`/`DELETE` (uniqueness, references, or a
//!     record in a state the action does not apply to);
//!   - 413 and 415 on every operation with a JSON body (too large; not `application/json`).
//!
//!   429 is not common: the operations that are rate-limited document it themselves.
//! - **Unique operation ids.** utoipa takes a handler's name as its `operationId`, and many
//!   modules have a `list`, `get` or `create`; OpenAPI requires the ids to be unique (clients'
//!   generators name methods after them). A name used by several operations becomes
//!   `{name}_{path nouns}` (`list_enterprises`, `get_risk_points`, `ingest_warnings_cap`), or just
//!   the nouns when the name is the last of them (`map_regions`, `hazards_stats`).
//! - **Response descriptions**, which OpenAPI requires: a response documented without one is
//!   described by its status's reason phrase ("OK", "Created", "No Content" …).
//! - **Flattened closed structs.** `#[serde(flatten)]` becomes `allOf: [$ref X, {own fields}]`;
//!   when X denies unknown fields (`additionalProperties: false`), no object can satisfy both
//!   parts (X refuses the outer fields). Such an `allOf` is merged into one object holding all
//!   properties and `required` names, closed like X (every such struct in this API refuses
//!   unknown fields as a whole: `IncidentInput` by `deny_unknown_fields`, `NewUser` in its
//!   handler).

use std::collections::BTreeMap;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{AdditionalProperties, Object, Schema, SchemaType, Type};
use utoipa::openapi::{Components, ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};

/// Shared error responses: (status, component name, description).
pub const COMMON_ERRORS: &[(&str, &str, &str)] = &[
    (
        "400",
        "BadRequest",
        "请求不合法：参数或请求体字段错误（`details` 逐项列出字段和原因）",
    ),
    ("401", "Unauthorized", "未登录、会话已失效或令牌无效"),
    (
        "403",
        "Forbidden",
        "无权执行（角色或权限范围不符，或须先修改密码）",
    ),
    ("404", "NotFound", "记录不存在或调用者无权访问"),
    (
        "409",
        "Conflict",
        "冲突：唯一性、仍被引用，或记录当前状态不允许该操作",
    ),
    ("413", "PayloadTooLarge", "请求体过大"),
    ("415", "UnsupportedMediaType", "请求体须为 application/json"),
    ("429", "TooManyRequests", "请求过于频繁（带 Retry-After）"),
];

/// Operations of `/api/v1` that need no login.
const OPEN_V1: &[&str] = &["/api/v1/auth/login", "/api/v1/meta"];

pub struct Conventions;

impl utoipa::Modify for Conventions {
    fn modify(&self, doc: &mut OpenApi) {
        let components = doc.components.get_or_insert_with(Components::new);
        close_flattened(&mut components.schemas);
        for (_, name, description) in COMMON_ERRORS {
            let body = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build();
            let response: Response = ResponseBuilder::new()
                .description(*description)
                .content("application/json", body)
                .build();
            components
                .responses
                .insert((*name).to_string(), RefOr::T(response));
        }
        unique_operation_ids(doc);
        for (path, item) in doc.paths.paths.iter_mut() {
            let authenticated = path.starts_with("/api/v1/") && !OPEN_V1.contains(&path.as_str());
            for (mutating, op) in [
                (false, &mut item.get),
                (true, &mut item.put),
                (true, &mut item.post),
                (true, &mut item.delete),
                (true, &mut item.patch),
            ] {
                if let Some(op) = op {
                    add_common_errors(op, authenticated, mutating);
                    describe_responses(op);
                }
            }
        }
    }
}

fn unique_operation_ids(doc: &mut OpenApi) {
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    for item in doc.paths.paths.values() {
        for op in [&item.get, &item.put, &item.post, &item.delete, &item.patch]
            .into_iter()
            .flatten()
        {
            if let Some(id) = &op.operation_id {
                *uses.entry(id.clone()).or_default() += 1;
            }
        }
    }
    let mut taken: std::collections::BTreeSet<String> = uses
        .iter()
        .filter(|(_, n)| **n == 1)
        .map(|(id, _)| id.clone())
        .collect();
    for (path, item) in doc.paths.paths.iter_mut() {
        // `/api/v1/risk-points/{id}` → [risk_points]; `/api/public/regions` → [public, regions]
        let mut nouns: Vec<String> = Vec::new();
        if path.starts_with("/api/public/") {
            nouns.push("public".into());
        }
        nouns.extend(
            path.split('/')
                .filter(|s| !s.is_empty() && !s.starts_with('{'))
                .filter(|s| !["api", "v1", "public"].contains(s))
                .map(|s| s.replace('-', "_")),
        );
        for op in [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ]
        .into_iter()
        .flatten()
        {
            let Some(id) = op.operation_id.clone() else {
                continue;
            };
            if uses.get(&id).copied().unwrap_or(0) < 2 {
                continue;
            }
            let joined = nouns.join("_");
            let mut new = match nouns.last() == Some(&id) {
                true => joined.clone(),
                false => format!("{id}_{joined}"),
            };
            if taken.contains(&new) {
                new = format!("{id}_{joined}");
            }
            taken.insert(new.clone());
            op.operation_id = Some(new);
        }
    }
}

fn describe_responses(op: &mut Operation) {
    for (status, response) in op.responses.responses.iter_mut() {
        if let RefOr::T(response) = response
            && response.description.is_empty()
        {
            response.description = status
                .parse::<u16>()
                .ok()
                .and_then(|s| axum::http::StatusCode::from_u16(s).ok())
                .and_then(|s| s.canonical_reason())
                .unwrap_or("Response")
                .to_string();
        }
    }
}

fn add_common_errors(op: &mut Operation, authenticated: bool, mutating: bool) {
    let params: Vec<ParameterIn> = op
        .parameters
        .iter()
        .flatten()
        .filter_map(|p| match p {
            RefOr::T(p) => Some(p.parameter_in.clone()),
            RefOr::Ref(_) => None,
        })
        .collect();
    let json_body = match &op.request_body {
        Some(RefOr::T(b)) => b.content.contains_key("application/json"),
        _ => false,
    };
    let mut statuses = Vec::new();
    if !params.is_empty() || op.request_body.is_some() {
        statuses.push("400");
    }
    if authenticated {
        statuses.extend(["401", "403"]);
    }
    if params.iter().any(|p| matches!(p, ParameterIn::Path)) {
        statuses.push("404");
    }
    if authenticated && mutating {
        statuses.push("409");
    }
    if json_body {
        statuses.extend(["413", "415"]);
    }
    for status in statuses {
        let Some((_, name, _)) = COMMON_ERRORS.iter().find(|(s, ..)| *s == status) else {
            continue;
        };
        op.responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| RefOr::Ref(Ref::from_response_name(*name)));
    }
}

fn is_closed(o: &Object) -> bool {
    matches!(
        o.additional_properties.as_deref(),
        Some(AdditionalProperties::FreeForm(false))
    )
}

/// Merges `allOf`s with a closed part into one closed object (see the module's documentation).
fn close_flattened(schemas: &mut BTreeMap<String, RefOr<Schema>>) {
    let resolve = |s: &RefOr<Schema>| -> Option<Object> {
        match s {
            RefOr::T(Schema::Object(o)) => Some(o.clone()),
            RefOr::Ref(r) => match schemas.get(r.ref_location.rsplit('/').next()?)? {
                RefOr::T(Schema::Object(o)) => Some(o.clone()),
                _ => None,
            },
            _ => None,
        }
    };
    let mut merged = Vec::new();
    for (name, schema) in schemas.iter() {
        let RefOr::T(Schema::AllOf(all)) = schema else {
            continue;
        };
        let Some(parts) = all
            .items
            .iter()
            .map(|s| Some((matches!(s, RefOr::T(_)), resolve(s)?)))
            .collect::<Option<Vec<_>>>()
        else {
            continue;
        };
        if !parts.iter().any(|(_, o)| is_closed(o)) {
            continue;
        }
        let mut object = Object::new();
        object.schema_type = SchemaType::Type(Type::Object);
        object.description = all.description.clone();
        for (inline, part) in parts {
            // The struct's own doc comment, not the flattened type's.
            if inline && object.description.is_none() {
                object.description = part.description.clone();
            }
            object.properties.extend(part.properties);
            for r in part.required {
                if !object.required.contains(&r) {
                    object.required.push(r);
                }
            }
        }
        object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
        merged.push((name.clone(), object));
    }
    for (name, object) in merged {
        schemas.insert(name, RefOr::T(Schema::Object(object)));
    }
}
