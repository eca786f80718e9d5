//! Loads generated demo data. Regions and enterprises go in as bulk inserts with one summary
//! audit record each (a city-scale load would otherwise write 100,000 audit records).

use crate::district::DemoData;
use yingji_core::kernel::geo::{self, BBox};
use yingji_core::kernel::role::ScopeKind;
use yingji_store::kernel::audit::{self, Change};
use yingji_store::{
    Actor, Sql, Store, StoreResult, directory::departments, directory::enterprises,
    directory::users,
};

#[derive(Debug, Default)]
pub struct Loaded {
    pub regions: usize,
    pub enterprises: usize,
    pub users: Vec<(String, String)>,
}

/// Whether the database already holds regions (the demo is loaded once).
pub async fn is_loaded(store: &Store) -> StoreResult<bool> {
    Ok(store
        .fetch_i64(Sql::new("SELECT COUNT(*) FROM regions"))
        .await?
        > 0)
}

pub async fn load(
    store: &Store,
    now: i64,
    data: &DemoData,
    password_hash: &str,
) -> StoreResult<Loaded> {
    let actor = Actor::system("demo");
    let mut tx = store.begin().await?;
    for chunk in data.regions.chunks(100) {
        let mut ins = Sql::new(
            "INSERT INTO regions (code, name, level, parent_code, boundary, center_lon, center_lat, min_lon, min_lat, max_lon, max_lat, created_ms, updated_ms) VALUES ",
        );
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                ins.push(", ");
            }
            let b = BBox::of(&r.boundary);
            let boundary =
                (!r.boundary.is_empty()).then(|| geo::to_geometry(&r.boundary).to_string());
            ins.values(vec![
                r.code.as_str().into(),
                r.name.as_str().into(),
                r.level.as_str().into(),
                r.parent_code.clone().into(),
                boundary.into(),
                r.center.map(|c| c[0]).into(),
                r.center.map(|c| c[1]).into(),
                b.map(|b| b.min_lon).into(),
                b.map(|b| b.min_lat).into(),
                b.map(|b| b.max_lon).into(),
                b.map(|b| b.max_lat).into(),
                now.into(),
                now.into(),
            ]);
        }
        ins.execute(&mut tx).await?;
    }
    audit::append(
        &mut tx,
        now,
        &actor,
        Change {
            action: "import",
            entity_type: "region",
            entity_id: None,
            summary: format!("载入演示区划{}个", data.regions.len()),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;

    let district = data
        .regions
        .first()
        .map(|r| r.code.clone())
        .unwrap_or_default();
    for d in &data.departments {
        departments::create(
            store,
            now,
            &actor,
            &departments::DepartmentInput {
                name: d.name.clone(),
                categories: d.categories.clone(),
                region_code: district.clone(),
                phone: None,
            },
        )
        .await?;
    }

    let checked: Vec<_> = data
        .enterprises
        .iter()
        .map(|e| e.validate())
        .collect::<Result<_, _>>()?;
    let ids = enterprises::insert_many(
        store,
        now,
        &actor,
        &checked,
        false,
        &format!("载入演示企业{}家", checked.len()),
    )
    .await?;

    store.optimize().await?;
    let mut loaded = Loaded {
        regions: data.regions.len(),
        enterprises: ids.len(),
        users: vec![],
    };
    for u in &data.users {
        let mut input = users::UserInput {
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            phone: None,
            role: u.role.as_str().into(),
            region_code: None,
            department_id: None,
            enterprise_id: None,
            active: Some(true),
        };
        match u.role.scope_kind() {
            ScopeKind::All => {}
            ScopeKind::Region => input.region_code = u.scope_ref.clone(),
            ScopeKind::Department => {
                let name = u.scope_ref.clone().unwrap_or_default();
                input.department_id = departments::find_by_name(store, &name).await?.map(|d| d.id);
            }
            ScopeKind::Enterprise => {
                let idx: usize = u
                    .scope_ref
                    .as_deref()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(0);
                input.enterprise_id = ids.get(idx).cloned();
            }
        }
        if users::by_username(store, &u.username).await?.is_some() {
            continue;
        }
        users::create(store, now, &actor, &input, password_hash, false).await?;
        loaded.users.push((
            u.username.clone(),
            format!("{}（{}）", u.display_name, u.role.label()),
        ));
    }
    Ok(loaded)
}

const BENCH_DESCRIPTIONS: &[&str] = &[
    "消防通道堆放杂物",
    "配电箱未接地",
    "安全出口指示灯损坏",
    "特种作业人员无证上岗",
    "危化品仓库通风不良",
    "有限空间作业未审批",
    "灭火器过期未更换",
    "粉尘清扫记录缺失",
];

const REPORTERS: [&str; 5] = ["企业安全员", "执法人员", "网格员", "群众", "监测系统"];

/// Generates `count` synthetic hazards over the two years before `now` for the loaded
/// enterprises, for the demo and `yingji bench`: most older ones closed, recent ones still open, some
/// overdue. Bulk inserts with one summary audit record (like the demo loader), a timeline of
/// report and acceptance, and no timers or listings.
pub async fn generate_hazards(
    store: &Store,
    now: i64,
    count: usize,
    seed: u64,
    first_seq: usize,
) -> StoreResult<usize> {
    use yingji_core::kernel::rng::Rng;
    use yingji_core::prevention::hazard::{self as rules, CATEGORIES, SOURCES};
    const DAY: i64 = 86_400_000;
    if count == 0 {
        return Ok(0);
    }
    let rows = store
        .fetch_all(Sql::new(
            "SELECT id, name, grid_code, district_code, street_code, community_code, industry_code, categories, lon, lat FROM enterprises ORDER BY id",
        ))
        .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    use sqlx::Row;
    struct Ent {
        id: String,
        name: String,
        region: [String; 4],
        grid: String,
        industry: String,
        categories: String,
        lon: Option<f64>,
        lat: Option<f64>,
    }
    let ents: Vec<Ent> = rows
        .iter()
        .map(|r| {
            let industry: String = r.try_get("industry_code")?;
            Ok(Ent {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                grid: r.try_get("grid_code")?,
                region: [
                    r.try_get("district_code")?,
                    r.try_get("street_code")?,
                    r.try_get("community_code")?,
                    r.try_get("grid_code")?,
                ],
                industry: industry.get(..1).unwrap_or("").into(),
                categories: r.try_get("categories")?,
                lon: r.try_get("lon")?,
                lat: r.try_get("lat")?,
            })
        })
        .collect::<StoreResult<_>>()?;
    let today = rules::today(now);
    let mut rng = Rng::new(seed ^ first_seq as u64);
    let mut written = 0;
    const CHUNK: usize = 400;
    while written < count {
        let mut tx = store.begin().await?;
        for _ in 0..50 {
            let n = CHUNK.min(count - written);
            if n == 0 {
                break;
            }
            let mut ins = Sql::new(
                "INSERT INTO hazards (id, code, source, enterprise_id, location, lon, lat, region_code, district_code, street_code, community_code, grid_code, industry, categories, category, description, level, status, criteria, deadline, overdue, reporter_name, listed, reported_ms, reported_month, graded_ms, closed_ms, closed_on_time, updated_ms) VALUES ",
            );
            let mut ev = Sql::new(
                "INSERT INTO hazard_events (id, hazard_id, action, from_status, to_status, actor_id, actor_name, note, data, attachments, at_ms) VALUES ",
            );
            for i in 0..n {
                let e = &ents[rng.below(ents.len())];
                let reported = now - (rng.unit() * 730.0 * DAY as f64) as i64;
                let age_days = (now - reported) / DAY;
                let roll = rng.unit();
                let status = match (age_days > 90, roll) {
                    (true, r) if r < 0.93 => "closed",
                    (true, r) if r < 0.95 => "dismissed",
                    (true, r) if r < 0.98 => "rectifying",
                    (true, r) if r < 0.99 => "registered",
                    (true, _) => "pending_acceptance",
                    (false, r) if r < 0.40 => "closed",
                    (false, r) if r < 0.42 => "dismissed",
                    (false, r) if r < 0.77 => "rectifying",
                    (false, r) if r < 0.92 => "registered",
                    (false, _) => "pending_acceptance",
                };
                let major = rng.chance(0.03);
                let source = match rng.unit() {
                    r if r < 0.55 => 0,
                    r if r < 0.75 => 1,
                    r if r < 0.90 => 2,
                    r if r < 0.97 => 3,
                    _ => 4,
                };
                let graded = (status != "registered").then_some(reported + DAY);
                let deadline_day = rules::today(reported + (if major { 60 } else { 15 }) * DAY);
                let deadline = graded.map(|_| deadline_day.to_string());
                let open = matches!(status, "registered" | "rectifying" | "pending_acceptance");
                let overdue = open && graded.is_some() && deadline_day < today;
                let closed = (status == "closed")
                    .then(|| (reported + (1 + rng.below(40) as i64) * DAY).min(now));
                let on_time = closed.map(|c| i64::from(rules::today(c) <= deadline_day));
                let grid = if e.grid.is_empty() {
                    &e.region[3]
                } else {
                    &e.grid
                };
                if i > 0 {
                    ins.push(", ");
                    ev.push(", ");
                }
                let id = yingji_store::new_id();
                let reporter = REPORTERS[source];
                let status_after_report = if graded.is_some() {
                    "rectifying"
                } else {
                    "registered"
                };
                ev.values(vec![
                    yingji_store::new_id().into(),
                    id.clone().into(),
                    "report".into(),
                    None::<String>.into(),
                    status_after_report.into(),
                    None::<String>.into(),
                    reporter.into(),
                    None::<String>.into(),
                    None::<String>.into(),
                    String::new().into(),
                    reported.into(),
                ]);
                if let Some(c) = closed {
                    ev.push(", ");
                    ev.values(vec![
                        yingji_store::new_id().into(),
                        id.clone().into(),
                        "accept".into(),
                        Some("pending_acceptance").into(),
                        "closed".into(),
                        None::<String>.into(),
                        "验收人".into(),
                        Some("整改到位，同意销号").into(),
                        None::<String>.into(),
                        String::new().into(),
                        c.into(),
                    ]);
                }
                ins.values(vec![
                    id.into(),
                    format!(
                        "YH{}{}B{:07}",
                        e.region[0],
                        rules::today(reported).year(),
                        first_seq + written + i
                    )
                    .into(),
                    SOURCES[source].0.into(),
                    Some(e.id.clone()).into(),
                    e.name.clone().into(),
                    e.lon.into(),
                    e.lat.into(),
                    grid.clone().into(),
                    e.region[0].clone().into(),
                    e.region[1].clone().into(),
                    e.region[2].clone().into(),
                    e.region[3].clone().into(),
                    e.industry.clone().into(),
                    e.categories.clone().into(),
                    rng.pick(CATEGORIES).0.into(),
                    (*rng.pick(BENCH_DESCRIPTIONS)).into(),
                    (if major { "major" } else { "general" }).into(),
                    status.into(),
                    String::new().into(),
                    deadline.into(),
                    i64::from(overdue).into(),
                    reporter.into(),
                    0i64.into(),
                    reported.into(),
                    yingji_store::prevention::hazards::month_of(reported).into(),
                    graded.into(),
                    closed.into(),
                    on_time.into(),
                    closed.unwrap_or(reported).into(),
                ]);
            }
            ins.execute(&mut tx).await?;
            ev.execute(&mut tx).await?;
            written += n;
        }
        tx.commit().await?;
    }
    let mut tx = store.begin().await?;
    audit::append(
        &mut tx,
        now,
        &Actor::system("bench"),
        Change {
            action: "import",
            entity_type: "hazard",
            entity_id: None,
            summary: format!("生成演示隐患{written}条"),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    store.optimize().await?;
    Ok(written)
}

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
/// public risk sources per street, graded by LEC through `risk_points::check` and `create_in`
/// so that the demo's four-colour maps have something to show.
pub async fn generate_risk_points(
    store: &Store,
    now: i64,
    seed: u64,
    max_enterprises: usize,
) -> StoreResult<usize> {
    use sqlx::Row;
    use yingji_core::kernel::rng::Rng;
    use yingji_core::prevention::risk::{CONTROL_LEVELS, RiskInput};
    use yingji_store::prevention::risk_points::RiskPointInput;
    let actor = Actor::system("demo");
    let mut rng = Rng::new(seed ^ 0x5249_534B);
    let mut q = Sql::new(
        "SELECT id, principal_name, categories, lon, lat FROM enterprises ORDER BY id LIMIT ",
    );
    q.bind(max_enterprises as i64);
    let ents = store.fetch_all(q).await?;
    // LEC values weighted towards the common low and general results; chemical sites
    // carry the larger consequences.
    let lec = |rng: &mut Rng, hazchem: bool| RiskInput::Lec {
        l: (*rng.pick(&["0.5", "1", "1", "3", "3", "6"])).into(),
        e: (*rng.pick(&["1", "2", "3", "3", "6", "6"])).into(),
        c: (*rng.pick(if hazchem {
            &["7", "15", "15", "40"][..]
        } else {
            &["1", "3", "3", "7", "15"][..]
        }))
        .into(),
    };
    let mut n = 0;
    for e in &ents {
        let categories: String = e.try_get("categories")?;
        let hazchem = categories.contains("hazchem");
        let (lon, lat): (Option<f64>, Option<f64>) = (e.try_get("lon")?, e.try_get("lat")?);
        for _ in 0..1 + rng.below(3) {
            let (name, factors, accidents, measures) = *rng.pick(DEMO_RISK_POINTS);
            let jitter = |v: Option<f64>, rng: &mut Rng| v.map(|v| v + (rng.unit() - 0.5) * 0.0008);
            let input = RiskPointInput {
                enterprise_id: Some(e.try_get("id")?),
                public_kind: None,
                region_code: None,
                name: name.into(),
                location: name.into(),
                lon: jitter(lon, &mut rng),
                lat: jitter(lat, &mut rng),
                hazard_factors: factors.into(),
                accident_types: accidents.iter().map(|s| s.to_string()).collect(),
                assessment: lec(&mut rng, hazchem),
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
            };
            create_risk_point(store, &actor, now, &input).await?;
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
        let (kind, name, factors) = *rng.pick(DEMO_PUBLIC_SOURCES);
        let input = RiskPointInput {
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
        };
        create_risk_point(store, &actor, now, &input).await?;
        n += 1;
    }
    Ok(n)
}

/// Registers a point in its own transaction, as the risk point use case does
/// (yingji_app::prevention::risk_points::create); the loader depends on the store only.
async fn create_risk_point(
    store: &Store,
    actor: &Actor,
    now: i64,
    input: &yingji_store::prevention::risk_points::RiskPointInput,
) -> StoreResult<()> {
    use yingji_core::kernel::role::{Role, Scope};
    use yingji_store::prevention::risk_points;
    let c = risk_points::check(store, &Scope::All, Role::Admin, input).await?;
    let mut tx = store.begin().await?;
    risk_points::create_in(&mut tx, actor, now, input, &c).await?;
    tx.commit().await?;
    Ok(())
}

/// Typical tank farms and production units of the demo's chemical enterprises:
/// (unit name, unit type, [(chemical, critical Q, β, min q, max q)]).
type DemoUnit = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str, &'static str, u32, u32)],
);
const DEMO_UNITS: &[DemoUnit] = &[
    ("液氯储罐区", "storage", &[("氯", "5", "4", 8, 60)]),
    (
        "液化石油气球罐区",
        "storage",
        &[("液化石油气", "50", "1.5", 60, 400)],
    ),
    ("液氨储罐区", "storage", &[("氨", "10", "2", 12, 120)]),
    (
        "甲醇、甲苯罐区",
        "storage",
        &[
            ("甲醇", "500", "1", 200, 900),
            ("甲苯", "500", "1", 100, 600),
        ],
    ),
    ("汽油储罐区", "storage", &[("汽油", "200", "1", 150, 800)]),
    (
        "氯化反应装置",
        "production",
        &[("氯", "5", "4", 5, 25), ("氢", "5", "1.5", 1, 6)],
    ),
    (
        "天然气调压站",
        "production",
        &[("甲烷，天然气", "50", "1.5", 40, 120)],
    ),
];

/// One or two units for every enterprise flagged as holding a 重大危险源, graded as registered.
pub async fn generate_major_hazards(
    store: &Store,
    now: i64,
    seed: u64,
    max: usize,
) -> StoreResult<usize> {
    use sqlx::Row;
    use yingji_core::kernel::rng::Rng;
    use yingji_core::kernel::role::Scope;
    use yingji_core::prevention::major_hazard::UnitChemical;
    use yingji_store::prevention::major_hazards::{self, MajorHazardInput};
    let actor = Actor::system("demo");
    let mut rng = Rng::new(seed ^ 0x4D48);
    let mut q = Sql::new(
        "SELECT id, principal_name, principal_phone, lon, lat FROM enterprises WHERE flags LIKE '%major_hazard%' ORDER BY id LIMIT ",
    );
    q.bind(max as i64);
    let mut n = 0;
    for (i, e) in store.fetch_all(q).await?.iter().enumerate() {
        for k in 0..1 + rng.below(2) {
            let (name, unit_type, chems) = *rng.pick(DEMO_UNITS);
            let chemicals = chems
                .iter()
                .map(|(c, cap, beta, lo, hi)| UnitChemical {
                    chemical: (*c).into(),
                    quantity_t: (lo + rng.below((hi - lo) as usize) as u32).to_string(),
                    critical_t: (*cap).into(),
                    beta: (*beta).into(),
                })
                .collect();
            let input = MajorHazardInput {
                enterprise_id: Some(e.try_get("id")?),
                code: format!("WHY{:05}{}", i + 1, k + 1),
                name: name.into(),
                unit_type: unit_type.into(),
                chemicals,
                population_500m: *rng.pick(&[0, 12, 35, 60, 150, 320]),
                lon: e.try_get("lon")?,
                lat: e.try_get("lat")?,
                responsible_name: e.try_get("principal_name")?,
                responsible_phone: e.try_get("principal_phone")?,
            };
            // In its own transaction, as yingji_app::prevention::major_hazards::create runs it.
            let c = major_hazards::check(store, &Scope::All, &input).await?;
            let mut tx = store.begin().await?;
            major_hazards::create_in(&mut tx, &actor, now, &input, &c).await?;
            tx.commit().await?;
            n += 1;
        }
    }
    Ok(n)
}

/// A tank level gauge and a combustible-gas detector on every demo 重大危险源 unit, for the
/// simulator behind `serve --demo`.
pub async fn generate_sensors(store: &Store, now: i64) -> StoreResult<usize> {
    use sqlx::Row;

    use yingji_store::monitoring::SensorInput;
    let actor = Actor::system("demo");
    let units = store
        .fetch_all(Sql::new(
            "SELECT id, enterprise_id, code, name, lon, lat FROM major_hazards ORDER BY code",
        ))
        .await?;
    let mut n = 0;
    for u in &units {
        let code: String = u.try_get("code")?;
        let name: String = u.try_get("name")?;
        let sensors = [
            (
                "LT",
                "储罐液位",
                "level",
                "m",
                None,
                Some("1"),
                Some("17"),
                Some("18.5"),
                "0.3",
            ),
            (
                "AT",
                "可燃气体浓度",
                "gas_lel",
                "%LEL",
                None,
                None,
                Some("25"),
                Some("50"),
                "2",
            ),
        ];
        for (prefix, what, kind, unit, ll, l, h, hh, hyst) in sensors {
            let input = SensorInput {
                code: format!("{prefix}-{code}"),
                name: format!("{name}{what}"),
                kind: kind.into(),
                unit: unit.into(),
                enterprise_id: Some(u.try_get("enterprise_id")?),
                major_hazard_id: Some(u.try_get("id")?),
                region_code: None,
                object_name: name.clone(),
                threshold_ll: ll.map(str::to_string),
                threshold_l: l.map(str::to_string),
                threshold_h: h.map(str::to_string),
                threshold_hh: hh.map(str::to_string),
                hysteresis: Some(hyst.into()),
                rate_limit: None,
                offline_after_s: 300,
                lon: u.try_get("lon")?,
                lat: u.try_get("lat")?,
            };
            create_sensor(store, &actor, now, &input).await?;
            n += 1;
        }
    }
    Ok(n)
}

/// The demo district's plan library (data/demo/plans.json): a 总体预案 and 专项预案 whose
/// triggers and task lists drive the response in `serve --demo`.
pub async fn generate_plans(store: &Store, now: i64) -> StoreResult<usize> {
    use yingji_core::kernel::role::{Role, Scope};
    use yingji_store::kernel::Ctx;
    use yingji_store::response::plans::{self, PlanInput};
    let inputs: Vec<PlanInput> =
        serde_json::from_str(include_str!("../../../data/demo/plans.json")).map_err(|e| {
            yingji_store::StoreError::invalid("plans", format!("演示预案数据损坏：{e}"))
        })?;
    let ctx = Ctx {
        actor: Actor::system("demo"),
        user_id: String::new(),
        display_name: "演示数据".into(),
        role: Role::Admin,
        scope: Scope::All,
    };
    for input in &inputs {
        plans::create(store, &ctx, now, input).await?;
    }
    Ok(inputs.len())
}

/// `n` incidents over the two years before `now` (a few still open), recorded through the intake
/// service like a duty officer's, for `yingji bench`'s incident dashboard at 10,000 incidents.
pub async fn generate_incidents(
    store: &Store,
    now: i64,
    n: usize,
    seed: u64,
    keep_some_open: bool,
) -> StoreResult<usize> {
    use sqlx::Row;
    use yingji_core::kernel::clock::to_rfc3339;
    use yingji_core::kernel::rng::Rng;
    use yingji_core::kernel::role::{Role, Scope};
    use yingji_core::response::incident::{Casualties, ReportTexts};
    use yingji_store::kernel::Ctx;
    use yingji_store::response::incidents::{self, CloseInput, IncidentInput};
    const DAY: i64 = 86_400_000;
    let mut rng = Rng::new(seed ^ 0x1C1D);
    let ctx = Ctx {
        actor: Actor::system("demo"),
        user_id: String::new(),
        display_name: "演示值班员".into(),
        role: Role::Admin,
        scope: Scope::All,
    };
    let ids: Vec<String> = store
        .fetch_all(Sql::new(
            "SELECT id FROM enterprises ORDER BY id LIMIT 2000",
        ))
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    if ids.is_empty() {
        return Ok(0);
    }
    let kinds = [
        ("accident", "industrial", "车间机械伤害"),
        ("accident", "hazchem", "储罐泄漏"),
        ("accident", "construction", "脚手架坍塌"),
        ("accident", "fire", "仓库火灾"),
        ("accident", "road_traffic", "货车侧翻"),
        ("accident", "gas", "燃气泄漏"),
    ];
    for i in 0..n {
        let (category, subtype, title) = *rng.pick(&kinds);
        let open = keep_some_open && i % 20 == 0;
        let occurred = if open {
            now - rng.below(20) as i64 * 3_600_000 - 3_600_000
        } else {
            now - (1 + rng.below(730)) as i64 * DAY
        };
        let deaths = *rng.pick(&[0, 0, 0, 0, 0, 1, 1, 2, 3]);
        let input = IncidentInput {
            title: format!("{title}{}", i + 1),
            category: category.into(),
            subtype: subtype.into(),
            occurred_at: to_rfc3339(occurred),
            received_at: Some(to_rfc3339(occurred + 1_800_000)),
            unit_learned_at: None,
            enterprise_id: Some(rng.pick(&ids).clone()),
            region_code: None,
            lon: None,
            lat: None,
            casualties: Casualties {
                deaths,
                serious_injuries: rng.below(4) as i64,
                minor_injuries: rng.below(6) as i64,
                // Mostly small losses; one in twenty reaches the 较大 floor of 1000万.
                loss_yuan: if rng.chance(0.05) {
                    10_000_000 + rng.below(2_000) as i64 * 10_000
                } else {
                    rng.below(300) as i64 * 10_000
                },
                ..Default::default()
            },
            texts: ReportTexts {
                unit_overview: "生产经营单位概况见企业档案".into(),
                location: "厂区".into(),
                scene: "现场已得到控制".into(),
                account: format!("{title}，详见初报"),
                measures: "企业启动应急预案，相关部门到场处置".into(),
                other: "无".into(),
            },
            warning_level: None,
            assessed_severity: None,
            larger_risk_judged: false,
            reporter_name: None,
            reporter_phone: None,
            report_channel: Some("enterprise".into()),
        };
        let d = incidents::create(store, &ctx, now, &input).await?;
        if !open {
            incidents::close(
                store,
                &ctx,
                now,
                &d.incident.id,
                &CloseInput {
                    note: "处置完毕".into(),
                    // History entered afterwards: its reports went up on paper.
                    unreported_reason: Some("历史事件补录，上报记录见纸质台账".into()),
                },
            )
            .await?;
        }
    }
    Ok(n)
}

/// Registers a sensor in its own transaction, as yingji_app::monitoring::sensors::create_sensor
/// runs it (this crate depends on the store only).
async fn create_sensor(
    store: &Store,
    actor: &Actor,
    now: i64,
    input: &yingji_store::monitoring::SensorInput,
) -> StoreResult<String> {
    use yingji_core::kernel::role::{Role, Scope};
    let who = yingji_store::monitoring::Who {
        actor,
        scope: &Scope::All,
        role: Role::Admin,
    };
    let mut tx = store.begin().await?;
    let id = yingji_store::monitoring::save_sensor(&mut tx, store, who, now, None, input).await?;
    tx.commit().await?;
    Ok(id)
}

#[cfg(test)]
mod plan_tests {
    #[test]
    fn demo_plans_parse_and_their_triggers_are_valid() {
        let plans: Vec<yingji_store::response::plans::PlanInput> =
            serde_json::from_str(include_str!("../../../data/demo/plans.json")).expect("plans");
        assert!(plans.len() >= 3);
        for p in plans {
            yingji_core::response::plan::check_levels(&p.levels)
                .unwrap_or_else(|e| panic!("{}: {}", p.name, e.summary()));
        }
    }
}
