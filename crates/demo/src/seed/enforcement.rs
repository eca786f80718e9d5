//! The demo district's enforcement: the bureau's 执法事项目录, its inspectors in the
//! 执法检查人员名录库 (one with a 回避), and a published 双随机 draw of 工贸 enterprises.

use yingji_app::enforcement::{draws, registry};
use yingji_core::enforcement::registry::{DrawRequest, InspectorInput, ItemInput};
use yingji_store::directory::{departments, users};
use yingji_store::{Sql, Store, StoreResult};

/// The seed of the demo's published draw (recorded, so anyone can run it again).
pub const DEMO_DRAW_SEED: u64 = 20_261_201;

pub async fn generate_enforcement(store: &Store, now: i64) -> StoreResult<()> {
    let ctx = crate::resources::system();
    let Some(bureau) = departments::find_by_name(store, "区应急管理局").await? else {
        return Ok(());
    };
    let items = [
        (
            "工贸企业安全生产监督检查",
            "《中华人民共和国安全生产法》第六十五条、第六十六条",
            "random",
            "industry_trade",
            "安全生产责任制、教育培训、隐患排查治理、有限空间和粉尘防爆作业",
        ),
        (
            "危险化学品企业重点检查",
            "《中华人民共和国安全生产法》第六十五条；《危险化学品安全管理条例》第六条",
            "key",
            "hazchem",
            "重大危险源管控、特殊作业、自动化控制和安全仪表",
        ),
        (
            "烟花爆竹经营单位专项检查",
            "《烟花爆竹安全管理条例》第三十条",
            "special",
            "fireworks",
            "储存场所、经营许可、安全距离",
        ),
    ];
    let mut first_item = None;
    for (name, basis, method, category, content) in items {
        let input = ItemInput {
            name: name.into(),
            legal_basis: basis.into(),
            method: method.into(),
            category: Some(category.into()),
            content: Some(content.into()),
        };
        let item = registry::create_item(store, &ctx, now, Some(&bureau.id), &input).await?;
        first_item.get_or_insert(item.id);
    }
    for (n, username) in ["zfry", "zfry2", "zfry3", "yjj"].iter().enumerate() {
        let Some(u) = users::by_username(store, username).await? else {
            continue;
        };
        let input = InspectorInput {
            user_id: u.id,
            cert_no: format!("36040320240{:02}", n + 1),
            cert_valid_until: "2028-12-31".into(),
        };
        registry::register_inspector(store, &ctx, now, &input).await?;
    }
    if let (Some(zf3), Some(e)) = (
        users::by_username(store, "zfry3").await?,
        first_trade_enterprise(store).await?,
    ) {
        registry::add_conflict(store, &ctx, now, &zf3.id, &e, "近亲属在该企业任职").await?;
    }
    let req = DrawRequest {
        title: "2026年第四季度工贸企业“双随机”抽查".into(),
        item_id: first_item.unwrap_or_default(),
        ratio_percent: Some("5".into()),
        ..Default::default()
    };
    let draw = draws::run(store, &ctx, now, &req, DEMO_DRAW_SEED).await?;
    draws::publish(store, &ctx, now, &draw.id).await?;
    Ok(())
}

async fn first_trade_enterprise(store: &Store) -> StoreResult<Option<String>> {
    let q = Sql::new(
        "SELECT id FROM enterprises WHERE categories LIKE '%,industry_trade,%' AND status = 'operating' ORDER BY id LIMIT 1",
    );
    Ok(match store.fetch_optional(q).await? {
        Some(r) => Some(sqlx::Row::try_get(&r, "id")?),
        None => None,
    })
}
