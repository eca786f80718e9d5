//! The demo district's 严重失信主体名单: one enterprise listed (瞒报 a 一般 accident) and shown on
//! the public page, one listed earlier and removed early by 信用修复, both taken through their
//! steps by 应急局监管科 with their documents; and one 重大安全风险 on the public page.

use super::enforcement_cases::ctx_of;
use yingji_app::credit::{disclosure, listing_criteria, listings};
use yingji_core::credit::disclosure::RiskInput;
use yingji_core::credit::listing_criteria::RecordInput;
use yingji_core::credit::listings::StepInput;
use yingji_core::kernel::clock::today;
use yingji_store::kernel::Ctx;
use yingji_store::{Sql, Store, StoreResult};

/// (criterion, description, days ago: occurred, noticed, decided; repaired).
type Plan = (&'static str, &'static str, [i64; 3], bool);

const PLANS: [Plan; 2] = [
    (
        "concealed",
        "一般生产安全事故（1人死亡）发生后未按规定报告，经调查认定瞒报",
        [70, 60, 50],
        false,
    ),
    (
        "unlicensed",
        "安全生产许可证被暂扣期间擅自组织生产",
        [520, 510, 500],
        true,
    ),
];

fn step(step: &str) -> StepInput {
    StepInput {
        step: step.into(),
        ..StepInput::default()
    }
}

async fn take(store: &Store, ctx: &Ctx, now: i64, id: &str, input: StepInput) -> StoreResult<()> {
    listings::step(store, ctx, now, id, &input)
        .await
        .map(|_| ())
}

// Long because: one listing through its steps, each with its document.
pub async fn generate_credit_listings(store: &Store, now: i64) -> StoreResult<()> {
    let Some(yjj) = ctx_of(store, "yjj").await? else {
        return Ok(());
    };
    let q = Sql::new(
        "SELECT id FROM enterprises WHERE categories LIKE '%,industry_trade,%' AND status = 'operating' ORDER BY id DESC LIMIT 2",
    );
    let ids: Vec<String> = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| sqlx::Row::try_get(r, "id"))
        .collect::<Result<_, _>>()?;
    let day = |ago: i64| today(now - ago * 86_400_000).to_string();
    let year = today(now).year();
    for (n, ((criterion, description, [occurred, noticed, decided], repaired), enterprise)) in
        PLANS.iter().zip(ids.iter()).enumerate()
    {
        let record = listing_criteria::enter(
            store,
            &yjj,
            now,
            &RecordInput {
                enterprise_id: Some(enterprise.clone()),
                criterion: (*criterion).into(),
                occurred_day: day(*occurred),
                description: (*description).into(),
                ..RecordInput::default()
            },
        )
        .await?;
        let case = listings::propose(
            store,
            &yjj,
            now,
            &listings::ProposalInput {
                record_id: Some(record.id),
                ..Default::default()
            },
        )
        .await?;
        let id = case.case_id;
        let n = n + 1;
        take(
            store,
            &yjj,
            now,
            &id,
            StepInput {
                number: Some(format!("浔应急失信告〔{year}〕{n}号")),
                day: Some(day(*noticed)),
                statement_days: Some(5),
                ..step("notice")
            },
        )
        .await?;
        take(
            store,
            &yjj,
            now,
            &id,
            StepInput {
                listed: Some(true),
                number: Some(format!("浔应急失信决〔{year}〕{n}号")),
                day: Some(day(*decided)),
                ..step("decide")
            },
        )
        .await?;
        take(store, &yjj, now, &id, step("publish")).await?;
        if *repaired {
            take(
                store,
                &yjj,
                now,
                &id,
                StepInput {
                    reason: Some("已取得安全生产许可证，完成整改并作出信用承诺".into()),
                    ..step("request_repair")
                },
            )
            .await?;
            take(
                store,
                &yjj,
                now,
                &id,
                StepInput {
                    approve: Some(true),
                    reason: Some("列入满12个月，整改到位，无新的失信行为，准予提前移出".into()),
                    ..step("decide_repair")
                },
            )
            .await?;
        }
    }
    disclosure::publish(
        store,
        &yjj,
        now,
        &RiskInput {
            title: "化工园区液氯储罐区泄漏风险".into(),
            place: "浔阳区化工园区一号路液氯储罐区周边500米".into(),
            advice: "闻到刺激性气味时用湿毛巾捂住口鼻，向上风向或侧风向撤离，并拨打119或12350报告"
                .into(),
            from_day: day(30),
            until_day: day(-335),
            department_id: None,
        },
    )
    .await?;
    Ok(())
}
