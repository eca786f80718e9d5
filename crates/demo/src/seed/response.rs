//! Response: the plan library and historical incidents recorded through the intake use case.

use yingji_core::kernel::role::{Role, Scope};
use yingji_store::kernel::Ctx;
use yingji_store::response::incidents::{CloseInput, IncidentInput};
use yingji_store::{Actor, Sql, Store, StoreResult};

/// The demo's system user, named as the records show it.
fn demo_ctx(display_name: &str) -> Ctx {
    Ctx {
        actor: Actor::system("demo"),
        user_id: String::new(),
        display_name: display_name.into(),
        role: Role::Admin,
        scope: Scope::All,
    }
}

/// The demo district's plan library (data/demo/plans.json): a 总体预案 and 专项预案 whose
/// triggers and task lists drive the response in `serve --demo`.
pub async fn generate_plans(store: &Store, now: i64) -> StoreResult<usize> {
    use yingji_store::response::plans::PlanInput;
    let inputs: Vec<PlanInput> =
        serde_json::from_str(include_str!("../../../../data/demo/plans.json")).map_err(|e| {
            yingji_store::StoreError::invalid("plans", format!("演示预案数据损坏：{e}"))
        })?;
    let ctx = demo_ctx("演示数据");
    for input in &inputs {
        yingji_app::response::plans::create(store, &ctx, now, input).await?;
    }
    Ok(inputs.len() + file_enterprise_plans(store, &ctx, now).await?)
}

/// 预案备案: the first hazchem enterprises' 综合应急预案 and 现场处置方案, listed in their 一企一档.
async fn file_enterprise_plans(store: &Store, ctx: &Ctx, now: i64) -> StoreResult<usize> {
    use sqlx::Row;
    use yingji_store::response::plans::PlanInput;
    let rows = store
        .fetch_all(Sql::new(
            "SELECT id, name FROM enterprises WHERE status = 'operating' AND categories LIKE '%,hazchem,%' ORDER BY id LIMIT 6",
        ))
        .await?;
    let mut n = 0;
    for (i, r) in rows.iter().enumerate() {
        let (id, name): (String, String) = (r.try_get("id")?, r.try_get("name")?);
        for (kind, title, trigger) in [
            (
                "enterprise",
                "生产安全事故综合应急预案",
                "死亡 >= 1 或 重伤 >= 3",
            ),
            ("onsite", "危险化学品泄漏现场处置方案", "涉险 >= 1"),
        ] {
            let input = PlanInput {
                code: format!(
                    "QYBA-{:02}-{}",
                    i + 1,
                    if kind == "onsite" { "XC" } else { "ZH" }
                ),
                name: format!("{name}{title}"),
                kind: kind.into(),
                owner: name.clone(),
                version: "2025版".into(),
                effective_date: "2025-03-01".into(),
                review_cycle_months: 36,
                subtypes: vec!["hazchem".into()],
                levels: serde_json::from_value(serde_json::json!([
                    {"level": 4, "trigger": trigger, "tasks": []}
                ]))
                .unwrap_or_default(),
                enterprise_id: Some(id.clone()),
            };
            yingji_app::response::plans::create(store, ctx, now, &input).await?;
            n += 1;
        }
    }
    Ok(n)
}

/// What the demo's incidents are: category, subtype and a title.
const KINDS: [(&str, &str, &str); 6] = [
    ("accident", "industrial", "车间机械伤害"),
    ("accident", "hazchem", "储罐泄漏"),
    ("accident", "construction", "脚手架坍塌"),
    ("accident", "fire", "仓库火灾"),
    ("accident", "road_traffic", "货车侧翻"),
    ("accident", "gas", "燃气泄漏"),
];

