//! A city-sized set of resources for `yingji bench`, inserted in bulk.

use super::places;
use yingji_core::kernel::rng::Rng;
use yingji_core::resources::cell_of;
use yingji_store::resources;
use yingji_store::{Sql, Store, StoreResult, Val, new_id};

/// `n` resources for `yingji bench`, spread over a city-sized box (≈ 110 km × 110 km) around the
/// district: a quarter each teams, experts, stock lines (three per warehouse) and shelters.
/// Bulk inserts, no audit records: benchmark data, not records of anyone's work.
pub async fn generate_bench_resources(
    store: &Store,
    now: i64,
    n: usize,
    seed: u64,
) -> StoreResult<usize> {
    let Some(d) = places(store, "district").await?.into_iter().next() else {
        return Ok(0);
    };
    let city = City {
        store,
        now,
        district: d.code.get(..6).unwrap_or("").to_string(),
        centre: (d.lon, d.lat),
        phone: yingji_store::kernel::keys::seal("13900000000")?,
    };
    let mut rng = Rng::new(seed ^ 0xBE4C);
    let quarter = n / 4;
    teams(&city, &mut rng, quarter).await?;
    experts(&city, &mut rng, quarter).await?;
    warehouses(&city, &mut rng, quarter).await?;
    shelters(&city, &mut rng, quarter).await?;
    store.optimize().await?;
    Ok(quarter * 4)
}

/// The store, the time, the district's code, the centre of the city-sized box and the contact
/// phone every resource gets, sealed once (ADR 0032).
struct City<'a> {
    store: &'a Store,
    now: i64,
    district: String,
    centre: (f64, f64),
    phone: String,
}

impl City<'_> {
    /// A random point in the box.
    fn point(&self, rng: &mut Rng) -> (f64, f64) {
        (
            self.centre.0 + (rng.unit() - 0.5) * 1.1,
            self.centre.1 + (rng.unit() - 0.5) * 1.0,
        )
    }
}

/// Inserts `rows` under `head` in one transaction, 400 rows a statement, and empties them.
async fn flush(store: &Store, head: &str, rows: &mut Vec<Vec<Val>>) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut tx = store.begin().await?;
    for chunk in rows.chunks(400) {
        let mut q = Sql::new(head);
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.values(r.clone());
        }
        q.execute(&mut tx).await?;
    }
    tx.commit().await?;
    rows.clear();
    Ok(())
}

const TEAMS: &str = "INSERT INTO teams (id, name, kind, specialties, headcount, equipment, base_address, lon, lat, cell, region_code, district_code, leader, phone, status, created_ms, updated_ms) VALUES ";
const EXPERTS: &str = "INSERT INTO experts (id, name, sections, specialties, title, employer, phone, lon, lat, cell, region_code, district_code, status, created_ms, updated_ms) VALUES ";
const WAREHOUSES: &str = "INSERT INTO warehouses (id, name, level, address, lon, lat, cell, region_code, district_code, manager, phone, created_ms, updated_ms) VALUES ";
const STOCK: &str = "INSERT INTO stock (id, warehouse_id, material_code, material_name, category_code, unit, reserve_type, quantity, reserved, min_stock, expiry_date, supplier, updated_ms) VALUES ";
const SHELTERS: &str = "INSERT INTO shelters (id, name, kind, address, lon, lat, cell, region_code, district_code, capacity, area_m2, facilities, status, occupancy, manager, phone, created_ms, updated_ms) VALUES ";

async fn teams(city: &City<'_>, rng: &mut Rng, count: usize) -> StoreResult<()> {
    let (store, now, district) = (city.store, city.now, &city.district);
    let specialties = [
        "防汛抢险",
        "水上救援",
        "危化品处置",
        "城市搜救",
        "电力抢修",
        "医疗救护",
        "火灾扑救",
    ];
    let mut rows = Vec::new();
    for i in 0..count {
        let (lon, lat) = city.point(rng);
        let sp = *rng.pick(&specialties);
        rows.push(vec![
            new_id().into(),
            format!("测试救援队{i}").into(),
            "professional".into(),
            format!(",{sp},").into(),
            (10 + rng.below(40) as i64).into(),
            "".into(),
            "测试驻地".into(),
            lon.into(),
            lat.into(),
            cell_of(lon, lat).into(),
            district.clone().into(),
            district.clone().into(),
            "队长".into(),
            city.phone.clone().into(),
            if rng.chance(0.8) {
                "standby"
            } else {
                "dispatched"
            }
            .into(),
            now.into(),
            now.into(),
        ]);
        if rows.len() >= 4000 {
            flush(store, TEAMS, &mut rows).await?;
        }
    }
    flush(store, TEAMS, &mut rows).await
}

