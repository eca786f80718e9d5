//! The demo district's emergency resources: a district warehouse with a full stock, a warehouse
//! and a grassroots team per street, the district's rescue teams, the 专家库 and shelters — all
//! registered through the service functions, as an officer would. And, for `yingji bench`, a
//! city-sized set of resources inserted in bulk.

use sqlx::Row;
use yingji_core::kernel::rng::Rng;
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::resources::cell_of;
use yingji_store::kernel::Ctx;
use yingji_store::resources::{
    self, ExpertInput, ShelterInput, ShelterMovementInput, StockInput, TeamInput, WarehouseInput,
};
use yingji_store::{Actor, Sql, Store, StoreResult, Val, new_id};

fn system() -> Ctx {
    Ctx {
        actor: Actor::system("demo"),
        user_id: String::new(),
        display_name: "演示数据".into(),
        role: Role::Admin,
        scope: Scope::All,
    }
}

struct Place {
    code: String,
    name: String,
    lon: f64,
    lat: f64,
}

async fn places(store: &Store, level: &str) -> StoreResult<Vec<Place>> {
    let mut q = Sql::new(
        "SELECT code, name, center_lon, center_lat FROM regions WHERE center_lon IS NOT NULL AND level = ",
    );
    q.bind(level).push(" ORDER BY code");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Place {
                code: r.try_get(0)?,
                name: r.try_get(1)?,
                lon: r.try_get(2)?,
                lat: r.try_get(3)?,
            })
        })
        .collect()
}

const DISTRICT_TEAMS: &[(&str, &str, &[&str], i64, &str)] = &[
    (
        "浔阳区消防救援大队特勤站",
        "fire",
        &["火灾扑救", "危化品处置", "破拆救援"],
        45,
        "抢险救援车4辆、举高喷射车1辆、破拆工具组6套",
    ),
    (
        "浔阳区防汛抢险突击队",
        "professional",
        &["防汛抢险", "水上救援"],
        60,
        "冲锋舟6艘、大流量排水泵4台",
    ),
    (
        "九江石化危化品应急救援队",
        "enterprise",
        &["危化品处置", "堵漏", "火灾扑救"],
        32,
        "防化服30套、堵漏工具8套",
    ),
    (
        "浔阳蓝天救援队",
        "social",
        &["水上救援", "山地搜救", "城市搜救"],
        40,
        "橡皮艇4艘、生命探测仪2台",
    ),
    (
        "浔阳区电力应急抢修队",
        "professional",
        &["电力抢修", "应急供电"],
        25,
        "发电车2辆、柴油发电机6台",
    ),
    (
        "浔阳区人民医院医疗救护队",
        "medical",
        &["医疗救护", "卫生防疫"],
        20,
        "救护车3辆",
    ),
];

/// An expert of the demo 专家库: name, sections, specialties, title, employer.
type Expert = (
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
    &'static str,
);

const EXPERTS: &[Expert] = &[
    (
        "陈建国",
        &["work_safety", "rescue"],
        &["危险化学品", "化工工艺"],
        "正高级工程师",
        "九江市化工设计院",
    ),
    (
        "刘海涛",
        &["work_safety"],
        &["非煤矿山", "爆破"],
        "高级工程师",
        "江西省安全生产科学研究院九江分院",
    ),
    (
        "王丽华",
        &["natural"],
        &["气象灾害", "暴雨洪涝"],
        "高级工程师",
        "九江市气象局",
    ),
    (
        "张志强",
        &["natural", "rescue"],
        &["地质灾害", "岩土工程"],
        "教授",
        "九江学院",
    ),
    (
        "李明",
        &["work_safety"],
        &["建筑施工", "深基坑"],
        "高级工程师",
        "九江市建设工程质量安全站",
    ),
    (
        "赵文",
        &["work_safety"],
        &["燃气", "压力管道"],
        "高级工程师",
        "九江市特种设备检验所",
    ),
    (
        "孙卫东",
        &["rescue"],
        &["水上救援", "防汛抢险"],
        "一级消防士长",
        "九江市消防救援支队",
    ),
    (
        "周敏",
        &["rescue"],
        &["医疗救护", "中毒救治"],
        "主任医师",
        "九江市第一人民医院",
    ),
    (
        "吴强",
        &["natural"],
        &["水利工程", "堤防"],
        "正高级工程师",
        "九江市水利局",
    ),
    (
        "郑晓燕",
        &["work_safety"],
        &["工贸", "粉尘涉爆"],
        "高级工程师",
        "九江职业技术学院",
    ),
    (
        "冯涛",
        &["work_safety", "rescue"],
        &["消防", "火灾调查"],
        "高级工程师",
        "九江市消防救援支队",
    ),
    (
        "黄磊",
        &["natural"],
        &["森林防火"],
        "高级工程师",
        "九江市林业局",
    ),
];

