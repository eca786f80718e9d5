//! Synthetic 风险点: typical points of each enterprise, and public hazard sources on some grids.

use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::kernel::rng::Rng;
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::prevention::risk::{CONTROL_LEVELS, RiskInput};
use yingji_store::prevention::risk_points::RiskPointInput;
use yingji_store::{Actor, Sql, Store, StoreResult};

/// Typical 风险点 of an enterprise: name, hazard factors, accident types, measures.
const DEMO_RISK_POINTS: &[(&str, &str, &[&str], &str)] = &[
    (
        "配电室",
        "带电体裸露、绝缘老化",
        &["触电", "火灾"],
        "定期检测绝缘，持证电工操作，配置绝缘用具",
    ),
    (
        "危化品仓库",
        "易燃液体泄漏、静电",
        &["火灾", "容器爆炸", "中毒和窒息"],
        "分类存放，防静电接地，可燃气体报警器联锁通风",
    ),
    (
        "喷漆房",
        "有机溶剂蒸气、粉尘",
        &["火灾", "其它爆炸"],
        "防爆电气，局部排风，禁止明火",
    ),
    (
        "锅炉房",
        "高温高压蒸汽",
        &["锅炉爆炸", "灼烫"],
        "安全阀定期校验，持证司炉，水位联锁",
    ),
    (
        "叉车作业区",
        "人车混行、视线盲区",
        &["车辆伤害"],
        "人车分流，限速，持证驾驶",
    ),
    (
        "污水池（有限空间）",
        "硫化氢、缺氧",
        &["中毒和窒息", "淹溺"],
        "先通风再检测后作业，审批制度，专人监护",
    ),
    (
        "冲压车间",
        "设备运动部件",
        &["机械伤害"],
        "双手按钮，光电保护，停机上锁挂牌",
    ),
    (
        "高处作业平台",
        "临边无防护",
        &["高处坠落", "物体打击"],
        "设置护栏，系挂安全带，工具防坠",
    ),
    (
        "行车吊装区",
        "吊具失效、超载",
        &["起重伤害"],
        "吊具日检，限位器有效，专人指挥",
    ),
    (
        "员工食堂",
        "燃气泄漏",
        &["火灾", "其它爆炸"],
        "燃气报警切断装置，定期检查软管",
    ),
];

const DEMO_PUBLIC_SOURCES: &[(&str, &str, &str)] = &[
    ("bridge", "人行天桥", "结构老化、超载"),
    (
        "gas_network",
        "中压燃气管线阀井",
        "第三方施工破坏、腐蚀泄漏",
    ),
    ("crowded_place", "农贸市场", "人员密集、电气线路私拉乱接"),
    ("waterlogging", "下穿通道易涝点", "强降雨积水"),
    ("geohazard", "滑坡隐患点", "降雨诱发滑坡"),
    ("construction_site", "深基坑工地", "基坑坍塌、塔吊倾覆"),
];

/// Risk points for the first `max_enterprises` enterprises (one to three each) and a few
/// public risk sources per street, graded by LEC through `risk_points::create` so that the
/// demo's four-colour maps have something to show.
pub async fn generate_risk_points(
    store: &Store,
    now: i64,
    seed: u64,
    max_enterprises: usize,
) -> StoreResult<usize> {
    let actor = Actor::system("demo");
    let mut rng = Rng::new(seed ^ 0x5249_534B);
    let mut q = Sql::new(
        "SELECT id, principal_name, categories, lon, lat FROM enterprises ORDER BY id LIMIT ",
    );
    q.bind(max_enterprises as i64);
    let ents = store.fetch_all(q).await?;
    let mut n = 0;
    for e in &ents {
        for _ in 0..1 + rng.below(3) {
            let input = enterprise_point(e, &mut rng)?;
            create(store, &actor, now, &input).await?;
            n += 1;
        }
    }
    let grids = store
        .fetch_all(Sql::new(
            "SELECT code, center_lon, center_lat FROM regions WHERE level = 'grid' ORDER BY code",
        ))
        .await?;
    for g in &grids {
        if !rng.chance(0.25) {
            continue;
        }
        let input = public_source(g, &mut rng)?;
        create(store, &actor, now, &input).await?;
        n += 1;
    }
    Ok(n)
}

