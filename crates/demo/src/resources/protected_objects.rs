//! The demo district's 承灾体, placed inside the grids with the grid worker responsible.

use super::system;
use sqlx::Row;
use yingji_core::kernel::geo::{self, BBox};
use yingji_core::kernel::rng::Rng;
use yingji_store::directory::users::User;
use yingji_store::warning::targeting::ObjectInput;
use yingji_store::{Sql, Store, StoreResult};

/// The kinds placed in every grid, with their Chinese name and the chance a grid has one.
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

/// A grid with a boundary: its code, name, rings and their bounding box.
struct Grid {
    code: String,
    name: String,
    rings: Vec<geo::Ring>,
    bbox: BBox,
}

/// The demo district's 承灾体: in every grid a few of the kinds warnings target, placed inside the
/// grid, with the grid's worker (the demo account `grid` for its grid) responsible.
pub async fn generate_protected_objects(store: &Store, now: i64, seed: u64) -> StoreResult<usize> {
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
    let mut n = 0;
    for grid in grids(store).await? {
        let own = grid_user
            .as_ref()
            .filter(|u| u.region_code.as_deref() == Some(grid.code.as_str()));
        for (kind, label, p) in KINDS {
            if !rng.chance(*p) {
                continue;
            }
            let Some((lon, lat)) = place_in(&mut rng, &grid) else {
                continue;
            };
            let name = if *kind == "special_person" {
                format!("{}大爷", rng.pick(SURNAMES))
            } else {
                format!("{}{label}{}", grid.name, n % 7 + 1)
            };
            let input = object_input(&mut rng, &grid, own, kind, name, (lon, lat));
            yingji_app::warning::targeting::create_object(store, &ctx, now, &input).await?;
            n += 1;
        }
    }
    Ok(n)
}

/// The grids that have a boundary, in code order.
async fn grids(store: &Store) -> StoreResult<Vec<Grid>> {
    let rows = store
        .fetch_all(Sql::new(
            "SELECT code, name, boundary FROM regions WHERE level = 'grid' AND boundary IS NOT NULL ORDER BY code",
        ))
        .await?;
    let mut grids = Vec::with_capacity(rows.len());
    for r in &rows {
        let boundary: String = r.try_get(2)?;
        let rings = serde_json::from_str::<serde_json::Value>(&boundary)
            .ok()
            .and_then(|v| geo::parse_geometry(&v).ok())
            .unwrap_or_default();
        let Some(bbox) = BBox::of(&rings) else {
            continue;
        };
        grids.push(Grid {
            code: r.try_get(0)?,
            name: r.try_get(1)?,
            rings,
            bbox,
        });
    }
    Ok(grids)
}

/// A random point inside the grid (20 tries in its bounding box), else a point surely inside.
fn place_in(rng: &mut Rng, grid: &Grid) -> Option<(f64, f64)> {
    let b = &grid.bbox;
    for _ in 0..20 {
        let (lon, lat) = (
            b.min_lon + rng.unit() * (b.max_lon - b.min_lon),
            b.min_lat + rng.unit() * (b.max_lat - b.min_lat),
        );
        if geo::contains(&grid.rings, lon, lat) {
            return Some((lon, lat));
        }
    }
    geo::interior_point(&grid.rings).map(|p| (p[0], p[1]))
}

/// A 承灾体 of `kind` at a point of the grid, with the grid's own worker responsible if it has
/// one, else a made-up person.
fn object_input(
    rng: &mut Rng,
    grid: &Grid,
    own: Option<&User>,
    kind: &str,
    name: String,
    (lon, lat): (f64, f64),
) -> ObjectInput {
    ObjectInput {
        kind: kind.into(),
        name,
        address: format!("{}内", grid.name),
        lon: Some(lon),
        lat: Some(lat),
        outline: None,
        region_code: grid.code.clone(),
        responsible_user_id: own.map(|u| u.id.clone()),
        responsible_name: own
            .map(|u| u.display_name.clone())
            .unwrap_or_else(|| format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))),
        responsible_phone: format!("138{:08}", rng.below(100_000_000)),
        // The grid's own worker answers as 网格员; elsewhere the kind decides.
        responsible_type: own.map(|_| "grid_worker".into()),
        note: None,
    }
}
