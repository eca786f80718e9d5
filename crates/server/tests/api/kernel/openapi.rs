//! The OpenAPI document is a contract: it is compared with the committed snapshot
//! (docs/api/openapi.json). After an intended change: YINGJI_UPDATE_SNAPSHOTS=1 cargo nextest run openapi

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn openapi_matches_snapshot() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let c = app.anonymous();
    let (s, doc) = app.get(&c, "/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    let pretty = serde_json::to_string_pretty(&doc).unwrap() + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/api/openapi.json");
    if std::env::var("YINGJI_UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &pretty).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == pretty,
        "OpenAPI document changed; review and run with YINGJI_UPDATE_SNAPSHOTS=1 to update docs/api/openapi.json"
    );
    // Every documented path answers (no 404 from the router) and the docs page is local.
    for p in doc["paths"].as_object().unwrap().keys() {
        let url = p
            .replace("{id}", "x")
            .replace("{code}", "360403")
            .replace("{action}", "grade")
            .replace("{tracking}", "ABCDEFGHJKMN");
        let r = c.get(app.url(&url)).send().await.unwrap();
        // A handler's own 404 (an unknown tracking code) is JSON; the router's is not.
        let routed = r.status() != StatusCode::NOT_FOUND
            || r.text().await.unwrap_or_default().contains("not_found");
        assert!(routed, "{url}");
    }
    let r = c.get(app.url("/api/docs/")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(
        !html.contains("https://"),
        "docs page must not load assets from the internet"
    );
}

#[tokio::test]
async fn health() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (s, v) = app.get(&app.anonymous(), "/healthz").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["status"], "ok");
}

/// Every `in: path` parameter is a `{name}` of its path (query-struct fields are `in: query`),
/// every `{name}` is a required path parameter, and no parameter is declared twice.
#[test]
fn parameters_are_where_they_are_read() {
    let doc = crate::contract::doc();
    let mut errors = Vec::new();
    for (template, item) in doc["paths"].as_object().unwrap() {
        let names: Vec<&str> = template
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        for (method, op) in item.as_object().unwrap() {
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let mut seen = std::collections::HashSet::new();
            for p in &params {
                let (name, place) = (p["name"].as_str().unwrap(), p["in"].as_str().unwrap());
                if !seen.insert((name, place)) {
                    errors.push(format!("{method} {template}: `{name}` declared twice"));
                }
                if place == "path" && !names.contains(&name) {
                    errors.push(format!(
                        "{method} {template}: `{name}` is `in: path` but not in the path"
                    ));
                }
                if place == "path" && p["required"] != true {
                    errors.push(format!("{method} {template}: path `{name}` not required"));
                }
            }
            for n in &names {
                if !params.iter().any(|p| p["name"] == *n && p["in"] == "path") {
                    errors.push(format!("{method} {template}: `{{{n}}}` is not declared"));
                }
            }
        }
    }
    assert!(errors.is_empty(), "{}", errors.join("\n"));
    // `Option` fields are optional, the others required.
    let param = |template: &str, name: &str| {
        doc["paths"][template]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{template} {name}"))
            .clone()
    };
    let kind = param("/api/v1/resources/search", "kind");
    assert_eq!(
        (&kind["in"], &kind["required"]),
        (&"query".into(), &true.into())
    );
    let need = param("/api/v1/resources/search", "need");
    assert_eq!(
        (&need["in"], &need["required"]),
        (&"query".into(), &false.into())
    );
    let from = param("/api/v1/sensors/{id}/trend", "from_ms");
    assert_eq!(
        (&from["in"], &from["required"]),
        (&"query".into(), &false.into())
    );
}

