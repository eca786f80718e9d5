//! The demo district generator: from the real codes and outline of a district, makes synthetic
//! street/community boundaries, grids, departments, enterprises and accounts. The same seed
//! always gives the same data, so tests and benchmarks can rely on it.

use crate::trades::KINDS;
use serde::Deserialize;
use yingji_core::directory::enterprise::EnterpriseInput;
use yingji_core::directory::region::RegionLevel;
use yingji_core::directory::uscc;
use yingji_core::kernel::geo::{self, BBox, Ring};
pub use yingji_core::kernel::rng::Rng;

/// The district as extracted from the public packages (data/demo-district/*.json).
#[derive(Debug, Clone, Deserialize)]
pub struct DistrictSource {
    pub code: String,
    pub name: String,
    pub city_name: String,
    pub outline: Vec<Ring>,
    pub streets: Vec<StreetSource>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StreetSource {
    pub code: String,
    pub name: String,
    pub communities: Vec<NamedCode>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NamedCode {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    Small,
    City,
    /// 南京's proportions (issue 25): 98 grids a community (12,054 in the demo district) and the
    /// city's enterprises; `yingji demo --scale nanjing` adds the rest in bulk.
    Nanjing,
}

impl Scale {
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "small" => Ok(Self::Small),
            "city" => Ok(Self::City),
            "nanjing" => Ok(Self::Nanjing),
            _ => Err(format!("规模“{s}”无效，应为 small、city 或 nanjing")),
        }
    }
    fn grids_per_community(self) -> usize {
        match self {
            Self::Small => 3,
            Self::City => 8,
            Self::Nanjing => 98,
        }
    }
    pub fn enterprises(self) -> usize {
        match self {
            Self::Small => 400,
            Self::City | Self::Nanjing => 100_000,
        }
    }
}

#[derive(Debug, Clone)]
pub struct RegionSeed {
    pub code: String,
    pub name: String,
    pub level: RegionLevel,
    pub parent_code: Option<String>,
    pub boundary: Vec<Ring>,
    pub center: Option<[f64; 2]>,
}

#[derive(Debug, Clone)]
pub struct DepartmentSeed {
    pub name: String,
    pub categories: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct UserSeed {
    pub username: String,
    pub display_name: String,
    pub role: yingji_core::kernel::role::Role,
    /// Region code, department name or enterprise index, by the role's scope kind.
    pub scope_ref: Option<String>,
}

#[derive(Debug, Clone)]
pub struct DemoData {
    pub regions: Vec<RegionSeed>,
    pub departments: Vec<DepartmentSeed>,
    pub enterprises: Vec<EnterpriseInput>,
    pub users: Vec<UserSeed>,
}

/// The demo accounts' password (demo mode only; printed at start).
pub const DEMO_PASSWORD: &str = "Yingji@2026";

pub fn departments() -> Vec<DepartmentSeed> {
    let d = |name: &str, cats: &[&str]| DepartmentSeed {
        name: name.into(),
        categories: cats.iter().map(|s| s.to_string()).collect(),
    };
    vec![
        d(
            "区应急管理局",
            &["hazchem", "mining", "industry_trade", "fireworks"],
        ),
        d("区住房和城乡建设局", &["construction", "gas"]),
        d("区交通运输局", &["transport"]),
        d(
            "区消防救援大队",
            &["fire_key", "crowded_place", "small_venue"],
        ),
        d("区市场监督管理局", &["small_venue"]),
    ]
}

const PLACE: &[&str] = &[
    "浔阳", "湓浦", "甘棠", "庐山", "长江", "九派", "琵琶", "浔城", "江州", "柴桑", "匡庐", "鄱湖",
    "白水", "金鸡", "滨兴", "向阳",
];
const BRAND: &[&str] = &[
    "鑫源", "恒达", "华泰", "宏远", "中信", "瑞丰", "永昌", "顺发", "天成", "博远", "嘉禾", "盛世",
    "长盛", "新兴", "金泰", "联创", "明德", "安泰", "晨光", "汇通",
];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "罗", "万",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超",
    "秀英", "建华", "志强", "国平", "海燕",
];
const ROADS: &[&str] = &[
    "浔阳路",
    "庐山路",
    "滨江路",
    "长虹大道",
    "九龙街",
    "湓浦路",
    "甘棠北路",
    "十里大道",
    "前进路",
    "塔岭南路",
];

fn person(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
}

fn mobile(rng: &mut Rng) -> String {
    format!(
        "1{}{:09}",
        rng.pick(&["3", "5", "8", "9"]),
        rng.next_u64() % 1_000_000_000
    )
}

