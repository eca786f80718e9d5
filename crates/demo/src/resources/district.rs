//! The demo district's resources registered through the service functions, as an officer would:
//! district teams and warehouse, a warehouse, team and shelter per street, community shelters,
//! the central shelter and the 专家库.

use super::tables::{DISTRICT_STOCK, DISTRICT_TEAMS, EXPERTS};
use super::{Place, places, system};
use yingji_app::resources::{registers, shelters};
use yingji_core::kernel::rng::Rng;
use yingji_store::kernel::Ctx;
use yingji_store::resources::{
    ExpertInput, ShelterInput, ShelterMovementInput, StockInput, TeamInput, WarehouseInput,
};
use yingji_store::{Sql, Store, StoreResult};

/// "延支山社区居委会" → "延支山社区", "五丰村委会" → "五丰村".
fn community_short(name: &str) -> String {
    for (suffix, keep) in [
        ("社区居委会", "社区"),
        ("社区居民委员会", "社区"),
        ("社区委员会", "社区"),
        ("居委会", "社区"),
        ("村民委员会", "村"),
        ("村委会", "村"),
    ] {
        if let Some(head) = name.strip_suffix(suffix) {
            return format!("{head}{keep}");
        }
    }
    name.to_string()
}

/// Loads the demo district's resources (once: nothing is added when teams exist).
pub async fn generate_resources(store: &Store, now: i64, seed: u64) -> StoreResult<usize> {
    if store
        .fetch_i64(Sql::new("SELECT COUNT(*) FROM teams"))
        .await?
        > 0
    {
        return Ok(0);
    }
    let ctx = system();
    let mut rng = Rng::new(seed ^ 0x5E50);
    let district = places(store, "district").await?;
    let streets = places(store, "street").await?;
    let communities = places(store, "community").await?;
    let Some(d) = district.first() else {
        return Ok(0);
    };
    let at = At {
        store,
        ctx: &ctx,
        now,
    };
    let mut n = district_teams(&at, &mut rng, d, &streets).await?;
    n += district_warehouse(&at, &mut rng, d).await?;
    for s in &streets {
        n += street_resources(&at, &mut rng, s).await?;
    }
    n += community_shelters(&at, &mut rng, &communities).await?;
    central_shelter(&at, &mut rng, d).await?;
    n += experts(&at, &mut rng, d, &streets).await?;
    Ok(n + 2)
}

/// Where and when the resources are registered, and by whom.
struct At<'a> {
    store: &'a Store,
    ctx: &'a Ctx,
    now: i64,
}

/// A point near `p`, up to half of `spread` degrees away in each direction, drawn again until
/// it lies inside `p`'s outline (its centre after 20 tries).
fn near(rng: &mut Rng, p: &Place, spread: f64) -> (f64, f64) {
    for _ in 0..20 {
        let (lon, lat) = (
            p.lon + (rng.unit() - 0.5) * spread,
            p.lat + (rng.unit() - 0.5) * spread,
        );
        if p.rings.is_empty() || yingji_core::kernel::geo::contains(&p.rings, lon, lat) {
            return (lon, lat);
        }
    }
    (p.lon, p.lat)
}

fn phone(rng: &mut Rng) -> String {
    format!("139{:08}", rng.below(100_000_000))
}

/// The district's rescue teams, based in a street each: how many were registered.
async fn district_teams(
    at: &At<'_>,
    rng: &mut Rng,
    d: &Place,
    streets: &[Place],
) -> StoreResult<usize> {
    let mut n = 0;
    for (name, kind, specialties, headcount, equipment) in DISTRICT_TEAMS {
        let base = streets.get(rng.below(streets.len().max(1))).unwrap_or(d);
        let (lon, lat) = near(rng, base, 0.01);
        registers::create_team(
            at.store,
            at.ctx,
            at.now,
            &TeamInput {
                name: (*name).into(),
                kind: (*kind).into(),
                specialties: specialties.iter().map(|s| s.to_string()).collect(),
                headcount: *headcount,
                equipment: (*equipment).into(),
                base_address: format!("九江市浔阳区{}", base.name),
                lon,
                lat,
                region_code: d.code.clone(),
                leader: "张队长".into(),
                phone: phone(rng),
                status: None,
            },
        )
        .await?;
        n += 1;
    }
    Ok(n)
}