/// Two Rust types with one schema name register under that name and one silently replaces
/// the other. Every `ToSchema` type of the workspace must have a name of its own (give one an
/// `#[schema(as = …)]`).
#[test]
fn schema_names_are_unique() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    let mut dirs = vec![root];
    while let Some(dir) = dirs.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() && p.file_name().is_some_and(|n| n != "tests" && n != "target") {
                dirs.push(p);
            } else if p.extension().is_some_and(|x| x == "rs")
                && p.to_string_lossy().contains("/src/")
            {
                files.push(p);
            }
        }
    }
    let mut by_name: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for f in &files {
        let src = std::fs::read_to_string(f).unwrap();
        for (name, line) in schema_names(&src) {
            by_name
                .entry(name)
                .or_default()
                .push(format!("{}:{line}", f.display()));
        }
    }
    assert!(
        by_name.len() > 100,
        "found only {} ToSchema types",
        by_name.len()
    );
    let clashes: Vec<String> = by_name
        .iter()
        .filter(|(_, at)| at.len() > 1)
        .map(|(n, at)| format!("{n}: {}", at.join(", ")))
        .collect();
    assert!(
        clashes.is_empty(),
        "schema names used twice:\n{}",
        clashes.join("\n")
    );
    // And every reference of the document resolves.
    fn refs(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(o) => {
                if let Some(r) = o.get("$ref").and_then(|r| r.as_str()) {
                    out.push(r.to_string());
                }
                o.values().for_each(|v| refs(v, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let doc = crate::contract::doc();
    let mut all = Vec::new();
    refs(doc, &mut all);
    for r in all {
        assert!(
            doc.pointer(r.trim_start_matches('#')).is_some(),
            "unresolvable {r}"
        );
    }
}

/// (schema name, line) of each `#[derive(…ToSchema…)]` item: `#[schema(as = path::Name)]`
/// gives `path.Name`, as utoipa names it.
fn schema_names(src: &str) -> Vec<(String, usize)> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
            .collect::<String>()
            .replace("::", ".")
    };
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(i) = src[at..].find("#[derive(") {
        let start = at + i;
        let Some(end) = src[start..].find(")]").map(|e| start + e) else {
            break;
        };
        at = end;
        if !src[start..end].contains("ToSchema") {
            continue;
        }
        let item = ["struct ", "enum "]
            .iter()
            .filter_map(|k| {
                let mut from = end;
                loop {
                    let p = from + src[from..].find(k)?;
                    if src[..p].ends_with(char::is_whitespace) {
                        return Some(p + k.len());
                    }
                    from = p + k.len();
                }
            })
            .min();
        let Some(item) = item else { continue };
        let head = &src[end..item];
        let name = match head.find("as = ") {
            Some(p) => ident(&head[p + 5..]),
            None => ident(&src[item..]),
        };
        out.push((name, src[..start].lines().count() + 1));
    }
    out
}

/// `#[serde(flatten)]` of a struct that refuses unknown fields must not become an `allOf`
/// whose parts refuse each other's fields: real bodies of the tests validate against the
/// request schemas, and a field that the server refuses is refused by the document too.
#[test]
fn request_bodies_are_satisfiable() {
    use crate::contract::{doc, request_schema, resolve, validate};
    for (name, schema) in doc()["components"]["schemas"].as_object().unwrap() {
        let Some(parts) = schema["allOf"].as_array() else {
            continue;
        };
        let closed = parts
            .iter()
            .any(|p| resolve(p)["additionalProperties"] == false);
        assert!(
            !closed || parts.len() < 2,
            "{name}: allOf with a closed part"
        );
    }
    let incident = json!({
        "title": "某化工企业储罐泄漏", "category": "accident", "subtype": "hazchem",
        "occurred_at": "2026-05-28T09:30:00+08:00",
        "casualties": {"deaths": 0, "serious_injuries": 1},
        "location": "甘棠街道某化工企业储罐区", "account": "储罐阀门泄漏", "measures": "已关阀",
    });
    let s = request_schema("post", "/api/v1/incidents");
    assert_eq!(validate(s, &incident), Vec::<String>::new());
    let mut extra = incident.clone();
    extra["colour"] = json!("red");
    assert!(
        !validate(s, &extra).is_empty(),
        "unknown fields are refused"
    );
    let user = json!({"username": "lisi", "display_name": "李四", "role": "duty",
        "region_code": "360403", "password": "Yingji@2026"});
    let s = request_schema("post", "/api/v1/users");
    assert_eq!(validate(s, &user), Vec::<String>::new());
    let mut no_password = user.clone();
    no_password.as_object_mut().unwrap().remove("password");
    assert!(
        !validate(s, &no_password).is_empty(),
        "the password is required"
    );
}

/// The validator itself, on the shapes utoipa emits.
#[test]
fn validator_follows_the_subset() {
    use crate::contract::validate;
    let ok = |s: serde_json::Value, v: serde_json::Value| validate(&s, &v).is_empty();
    assert!(ok(json!({"type": ["string", "null"]}), json!(null)));
    assert!(!ok(json!({"type": ["string", "null"]}), json!(1)));
    assert!(ok(json!({"type": "integer"}), json!(3)));
    assert!(!ok(json!({"type": "integer"}), json!(3.5)));
    assert!(ok(json!({"type": "number"}), json!(3)));
    assert!(!ok(json!({"type": "integer", "minimum": 0}), json!(-1)));
    let obj = json!({"type": "object", "properties": {"a": {"type": "string"}},
        "required": ["a"], "additionalProperties": false});
    assert!(ok(obj.clone(), json!({"a": "x"})));
    assert!(!ok(obj.clone(), json!({"a": "x", "b": 1})));
    assert!(!ok(obj.clone(), json!({})));
    let map = json!({"type": "object", "additionalProperties": {"type": "integer"}});
    assert!(ok(map.clone(), json!({"x": 1})));
    assert!(!ok(map, json!({"x": "1"})));
    let one = json!({"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/ErrorBody"}]});
    assert!(ok(one.clone(), json!(null)));
    assert!(ok(one.clone(), json!({"code": "x", "message": "y"})));
    assert!(!ok(one, json!({"code": "x"})));
    assert!(!ok(
        json!({"oneOf": [{"type": "integer"}, {"type": "number"}]}),
        json!(1)
    ));
    assert!(ok(json!({"enum": ["a", "b"]}), json!("b")));
    assert!(!ok(json!({"enum": ["a", "b"]}), json!("c")));
    let tuple = json!({"type": "array", "prefixItems": [{"type": "number"}, {"type": "number"}], "items": false});
    assert!(ok(tuple.clone(), json!([1.5, 2])));
    assert!(!ok(tuple, json!([1.5, 2, 3])));
    assert!(
        !ok(json!({"type": "string", "pattern": "^a"}), json!("a")),
        "unknown keywords are errors"
    );
}