/// A unique, valid code for the `index`-th enterprise: 91 + district + base-31 organisation code.
fn uscc_for(district: &str, index: usize, salt: u64) -> String {
    const ALPHA: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut n = index as u64 + salt % 1_000_000 * 10_000_000;
    let mut org = [b'0'; 9];
    for slot in org.iter_mut().rev() {
        *slot = ALPHA[(n % 31) as usize];
        n /= 31;
    }
    let first17 = format!("91{}{}", district, String::from_utf8_lossy(&org));
    let check = uscc::check_char(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

fn point_in(rng: &mut Rng, rings: &[Ring]) -> Option<[f64; 2]> {
    let b = BBox::of(rings)?;
    for _ in 0..200 {
        let lon = b.min_lon + (b.max_lon - b.min_lon) * rng.unit();
        let lat = b.min_lat + (b.max_lat - b.min_lat) * rng.unit();
        if geo::contains(rings, lon, lat) {
            return Some([(lon * 1e6).round() / 1e6, (lat * 1e6).round() / 1e6]);
        }
    }
    geo::interior_point(rings)
}

pub fn generate(src: &DistrictSource, seed: u64, scale: Scale) -> DemoData {
    let mut rng = Rng::new(seed);
    let (regions, grids) = region_tree(src, scale);
    let enterprises = enterprises_in(src, scale, &grids, &mut rng);
    let users = demo_users(src, &grids);
    DemoData {
        regions,
        departments: departments(),
        enterprises,
        users,
    }
}

/// The district, its streets, communities and grids, each partitioned from its parent's outline;
/// and the grids with their shapes, for placing enterprises.
fn region_tree(src: &DistrictSource, scale: Scale) -> (Vec<RegionSeed>, Vec<(String, Vec<Ring>)>) {
    let mut regions = vec![RegionSeed {
        code: src.code.clone(),
        name: src.name.clone(),
        level: RegionLevel::District,
        parent_code: None,
        boundary: src.outline.clone(),
        center: geo::interior_point(&src.outline),
    }];
    let street_parts = geo::partition(&src.outline, src.streets.len());
    let mut grids: Vec<(String, Vec<Ring>)> = Vec::new();
    for (street, street_shape) in src.streets.iter().zip(street_parts) {
        regions.push(RegionSeed {
            code: street.code.clone(),
            name: street.name.clone(),
            level: RegionLevel::Street,
            parent_code: Some(src.code.clone()),
            center: geo::interior_point(&street_shape),
            boundary: street_shape.clone(),
        });
        let community_parts = geo::partition(&street_shape, street.communities.len());
        for (community, shape) in street.communities.iter().zip(community_parts) {
            regions.push(RegionSeed {
                code: community.code.clone(),
                name: community.name.clone(),
                level: RegionLevel::Community,
                parent_code: Some(street.code.clone()),
                center: geo::interior_point(&shape),
                boundary: shape.clone(),
            });
            let grid_parts = geo::partition(&shape, scale.grids_per_community());
            for (k, g) in grid_parts.into_iter().enumerate() {
                let code = format!("{}{:03}", community.code, k + 1);
                regions.push(RegionSeed {
                    code: code.clone(),
                    name: format!(
                        "{}第{}网格",
                        community
                            .name
                            .trim_end_matches("居委会")
                            .trim_end_matches("委员会"),
                        k + 1
                    ),
                    level: RegionLevel::Grid,
                    parent_code: Some(community.code.clone()),
                    center: geo::interior_point(&g),
                    boundary: g.clone(),
                });
                grids.push((code, g));
            }
        }
    }
    (regions, grids)
}

/// The enterprises, of kinds by weight, each placed in a random grid.
fn enterprises_in(
    src: &DistrictSource,
    scale: Scale,
    grids: &[(String, Vec<Ring>)],
    rng: &mut Rng,
) -> Vec<EnterpriseInput> {
    let total_weight: u32 = KINDS.iter().map(|k| k.1).sum();
    let salt = rng.next_u64();
    let mut enterprises = Vec::with_capacity(scale.enterprises());
    for i in 0..scale.enterprises() {
        if grids.is_empty() {
            break;
        }
        let mut w = (rng.next_u64() % total_weight as u64) as u32;
        let kind = KINDS
            .iter()
            .find(|k| {
                if w < k.1 {
                    true
                } else {
                    w -= k.1;
                    false
                }
            })
            .unwrap_or(&KINDS[0]);
        let (grid_code, shape) = &grids[rng.below(grids.len())];
        let location = point_in(rng, shape);
        let mut categories = vec![kind.0.to_string()];
        if matches!(kind.0, "crowded_place" | "hazchem") && rng.chance(0.4) {
            categories.push("fire_key".into());
        }
        let flags: Vec<String> = kind
            .3
            .iter()
            .filter(|_| rng.chance(0.3))
            .map(|f| f.to_string())
            .collect();
        let above = rng.chance(if kind.0 == "small_venue" { 0.02 } else { 0.35 });
        let (place, brand) = (rng.pick(PLACE), rng.pick(BRAND));
        // The trade gives the name's ending and the industry code together (a 理发店 is in
        // 居民服务业); the second draw keeps the sequence of the draws that follow.
        let trade = rng.pick(kind.2);
        rng.next_u64();
        enterprises.push(EnterpriseInput {
            name: format!("{place}{brand}{}", trade.1),
            uscc: uscc_for(&src.code, i, salt),
            industry_code: trade.0.to_string(),
            categories,
            scale: Some(if above { "above" } else { "below" }.into()),
            address: format!(
                "{}{}{}{}号",
                src.city_name,
                src.name,
                rng.pick(ROADS),
                1 + rng.below(300)
            ),
            lon: location.map(|p| p[0]),
            lat: location.map(|p| p[1]),
            grid_code: grid_code.clone(),
            principal_name: Some(person(rng)),
            principal_phone: Some(mobile(rng)),
            safety_officer_name: Some(person(rng)),
            safety_officer_phone: Some(mobile(rng)),
            flags,
            status: Some(
                if rng.chance(0.05) {
                    "suspended"
                } else {
                    "operating"
                }
                .into(),
            ),
            employees: Some(if above {
                50 + rng.below(800)
            } else {
                2 + rng.below(60)
            } as i64),
        });
    }
    enterprises
}

/// The demo accounts, one per role, scoped to the district, the first street and the first grid.
fn demo_users(src: &DistrictSource, grids: &[(String, Vec<Ring>)]) -> Vec<UserSeed> {
    use yingji_core::kernel::role::Role;
    let first_street = src.streets.first().map(|s| s.code.clone());
    let first_grid = grids.first().map(|g| g.0.clone());
    let u = |username: &str, display: &str, role: Role, scope: Option<String>| UserSeed {
        username: username.into(),
        display_name: display.into(),
        role,
        scope_ref: scope,
    };
    vec![
        u("admin", "系统管理员", Role::Admin, None),
        // 三员分立: one of each administrator.
        u("secadmin", "安全保密管理员", Role::SecurityAdmin, None),
        u("auditor", "安全审计员", Role::Auditor, None),
        u(
            "commander",
            "局长（指挥长）",
            Role::Commander,
            Some(src.code.clone()),
        ),
        u("duty", "值班员", Role::DutyOfficer, Some(src.code.clone())),
        u(
            "yjj",
            "应急局监管科",
            Role::DepartmentStaff,
            Some("区应急管理局".into()),
        ),
        u(
            "zjj",
            "住建局安全科",
            Role::DepartmentStaff,
            Some("区住房和城乡建设局".into()),
        ),
        // 执法人员 of the bureau: a 双随机 team needs two, 回避 a third.
        u(
            "zfry",
            "执法队员张明",
            Role::Inspector,
            Some("区应急管理局".into()),
        ),
        u(
            "zfry2",
            "执法队员李华",
            Role::Inspector,
            Some("区应急管理局".into()),
        ),
        u(
            "zfry3",
            "执法队员王强",
            Role::Inspector,
            Some("区应急管理局".into()),
        ),
        // 法制审核员 of the bureau: reviews cases it did not investigate.
        u(
            "fzsh",
            "法制审核员赵敏",
            Role::LegalReviewer,
            Some("区应急管理局".into()),
        ),
        u("street", "街道应急办", Role::StreetStaff, first_street),
        u("grid", "网格员", Role::GridWorker, first_grid),
        u(
            "enterprise",
            "企业安全员",
            Role::EnterpriseUser,
            Some("0".into()),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> DistrictSource {
        DistrictSource {
            code: "360403".into(),
            name: "浔阳区".into(),
            city_name: "九江市".into(),
            outline: vec![vec![
                [115.9, 29.68],
                [116.05, 29.68],
                [116.05, 29.75],
                [115.9, 29.75],
                [115.9, 29.68],
            ]],
            streets: (1..=3)
                .map(|s| StreetSource {
                    code: format!("360403{s:03}"),
                    name: format!("街道{s}"),
                    communities: (1..=2)
                        .map(|c| NamedCode {
                            code: format!("360403{s:03}{c:03}"),
                            name: format!("社区{s}{c}"),
                        })
                        .collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn deterministic_and_valid() {
        let a = generate(&source(), 7, Scale::Small);
        let b = generate(&source(), 7, Scale::Small);
        assert_eq!(a.enterprises, b.enterprises);
        assert_eq!(a.regions.len(), 1 + 3 + 6 + 18);
        let mut codes = std::collections::HashSet::new();
        for e in &a.enterprises {
            let f = e.validate().unwrap();
            assert!(codes.insert(f.uscc.to_string()), "duplicate code");
            let grid = a.regions.iter().find(|r| r.code == e.grid_code).unwrap();
            assert!(geo::contains(
                &grid.boundary,
                f.lon.unwrap(),
                f.lat.unwrap()
            ));
        }
        let c = generate(&source(), 8, Scale::Small);
        assert_ne!(a.enterprises, c.enterprises);
    }
}