/// The district warehouse with its stock lines and an agreement reserve: how many stock lines
/// were counted (the agreement reserve is not).
async fn district_warehouse(at: &At<'_>, rng: &mut Rng, d: &Place) -> StoreResult<usize> {
    let mut n = 0;
    let (lon, lat) = near(rng, d, 0.01);
    let main = registers::create_warehouse(
        at.store,
        at.ctx,
        at.now,
        &WarehouseInput {
            name: "浔阳区应急物资储备库".into(),
            level: "district".into(),
            address: "九江市浔阳区仓储路1号".into(),
            lon,
            lat,
            region_code: d.code.clone(),
            manager: "周保管".into(),
            phone: phone(rng),
        },
    )
    .await?;
    for (code, qty, min, expiry) in DISTRICT_STOCK {
        registers::create_stock(
            at.store,
            at.ctx,
            at.now,
            &StockInput {
                warehouse_id: main.id.clone(),
                material_code: (*code).into(),
                reserve_type: "physical".into(),
                quantity: *qty,
                min_stock: *min,
                expiry_date: expiry.map(str::to_string),
                supplier: None,
            },
        )
        .await?;
        n += 1;
    }
    // An agreement reserve with a supermarket, as district plans arrange for food and water.
    registers::create_stock(
        at.store,
        at.ctx,
        at.now,
        &StockInput {
            warehouse_id: main.id.clone(),
            material_code: "05004".into(),
            reserve_type: "agreement".into(),
            quantity: 2000,
            min_stock: 0,
            expiry_date: None,
            supplier: Some("九江联盛超市有限公司".into()),
        },
    )
    .await?;
    Ok(n)
}

/// A street's warehouse with its stock, its grassroots team and its fixed shelter: 3.
async fn street_resources(at: &At<'_>, rng: &mut Rng, s: &Place) -> StoreResult<usize> {
    // "甘棠街道" → "甘棠街道…"; a 街道-level unit named otherwise keeps its name.
    let short = format!("{}街道", s.name.trim_end_matches("街道"));
    let short = if s.name.ends_with("街道") {
        short
    } else {
        s.name.clone()
    };
    street_warehouse(at, rng, s, &short).await?;
    street_team(at, rng, s, &short).await?;
    street_shelter(at, rng, s, &short).await?;
    Ok(3)
}

/// A street's warehouse (储备点) with five stock lines.
async fn street_warehouse(at: &At<'_>, rng: &mut Rng, s: &Place, short: &str) -> StoreResult<()> {
    let (lon, lat) = near(rng, s, 0.006);
    let w = registers::create_warehouse(
        at.store,
        at.ctx,
        at.now,
        &WarehouseInput {
            name: format!("{short}应急物资储备点"),
            level: "street".into(),
            address: format!("九江市浔阳区{}办事处", s.name),
            lon,
            lat,
            region_code: s.code.clone(),
            manager: "街道应急办".into(),
            phone: phone(rng),
        },
    )
    .await?;
    for (code, base_qty) in [
        ("02001", 80),
        ("05001", 20),
        ("08002", 3),
        ("13001", 2000),
        ("10002", 40),
    ] {
        registers::create_stock(
            at.store,
            at.ctx,
            at.now,
            &StockInput {
                warehouse_id: w.id.clone(),
                material_code: code.into(),
                reserve_type: "physical".into(),
                quantity: base_qty + rng.below(base_qty as usize / 2 + 1) as i64,
                min_stock: base_qty / 2,
                expiry_date: None,
                supplier: None,
            },
        )
        .await?;
    }
    Ok(())
}

/// A street's grassroots team (基层应急救援队).
async fn street_team(at: &At<'_>, rng: &mut Rng, s: &Place, short: &str) -> StoreResult<()> {
    let (lon, lat) = near(rng, s, 0.008);
    registers::create_team(
        at.store,
        at.ctx,
        at.now,
        &TeamInput {
            name: format!("{short}基层应急救援队"),
            kind: "grassroots".into(),
            specialties: vec!["防汛抢险".into(), "人员转移".into()],
            headcount: 15 + rng.below(16) as i64,
            equipment: "救生衣、抽水泵、应急照明".into(),
            base_address: format!("九江市浔阳区{}", s.name),
            lon,
            lat,
            region_code: s.code.clone(),
            leader: "街道应急办主任".into(),
            phone: phone(rng),
            status: None,
        },
    )
    .await?;
    Ok(())
}