/// `n` incidents over the two years before `now` (a few still open), recorded through the intake
/// use case like a duty officer's, for `yingji bench`'s incident dashboard at 10,000 incidents.
pub async fn generate_incidents(
    store: &Store,
    now: i64,
    n: usize,
    seed: u64,
    keep_some_open: bool,
) -> StoreResult<usize> {
    use sqlx::Row;
    use yingji_app::response::incidents;
    use yingji_core::kernel::rng::Rng;
    const DAY: i64 = 86_400_000;
    let mut rng = Rng::new(seed ^ 0x1C1D);
    let ctx = demo_ctx("演示值班员");
    let ids: Vec<String> = store
        .fetch_all(Sql::new(
            "SELECT id FROM enterprises ORDER BY id LIMIT 2000",
        ))
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(0);
    }
    for i in 0..n {
        let kind = *rng.pick(&KINDS);
        let open = keep_some_open && i % 20 == 0;
        let occurred = if open {
            now - rng.below(20) as i64 * 3_600_000 - 3_600_000
        } else {
            now - (1 + rng.below(730)) as i64 * DAY
        };
        let input = incident_input(&mut rng, i, kind, occurred, &ids);
        let d = incidents::create(store, &ctx, now, &input).await?;
        if !open {
            let close = CloseInput {
                note: "处置完毕".into(),
                // History entered afterwards: its reports went up on paper.
                unreported_reason: Some("历史事件补录，上报记录见纸质台账".into()),
            };
            incidents::close(store, &ctx, now, &d.incident.id, &close).await?;
        }
    }
    Ok(n)
}

/// The `i`-th demo incident of `kind` at one of the enterprises `ids`, occurred at `occurred`,
/// received half an hour later; counts drawn from `rng` (in the order earlier seeds drew them).
fn incident_input(
    rng: &mut yingji_core::kernel::rng::Rng,
    i: usize,
    (category, subtype, title): (&str, &str, &str),
    occurred: i64,
    ids: &[String],
) -> IncidentInput {
    use yingji_core::kernel::clock::to_rfc3339;
    use yingji_core::response::incident::{Casualties, ReportTexts};
    let deaths = *rng.pick(&[0, 0, 0, 0, 0, 1, 1, 2, 3]);
    IncidentInput {
        title: format!("{title}{}", i + 1),
        category: category.into(),
        subtype: subtype.into(),
        occurred_at: to_rfc3339(occurred),
        received_at: Some(to_rfc3339(occurred + 1_800_000)),
        unit_learned_at: None,
        enterprise_id: Some(rng.pick(ids).clone()),
        region_code: None,
        lon: None,
        lat: None,
        casualties: Casualties {
            deaths,
            serious_injuries: rng.below(4) as i64,
            minor_injuries: rng.below(6) as i64,
            // Mostly small losses; one in twenty reaches the 较大 floor of 1000万.
            loss_yuan: if rng.chance(0.05) {
                10_000_000 + rng.below(2_000) as i64 * 10_000
            } else {
                rng.below(300) as i64 * 10_000
            },
            ..Default::default()
        },
        texts: ReportTexts {
            unit_overview: "生产经营单位概况见企业档案".into(),
            location: "厂区".into(),
            scene: "现场已得到控制".into(),
            account: format!("{title}，详见初报"),
            measures: "企业启动应急预案，相关部门到场处置".into(),
            other: "无".into(),
        },
        warning_level: None,
        assessed_severity: None,
        larger_risk_judged: false,
        reporter_name: None,
        reporter_phone: None,
        report_channel: Some("enterprise".into()),
        attachments: vec![],
    }
}

#[cfg(test)]
mod plan_tests {
    #[test]
    fn demo_plans_parse_and_their_triggers_are_valid() {
        let plans: Vec<yingji_store::response::plans::PlanInput> =
            serde_json::from_str(include_str!("../../../../data/demo/plans.json")).expect("plans");
        assert!(plans.len() >= 3);
        for p in plans {
            yingji_core::response::plan::check_levels(&p.levels)
                .unwrap_or_else(|e| panic!("{}: {}", p.name, e.summary()));
        }
    }
}
