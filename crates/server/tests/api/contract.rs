//! The OpenAPI document as the tests' oracle (ADR 0014). Every exchange the helpers make is
//! checked against it: the request path and method name a documented operation, the status is
//! documented for it, a JSON answer is valid against the documented schema, and a JSON body the
//! server accepted (2xx) is valid against the documented request schema. Non-JSON answers
//! (xlsx, csv, XML, HTML, event streams) are checked for status and media type only.
//!
//! The schemas are checked by a compact validator for the subset of JSON Schema 2020-12 that
//! utoipa emits; a keyword it does not know is reported, never ignored.

use serde_json::Value;
use std::sync::OnceLock;

/// The document, generated once per test binary by the same function the server serves.
pub fn doc() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| serde_json::to_value(yingji_server::openapi::document()).expect("document"))
}

/// Served by the binary but not part of the API contract.
fn outside_contract(path: &str) -> bool {
    // `/api/v1/test/clock` exists only with `serve --test-clock`; docs and the document itself.
    path == "/api/v1/test/clock"
        || path == "/api/openapi.json"
        || path.starts_with("/api/docs")
        || !(path.starts_with("/api/") || path == "/healthz")
}

/// The documented operation for a request: (path template, operation). Literal segments win
/// over `{param}` segments (`/hazards/stats` before `/hazards/{id}`).
pub fn operation(method: &str, path: &str) -> Option<(&'static str, &'static Value)> {
    let segments: Vec<&str> = path.split('/').collect();
    let mut best: Option<(usize, &'static str, &'static Value)> = None;
    for (template, item) in doc()["paths"].as_object()? {
        let t: Vec<&str> = template.split('/').collect();
        if t.len() != segments.len() {
            continue;
        }
        let mut literal = 0;
        let matches = t.iter().zip(&segments).all(|(t, s)| {
            if t.starts_with('{') && t.ends_with('}') {
                !s.is_empty()
            } else {
                literal += 1;
                t == s
            }
        });
        let Some(op) = item.get(method.to_ascii_lowercase()) else {
            continue;
        };
        if matches && best.is_none_or(|(l, ..)| literal > l) {
            best = Some((literal, template.as_str(), op));
        }
    }
    best.map(|(_, t, op)| (t, op))
}

/// Follows a local `$ref` (`#/components/...`).
pub fn resolve(v: &'static Value) -> &'static Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => resolve(
            doc()
                .pointer(r.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("unresolvable $ref {r}")),
        ),
        None => v,
    }
}

fn media_type(content_type: Option<&str>) -> Option<String> {
    content_type.map(|c| {
        c.split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    })
}

fn is_json(media: &str) -> bool {
    media == "application/json" || media.ends_with("+json")
}

/// One request and its answer, as the helpers saw them.
pub struct Exchange<'a> {
    pub method: &'a str,
    /// Without the query string.
    pub path: &'a str,
    pub request_content_type: Option<&'a str>,
    pub request_body: Option<&'a [u8]>,
    pub status: u16,
    pub content_type: Option<&'a str>,
    /// None for an event stream, which is not read.
    pub body: Option<&'a [u8]>,
}

/// Panics with a description of every way the exchange departs from the document.
pub fn check(x: &Exchange<'_>) {
    if outside_contract(x.path) {
        return;
    }
    let errors = violations(x);
    assert!(
        errors.is_empty(),
        "{} {} answered {} contrary to the OpenAPI document:\n  {}\nbody: {}",
        x.method,
        x.path,
        x.status,
        errors.join("\n  "),
        x.body
            .map(|b| String::from_utf8_lossy(&b[..b.len().min(2000)]).into_owned())
            .unwrap_or_default()
    );
}

