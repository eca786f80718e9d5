//! The demo district is plausible: every point (enterprises, risk points, hazards, sensors,
//! 承灾体) lies inside the grid it is filed under, resources inside their street or district, and
//! every enterprise risk point is one its trade has (a barber shop has no 冲压车间).

use crate::both;
use crate::helpers::TestApp;
use std::collections::HashMap;
use yingji_core::kernel::geo::{self, Ring};
use yingji_store::Sql;
use yingji_store::sqlx::Row;

/// The rest of the demo `serve --demo` loads (the test app loads regions, enterprises and
/// accounts only).
async fn load_the_rest(app: &TestApp) {
    use yingji_core::kernel::clock::Clock;
    let (store, now) = (&app.store, app.clock.now_ms());
    yingji_demo::seed::generate_risk_points(store, now, 42, usize::MAX / 2)
        .await
        .expect("risk points");
    yingji_demo::seed::generate_major_hazards(store, now, 42, 500)
        .await
        .expect("major hazards");
    yingji_demo::seed::generate_sensors(store, now)
        .await
        .expect("sensors");
    yingji_demo::resources::generate_resources(store, now, 42)
        .await
        .expect("resources");
    yingji_demo::resources::generate_protected_objects(store, now, 42)
        .await
        .expect("objects");
    yingji_demo::seed::generate_hazards(store, now, 300, 42, 0)
        .await
        .expect("hazards");
}

async fn region_shapes(app: &TestApp) -> HashMap<String, Vec<Ring>> {
    let rows = app
        .store
        .fetch_all(Sql::new(
            "SELECT code, boundary FROM regions WHERE boundary IS NOT NULL",
        ))
        .await
        .expect("grids");
    rows.iter()
        .map(|r| {
            let b: String = r.try_get(1).expect("boundary");
            let v: serde_json::Value = serde_json::from_str(&b).expect("json");
            (
                r.try_get(0).expect("code"),
                geo::parse_geometry(&v).expect("rings"),
            )
        })
        .collect()
}

async fn points_inside_their_grids(app: &TestApp) {
    load_the_rest(app).await;
    let grids = region_shapes(app).await;
    assert!(!grids.is_empty());
    for (table, grid_column) in [
        ("enterprises", "grid_code"),
        ("risk_points", "grid_code"),
        ("hazards", "grid_code"),
        ("sensors", "grid_code"),
        ("major_hazards", "grid_code"),
        ("protected_objects", "region_code"),
        ("teams", "region_code"),
        ("warehouses", "region_code"),
        ("shelters", "region_code"),
    ] {
        let rows = app
            .store
            .fetch_all(Sql::new(&format!(
                "SELECT id, {grid_column} AS grid, lon, lat FROM {table} WHERE lon IS NOT NULL AND lat IS NOT NULL"
            )))
            .await
            .expect("rows");
        assert!(!rows.is_empty(), "{table} has no points");
        let mut checked = 0;
        for r in &rows {
            let grid: String = r.try_get("grid").expect("grid");
            let Some(shape) = grids.get(&grid) else {
                continue;
            };
            let (lon, lat): (f64, f64) = (
                r.try_get("lon").expect("lon"),
                r.try_get("lat").expect("lat"),
            );
            let id: String = r.try_get("id").expect("id");
            assert!(
                geo::contains(shape, lon, lat),
                "{table} {id} at {lon},{lat} lies outside its grid {grid}"
            );
            checked += 1;
        }
        assert!(
            checked * 10 >= rows.len() * 9,
            "{table}: {checked} of {} filed under a grid",
            rows.len()
        );
    }
}
both!(points_inside_their_grids);

async fn risk_points_match_their_trade(app: &TestApp) {
    load_the_rest(app).await;
    let rows = app
        .store
        .fetch_all(Sql::new(
            "SELECT r.name, e.name AS enterprise, e.industry_code FROM risk_points r JOIN enterprises e ON e.id = r.enterprise_id",
        ))
        .await
        .expect("risk points");
    assert!(rows.len() > 50, "{}", rows.len());
    let mut barbers = 0;
    for r in &rows {
        let name: String = r.try_get("name").expect("name");
        let enterprise: String = r.try_get("enterprise").expect("enterprise");
        let industry: String = r.try_get("industry_code").expect("industry");
        let allowed: Vec<&str> = yingji_demo::trades::risk_points_for(&industry)
            .iter()
            .map(|p| p.0)
            .collect();
        assert!(
            allowed.contains(&name.as_str()),
            "{enterprise} ({industry}) has 风险点 {name}, not one of {allowed:?}"
        );
        // The name's ending and the industry code come together.
        let trade = yingji_demo::trades::trade_of(&industry).expect("known trade");
        assert!(
            enterprise.ends_with(trade.1),
            "{enterprise} is not a {}",
            trade.1
        );
        if enterprise.ends_with("理发店") {
            barbers += 1;
            assert_ne!(name, "冲压车间");
        }
    }
    assert!(barbers > 0, "no barber shop with a risk point in the demo");
}
both!(risk_points_match_their_trade);
