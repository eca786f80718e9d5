//! The demo district's 履职报告 and 两单两卡: reports of the last two quarters for a few hazchem
//! enterprises (accepted, waiting for review, one returned), submitted through the use cases so
//! every write is audited and the district's sweep timer is scheduled from the earlier quarter
//! (it then flags the enterprises without a report as overdue when the scheduler catches up); and
//! posts with their cards for three enterprises, one post incomplete.

use super::enforcement_cases::ctx_of;
use yingji_app::credit::commitments::config_of;
use yingji_app::credit::{duty_reports, post_cards};
use yingji_core::credit::duty_reports::{
    DutyReportInput, DutyReviewInput, flag_ms, period_of, previous,
};
use yingji_core::credit::post_cards::{PostInput, ResponseCard, RiskCard};
use yingji_core::kernel::clock::today;
use yingji_store::{Sql, Store, StoreResult};

const DAY_MS: i64 = 86_400_000;

fn lines(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn post(enterprise_id: &str, name: &str, people: i64, complete: bool) -> PostInput {
    PostInput {
        enterprise_id: Some(enterprise_id.into()),
        name: name.into(),
        people,
        duties: lines(&["严格执行本岗位安全操作规程", "参加安全教育培训和应急演练"]),
        daily_tasks: lines(&["班前检查设备设施和防护用品", "如实填写交接班记录"]),
        risk_card: if complete {
            RiskCard {
                risks: lines(&["中毒窒息", "火灾爆炸"]),
                measures: lines(&["佩戴便携式气体检测仪", "严禁携带火种进入罐区"]),
                emergency_phone: Some("0792-8222119".into()),
            }
        } else {
            RiskCard::default()
        },
        response_card: if complete {
            ResponseCard {
                situations: lines(&["可燃气体泄漏报警"]),
                steps: lines(&[
                    "立即关闭泄漏点上游阀门",
                    "报告班长并疏散无关人员",
                    "拨打119并启动应急预案",
                ]),
                contacts: lines(&["值班长 0792-8222001", "安全总监 13800000002"]),
            }
        } else {
            ResponseCard::default()
        },
    }
}

// Long because: the reports of two quarters, their reviews, then the posts, each a short loop.
pub async fn generate_credit_duty(store: &Store, now: i64) -> StoreResult<usize> {
    let Some(admin) = ctx_of(store, "admin").await? else {
        return Ok(0);
    };
    let mut ids: Vec<(String, String)> = Vec::new();
    let q = Sql::new(
        "SELECT id, district_code FROM enterprises WHERE status = 'operating' AND categories LIKE '%,hazchem,%' ORDER BY id LIMIT 6",
    );
    for r in store.fetch_all(q).await? {
        ids.push((sqlx::Row::try_get(&r, 0)?, sqlx::Row::try_get(&r, 1)?));
    }
    let Some((_, district)) = ids.first().cloned() else {
        return Ok(0);
    };
    let config = config_of(store, &district).await?;
    let last = previous(&config, &period_of(&config, today(now)));
    let before = previous(&config, &last);
    let mut n = 0;
    for (round, (period, count)) in [(&before, ids.len()), (&last, ids.len().saturating_sub(2))]
        .into_iter()
        .enumerate()
    {
        // Submitted five days before each period's flag time.
        let at = (flag_ms(&config, period) - 5 * DAY_MS).min(now);
        for (i, (id, _)) in ids.iter().take(count).enumerate() {
            let input = DutyReportInput {
                enterprise_id: Some(id.clone()),
                period: period.label.clone(),
                text: format!(
                    "{} 履职情况：主持召开安全生产例会 {} 次，带队开展隐患排查 {} 次，整改隐患 {} 项，组织应急演练 1 次。",
                    period.label,
                    2 + i,
                    3 + i,
                    5 + 2 * i
                ),
                attachment_ids: Vec::new(),
            };
            let r = duty_reports::submit(store, &admin, at, &input).await?;
            n += 1;
            // The earlier quarter reviewed (the second returned); the later one left waiting.
            if round == 0 {
                let review = DutyReviewInput {
                    decision: if i == 1 { "return" } else { "accept" }.into(),
                    reason: (i == 1)
                        .then(|| "未写明重大危险源包保责任落实情况，请补充后重新提交".into()),
                };
                duty_reports::review(store, &admin, at + DAY_MS, &r.id, &review).await?;
            }
        }
    }
    for (k, (id, _)) in ids.iter().take(3).enumerate() {
        for (j, name) in ["罐区操作工", "装卸作业人员", "设备维修工"]
            .iter()
            .enumerate()
        {
            let complete = !(k == 0 && j == 2);
            post_cards::create(store, &admin, now, &post(id, name, 2 + j as i64, complete)).await?;
            n += 1;
        }
    }
    Ok(n)
}
