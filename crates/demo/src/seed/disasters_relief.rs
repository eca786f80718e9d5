//! The demo district's 救助: the rainstorm process's 应急救助 in its two streets (甘棠 within the
//! 10 hours, 湓浦 later), a 过渡期 entry and the 倒损住房 household rebuilding; a 一卡通 batch of
//! 湓浦 paid (one line failed at the bank) and one of 甘棠 in 公示, through the use cases at their
//! own times.

use super::enforcement_cases::ctx_of;
use yingji_app::disasters::{payments, relief};
use yingji_core::disasters::payments::{LineInput, RESULT_HEADERS};
use yingji_core::disasters::relief::EntryInput;
use yingji_core::kernel::clock::to_rfc3339;
use yingji_store::kernel::timers::ReliefNoticeEnd;
use yingji_store::{Sql, Store, StoreResult};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// ID numbers with their GB 11643 check digit: 36040319750312 + 3 digits + check.
fn id_number(n: u32) -> String {
    let base = format!("36040319750312{n:03}");
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = base
        .bytes()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    format!("{base}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

/// Cards with their Luhn digit: 6217 0000 0000 0NNN + check.
fn card(n: u32) -> String {
    let base = format!("621700000000{n:03}");
    let sum: u32 = base
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 0 {
                if d * 2 > 9 { d * 2 - 9 } else { d * 2 }
            } else {
                d
            }
        })
        .sum();
    format!("{base}{}", (10 - sum % 10) % 10)
}

fn entry(
    phase: &str,
    township: &str,
    village: &str,
    who: (&str, u32),
    amount: &str,
    at: i64,
) -> EntryInput {
    EntryInput {
        phase: phase.into(),
        township: township.into(),
        village: village.into(),
        name: who.0.into(),
        id_number: id_number(who.1),
        household: 3,
        phone: Some(format!("139{:08}", who.1)),
        kind: "cash".into(),
        amount: amount.into(),
        items: None,
        given_at: Some(to_rfc3339(at)),
        card_number: Some(card(who.1)),
        progress: None,
        percent: None,
    }
}

// Long because: one relief story told in order — entries, the paid batch, the batch in 公示.
pub async fn generate_relief(store: &Store, now: i64) -> StoreResult<usize> {
    let (Some(duty), Some(street)) = (ctx_of(store, "duty").await?, ctx_of(store, "street").await?)
    else {
        return Ok(0);
    };
    let mut q = Sql::new("SELECT id, started_ms FROM disaster_processes WHERE name LIKE ");
    q.bind("%7·10%").push(" ORDER BY created_ms LIMIT 1");
    let Some(r) = store.fetch_optional(q).await? else {
        return Ok(0);
    };
    let (pid, start): (String, i64) = (sqlx::Row::try_get(&r, 0)?, sqlx::Row::try_get(&r, 1)?);
    // 初报 at start + 1.5 h: 甘棠 relieved 8 h later (达标), 湓浦 after 13 h (超时).
    let gantang = [("陈建国", 1), ("林秀英", 2), ("黄志强", 3), ("周桂兰", 4)];
    let penpu = [("吴德明", 11), ("郑丽华", 12), ("王海涛", 13)];
    let mut ids = (Vec::new(), Vec::new());
    for (i, who) in gantang.iter().enumerate() {
        let e = entry(
            "emergency",
            "360403001",
            "南湖社区",
            *who,
            "1500.00",
            start + 9 * HOUR + i as i64 * 600_000,
        );
        ids.0
            .push(relief::add(store, &street, start + 2 * DAY, &pid, &e).await?);
    }
    for (i, who) in penpu.iter().enumerate() {
        let e = entry(
            "emergency",
            "360403002",
            "湓浦社区",
            *who,
            "1200.00",
            start + 14 * HOUR + 60_000 * 30 * i as i64,
        );
        ids.1
            .push(relief::add(store, &duty, start + 2 * DAY, &pid, &e).await?);
    }
    let t = entry(
        "transition",
        "360403001",
        "南湖社区",
        ("刘某", 21),
        "3000.00",
        start + 12 * DAY,
    );
    relief::add(store, &street, start + 12 * DAY, &pid, &t).await?;
    let mut house = entry(
        "rebuild",
        "360403001",
        "甘棠街道南湖社区",
        ("赵某", 22),
        "20000.00",
        start + 14 * DAY,
    );
    house.progress = Some("building".into());
    house.percent = Some(35);
    relief::add(store, &street, start + 14 * DAY, &pid, &house).await?;
    // 湓浦: published on day 3, paid after the 7 days; one card refused by the bank.
    let lines = |ids: &[String]| {
        ids.iter()
            .map(|id| LineInput {
                entry_id: id.clone(),
                amount: None,
            })
            .collect()
    };
    let b = payments::BatchInput {
        process_id: pid.clone(),
        phase: "emergency".into(),
        township: "360403002".into(),
        lines: lines(&ids.1),
    };
    let done = payments::create(store, &duty, start + 3 * DAY, &b).await?;
    let published = payments::publish(store, &duty, start + 3 * DAY, &done).await?;
    let end = published.notice_end_ms.unwrap_or(start + 10 * DAY);
    let mut tx = store.begin().await?;
    yingji_store::disasters::payments::fire_notice_end(
        &mut tx,
        &done,
        &ReliefNoticeEnd { notice_end_ms: end },
        end,
    )
    .await?;
    tx.commit().await?;
    let exported = payments::export(store, &duty, end + HOUR, &done).await?;
    let mut rows = vec![
        RESULT_HEADERS
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
    ];
    for (i, l) in exported.lines.iter().enumerate() {
        let (result, reason) = if i == 2 {
            ("失败", "账户已销户")
        } else {
            ("成功", "")
        };
        rows.push(vec![l.reference.clone(), result.into(), reason.into()]);
    }
    let _ = payments::results(store, &duty, end + 2 * DAY, &done, &rows).await?;
    // 甘棠: in 公示 since yesterday.
    let b = payments::BatchInput {
        process_id: pid.clone(),
        phase: "emergency".into(),
        township: "360403001".into(),
        lines: lines(&ids.0),
    };
    let notice = payments::create(store, &street, now - DAY, &b).await?;
    payments::publish(store, &street, now - DAY, &notice).await?;
    Ok(1)
}