fn violations(x: &Exchange<'_>) -> Vec<String> {
    let Some((template, op)) = operation(x.method, x.path) else {
        // The router's own answer to an unknown path is a 404 ErrorBody; anything else
        // answered on an undocumented path is a hole in the document.
        let fallback = x.status == 404
            && x.body
                .and_then(|b| serde_json::from_slice::<Value>(b).ok())
                .is_some_and(|v| {
                    validate(&doc()["components"]["schemas"]["ErrorBody"], &v).is_empty()
                });
        return match fallback {
            true => Vec::new(),
            false => vec![format!(
                "no documented operation for {} {}",
                x.method, x.path
            )],
        };
    };
    let mut errors = Vec::new();
    // A body the server accepted must be one the document allows.
    if (200..300).contains(&x.status)
        && let Some(body) = x.request_body
        && media_type(x.request_content_type).is_some_and(|m| is_json(&m))
        && let Some(schema) = op.pointer("/requestBody/content/application~1json/schema")
    {
        match serde_json::from_slice::<Value>(body) {
            Ok(v) => errors.extend(
                validate(schema, &v)
                    .into_iter()
                    .map(|e| format!("accepted request body ({template}): {e}")),
            ),
            Err(e) => errors.push(format!("accepted a request body that is not JSON: {e}")),
        }
    }
    let responses = &op["responses"];
    let Some(response) = responses
        .get(x.status.to_string())
        .or_else(|| responses.get(format!("{}XX", x.status / 100)))
        .or_else(|| responses.get("default"))
    else {
        let documented: Vec<&String> = responses
            .as_object()
            .map(|o| o.keys().collect())
            .unwrap_or_default();
        errors.push(format!(
            "status {} is not documented for {} {template} (documented: {documented:?})",
            x.status, x.method
        ));
        return errors;
    };
    let response = resolve(response);
    let media = media_type(x.content_type);
    let empty = x.body.is_some_and(<[u8]>::is_empty);
    let content = response.get("content").and_then(Value::as_object);
    let Some(content) = content.filter(|c| !c.is_empty()) else {
        if !empty {
            errors.push(format!(
                "status {} documents no body, but one came ({})",
                x.status,
                media.as_deref().unwrap_or("no content type")
            ));
        }
        return errors;
    };
    if empty {
        errors.push(format!(
            "status {} documents a body, but none came",
            x.status
        ));
        return errors;
    }
    let Some(media) = media else {
        errors.push("the answer has no content type".into());
        return errors;
    };
    let Some(documented) = content.get(&media).or_else(|| {
        // `text/csv; charset=…` and the like: the documented media type without parameters.
        content
            .iter()
            .find(|(k, _)| media_type(Some(k)).as_deref() == Some(media.as_str()))
            .map(|(_, v)| v)
    }) else {
        errors.push(format!(
            "content type {media} is not documented (documented: {:?})",
            content.keys().collect::<Vec<_>>()
        ));
        return errors;
    };
    if is_json(&media)
        && let Some(body) = x.body
        && let Some(schema) = documented.get("schema")
    {
        match serde_json::from_slice::<Value>(body) {
            Ok(v) => errors.extend(validate(schema, &v)),
            Err(e) => errors.push(format!("the answer is not JSON: {e}")),
        }
    }
    errors
}

// ---------------------------------------------------------------------------------------------
// The validator

/// Keywords that annotate and assert nothing.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "format",
    "default",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "xml",
    "discriminator",
    "contentEncoding",
    "contentMediaType",
    "externalDocs",
    "summary",
    "$comment",
];

/// Errors of `v` against `schema` (a schema of the document), each with the instance path.
pub fn validate(schema: &Value, v: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    Validator { depth: 0 }.check(schema, v, "$", &mut errors);
    errors
}

struct Validator {
    depth: usize,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "integer" => match v {
            Value::Number(n) => {
                n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            _ => false,
        },
        "number" => v.is_number(),
        t => type_name(v) == t,
    }
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64()
}

