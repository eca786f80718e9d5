//! The demo district's 行政处罚案件: one or two in each state, taken through their steps by the
//! demo accounts themselves (承办人 张明 and 李华, 法制审核员 赵敏, 应急局监管科), so every
//! timeline and audit record is what the console would have written.

use yingji_app::enforcement::cases;
use yingji_core::enforcement::case::{NewCaseInput, StepInput};
use yingji_core::kernel::role::Role;
use yingji_store::directory::users::{self, User};
use yingji_store::kernel::Ctx;
use yingji_store::{Actor, Sql, Store, StoreResult};

pub(super) async fn ctx_of(store: &Store, username: &str) -> StoreResult<Option<Ctx>> {
    let Some(u): Option<User> = users::by_username(store, username).await? else {
        return Ok(None);
    };
    let scope = users::scope_of(store, &u).await?;
    Ok(Some(Ctx {
        actor: Actor {
            user_id: Some(u.id.clone()),
            name: u.display_name.clone(),
            ip: None,
        },
        role: Role::parse(&u.role).unwrap_or(Role::Expert),
        user_id: u.id,
        display_name: u.display_name,
        scope,
    }))
}

/// (案由, 来源, steps to take: (who, step, grade, amount, reason)).
type Plan = (
    &'static str,
    &'static str,
    &'static [(
        &'static str,
        &'static str,
        Option<&'static str>,
        Option<i64>,
    )],
);

const PLANS: [Plan; 7] = [
    ("未按规定对从业人员进行安全生产教育培训", "finding", &[]),
    (
        "有限空间作业未执行审批制度",
        "complaint",
        &[("zfry", "investigate", None, None)],
    ),
    (
        "粉尘防爆除尘系统未按规定清扫",
        "finding",
        &[
            ("zfry", "investigate", None, None),
            ("zfry", "submit_review", None, Some(30_000)),
        ],
    ),
    (
        "未如实记录安全生产教育和培训情况",
        "finding",
        &[
            ("zfry", "investigate", None, None),
            ("zfry", "submit_review", None, Some(20_000)),
            ("fzsh", "approve", None, None),
        ],
    ),
    (
        "发生一般生产安全事故（一人受伤）",
        "referral",
        &[
            ("zfry", "investigate", None, None),
            ("zfry", "submit_review", Some("general"), Some(350_000)),
            ("fzsh", "approve", None, None),
            ("zfry", "statement", None, None),
            ("zfry", "hearing_request", None, None),
            ("yjj", "decide", None, None),
        ],
    ),
    (
        "安全警示标志设置不符合要求",
        "finding",
        &[
            ("zfry", "investigate", None, None),
            ("zfry", "submit_review", None, Some(10_000)),
            ("fzsh", "approve", None, None),
            ("zfry", "statement", None, None),
            ("zfry", "hearing_request", None, None),
            ("yjj", "decide", None, None),
            ("zfry", "execute", None, None),
        ],
    ),
    (
        "特种作业人员未持证上岗",
        "finding",
        &[
            ("zfry", "investigate", None, None),
            ("zfry", "submit_review", None, Some(15_000)),
            ("fzsh", "approve", None, None),
            ("zfry", "statement", None, None),
            ("zfry", "hearing_request", None, None),
            ("yjj", "decide", None, None),
            ("zfry", "execute", None, None),
            ("yjj", "close", None, None),
        ],
    ),
];

pub async fn generate_enforcement_cases(store: &Store, now: i64) -> StoreResult<()> {
    let (Some(yjj), Some(a), Some(b)) = (
        ctx_of(store, "yjj").await?,
        ctx_of(store, "zfry").await?,
        ctx_of(store, "zfry2").await?,
    ) else {
        return Ok(());
    };
    let enterprises = bureau_enterprises(store).await?;
    for (n, (title, source, steps)) in PLANS.iter().enumerate() {
        let Some(enterprise) = enterprises.get(n % enterprises.len().max(1)) else {
            return Ok(());
        };
        let input = NewCaseInput {
            title: (*title).into(),
            facts: Some(format!("执法检查中发现：{title}。")),
            legal_basis: Some("《中华人民共和国安全生产法》第一百零一条".into()),
            source: (*source).into(),
            source_id: None,
            investigators: vec![a.user_id.clone(), b.user_id.clone()],
        };
        let case = cases::create(store, &yjj, now, None, enterprise, &input).await?;
        for (who, step, grade, amount) in steps.iter() {
            let Some(ctx) = ctx_of(store, who).await? else {
                continue;
            };
            let input = StepInput {
                accident_grade: grade.map(Into::into),
                amount_yuan: *amount,
                paid: *step == "execute",
                waived: matches!(*step, "statement" | "hearing_request"),
                note: (*step == "approve").then(|| "事实清楚，证据确凿，程序合法".into()),
                ..Default::default()
            };
            cases::step(store, &ctx, now, &case.id, step, &input).await?;
        }
    }
    Ok(())
}

async fn bureau_enterprises(store: &Store) -> StoreResult<Vec<String>> {
    let q = Sql::new(
        "SELECT id FROM enterprises WHERE categories LIKE '%,industry_trade,%' AND status = 'operating' ORDER BY id LIMIT 7",
    );
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| Ok(sqlx::Row::try_get(r, "id")?))
        .collect()
}