async fn experts(city: &City<'_>, rng: &mut Rng, count: usize) -> StoreResult<()> {
    let (store, now, district) = (city.store, city.now, &city.district);
    let mut rows = Vec::new();
    for i in 0..count {
        let (lon, lat) = city.point(rng);
        let sp = *rng.pick(&[
            "危险化学品",
            "地质灾害",
            "暴雨洪涝",
            "建筑施工",
            "燃气",
            "医疗救护",
        ]);
        rows.push(vec![
            new_id().into(),
            format!("测试专家{i}").into(),
            ",work_safety,".into(),
            format!(",{sp},").into(),
            "高级工程师".into(),
            "测试单位".into(),
            city.phone.clone().into(),
            lon.into(),
            lat.into(),
            cell_of(lon, lat).into(),
            district.clone().into(),
            district.clone().into(),
            "available".into(),
            now.into(),
            now.into(),
        ]);
        if rows.len() >= 4000 {
            flush(store, EXPERTS, &mut rows).await?;
        }
    }
    flush(store, EXPERTS, &mut rows).await
}

/// A warehouse for every three stock lines (a third of `count`, rounded up), three lines each.
async fn warehouses(city: &City<'_>, rng: &mut Rng, count: usize) -> StoreResult<()> {
    let (store, now, district) = (city.store, city.now, &city.district);
    let materials = &resources::catalogue().materials;
    let mut rows = Vec::new();
    let mut stock = Vec::new();
    for i in 0..count.div_ceil(3) {
        let (lon, lat) = city.point(rng);
        let wid = new_id();
        rows.push(vec![
            wid.clone().into(),
            format!("测试储备库{i}").into(),
            "community".into(),
            "测试地址".into(),
            lon.into(),
            lat.into(),
            cell_of(lon, lat).into(),
            district.clone().into(),
            district.clone().into(),
            "管理员".into(),
            city.phone.clone().into(),
            now.into(),
            now.into(),
        ]);
        let first = rng.below(materials.len());
        for k in 0..3 {
            let m = &materials[(first + k * 7) % materials.len()];
            stock.push(vec![
                new_id().into(),
                wid.clone().into(),
                m.code.clone().into(),
                m.name.clone().into(),
                m.category.clone().into(),
                m.unit.clone().into(),
                "physical".into(),
                (rng.below(50) as i64).into(),
                0i64.into(),
                5i64.into(),
                Val::NullText,
                Val::NullText,
                now.into(),
            ]);
        }
        if rows.len() >= 2000 {
            flush(store, WAREHOUSES, &mut rows).await?;
            flush(store, STOCK, &mut stock).await?;
        }
    }
    flush(store, WAREHOUSES, &mut rows).await?;
    flush(store, STOCK, &mut stock).await
}

async fn shelters(city: &City<'_>, rng: &mut Rng, count: usize) -> StoreResult<()> {
    let (store, now, district) = (city.store, city.now, &city.district);
    let mut rows = Vec::new();
    for i in 0..count {
        let (lon, lat) = city.point(rng);
        let cap = 100 + rng.below(2000) as i64;
        rows.push(vec![
            new_id().into(),
            format!("测试避难场所{i}").into(),
            "emergency".into(),
            "测试地址".into(),
            lon.into(),
            lat.into(),
            cell_of(lon, lat).into(),
            district.clone().into(),
            district.clone().into(),
            cap.into(),
            (cap * 2).into(),
            ",供水,".into(),
            if rng.chance(0.5) { "open" } else { "closed" }.into(),
            0i64.into(),
            "管理员".into(),
            city.phone.clone().into(),
            now.into(),
            now.into(),
        ]);
        if rows.len() >= 4000 {
            flush(store, SHELTERS, &mut rows).await?;
        }
    }
    flush(store, SHELTERS, &mut rows).await
}
