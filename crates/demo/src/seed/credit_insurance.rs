//! The demo district's 安责险: an insurer (中国人民财产保险股份有限公司九江市分公司) with its user
//! `insurer`, policies of most enterprises of the mandatory industries entered by the insurer
//! itself (one enterprise left uninsured, one policy about to expire), a claim on an accident
//! of an insured enterprise when the district has one, and a few 事故预防服务 records.

use super::enforcement_cases::ctx_of;
use sqlx::Row;
use yingji_core::credit::claims::{ClaimInput, ClaimStep};
use yingji_core::credit::coverage::CoverageConfig;
use yingji_core::credit::insurance::{InsurerInput, PolicyInput, days_after, year_end};
use yingji_core::credit::prevention_services::ServiceInput;
use yingji_core::kernel::clock::today;
use yingji_core::kernel::role::{Role, Scope};
use yingji_store::directory::users;
use yingji_store::{Actor, Sql, Store, StoreResult};

/// The demo insurer's 统一社会信用代码.
pub const DEMO_INSURER_CODE: &str = "91360400MA35G0QH4R";

/// Loads the demo's insurance (once: nothing when the insurer exists); answers the number of
/// policies written.
// Long because: the insurer, its account and its policies read best as one sequence.
pub async fn generate_insurance(store: &Store, now: i64) -> StoreResult<usize> {
    let Some(admin) = ctx_of(store, "admin").await? else {
        return Ok(0);
    };
    let mut q = Sql::new("SELECT COUNT(*) FROM credit_insurers WHERE credit_code = ");
    q.bind(DEMO_INSURER_CODE);
    if store.fetch_i64(q).await? > 0 {
        return Ok(0);
    }
    let insurer = yingji_app::credit::insurance::create_insurer(
        store,
        &admin,
        now,
        &InsurerInput {
            name: "中国人民财产保险股份有限公司九江市分公司".into(),
            credit_code: DEMO_INSURER_CODE.into(),
        },
    )
    .await?;
    let hash = users::by_username(store, "admin")
        .await?
        .map(|u| u.password_hash)
        .unwrap_or_default();
    let input = users::UserInput {
        username: "insurer".into(),
        display_name: "人保财险风控专员".into(),
        phone: None,
        role: Role::Insurer.as_str().into(),
        region_code: None,
        department_id: None,
        enterprise_id: None,
        insurer_id: Some(insurer.id.clone()),
        active: Some(true),
    };
    yingji_app::directory::users::create(
        store,
        now,
        &Actor::system("演示数据"),
        &input,
        &hash,
        false,
    )
    .await?;
    let Some(ins) = ctx_of(store, "insurer").await? else {
        return Ok(0);
    };
    let day = today(now);
    let config = CoverageConfig::default();
    let subjects =
        yingji_store::credit::coverage::subjects(store, &Scope::All, &day.to_string()).await?;
    let required: Vec<_> = subjects
        .iter()
        .filter(|s| {
            !config
                .required_by(&s.categories, &s.flags, &s.industry_code)
                .is_empty()
        })
        .take(300)
        .collect();
    let starts = days_after(day, -200);
    let mut written = Vec::new();
    // The first stays uninsured; the second's policy ends in 20 days.
    for (i, s) in required.iter().enumerate().skip(1) {
        let ends = if i == 1 {
            days_after(day, 20)
        } else {
            year_end(starts)
        };
        let p = PolicyInput {
            enterprise_uscc: Some(s.uscc.clone()),
            number: format!("PICC{}3604{i:06}", starts.year()),
            starts_day: starts.to_string(),
            ends_day: ends.to_string(),
            insured_persons: 20 + (i as i64 * 7) % 180,
            premium: format!("{}.{:02}", 6_000 + (i * 1_370) % 40_000, (i * 37) % 100),
            cover_per_person: "800000".into(),
            ..Default::default()
        };
        written.push(yingji_app::credit::insurance::create(store, &ins, now, &p).await?);
    }
    services(store, &ins, now, &written).await?;
    claim(store, &ins, now, &written).await?;
    Ok(written.len())
}

async fn services(
    store: &Store,
    ins: &yingji_store::kernel::Ctx,
    now: i64,
    policies: &[yingji_store::credit::insurance::Policy],
) -> StoreResult<()> {
    let day = today(now);
    let kinds = [
        (
            "risk_assessment",
            "完成全厂风险评估，辨识较大风险点3处，建议完善储罐区可燃气体报警联锁。",
        ),
        (
            "hazard_check",
            "排查发现一般隐患2项（消防通道堆物、配电箱未上锁），已当场告知企业整改。",
        ),
        (
            "training",
            "开展主要负责人及安全管理人员安全培训，参训32人，考核合格30人。",
        ),
        (
            "drill",
            "指导企业开展危化品泄漏应急演练，处置流程基本顺畅，建议加强疏散引导。",
        ),
    ];
    for (i, p) in policies.iter().take(4).enumerate() {
        let (kind, findings) = kinds[i % kinds.len()];
        let input = ServiceInput {
            enterprise_id: p.enterprise_id.clone(),
            day: days_after(day, -(i as i64 + 1) * 9).to_string(),
            kind: kind.into(),
            findings: findings.into(),
            ..Default::default()
        };
        yingji_app::credit::prevention_services::record(store, ins, now, &input).await?;
    }
    Ok(())
}

/// A claim on the first accident of an insured enterprise, accepted by the insurer.
async fn claim(
    store: &Store,
    ins: &yingji_store::kernel::Ctx,
    now: i64,
    policies: &[yingji_store::credit::insurance::Policy],
) -> StoreResult<()> {
    for p in policies {
        let mut q = Sql::new("SELECT id FROM incidents WHERE enterprise_id = ");
        q.bind(p.enterprise_id.as_str())
            .push(" ORDER BY occurred_ms DESC LIMIT 1");
        let Some(row) = store.fetch_optional(q).await? else {
            continue;
        };
        let input = ClaimInput {
            policy_id: p.id.clone(),
            incident_id: row.try_get("id")?,
            claimed: "160000".into(),
            description: Some("事故造成从业人员受伤，申请安责险理赔。".into()),
        };
        let c = yingji_app::credit::claims::report(store, ins, now, &input).await?;
        let step = ClaimStep {
            action: "accept".into(),
            ..Default::default()
        };
        yingji_app::credit::claims::step(store, ins, now, &c.id, &step).await?;
        break;
    }
    Ok(())
}