/// Materials of the district warehouse: (code, quantity, minimum, expiry).
const DISTRICT_STOCK: &[(&str, i64, i64, Option<&str>)] = &[
    ("04001", 12, 6, None),
    ("04002", 8, 4, None),
    ("02001", 600, 300, Some("2029-06-30")),
    ("02002", 200, 100, None),
    ("05001", 240, 150, None),
    ("05002", 400, 200, None),
    ("05003", 800, 500, None),
    ("05004", 300, 200, Some("2027-01-10")),
    ("05005", 500, 300, Some("2027-05-31")),
    ("08001", 6, 4, None),
    ("08002", 20, 10, None),
    ("07001", 10, 6, None),
    ("13001", 20000, 10000, None),
    ("01005", 400, 200, None),
    ("01002", 120, 150, Some("2026-12-20")),
    ("10002", 300, 100, None),
    ("11001", 60, 40, None),
];

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
    let near = |rng: &mut Rng, p: &Place, spread: f64| {
        (
            p.lon + (rng.unit() - 0.5) * spread,
            p.lat + (rng.unit() - 0.5) * spread,
        )
    };
    let mut n = 0;
    let phone = |rng: &mut Rng| format!("139{:08}", rng.below(100_000_000));
    for (name, kind, specialties, headcount, equipment) in DISTRICT_TEAMS {
        let base = streets.get(rng.below(streets.len().max(1))).unwrap_or(d);
        let (lon, lat) = near(&mut rng, base, 0.01);
        resources::create_team(
            store,
            &ctx,
            now,
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
                phone: phone(&mut rng),
                status: None,
            },
        )
        .await?;
        n += 1;
    }
    let (lon, lat) = near(&mut rng, d, 0.01);
    let main = resources::create_warehouse(
        store,
        &ctx,
        now,
        &WarehouseInput {
            name: "浔阳区应急物资储备库".into(),
            level: "district".into(),
            address: "九江市浔阳区仓储路1号".into(),
            lon,
            lat,
            region_code: d.code.clone(),
            manager: "周保管".into(),
            phone: phone(&mut rng),
        },
    )
    .await?;
    for (code, qty, min, expiry) in DISTRICT_STOCK {
        resources::create_stock(
            store,
            &ctx,
            now,
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
    resources::create_stock(
        store,
        &ctx,
        now,
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
    for s in &streets {
        // "甘棠街道" → "甘棠街道…"; a 街道-level unit named otherwise keeps its name.
        let short = format!("{}街道", s.name.trim_end_matches("街道"));
        let short = if s.name.ends_with("街道") {
            short
        } else {
            s.name.clone()
        };
        let (lon, lat) = near(&mut rng, s, 0.006);
        let w = resources::create_warehouse(
            store,
            &ctx,
            now,
            &WarehouseInput {
                name: format!("{short}应急物资储备点"),
                level: "street".into(),
                address: format!("九江市浔阳区{}办事处", s.name),
                lon,
                lat,
                region_code: s.code.clone(),
                manager: "街道应急办".into(),
                phone: phone(&mut rng),
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
            resources::create_stock(
                store,
                &ctx,
                now,
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
        let (lon, lat) = near(&mut rng, s, 0.008);
        resources::create_team(
            store,
            &ctx,
            now,
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
                phone: phone(&mut rng),
                status: None,
            },
        )
        .await?;
        let (lon, lat) = near(&mut rng, s, 0.006);
        resources::create_shelter(
            store,
            &ctx,
            now,
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
                phone: phone(&mut rng),
            },
        )
        .await?;
        n += 3;
    }
    for (i, c) in communities.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
        let (lon, lat) = near(&mut rng, c, 0.003);
        let s = resources::create_shelter(
            store,
            &ctx,
            now,
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
                phone: phone(&mut rng),
            },
        )
        .await?;
        if i % 9 == 0 {
            resources::shelter_movement(
                store,
                &ctx,
                now,
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
                resources::shelter_movement(
                    store,
                    &ctx,
                    now,
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
    let (lon, lat) = near(&mut rng, d, 0.01);
    resources::create_shelter(
        store,
        &ctx,
        now,
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
            phone: phone(&mut rng),
        },
    )
    .await?;
    for (name, sections, specialties, title, employer) in EXPERTS {
        let base = streets.get(rng.below(streets.len().max(1))).unwrap_or(d);
        let (lon, lat) = near(&mut rng, base, 0.02);
        resources::create_expert(
            store,
            &ctx,
            now,
            &ExpertInput {
                name: (*name).into(),
                sections: sections.iter().map(|s| s.to_string()).collect(),
                specialties: specialties.iter().map(|s| s.to_string()).collect(),
                title: (*title).into(),
                employer: (*employer).into(),
                phone: phone(&mut rng),
                lon,
                lat,
                region_code: d.code.clone(),
            },
        )
        .await?;
        n += 1;
    }
    Ok(n + 2)
}

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
    let district = d.code.get(..6).unwrap_or("").to_string();
    let mut rng = Rng::new(seed ^ 0xBE4C);
    let quarter = n / 4;
    let materials = &resources::catalogue().materials;
    let point = |rng: &mut Rng| {
        (
            d.lon + (rng.unit() - 0.5) * 1.1,
            d.lat + (rng.unit() - 0.5) * 1.0,
        )
    };
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
    for i in 0..quarter {
        let (lon, lat) = point(&mut rng);
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
            "13900000000".into(),
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
            flush(store, "INSERT INTO teams (id, name, kind, specialties, headcount, equipment, base_address, lon, lat, cell, region_code, district_code, leader, phone, status, created_ms, updated_ms) VALUES ", &mut rows).await?;
        }
    }
    flush(store, "INSERT INTO teams (id, name, kind, specialties, headcount, equipment, base_address, lon, lat, cell, region_code, district_code, leader, phone, status, created_ms, updated_ms) VALUES ", &mut rows).await?;
    for i in 0..quarter {
        let (lon, lat) = point(&mut rng);
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
            "13900000000".into(),
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
            flush(store, "INSERT INTO experts (id, name, sections, specialties, title, employer, phone, lon, lat, cell, region_code, district_code, status, created_ms, updated_ms) VALUES ", &mut rows).await?;
        }
    }
    flush(store, "INSERT INTO experts (id, name, sections, specialties, title, employer, phone, lon, lat, cell, region_code, district_code, status, created_ms, updated_ms) VALUES ", &mut rows).await?;
    let mut stock = Vec::new();
    for i in 0..quarter.div_ceil(3) {
        let (lon, lat) = point(&mut rng);
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
            "13900000000".into(),
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
            flush(store, "INSERT INTO warehouses (id, name, level, address, lon, lat, cell, region_code, district_code, manager, phone, created_ms, updated_ms) VALUES ", &mut rows).await?;
            flush(store, "INSERT INTO stock (id, warehouse_id, material_code, material_name, category_code, unit, reserve_type, quantity, reserved, min_stock, expiry_date, supplier, updated_ms) VALUES ", &mut stock).await?;
        }
    }
    flush(store, "INSERT INTO warehouses (id, name, level, address, lon, lat, cell, region_code, district_code, manager, phone, created_ms, updated_ms) VALUES ", &mut rows).await?;
    flush(store, "INSERT INTO stock (id, warehouse_id, material_code, material_name, category_code, unit, reserve_type, quantity, reserved, min_stock, expiry_date, supplier, updated_ms) VALUES ", &mut stock).await?;
    for i in 0..quarter {
        let (lon, lat) = point(&mut rng);
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
            "13900000000".into(),
            now.into(),
            now.into(),
        ]);
        if rows.len() >= 4000 {
            flush(store, "INSERT INTO shelters (id, name, kind, address, lon, lat, cell, region_code, district_code, capacity, area_m2, facilities, status, occupancy, manager, phone, created_ms, updated_ms) VALUES ", &mut rows).await?;
        }
    }
    flush(store, "INSERT INTO shelters (id, name, kind, address, lon, lat, cell, region_code, district_code, capacity, area_m2, facilities, status, occupancy, manager, phone, created_ms, updated_ms) VALUES ", &mut rows).await?;
    store.optimize().await?;
    Ok(quarter * 4)
}

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
