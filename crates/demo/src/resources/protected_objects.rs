//! The demo district's 承灾体, placed inside the grids with the grid worker responsible.

use super::system;
use sqlx::Row;
use yingji_core::kernel::rng::Rng;
use yingji_store::{Sql, Store, StoreResult};

/// The demo district's 承灾体: in every grid a few of the kinds warnings target, placed inside the
/// grid, with the grid's worker (the demo account `grid` for its grid) responsible.
pub async fn generate_protected_objects(store: &Store, now: i64, seed: u64) -> StoreResult<usize> {
    use yingji_store::warning::targeting::ObjectInput;
    if store
        .fetch_i64(Sql::new("SELECT COUNT(*) FROM protected_objects"))
        .await?
        > 0
    {
        return Ok(0);
    }
    let ctx = system();
    let mut rng = Rng::new(seed ^ 0x7A26);
    let grid_user = yingji_store::directory::users::by_username(store, "grid").await?;
    let rows = store
        .fetch_all(Sql::new(
            "SELECT code, name, boundary FROM regions WHERE level = 'grid' AND boundary IS NOT NULL ORDER BY code",
        ))
        .await?;
    const KINDS: &[(&str, &str, f64)] = &[
        ("waterlogging", "易涝点", 0.5),
        ("dangerous_house", "危房", 0.6),
        ("geohazard", "地灾隐患点", 0.15),
        ("construction", "在建工地", 0.3),
        ("tower_crane", "塔吊", 0.2),
        ("school", "学校", 0.15),
        ("nursing_home", "养老院", 0.08),
        ("crowded_place", "人员密集场所", 0.2),
        ("special_person", "独居老人", 0.7),
    ];
    const SURNAMES: &[&str] = &["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴"];
    const GIVEN: &[&str] = &[
        "建国", "秀英", "志强", "桂兰", "海涛", "丽华", "国平", "春梅",
    ];
    let mut n = 0;
    for r in &rows {
        let code: String = r.try_get(0)?;
        let gname: String = r.try_get(1)?;
        let boundary: String = r.try_get(2)?;
        let rings = serde_json::from_str::<serde_json::Value>(&boundary)
            .ok()
            .and_then(|v| yingji_core::kernel::geo::parse_geometry(&v).ok())
            .unwrap_or_default();
        let Some(b) = yingji_core::kernel::geo::BBox::of(&rings) else {
            continue;
        };
        let own = grid_user
            .as_ref()
            .filter(|u| u.region_code.as_deref() == Some(code.as_str()));
        for (kind, label, p) in KINDS {
            if !rng.chance(*p) {
                continue;
            }
            let mut at = None;
            for _ in 0..20 {
                let (lon, lat) = (
                    b.min_lon + rng.unit() * (b.max_lon - b.min_lon),
                    b.min_lat + rng.unit() * (b.max_lat - b.min_lat),
                );
                if yingji_core::kernel::geo::contains(&rings, lon, lat) {
                    at = Some((lon, lat));
                    break;
                }
            }
            let Some((lon, lat)) = at
                .or_else(|| yingji_core::kernel::geo::interior_point(&rings).map(|p| (p[0], p[1])))
            else {
                continue;
            };
            let name = if *kind == "special_person" {
                format!("{}大爷", rng.pick(SURNAMES))
            } else {
                format!("{gname}{label}{}", n % 7 + 1)
            };
            yingji_app::warning::targeting::create_object(
                store,
                &ctx,
                now,
                &ObjectInput {
                    kind: (*kind).into(),
                    name,
                    address: format!("{gname}内"),
                    lon: Some(lon),
                    lat: Some(lat),
                    outline: None,
                    region_code: code.clone(),
                    responsible_user_id: own.map(|u| u.id.clone()),
                    responsible_name: own
                        .map(|u| u.display_name.clone())
                        .unwrap_or_else(|| format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))),
                    responsible_phone: format!("138{:08}", rng.below(100_000_000)),
                    // The grid's own worker answers as 网格员; elsewhere the kind decides.
                    responsible_type: own.map(|_| "grid_worker".into()),
                    note: None,
                },
            )
            .await?;
            n += 1;
        }
    }
    Ok(n)
}