/// A street's fixed shelter at a school.
async fn street_shelter(at: &At<'_>, rng: &mut Rng, s: &Place, short: &str) -> StoreResult<()> {
    let (lon, lat) = near(rng, s, 0.006);
    registers::create_shelter(
        at.store,
        at.ctx,
        at.now,
        &ShelterInput {
            name: format!("{short}固定避难场所（中小学）"),
            kind: "fixed".into(),
            address: format!("九江市浔阳区{}", s.name),
            lon,
            lat,
            region_code: s.code.clone(),
            capacity: 800 + rng.below(8) as i64 * 100,
            area_m2: 4000 + rng.below(40) as i64 * 100,
            facilities: vec!["供水".into(), "供电".into(), "厕所".into(), "医疗点".into()],
            manager: "学校后勤".into(),
            phone: phone(rng),
        },
    )
    .await?;
    Ok(())
}

/// An emergency shelter in every third community, some opened and a few with people in them:
/// how many shelters.
async fn community_shelters(
    at: &At<'_>,
    rng: &mut Rng,
    communities: &[Place],
) -> StoreResult<usize> {
    let mut n = 0;
    for (i, c) in communities.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
        let (lon, lat) = near(rng, c, 0.003);
        let s = registers::create_shelter(
            at.store,
            at.ctx,
            at.now,
            &ShelterInput {
                name: format!("{}紧急避难点", community_short(&c.name)),
                kind: "emergency".into(),
                address: format!("{}广场", c.name),
                lon,
                lat,
                region_code: c.code.clone(),
                capacity: 150 + rng.below(6) as i64 * 50,
                area_m2: 300 + rng.below(10) as i64 * 50,
                facilities: vec!["应急照明".into(), "广播".into()],
                manager: "社区网格员".into(),
                phone: phone(rng),
            },
        )
        .await?;
        if i % 9 == 0 {
            shelters::shelter_movement(
                at.store,
                at.ctx,
                at.now,
                &s.id,
                &ShelterMovementInput {
                    kind: "open".into(),
                    people: 0,
                    incident_id: None,
                    note: Some("演示：汛期开放".into()),
                },
            )
            .await?;
            if i % 18 == 0 {
                shelters::shelter_movement(
                    at.store,
                    at.ctx,
                    at.now,
                    &s.id,
                    &ShelterMovementInput {
                        kind: "check_in".into(),
                        people: 20 + rng.below(100) as i64,
                        incident_id: None,
                        note: Some("演示：危房住户转移安置".into()),
                    },
                )
                .await?;
            }
        }
        n += 1;
    }
    Ok(n)
}

/// The district's central shelter.
async fn central_shelter(at: &At<'_>, rng: &mut Rng, d: &Place) -> StoreResult<()> {
    let (lon, lat) = near(rng, d, 0.01);
    registers::create_shelter(
        at.store,
        at.ctx,
        at.now,
        &ShelterInput {
            name: "浔阳区中心避难场所（市体育中心）".into(),
            kind: "central".into(),
            address: "九江市浔阳区体育中心".into(),
            lon,
            lat,
            region_code: d.code.clone(),
            capacity: 6000,
            area_m2: 60000,
            facilities: vec![
                "供水".into(),
                "供电".into(),
                "厕所".into(),
                "医疗点".into(),
                "物资储备".into(),
                "直升机停机坪".into(),
            ],
            manager: "体育中心管理处".into(),
            phone: phone(rng),
        },
    )
    .await?;
    Ok(())
}

/// The 专家库, each expert placed near a street: how many experts.
async fn experts(at: &At<'_>, rng: &mut Rng, d: &Place, streets: &[Place]) -> StoreResult<usize> {
    let mut n = 0;
    for (name, sections, specialties, title, employer) in EXPERTS {
        let base = streets.get(rng.below(streets.len().max(1))).unwrap_or(d);
        let (lon, lat) = near(rng, base, 0.02);
        registers::create_expert(
            at.store,
            at.ctx,
            at.now,
            &ExpertInput {
                name: (*name).into(),
                sections: sections.iter().map(|s| s.to_string()).collect(),
                specialties: specialties.iter().map(|s| s.to_string()).collect(),
                title: (*title).into(),
                employer: (*employer).into(),
                phone: phone(rng),
                lon,
                lat,
                region_code: d.code.clone(),
            },
        )
        .await?;
        n += 1;
    }
    Ok(n)
}
