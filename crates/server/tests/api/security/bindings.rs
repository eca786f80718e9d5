//! 账号绑定对象 (三员分立): the 安全保密管理员 binds an account to its enterprise or insurer
//! through `GET /api/v1/security/bindings` (id, name, region only; at most 20; audited), and the
//! write checks the target record exists.

use crate::both;
use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

const PATH: &str = "/api/v1/security/bindings";

async fn look_up(app: &TestApp, c: &Client, query: &str) -> (StatusCode, Value) {
    app.get(c, &format!("{PATH}?{query}")).await
}

/// An insurer of our own (the demo's is loaded in the background).
async fn insurer(app: &TestApp, n: u32) -> String {
    let admin = app.login("admin").await;
    let body =
        json!({"name": format!("太平洋财产保险九江中心支公司{n}"), "credit_code": uscc(9900 + n)});
    let (s, i) = app.post(&admin, "/api/v1/credit/insurers", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{i}");
    i["id"].as_str().unwrap().to_string()
}

fn items(v: &Value) -> &Vec<Value> {
    v["items"].as_array().expect("items")
}

async fn lookups(app: &TestApp) -> Vec<String> {
    let mut q = yingji_store::Sql::new("SELECT summary FROM audit_log WHERE action = ");
    q.bind("security.binding_lookup").push(" ORDER BY seq");
    app.store
        .fetch_all(q)
        .await
        .unwrap()
        .iter()
        .map(|r| yingji_store::sqlx::Row::try_get(r, "summary").unwrap())
        .collect()
}

/// Id, name and region only, at most 20, by name part; each lookup audited; bad input named.
async fn the_security_admin_looks_up_enterprises_and_insurers(app: &TestApp) {
    let sec = app.login("secadmin").await;
    let (s, all) = look_up(app, &sec, "kind=enterprise").await;
    assert_eq!(s, StatusCode::OK, "{all}");
    assert_eq!(items(&all).len(), 20, "at most 20 rows");
    let first = items(&all)[0].clone();
    let keys: Vec<&String> = first.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["id", "name", "region_code", "region_name"],
        "{first}"
    );
    assert!(
        first["region_name"].as_str().is_some_and(|n| !n.is_empty()),
        "{first}"
    );
    // A part of one name finds it.
    let name = first["name"].as_str().unwrap().to_string();
    let part: String = name.chars().skip(1).take(4).collect();
    let (s, found) = look_up(app, &sec, &format!("kind=enterprise&q={part}")).await;
    assert_eq!(s, StatusCode::OK, "{found}");
    assert!(
        items(&found).iter().any(|e| e["id"] == first["id"]),
        "{found}"
    );
    assert!(
        items(&found)
            .iter()
            .all(|e| e["name"].as_str().unwrap().contains(&part))
    );
    // A LIKE wildcard is a character, not a pattern.
    let (_, none) = look_up(app, &sec, "kind=enterprise&q=%25").await;
    assert!(items(&none).is_empty(), "{none}");
    let own = insurer(app, 1).await;
    let (s, ins) = look_up(app, &sec, "kind=insurer&q=太平洋财产保险九江中心支公司1").await;
    assert_eq!(s, StatusCode::OK, "{ins}");
    assert_eq!(items(&ins).len(), 1, "{ins}");
    assert_eq!(ins["items"][0]["id"], own.as_str());
    assert_eq!(ins["items"][0]["region_code"], Value::Null);
    // Bad input: Chinese, naming the field.
    for (query, field, words) in [
        ("kind=hazard", "kind", "“hazard”无效"),
        ("q=x", "kind", "请指定绑定对象类型"),
        (
            &format!("kind=insurer&q={}", "长".repeat(51)) as &str,
            "q",
            "名称关键词不能超过50个字符",
        ),
        ("kind=enterprise&phone=1", "phone", ""),
    ] {
        let (s, e) = look_up(app, &sec, query).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{query}: {e}");
        assert_eq!(e["details"][0]["field"], field, "{query}: {e}");
        assert!(
            e["message"].as_str().unwrap().contains(words),
            "{query}: {e}"
        );
    }
    // Each lookup that answered is in the audit chain, with what was asked.
    let log = lookups(app).await;
    assert_eq!(log.len(), 4, "{log:?}");
    assert_eq!(log[0], "查询可绑定的企业（全部；20 条）");
    assert_eq!(
        log[3],
        "查询可绑定的保险机构（关键词“太平洋财产保险九江中心支公司1”；1 条）"
    );
    // The auditor and business roles are refused.
    for role in ["auditor", "commander", "enterprise"] {
        let (s, e) = look_up(app, &app.login(role).await, "kind=enterprise").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{role}: {e}");
    }
}
both!(the_security_admin_looks_up_enterprises_and_insurers);

/// Binding at write time: a target that does not exist is refused naming the field and nothing
/// changes; one found by the lookup binds the account.
async fn binding_checks_the_target_record(app: &TestApp) {
    let sec = app.login("secadmin").await;
    let (_, users) = app.get(&sec, "/api/v1/users?q=duty").await;
    let duty = items(&users)
        .iter()
        .find(|u| u["username"] == "duty")
        .unwrap()
        .clone();
    let path = format!("/api/v1/users/{}", duty["id"].as_str().unwrap());
    let to = |role: &str, field: &str, id: &str| {
        let mut b = json!({"username": "duty", "display_name": duty["display_name"], "role": role});
        b[field] = json!(id);
        b
    };
    for (role, field, label) in [
        ("enterprise_user", "enterprise_id", "所属企业"),
        ("insurer", "insurer_id", "所属保险机构"),
    ] {
        let (s, e) = app.put(&sec, &path, &to(role, field, "no-such-id")).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        assert_eq!(e["details"][0]["field"], field, "{e}");
        assert!(e["message"].as_str().unwrap().contains(label), "{e}");
        let (_, again) = app.get(&sec, &path).await;
        assert_eq!(again["role"], duty["role"], "nothing changed");
    }
    let (_, found) = look_up(app, &sec, "kind=enterprise").await;
    let target = found["items"][0].clone();
    let id = target["id"].as_str().unwrap();
    let (s, u) = app
        .put(&sec, &path, &to("enterprise_user", "enterprise_id", id))
        .await;
    assert_eq!(s, StatusCode::OK, "{u}");
    assert_eq!(u["enterprise_id"], target["id"]);
    assert!(
        u["scope_label"]
            .as_str()
            .unwrap()
            .contains(target["name"].as_str().unwrap()),
        "{u}"
    );
    insurer(app, 2).await;
    let (s, found) = look_up(app, &sec, "kind=insurer&q=太平洋").await;
    assert_eq!(s, StatusCode::OK, "{found}");
    let target = found["items"][0].clone();
    let id = target["id"].as_str().unwrap();
    let (s, u) = app.put(&sec, &path, &to("insurer", "insurer_id", id)).await;
    assert_eq!(s, StatusCode::OK, "{u}");
    assert_eq!(u["insurer_id"], target["id"]);
    assert_eq!(
        u["enterprise_id"],
        Value::Null,
        "the other binding is cleared"
    );
}
both!(binding_checks_the_target_record);