impl Validator {
    // Long because: one arm per JSON Schema keyword; grouping them would repeat every keyword.
    fn check(&mut self, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
        let schema = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => {
                errors.push(format!("{at}: no value is allowed here"));
                return;
            }
            Value::Object(s) => s,
            other => {
                errors.push(format!("{at}: schema is not an object: {other}"));
                return;
            }
        };
        self.depth += 1;
        assert!(self.depth < 64, "{at}: $ref recursion too deep");
        for (keyword, arg) in schema {
            match keyword.as_str() {
                "$ref" => {
                    let r = arg.as_str().unwrap_or_default();
                    match doc().pointer(r.trim_start_matches('#')) {
                        Some(target) => self.check(target, v, at, errors),
                        None => errors.push(format!("{at}: unresolvable $ref {r}")),
                    }
                }
                "type" => {
                    let types: Vec<&str> = match arg {
                        Value::String(t) => vec![t.as_str()],
                        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                        _ => vec![],
                    };
                    if !types.iter().any(|t| has_type(v, t)) {
                        errors.push(format!(
                            "{at}: expected {}, got {} {}",
                            types.join(" or "),
                            type_name(v),
                            short(v)
                        ));
                    }
                }
                "enum" => {
                    if !arg.as_array().is_some_and(|a| a.contains(v)) {
                        errors.push(format!("{at}: {} is not one of {arg}", short(v)));
                    }
                }
                "const" => {
                    if arg != v {
                        errors.push(format!("{at}: {} is not {arg}", short(v)));
                    }
                }
                "properties" => {
                    if let (Some(props), Some(o)) = (arg.as_object(), v.as_object()) {
                        for (k, s) in props {
                            if let Some(value) = o.get(k) {
                                self.check(s, value, &format!("{at}.{k}"), errors);
                            }
                        }
                    }
                }
                "required" => {
                    if let Some(o) = v.as_object() {
                        for k in arg.as_array().into_iter().flatten().filter_map(Value::as_str) {
                            if !o.contains_key(k) {
                                errors.push(format!("{at}: required property `{k}` is missing"));
                            }
                        }
                    }
                }
                "additionalProperties" => {
                    if let Some(o) = v.as_object() {
                        let known = schema.get("properties").and_then(Value::as_object);
                        for (k, value) in o {
                            if known.is_some_and(|p| p.contains_key(k)) {
                                continue;
                            }
                            if arg == &Value::Bool(false) {
                                errors.push(format!("{at}: property `{k}` is not documented"));
                            } else {
                                self.check(arg, value, &format!("{at}.{k}"), errors);
                            }
                        }
                    }
                }
                "propertyNames" => {
                    if let Some(o) = v.as_object() {
                        for k in o.keys() {
                            self.check(arg, &Value::String(k.clone()), &format!("{at}.{k} (name)"), errors);
                        }
                    }
                }
                "minProperties" | "maxProperties" => {
                    if let (Some(o), Some(n)) = (v.as_object(), arg.as_u64()) {
                        let len = o.len() as u64;
                        if (keyword == "minProperties" && len < n) || (keyword == "maxProperties" && len > n) {
                            errors.push(format!("{at}: {len} properties, {keyword} {n}"));
                        }
                    }
                }
                "items" => {
                    if let Some(a) = v.as_array() {
                        let skip = schema
                            .get("prefixItems")
                            .and_then(Value::as_array)
                            .map_or(0, Vec::len);
                        for (i, item) in a.iter().enumerate().skip(skip) {
                            self.check(arg, item, &format!("{at}[{i}]"), errors);
                        }
                    }
                }
                "prefixItems" => {
                    if let (Some(schemas), Some(a)) = (arg.as_array(), v.as_array()) {
                        for (i, (s, item)) in schemas.iter().zip(a).enumerate() {
                            self.check(s, item, &format!("{at}[{i}]"), errors);
                        }
                    }
                }
                "minItems" | "maxItems" => {
                    if let (Some(a), Some(n)) = (v.as_array(), arg.as_u64()) {
                        let len = a.len() as u64;
                        if (keyword == "minItems" && len < n) || (keyword == "maxItems" && len > n) {
                            errors.push(format!("{at}: {len} items, {keyword} {n}"));
                        }
                    }
                }
                "minLength" | "maxLength" => {
                    if let (Some(s), Some(n)) = (v.as_str(), arg.as_u64()) {
                        let len = s.chars().count() as u64;
                        if (keyword == "minLength" && len < n) || (keyword == "maxLength" && len > n) {
                            errors.push(format!("{at}: length {len}, {keyword} {n}"));
                        }
                    }
                }
                "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => {
                    if let (Some(x), Some(limit)) = (number(v), number(arg)) {
                        let ok = match keyword.as_str() {
                            "minimum" => x >= limit,
                            "maximum" => x <= limit,
                            "exclusiveMinimum" => x > limit,
                            _ => x < limit,
                        };
                        if !ok {
                            errors.push(format!("{at}: {x} violates {keyword} {limit}"));
                        }
                    }
                }
                "allOf" => {
                    for s in arg.as_array().into_iter().flatten() {
                        self.check(s, v, at, errors);
                    }
                }
                "anyOf" | "oneOf" => {
                    let mut branch_errors = Vec::new();
                    let mut matched = 0;
                    for s in arg.as_array().into_iter().flatten() {
                        let mut e = Vec::new();
                        self.check(s, v, at, &mut e);
                        if e.is_empty() {
                            matched += 1;
                        } else {
                            branch_errors.push(e.join("; "));
                        }
                    }
                    if matched == 0 {
                        errors.push(format!(
                            "{at}: matches no branch of {keyword}: [{}]",
                            branch_errors.join(" | ")
                        ));
                    } else if keyword == "oneOf" && matched > 1 {
                        errors.push(format!("{at}: matches {matched} branches of oneOf"));
                    }
                }
                "not" => {
                    let mut e = Vec::new();
                    self.check(arg, v, at, &mut e);
                    if e.is_empty() {
                        errors.push(format!("{at}: matches a `not` schema"));
                    }
                }
                k if ANNOTATIONS.contains(&k) || k.starts_with("x-") => {}
                k => errors.push(format!(
                    "{at}: the validator does not know the keyword `{k}` (extend tests/api/contract.rs)"
                )),
            }
        }
        self.depth -= 1;
    }
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s
    }
}

/// The request schema of an operation.
pub fn request_schema(method: &str, template: &str) -> &'static Value {
    doc()["paths"][template][method]
        .pointer("/requestBody/content/application~1json/schema")
        .unwrap_or_else(|| panic!("{method} {template} documents no JSON body"))
}
