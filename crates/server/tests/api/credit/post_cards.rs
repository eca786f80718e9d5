//! 两单两卡: bad input (no name, bad counts, an over-long line, a duplicate post) stores nothing;
//! only the enterprise writes its own posts; its supervising department reads them and the
//! completeness, another department sees nothing; every change audited.

use crate::both;
use crate::helpers::TestApp;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use yingji_store::Sql;

fn full(name: &str) -> Value {
    json!({
        "name": name, "people": 4,
        "duties": ["严格执行操作规程", "参加安全培训"],
        "daily_tasks": ["班前检查设备", "填写交接班记录"],
        "risk_card": {"risks": ["中毒窒息"], "measures": ["佩戴防毒面具"], "emergency_phone": "0792-8888888"},
        "response_card": {"situations": ["有毒气体泄漏"], "steps": ["关闭阀门", "疏散人员"], "contacts": ["张三 13800000001"]}
    })
}

async fn post(app: &TestApp, c: &Client, b: &Value) -> (StatusCode, Value) {
    app.post(c, "/api/v1/credit/posts", b).await
}

fn fields(v: &Value) -> Vec<String> {
    v["details"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|x| x["field"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

async fn audits(app: &TestApp, action: &str) -> i64 {
    let mut q = Sql::new("SELECT COUNT(*) FROM audit_log WHERE action = ");
    q.bind(action);
    app.store.fetch_i64(q).await.unwrap()
}

// Long because: each refusal checked with what it leaves stored, then the reads by scope.
async fn posts_by_scope(app: &TestApp) {
    let (id, ent, yjj, zjj) = super::own_enterprise(app).await;
    let mut b = full(" ");
    b["people"] = json!(-1);
    b["daily_tasks"] = json!(["x".repeat(201)]);
    b["risk_card"]["emergency_phone"] = json!("abc");
    let (s, v) = post(app, &ent, &b).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(
        fields(&v),
        [
            "name",
            "people",
            "daily_tasks[0]",
            "risk_card.emergency_phone"
        ]
    );
    assert!(v["message"].as_str().unwrap().contains("岗位名称"), "{v}");
    let mut b = full("操作工");
    b["enterprise_id"] = json!(id);
    let (s, _) = post(app, &yjj, &b).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    b["enterprise_id"] = json!("someone-else");
    let (s, _) = post(app, &ent, &b).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(app.count("credit_posts").await, 0);
    // Two posts, one complete; a second of the same name refused.
    let (s, a) = post(app, &ent, &full("操作工")).await;
    assert_eq!(
        (s, a["missing"].as_array().map(Vec::len)),
        (StatusCode::CREATED, Some(0)),
        "{a}"
    );
    let (s, v) = post(app, &ent, &full("操作工")).await;
    assert_eq!(
        (s, fields(&v)),
        (StatusCode::CONFLICT, vec!["name".into()]),
        "{v}"
    );
    let (s, p) = post(
        app,
        &ent,
        &json!({"name": "仓库管理员", "people": 1, "duties": ["管好仓库"]}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    assert_eq!(
        p["missing"],
        json!(["日常工作清单", "岗位风险告知卡", "应急处置卡"])
    );
    assert_eq!(app.count("credit_posts").await, 2);
    let pid = p["id"].as_str().unwrap();
    // The department reads (list, one, completeness) but does not write; the other sees nothing.
    let (_, l) = app
        .get(&yjj, &format!("/api/v1/credit/posts?enterprise_id={id}"))
        .await;
    assert_eq!(l["total"], 2, "{l}");
    let (_, c) = app.get(&yjj, "/api/v1/credit/posts/completeness").await;
    let mine = c["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["enterprise_id"] == id.as_str())
        .cloned()
        .expect("listed");
    assert_eq!(
        (mine["posts"].as_i64(), mine["incomplete"].as_i64()),
        (Some(2), Some(1)),
        "{c}"
    );
    let (s, _) = app
        .put(
            &yjj,
            &format!("/api/v1/credit/posts/{pid}"),
            &full("仓库管理员"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = app.get(&zjj, &format!("/api/v1/credit/posts/{pid}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, l) = app.get(&zjj, "/api/v1/credit/posts").await;
    assert_eq!(l["total"], 0, "{l}");
    let (s, _) = app
        .delete(&zjj, &format!("/api/v1/credit/posts/{pid}"))
        .await;
    assert!(
        s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND,
        "{s}"
    );
    // The enterprise completes the post, then deletes the other.
    let (s, v) = app
        .put(
            &ent,
            &format!("/api/v1/credit/posts/{pid}"),
            &full("仓库管理员"),
        )
        .await;
    assert_eq!(
        (s, v["missing"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(0)),
        "{v}"
    );
    let (_, c) = app.get(&yjj, "/api/v1/credit/posts/completeness").await;
    let mine = c["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["enterprise_id"] == id.as_str())
        .cloned()
        .expect("listed");
    assert_eq!(mine["incomplete"], 0, "{c}");
    let (s, _) = app
        .delete(
            &ent,
            &format!("/api/v1/credit/posts/{}", a["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert_eq!(app.count("credit_posts").await, 1);
    assert_eq!(audits(app, "credit.post_save").await, 3);
    assert_eq!(audits(app, "credit.post_delete").await, 1);
    // Another enterprise's post (written by the administrator) is out of the enterprise's reach.
    let admin = app.login("admin").await;
    let other = super::other_enterprise(app, &admin, &id).await;
    let mut b = full("电工");
    b["enterprise_id"] = json!(other);
    let (s, o) = post(app, &admin, &b).await;
    assert_eq!(s, StatusCode::CREATED, "{o}");
    let oid = o["id"].as_str().unwrap();
    let (s, _) = app.get(&ent, &format!("/api/v1/credit/posts/{oid}")).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .put(&ent, &format!("/api/v1/credit/posts/{oid}"), &full("电工"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, l) = app.get(&ent, "/api/v1/credit/posts").await;
    assert_eq!(l["total"], 1, "{l}");
}
both!(posts_by_scope);
