//! A year of inspections for the demo district, so the statistics have months to count: over the
//! twelve months before the demo's clock, monthly 双随机 draws of the bureau's items (工贸, 危化,
//! 烟花爆竹; one 工贸 draw published, so the public page shows outcomes), each drawn enterprise inspected by its
//! team within the month through the app's own use cases (findings become hazards of the closed
//! loop), and some representatives refusing to sign. Drawn signatures need images, so they are
//! left out. Deterministic from the seed.

use super::enforcement_cases::ctx_of;
use std::collections::HashMap;
use yingji_app::enforcement::{draws, inspections};
use yingji_core::enforcement::inspection::{
    CheckInput, FindingInput, InspectionInput, SignatureInput,
};
use yingji_core::enforcement::registry::DrawRequest;
use yingji_store::kernel::Ctx;
use yingji_store::{Sql, Store, StoreError, StoreResult};

const DAY_MS: i64 = 86_400_000;
/// 工贸 enterprises drawn each month (the small demo's pool of about 150 lasts the year).
const PER_MONTH: i64 = 10;
/// The month (counted back from the clock) whose draw is published with its outcomes.
const PUBLISHED_MONTHS_AGO: i64 = 3;

/// What inspectors find (隐患类别, description, location).
const FINDINGS: [(&str, &str, &str); 8] = [
    ("fire", "灭火器压力不足，未按期检查", "生产车间"),
    ("site", "安全通道堆放杂物，疏散不畅", "成品仓库"),
    ("electrical", "配电箱门未关闭，线路私拉乱接", "二号车间"),
    ("management", "安全生产教育培训记录不全", "安全管理台账"),
    ("equipment", "砂轮机防护罩缺失", "机修间"),
    ("behaviour", "作业人员未佩戴防护用品", "打磨工位"),
    ("site", "有限空间作业现场未设警示标识", "污水池"),
    ("management", "隐患排查治理台账未按月填写", "安全管理台账"),
];

/// A small deterministic generator (splitmix64).
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// The year of draws and inspections; answers the number of inspections recorded.
pub async fn generate_inspection_year(store: &Store, now: i64, seed: u64) -> StoreResult<usize> {
    let system = crate::resources::system();
    let items = bureau_items(store).await?;
    let mut people: HashMap<String, Ctx> = HashMap::new();
    for u in ["zfry", "zfry2", "zfry3", "yjj"] {
        if let Some(c) = ctx_of(store, u).await? {
            people.insert(c.user_id.clone(), c);
        }
    }
    let mut rng = Rng(seed ^ 0x5EED_2026);
    let mut recorded = 0;
    for back in (1..=12i64).rev() {
        let start = now - back * 30 * DAY_MS - 2 * DAY_MS;
        for (k, (item, label, count)) in items.iter().enumerate() {
            let req = DrawRequest {
                title: format!("{label}“双随机”抽查（第{}期）", 13 - back),
                item_id: item.clone(),
                count: Some(*count),
                ..Default::default()
            };
            let draw_seed = seed + (back * 10 + k as i64) as u64;
            let draw = match draws::run(
                store,
                &system,
                start + k as i64 * 3_600_000,
                &req,
                draw_seed,
            )
            .await
            {
                Ok(d) => d,
                // The pool ran out for the year (or is empty): no draw that month.
                Err(StoreError::Invalid(_)) => continue,
                Err(e) => return Err(e),
            };
            if back == PUBLISHED_MONTHS_AGO && k == 0 {
                draws::publish(store, &system, start + DAY_MS, &draw.id).await?;
            }
            for (i, pick) in draw.result.iter().enumerate() {
                let Some(task_id) = task_of(store, &draw.id, &pick.enterprise_id).await? else {
                    continue;
                };
                let Some(ctx) = pick.team.iter().find_map(|m| people.get(&m.user_id)) else {
                    continue;
                };
                let day = (2 + (i as i64 * 3 + k as i64 * 5) % 25) * DAY_MS;
                let at = start + day + rng.below(8) as i64 * 3_600_000;
                inspect(store, ctx, at.min(now - DAY_MS), &task_id, &mut rng).await?;
                recorded += 1;
            }
        }
    }
    Ok(recorded)
}

/// Records one inspection: about a third find one to three problems; one in eight
/// representatives refuses to sign.
async fn inspect(store: &Store, ctx: &Ctx, at: i64, task: &str, rng: &mut Rng) -> StoreResult<()> {
    let n = match rng.below(100) {
        0..=61 => 0,
        62..=81 => 1,
        82..=93 => 2,
        _ => 3,
    };
    let findings: Vec<FindingInput> = (0..n)
        .map(|_| {
            let (category, description, location) =
                FINDINGS[rng.below(FINDINGS.len() as u64) as usize];
            FindingInput {
                category: category.into(),
                description: description.into(),
                location: Some(location.into()),
                ..Default::default()
            }
        })
        .collect();
    let checks = (1..=3)
        .map(|k| CheckInput {
            code: format!("B-{k}"),
            result: if k <= n { "fail" } else { "pass" }.into(),
            department_id: None,
        })
        .collect();
    let summary = if n == 0 {
        "按检查表逐项检查，未发现问题。".to_string()
    } else {
        format!(
            "检查安全生产责任制、教育培训、隐患排查治理和有限空间作业，发现问题 {n} 项，已责令整改。"
        )
    };
    let input = InspectionInput {
        summary,
        checks,
        findings,
    };
    inspections::record(store, ctx, at, task, &input).await?;
    if rng.below(8) == 0 {
        let refusal = SignatureInput {
            kind: "enterprise".into(),
            signer_name: Some("企业负责人".into()),
            method: "refused".into(),
            refusal_reason: Some("对检查结论有异议，拒绝签字".into()),
            ..Default::default()
        };
        inspections::sign(store, ctx, at + 600_000, task, &refusal).await?;
    }
    Ok(())
}

/// The bureau's items with the month's count: 工贸 (the 双随机 item), 危化 and 烟花爆竹.
async fn bureau_items(store: &Store) -> StoreResult<Vec<(String, &'static str, i64)>> {
    let q = Sql::new(
        "SELECT id, category FROM enforcement_items WHERE category IN ('industry_trade', 'hazchem', 'fireworks') ORDER BY created_ms, id",
    );
    let mut out = Vec::new();
    for r in store.fetch_all(q).await? {
        let category: String = sqlx::Row::try_get(&r, "category")?;
        let (label, count) = match category.as_str() {
            "industry_trade" => ("工贸企业", PER_MONTH),
            "hazchem" => ("危险化学品企业", 3),
            _ => ("烟花爆竹经营单位", 2),
        };
        if out.iter().all(|(_, l, _)| *l != label) {
            out.push((sqlx::Row::try_get(&r, "id")?, label, count));
        }
    }
    out.sort_by_key(|(_, l, _)| *l != "工贸企业");
    Ok(out)
}

async fn task_of(store: &Store, draw: &str, enterprise: &str) -> StoreResult<Option<String>> {
    let mut q = Sql::new("SELECT id FROM inspection_tasks WHERE draw_id = ");
    q.bind(draw).push_bind(" AND enterprise_id = ", enterprise);
    Ok(match store.fetch_optional(q).await? {
        Some(r) => Some(sqlx::Row::try_get(&r, "id")?),
        None => None,
    })
}