/// Clients' generators name methods after `operationId`s, which OpenAPI requires to be unique,
/// and OpenAPI requires every response to have a description.
#[test]
fn operations_are_well_formed() {
    let doc = crate::contract::doc();
    let mut seen = std::collections::BTreeMap::new();
    for (template, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_default().to_string();
            assert!(!id.is_empty(), "{method} {template} has no operationId");
            if let Some(other) = seen.insert(id.clone(), format!("{method} {template}")) {
                panic!("operationId {id} of {method} {template} is also {other}'s");
            }
            for (status, r) in op["responses"].as_object().unwrap() {
                let r = crate::contract::resolve(r);
                assert!(
                    r["description"].as_str().is_some_and(|d| !d.is_empty()),
                    "{method} {template} {status}: no description"
                );
            }
        }
    }
}

/// Every documented read, as the administrator on the demo district, answers as documented
/// (the helpers check each answer): lists and pages without parameters, then each
/// `/{collection}/{id}…` with the first item of its collection. Plus the two previews.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documented_reads_answer_as_documented() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let admin = app.login("admin").await;
    let doc = crate::contract::doc();
    let mut first_ids = std::collections::HashMap::new();
    let (mut answered, mut ok) = (0, 0);
    for (template, item) in doc["paths"].as_object().unwrap() {
        // An event stream never ends: its own test reads it.
        if item.get("get").is_none()
            || item["get"]
                .pointer("/responses/200/content/text~1event-stream")
                .is_some()
        {
            continue;
        }
        let path = match template.split_once("/{") {
            None => template.clone(),
            Some((collection, rest)) => {
                let (param, tail) = rest.split_once('}').unwrap();
                if tail.contains('{') || doc["paths"][collection].get("get").is_none() {
                    continue;
                }
                if !first_ids.contains_key(collection) {
                    let (_, list) = app.get(&admin, collection).await;
                    let items = list.get("items").unwrap_or(&list);
                    let key = if param == "code" { "code" } else { "id" };
                    let first = items[0][key].as_str().map(str::to_string);
                    first_ids.insert(collection.to_string(), first);
                }
                let Some(Some(id)) = first_ids.get(collection) else {
                    continue;
                };
                format!("{collection}/{id}{tail}")
            }
        };
        let (s, body) = app.get(&admin, &path).await;
        assert!(s.as_u16() < 500, "GET {path}: {s} {body}");
        answered += 1;
        ok += usize::from(s.is_success());
    }
    assert!(
        answered >= 60 && ok >= 55,
        "{answered} reads, {ok} answered 2xx"
    );
    let (s, v) = app
        .post(
            &admin,
            "/api/v1/risk/assess",
            &json!({"region_code": "360403", "assessment": {"method": "ls", "l": 3, "s": 4}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, v) = app
        .post(
            &admin,
            "/api/v1/incidents/assess",
            &json!({"subtype": "hazchem", "casualties": {"deaths": 3}}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
}
