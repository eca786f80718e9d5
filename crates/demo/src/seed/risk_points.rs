//! Synthetic 风险点: typical points of each enterprise (those of its trade, placed inside its
//! grid), and public hazard sources on some grids.

use crate::trades::risk_points_for;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::HashMap;
use yingji_core::kernel::geo::{self, Ring};
use yingji_core::kernel::rng::Rng;
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::prevention::risk::{CONTROL_LEVELS, RiskInput};
use yingji_store::prevention::risk_points::RiskPointInput;
use yingji_store::{Actor, Sql, Store, StoreResult};

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
        "SELECT id, principal_name, categories, industry_code, grid_code, lon, lat FROM enterprises ORDER BY id LIMIT ",
    );
    q.bind(max_enterprises as i64);
    let ents = store.fetch_all(q).await?;
    let grid_shapes = grid_shapes(store).await?;
    let mut n = 0;
    for e in &ents {
        let grid: String = e.try_get("grid_code")?;
        let shape = grid_shapes
            .get(&grid)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for _ in 0..1 + rng.below(3) {
            let input = enterprise_point(e, shape, &mut rng)?;
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

/// The grids' outlines by code.
async fn grid_shapes(store: &Store) -> StoreResult<HashMap<String, Vec<Ring>>> {
    let rows = store
        .fetch_all(Sql::new(
            "SELECT code, boundary FROM regions WHERE level = 'grid' AND boundary IS NOT NULL",
        ))
        .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for r in &rows {
        let boundary: String = r.try_get(1)?;
        let rings = serde_json::from_str::<serde_json::Value>(&boundary)
            .ok()
            .and_then(|v| geo::parse_geometry(&v).ok())
            .unwrap_or_default();
        out.insert(r.try_get(0)?, rings);
    }
    Ok(out)
}

/// A point a few dozen metres from the enterprise, drawn again until it lies inside the
/// enterprise's grid (the enterprise's own point after 20 tries).
fn near_inside(rng: &mut Rng, shape: &[Ring], lon: f64, lat: f64) -> (f64, f64) {
    for _ in 0..20 {
        let p = (
            lon + (rng.unit() - 0.5) * 0.0008,
            lat + (rng.unit() - 0.5) * 0.0008,
        );
        if shape.is_empty() || geo::contains(shape, p.0, p.1) {
            return p;
        }
    }
    (lon, lat)
}

/// One typical risk point of enterprise row `e` (one of its trade's), placed near it inside its
/// grid `shape`. The draws, in this order: the point, the position (when known), L, E, C and the
/// control level.
fn enterprise_point(e: &AnyRow, shape: &[Ring], rng: &mut Rng) -> StoreResult<RiskPointInput> {
    let categories: String = e.try_get("categories")?;
    let hazchem = categories.contains("hazchem");
    let (lon, lat): (Option<f64>, Option<f64>) = (e.try_get("lon")?, e.try_get("lat")?);
    let industry: String = e.try_get("industry_code")?;
    let points = risk_points_for(&industry);
    let (name, factors, accidents, measures) = match points.as_slice() {
        // An enterprise added by hand with a trade the demo does not know: its 配电室.
        [] => crate::trades::RISK_POINTS[0],
        some => **rng.pick(some),
    };
    let (lon, lat) = match (lon, lat) {
        (Some(lon), Some(lat)) => {
            let (x, y) = near_inside(rng, shape, lon, lat);
            (Some(x), Some(y))
        }
        _ => (None, None),
    };
    Ok(RiskPointInput {
        enterprise_id: Some(e.try_get("id")?),
        public_kind: None,
        region_code: None,
        name: name.into(),
        location: name.into(),
        lon,
        lat,
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
