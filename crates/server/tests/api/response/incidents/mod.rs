//! 突发事件接报与应急响应: grading and deadlines by the regulations, 续报/补报 with regrading,
//! 上报, plans with triggers and tasks, refusals that name their field, scoping. This module holds
//! the helpers the scenarios share.

mod duty;
mod intake;
mod investigation;
mod photos;
mod plans;

use crate::helpers::TestApp;
use serde_json::{Value, json};
use yingji_core::kernel::clock::{Clock, to_rfc3339};

const MIN: i64 = 60_000;

const HOUR: i64 = 60 * MIN;

const DAY: i64 = 24 * HOUR;

fn accident(app: &TestApp, enterprise_id: &str, deaths: i64) -> Value {
    let now = app.clock.now_ms();
    json!({
        "title": "储罐区泄漏着火",
        "category": "accident",
        "subtype": "hazchem",
        "occurred_at": to_rfc3339(now - 40 * MIN),
        "unit_learned_at": to_rfc3339(now - 30 * MIN),
        "enterprise_id": enterprise_id,
        "lon": 115.99, "lat": 29.71,
        "casualties": {"deaths": deaths, "serious_injuries": 1, "evacuated": 120, "loss_yuan": 3_000_000},
        "unit_overview": "危险化学品经营企业，民营",
        "location": "储罐区",
        "scene": "罐体破裂起火，明火已扑灭",
        "account": "装卸作业时软管脱落，泄漏物遇火源起火",
        "measures": "启动企业预案，消防到场处置，疏散周边人员",
        "other": "无"
    })
}

async fn own_enterprise(app: &TestApp) -> String {
    let ent = app.login("enterprise").await;
    let (_, me) = app.get(&ent, "/api/v1/auth/me").await;
    me["scope"]["enterprise_id"]
        .as_str()
        .or_else(|| me["enterprise_id"].as_str())
        .expect("enterprise user has an enterprise")
        .to_string()
}

fn plan_body(code: &str, trigger3: &str, cycle: i64) -> Value {
    json!({
        "code": code, "name": "危险化学品事故专项应急预案", "kind": "special", "owner": "区应急管理局",
        "version": "2024版", "effective_date": "2024-03-01", "review_cycle_months": cycle,
        "subtypes": ["hazchem", "industrial"],
        "levels": [
            {"level": 2, "trigger": "死亡 >= 10 或 重伤 >= 50", "tasks": [
                {"department": "区政府办", "task": "区长赶赴现场指挥", "deadline_minutes": 60}]},
            {"level": 3, "trigger": trigger3, "tasks": [
                {"department": "区应急管理局", "task": "成立现场指挥部", "deadline_minutes": 30},
                {"department": "区生态环境局", "task": "开展环境监测", "deadline_minutes": 60},
                {"department": "区卫健委", "task": "组织医疗救治", "deadline_minutes": 30}]},
            {"level": 4, "trigger": "死亡 >= 1 或 疏散 >= 100", "tasks": []}
        ]
    })
}