/// One typical risk point of enterprise row `e`, placed near it. The draws, in this order: the
/// point, the jitter of lon and lat (when known), L, E, C and the control level.
fn enterprise_point(e: &AnyRow, rng: &mut Rng) -> StoreResult<RiskPointInput> {
    let categories: String = e.try_get("categories")?;
    let hazchem = categories.contains("hazchem");
    let (lon, lat): (Option<f64>, Option<f64>) = (e.try_get("lon")?, e.try_get("lat")?);
    let (name, factors, accidents, measures) = *rng.pick(DEMO_RISK_POINTS);
    let jitter = |v: Option<f64>, rng: &mut Rng| v.map(|v| v + (rng.unit() - 0.5) * 0.0008);
    Ok(RiskPointInput {
        enterprise_id: Some(e.try_get("id")?),
        public_kind: None,
        region_code: None,
        name: name.into(),
        location: name.into(),
        lon: jitter(lon, rng),
        lat: jitter(lat, rng),
        hazard_factors: factors.into(),
        accident_types: accidents.iter().map(|s| s.to_string()).collect(),
        assessment: lec(rng, hazchem),
        level_override: None,
        override_reason: None,
        control_measures: measures.into(),
        emergency_measures: "立即停止作业，疏散人员，报告值班领导并启动现场处置方案".into(),
        control_level: rng.pick(CONTROL_LEVELS).0.into(),
        responsible_name: e
            .try_get::<Option<String>, _>("principal_name")?
            .unwrap_or_else(|| "安全员".into()),
        responsible_phone: None,
        review_date: None,
    })
}

/// LEC values weighted towards the common low and general results; chemical sites carry the
/// larger consequences.
fn lec(rng: &mut Rng, hazchem: bool) -> RiskInput {
    RiskInput::Lec {
        l: (*rng.pick(&["0.5", "1", "1", "3", "3", "6"])).into(),
        e: (*rng.pick(&["1", "2", "3", "3", "6", "6"])).into(),
        c: (*rng.pick(if hazchem {
            &["7", "15", "15", "40"][..]
        } else {
            &["1", "3", "3", "7", "15"][..]
        }))
        .into(),
    }
}

/// A public risk source at the centre of grid row `g`, graded by LS. The draws: the source,
/// L, S.
fn public_source(g: &AnyRow, rng: &mut Rng) -> StoreResult<RiskPointInput> {
    let (kind, name, factors) = *rng.pick(DEMO_PUBLIC_SOURCES);
    Ok(RiskPointInput {
        enterprise_id: None,
        public_kind: Some(kind.into()),
        region_code: Some(g.try_get("code")?),
        name: name.into(),
        location: name.into(),
        lon: g.try_get("center_lon")?,
        lat: g.try_get("center_lat")?,
        hazard_factors: factors.into(),
        accident_types: vec!["其它伤害".into()],
        assessment: RiskInput::Ls {
            l: 1 + rng.below(4) as i64,
            s: 1 + rng.below(5) as i64,
        },
        level_override: None,
        override_reason: None,
        control_measures: "网格员每日巡查，汛期加密监测".into(),
        emergency_measures: "设置警戒，疏散周边群众，报告街道应急办".into(),
        control_level: "company".into(),
        responsible_name: "网格员".into(),
        responsible_phone: None,
        review_date: None,
    })
}

/// Registers a risk point through the app's use case, as an administrator over everything.
async fn create(store: &Store, actor: &Actor, now: i64, input: &RiskPointInput) -> StoreResult<()> {
    yingji_app::prevention::risk_points::create(store, actor, &Scope::All, Role::Admin, now, input)
        .await?;
    Ok(())
}
