//! The demo district's 许可证照, 标准化等级 and 关键岗位人员: entered by the supervising
//! department through the use cases (so reminders are scheduled and every write audited), some
//! licences expiring within 30 and 90 days and one expired, and one proposal of the enterprise
//! user waiting for confirmation.

use super::enforcement_cases::ctx_of;
use yingji_app::credit::{key_people, licences};
use yingji_core::credit::key_people::KeyPersonInput;
use yingji_core::credit::licences::LicenceInput;
use yingji_core::credit::standardisation::StandardisationInput;
use yingji_core::kernel::clock::today;
use yingji_store::{Sql, Store, StoreResult};

const DAY_MS: i64 = 86_400_000;

/// (kind, number prefix, days from today to the last valid day)
const LICENCES: &[(&str, &str, i64)] = &[
    ("hazchem_operation", "赣九危化经字〔2024〕", 20),
    ("safety_production", "（赣）WH安许证字〔2023〕", 75),
    ("hazchem_use", "赣九危化使字〔2023〕", -12),
    ("fireworks_operation", "赣九烟花经字〔2025〕", 400),
    ("hazchem_registration", "360410", 800),
    ("non_coal_mine", "（赣）FM安许证字〔2024〕", 55),
];

fn day(now: i64, days: i64) -> String {
    today(now + days * DAY_MS).to_string()
}

// Long because: one pass over the demo enterprises writing each kind of record in turn.
pub async fn generate_credit_licences(store: &Store, now: i64) -> StoreResult<usize> {
    let (Some(admin), Some(ent)) = (
        ctx_of(store, "admin").await?,
        ctx_of(store, "enterprise").await?,
    ) else {
        return Ok(0);
    };
    let own = store
        .fetch_all(Sql::new(
            "SELECT enterprise_id FROM users WHERE username = 'enterprise'",
        ))
        .await?
        .first()
        .and_then(|r| sqlx::Row::try_get::<Option<String>, _>(r, 0).ok().flatten());
    let mut ids: Vec<String> = Vec::new();
    if let Some(own) = own.clone() {
        ids.push(own);
    }
    for r in store
        .fetch_all(Sql::new(
            "SELECT id FROM enterprises WHERE categories LIKE '%,hazchem,%' ORDER BY id LIMIT 12",
        ))
        .await?
    {
        let id: String = sqlx::Row::try_get(&r, 0)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let mut n = 0;
    for (i, id) in ids.iter().enumerate() {
        for k in 0..2 {
            let (kind, prefix, days) = LICENCES[(i + k * 3) % LICENCES.len()];
            let input = LicenceInput {
                kind: kind.into(),
                number: format!("{prefix}{:04}", 100 + i * 2 + k),
                scope: Some("按许可证载明的范围从事生产经营".into()),
                issuer: Some("九江市应急管理局".into()),
                valid_from: day(now, days - 3 * 365),
                valid_until: day(now, days),
            };
            licences::submit_licence(store, now, &admin, id, None, &input).await?;
            n += 1;
        }
        let grade = StandardisationInput {
            grade: (i % 3 + 1) as i64,
            certificate_number: format!("赣AQB{:06}", 2024_0000 + i),
            valid_until: day(now, 200 + 30 * i as i64),
        };
        licences::submit_standardisation(store, now, &admin, id, &grade).await?;
        let people = [
            (
                "principal",
                "主要负责人安全生产知识和管理能力考核合格证",
                500,
            ),
            (
                "safety_manager",
                "安全生产管理人员安全生产知识和管理能力考核合格证",
                25,
            ),
            (
                "special_operator",
                "特种作业操作证（危险化学品安全作业）",
                if i % 2 == 0 { -5 } else { 80 },
            ),
        ];
        for (j, (post, cert, days)) in people.iter().enumerate() {
            let input = KeyPersonInput {
                post: (*post).into(),
                name: ["陈建国", "刘桂英", "周明", "吴海燕", "郑强"][(i + j) % 5].into(),
                phone: Some(format!("139{:08}", 7000_0000 + i * 10 + j)),
                certificate_kind: Some((*cert).into()),
                certificate_number: Some(format!("T3604{:012}", 100_000 + i * 10 + j)),
                valid_until: Some(day(now, *days)),
            };
            key_people::save(store, now, &admin, id, None, &input).await?;
        }
    }
    // One proposal of the enterprise user, waiting for its department.
    if let Some(own) = own {
        let input = LicenceInput {
            kind: "hazchem_operation".into(),
            number: "赣九危化经字〔2026〕0901".into(),
            scope: Some("危险化学品经营（不带储存）".into()),
            issuer: Some("九江市应急管理局".into()),
            valid_from: day(now, -1),
            valid_until: day(now, 3 * 365),
        };
        licences::submit_licence(store, now, &ent, &own, None, &input).await?;
    }
    Ok(n)
}
