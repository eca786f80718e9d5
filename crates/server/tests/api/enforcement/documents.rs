//! 执法文书 through the API: a PDF for every kind with its title, number and party found by
//! pdftotext; numbers unique under concurrent issue; a correction is a new version and the old
//! one is unchanged; bad input named with nothing stored; scope by department.

use super::seeded;
use crate::both;
use crate::helpers::{SendChecked, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use yingji_core::enforcement::document_pdf::sha256_hex;
use yingji_core::kernel::clock::Clock;

const DOCS: &str = "/api/v1/enforcement/documents";

/// The first task of the demo's draw that `c` sees.
async fn a_task(app: &TestApp, c: &reqwest::Client) -> Value {
    let (s, tasks) = app.get(c, "/api/v1/enforcement/tasks").await;
    assert_eq!(s, StatusCode::OK, "{tasks}");
    tasks["items"][0].clone()
}

async fn pdf_of(app: &TestApp, c: &reqwest::Client, id: &str) -> Vec<u8> {
    let r = c
        .get(app.url(&format!("{DOCS}/{id}/pdf")))
        .send_checked()
        .await
        .expect("pdf");
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    r.bytes().await.expect("bytes").to_vec()
}

/// The text of a PDF by pdftotext (poppler-utils), with the white space taken out.
fn text_of(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("d.pdf");
    std::fs::write(&path, pdf).expect("write");
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// The demo's cases (one in each state) by state, as `c` sees them.
async fn demo_cases(
    app: &TestApp,
    c: &reqwest::Client,
) -> std::collections::BTreeMap<String, String> {
    yingji_demo::seed::generate_enforcement_cases(&app.store, app.clock.now_ms())
        .await
        .expect("demo cases");
    let (s, v) = app.get(c, "/api/v1/enforcement/cases?page_size=50").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["state"].as_str().unwrap().to_string(),
                c["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The state of a demo case each case kind is issued in.
fn state_for(kind: &str) -> &'static str {
    match kind {
        "case_approval" => "filed",
        "penalty_notice" => "reviewing",
        "statement_record" => "notified",
        "penalty_decision" | "payment_demand" => "decided",
        _ => "executing",
    }
}

/// A body for `kind` on `subject_id` (a task's id, or for a case kind the case's).
fn body_for(kind: &str, subject_id: &str) -> Value {
    let task = json!({
        "place": "生产车间", "time": "2026年12月1日9时至11时",
        "facts": "1. 有限空间作业未审批；\n2. 粉尘清扫记录缺失。",
        "basis": "《中华人民共和国安全生产法》第一百零二条",
        "deadline": "2099-12-31", "original_number": "〔2026〕浔应急责改〔0001〕号",
        "decision": "已整改完毕。",
    });
    let pick = |keys: &[&str], v: &Value| -> Value {
        keys.iter()
            .filter_map(|k| v.get(*k).map(|x| (k.to_string(), x.clone())))
            .collect::<serde_json::Map<_, _>>()
            .into()
    };
    let (keys, on_task): (&[&str], bool) = match kind {
        "site_check" => (&["place", "time", "facts"], true),
        "rectify_order" => (&["facts", "basis", "deadline"], true),
        "review_opinion" => (&["original_number", "facts", "decision"], true),
        "case_approval" => (&["facts", "basis", "decision"], false),
        "penalty_notice" => (&["facts", "basis", "decision"], false),
        "statement_record" => (&["place", "time", "facts"], false),
        "penalty_decision" => (&["facts", "basis", "decision"], false),
        _ => (&["facts", "decision"], false),
    };
    let mut fields = pick(keys, &task);
    if on_task {
        return json!({"kind": kind, "subject_kind": "task", "subject_id": subject_id, "fields": fields});
    }
    // The case's record overrides the party (and the facts, basis and fine it holds).
    fields["party"] = json!("调用方填写的当事人");
    json!({"kind": kind, "subject_kind": "case", "subject_id": subject_id, "fields": fields})
}

async fn every_kind_as_pdf(app: &TestApp) {
    seeded(app).await;
    let yjj = app.login("yjj").await;
    let task = a_task(app, &yjj).await;
    let cases = demo_cases(app, &yjj).await;
    let (_, kinds) = app.get(&yjj, "/api/v1/enforcement/document-kinds").await;
    let kinds = kinds.as_array().expect("kinds").clone();
    assert_eq!(kinds.len(), 9);
    for k in kinds {
        let kind = k["code"].as_str().unwrap();
        let subject = match k["subject"].as_str() {
            Some("case") => cases[state_for(kind)].clone(),
            _ => task["id"].as_str().unwrap().to_string(),
        };
        let body = body_for(kind, &subject);
        let (s, d) = app.post(&yjj, DOCS, &body).await;
        assert_eq!(s, StatusCode::CREATED, "{kind}: {d}");
        let number = d["number"].as_str().unwrap();
        let short = k["short"].as_str().unwrap();
        assert!(number.starts_with('〔'), "{number}");
        assert!(number.ends_with(&format!("{short}〔0001〕号")), "{number}");
        assert_eq!(d["version"], 1);
        let pdf = pdf_of(app, &yjj, d["id"].as_str().unwrap()).await;
        assert!(pdf.starts_with(b"%PDF"));
        assert_eq!(sha256_hex(&pdf), d["pdf_sha256"].as_str().unwrap());
        let text = text_of(&pdf);
        let title: String = k["title"].as_str().unwrap().into();
        assert!(text.contains(&title), "{kind}: title in {text}");
        assert!(text.contains(number), "{kind}: number in {text}");
        let party = d["party"].as_str().unwrap();
        assert!(
            !party.is_empty() && party != "调用方填写的当事人",
            "{kind}: {d}"
        );
        assert!(text.contains(party), "{kind}: party in {text}");
    }
    // A case document reads the case: the decided fine, the legal basis given at 立案.
    let (_, decision) = app
        .get(&yjj, &format!("{DOCS}?kind=penalty_decision"))
        .await;
    let f = &decision["items"][0]["fields"];
    assert!(
        f["decision"]
            .as_str()
            .unwrap()
            .starts_with("处以罚款人民币"),
        "{f}"
    );
    assert_eq!(f["basis"], "《中华人民共和国安全生产法》第一百零一条");
    assert!(
        f["payment"].as_str().unwrap().contains("前）缴至指定银行"),
        "{f}"
    );
    // A 催告书 reads the decided fine and the 加处罚款 owed on the day of issue.
    let (_, demand) = app.get(&yjj, &format!("{DOCS}?kind=payment_demand")).await;
    let f = &demand["items"][0]["fields"];
    let text = f["decision"].as_str().unwrap();
    assert!(
        text.starts_with("缴纳罚款人民币")
            && text.contains("加处罚款人民币")
            && text.contains("合计"),
        "{f}"
    );
    // The task documents' party is the task's enterprise; the audit log holds each PDF's hash.
    let (_, list) = app.get(&yjj, &format!("{DOCS}?kind=site_check")).await;
    assert_eq!(list["items"][0]["party"], task["enterprise_name"]);
    let mut q = yingji_store::Sql::new(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'enforcement.issue_document' AND after_json LIKE ",
    );
    q.bind(format!(
        "%{}%",
        list["items"][0]["pdf_sha256"].as_str().unwrap()
    ));
    assert_eq!(app.store.fetch_i64(q).await.expect("audit"), 1);
}
both!(every_kind_as_pdf);

async fn numbers_unique_under_concurrent_issue(app: &TestApp) {
    seeded(app).await;
    let zfry = app.login("zfry").await;
    let task = a_task(app, &zfry).await;
    let body = body_for("site_check", task["id"].as_str().unwrap());
    let mut handles = vec![];
    for _ in 0..20 {
        let (c, b, url) = (zfry.clone(), body.clone(), app.url(DOCS));
        handles.push(tokio::spawn(async move {
            let r = c.post(url).json(&b).send_checked().await.expect("post");
            (r.status(), r.json::<Value>().await.expect("json"))
        }));
    }
    let mut seqs = vec![];
    let mut numbers = std::collections::BTreeSet::new();
    for h in handles {
        let (s, d) = h.await.expect("task");
        assert_eq!(s, StatusCode::CREATED, "{d}");
        seqs.push(d["seq"].as_i64().unwrap());
        numbers.insert(d["number"].as_str().unwrap().to_string());
    }
    seqs.sort();
    assert_eq!(seqs, (1..=20).collect::<Vec<i64>>());
    assert_eq!(numbers.len(), 20);
    // Another kind has its own sequence.
    let other = body_for("rectify_order", task["id"].as_str().unwrap());
    let (s, d) = app.post(&zfry, DOCS, &other).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_eq!(d["seq"], 1);
}
both!(numbers_unique_under_concurrent_issue);

async fn correction_is_a_new_version(app: &TestApp) {
    seeded(app).await;
    let yjj = app.login("yjj").await;
    let task = a_task(app, &yjj).await;
    let body = body_for("rectify_order", task["id"].as_str().unwrap());
    let (_, old) = app.post(&yjj, DOCS, &body).await;
    let old_id = old["id"].as_str().unwrap();
    let old_pdf = pdf_of(app, &yjj, old_id).await;
    let fix = json!({"fields": {"deadline": "2099-06-30", "legal_rep": "张三"}});
    let (s, new) = app
        .post(&yjj, &format!("{DOCS}/{old_id}/versions"), &fix)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{new}");
    assert_eq!(new["version"], 2);
    assert_eq!(new["number"], old["number"]);
    assert_eq!(new["supersedes_id"], old["id"]);
    assert_eq!(new["fields"]["deadline"], "2099-06-30");
    assert_eq!(new["fields"]["facts"], old["fields"]["facts"]);
    let text = text_of(&pdf_of(app, &yjj, new["id"].as_str().unwrap()).await);
    assert!(text.contains("第2版"), "{text}");
    assert!(text.contains("2099年6月30日"), "{text}");
    // The old version is as issued, only marked as superseded.
    let (_, again) = app.get(&yjj, &format!("{DOCS}/{old_id}")).await;
    assert_eq!(again["fields"], old["fields"]);
    assert_eq!(again["pdf_sha256"], old["pdf_sha256"]);
    assert_eq!(again["superseded_by"], new["id"]);
    assert_eq!(pdf_of(app, &yjj, old_id).await, old_pdf);
    let (s, e) = app
        .post(&yjj, &format!("{DOCS}/{old_id}/versions"), &fix)
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    let (_, latest) = app.get(&yjj, &format!("{DOCS}?latest=true")).await;
    assert_eq!(latest["total"], 1);
    assert_eq!(latest["items"][0]["version"], 2);
}
both!(correction_is_a_new_version);

async fn bad_input_named(app: &TestApp) {
    seeded(app).await;
    let yjj = app.login("yjj").await;
    let task = a_task(app, &yjj).await;
    let task_id = task["id"].as_str().unwrap();
    let demo = demo_cases(app, &yjj).await;
    let mut no_deadline = body_for("rectify_order", task_id);
    no_deadline["fields"]["deadline"] = json!("");
    let mut task_as_case = body_for("site_check", task_id);
    task_as_case["subject_kind"] = json!("case");
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            body_for("penalty_decision", "no-such-case"),
            "subject_id",
            "案件不存在",
        ),
        (no_deadline, "fields.deadline", "整改期限不能为空"),
        (task_as_case, "subject_kind", "现场检查记录的对象应为"),
        (
            json!({"kind": "fax", "subject_kind": "task", "subject_id": task_id}),
            "kind",
            "文书种类",
        ),
        (
            body_for("site_check", "no-such-task"),
            "subject_id",
            "检查任务不存在",
        ),
    ];
    let before = app.count("enforcement_documents").await;
    for (body, field, words) in cases {
        let (s, e) = app.post(&yjj, DOCS, &body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body} → {e}");
        let hit =
            e["details"].as_array().into_iter().flatten().any(|d| {
                d["field"] == field && d["message"].as_str().unwrap_or("").contains(words)
            });
        assert!(hit, "{body} → {e}");
    }
    // A document for a case in the wrong state: 409 naming `kind` and the case's state.
    let wrong = body_for("penalty_decision", &demo["investigating"]);
    let (s, e) = app.post(&yjj, DOCS, &wrong).await;
    assert_eq!(s, StatusCode::CONFLICT, "{e}");
    assert_eq!(e["details"][0]["field"], "kind", "{e}");
    let m = e["message"].as_str().unwrap();
    assert!(
        m.contains("调查取证") && m.contains("不能开具行政处罚决定书"),
        "{e}"
    );
    assert_eq!(app.count("enforcement_documents").await, before);
}
both!(bad_input_named);

async fn documents_by_department(app: &TestApp) {
    seeded(app).await;
    let yjj = app.login("yjj").await;
    let task = a_task(app, &yjj).await;
    let task_id = task["id"].as_str().unwrap();
    let (_, d) = app.post(&yjj, DOCS, &body_for("site_check", task_id)).await;
    let id = d["id"].as_str().unwrap();
    // Another department sees none, reads none, issues none on the bureau's task.
    let zjj = app.login("zjj").await;
    assert_eq!(app.get(&zjj, DOCS).await.1["total"], 0);
    assert_eq!(
        app.get(&zjj, &format!("{DOCS}/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
    let (s, e) = app.post(&zjj, DOCS, &body_for("site_check", task_id)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let fix = json!({"fields": {"facts": "改"}});
    let (s, _) = app.post(&zjj, &format!("{DOCS}/{id}/versions"), &fix).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The bureau's inspector reads the documents of their tasks.
    let zfry = app.login("zfry").await;
    let (s, mine) = app.get(&zfry, DOCS).await;
    assert_eq!(s, StatusCode::OK);
    let on_team = task["team"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["name"] == "执法队员张明");
    assert_eq!(mine["total"], i64::from(on_team), "{mine}");
    // Those who do not enforce neither read nor issue.
    let grid = app.login("grid").await;
    assert_eq!(app.get(&grid, DOCS).await.0, StatusCode::FORBIDDEN);
    let (s, _) = app
        .post(&grid, DOCS, &body_for("site_check", task_id))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(app.count("enforcement_documents").await, 1);
}
both!(documents_by_department);

/// A 责令限期整改指令书 after an inspection: 整改期限 defaults to the earliest of the findings'
/// hazards' deadlines, the facts to the findings, the party to the task's enterprise.
async fn rectify_order_reads_the_findings(app: &TestApp) {
    seeded(app).await;
    let zfry = app.login("zfry").await;
    let task = a_task(app, &zfry).await;
    let id = task["id"].as_str().unwrap();
    let body = json!({
        "summary": "检查了消防设施和有限空间作业",
        "findings": [
            {"category": "fire", "description": "灭火器过期", "location": "二号车间"},
            {"category": "site", "description": "有限空间作业未审批", "location": "污水池"}
        ]
    });
    let path = format!("/api/v1/enforcement/tasks/{id}/inspection");
    let (s, r) = app.post(&zfry, &path, &body).await;
    assert_eq!(s, StatusCode::CREATED, "{r}");
    for (f, day) in r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .zip(["2099-03-01", "2099-02-01"])
    {
        let mut q = yingji_store::Sql::new("UPDATE hazards SET deadline = ");
        q.bind(day)
            .push_bind(" WHERE id = ", f["hazard_id"].as_str().unwrap());
        app.store.execute(q).await.expect("deadline");
    }
    let order = json!({"kind": "rectify_order", "subject_kind": "task", "subject_id": id,
        "fields": {"basis": "《中华人民共和国安全生产法》第一百零二条", "party": "别的公司"}});
    let (s, d) = app.post(&zfry, DOCS, &order).await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_eq!(d["fields"]["deadline"], "2099-02-01");
    assert_eq!(d["party"], task["enterprise_name"]);
    let facts = d["fields"]["facts"].as_str().unwrap();
    assert!(
        facts.contains("1. 灭火器过期（二号车间）") && facts.contains("2. 有限空间作业未审批"),
        "{facts}"
    );
}
both!(rectify_order_reads_the_findings);

/// The department's 文书简称 (set on the department) heads its documents' numbers; a bad one is
/// refused by field, nothing stored.
async fn short_name_set_on_the_department(app: &TestApp) {
    seeded(app).await;
    let admin = app.login("admin").await;
    let (_, depts) = app.get(&admin, "/api/v1/departments").await;
    let bureau = depts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "区应急管理局")
        .expect("the bureau")
        .clone();
    let path = format!("/api/v1/departments/{}", bureau["id"].as_str().unwrap());
    let mut body = json!({"name": bureau["name"], "categories": bureau["categories"],
        "region_code": bureau["region_code"], "documents_short_name": "浔应急〔2026〕"});
    let before = app.count("audit_log").await;
    let (s, e) = app.put(&admin, &path, &body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["details"][0]["field"], "documents_short_name");
    assert_eq!(app.count("audit_log").await, before);
    body["documents_short_name"] = json!("浔应急");
    let (s, d) = app.put(&admin, &path, &body).await;
    assert_eq!(
        (s, &d["documents_short_name"]),
        (StatusCode::OK, &json!("浔应急")),
        "{d}"
    );
    let zfry = app.login("zfry").await;
    let task = a_task(app, &zfry).await;
    let (s, d) = app
        .post(
            &zfry,
            DOCS,
            &body_for("site_check", task["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert!(d["number"].as_str().unwrap().contains("浔应急"), "{d}");
}
both!(short_name_set_on_the_department);
