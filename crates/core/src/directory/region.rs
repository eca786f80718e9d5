//! 行政区划 and grids. Codes follow GB/T 2260 and the statistical division codes:
//! city and district 6 digits, street (乡级) 9, community (村级) 12; grids add 3 digits below
//! a community. A region's subtree is exactly the codes that start with its *scope prefix*,
//! which is how every scoped query filters by region.

use crate::kernel::geo::{self, BBox, Polygon};
use crate::kernel::validation::{Invalid, required_text};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    City,
    District,
    Street,
    Community,
    Grid,
}

impl RegionLevel {
    pub const ALL: [RegionLevel; 5] = [
        Self::City,
        Self::District,
        Self::Street,
        Self::Community,
        Self::Grid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::City => "city",
            Self::District => "district",
            Self::Street => "street",
            Self::Community => "community",
            Self::Grid => "grid",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::City => "市",
            Self::District => "区县",
            Self::Street => "街道/乡镇",
            Self::Community => "社区/村",
            Self::Grid => "网格",
        }
    }
    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| {
                format!("区划层级“{s}”无效，应为 city/district/street/community/grid 之一")
            })
    }
    fn code_len(self) -> usize {
        match self {
            Self::City | Self::District => 6,
            Self::Street => 9,
            Self::Community => 12,
            Self::Grid => 15,
        }
    }
    /// The level a parent must have, if any parent is allowed.
    pub fn parent_level(self) -> Option<RegionLevel> {
        match self {
            Self::City => None,
            Self::District => Some(Self::City),
            Self::Street => Some(Self::District),
            Self::Community => Some(Self::Street),
            Self::Grid => Some(Self::Community),
        }
    }
    pub fn child_level(self) -> Option<RegionLevel> {
        match self {
            Self::City => Some(Self::District),
            Self::District => Some(Self::Street),
            Self::Street => Some(Self::Community),
            Self::Community => Some(Self::Grid),
            Self::Grid => None,
        }
    }
}

/// Checks a code against its level.
pub fn validate_code(code: &str, level: RegionLevel) -> Result<(), String> {
    let n = level.code_len();
    if code.len() != n || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{}的区划代码应为{}位数字", level.label(), n));
    }
    match level {
        RegionLevel::City if !code.ends_with("00") => Err("市级区划代码应以00结尾".into()),
        RegionLevel::District if code.ends_with("00") => Err("区县级区划代码不能以00结尾".into()),
        _ => Ok(()),
    }
}

/// The prefix every code in this region's subtree starts with.
pub fn scope_prefix(code: &str, level: RegionLevel) -> &str {
    match level {
        RegionLevel::City => &code[..4.min(code.len())],
        _ => code,
    }
}

/// Checks that `code` may sit directly under a parent of `parent_level` with `parent_code`.
pub fn validate_parent(
    code: &str,
    level: RegionLevel,
    parent: Option<(&str, RegionLevel)>,
) -> Result<(), String> {
    match (level.parent_level(), parent) {
        (_, None) if matches!(level, RegionLevel::City | RegionLevel::District) => Ok(()),
        (_, None) => Err(format!("{}必须指定上级区划", level.label())),
        (None, Some(_)) => Err("市级区划不能有上级区划".into()),
        (Some(expected), Some((pcode, plevel))) => {
            if plevel != expected {
                return Err(format!(
                    "{}的上级区划应为{}，而不是{}",
                    level.label(),
                    expected.label(),
                    plevel.label()
                ));
            }
            if !code.starts_with(scope_prefix(pcode, plevel)) {
                return Err(format!("区划代码{code}与上级区划代码{pcode}不符"));
            }
            Ok(())
        }
    }
}

/// 区划名称: required, at most 60 characters.
pub fn check_name(name: &str) -> Result<String, Invalid> {
    required_text("区划名称", name, 60).map_err(|m| Invalid::one("name", m))
}

/// A region's boundary as stored: the GeoJSON text, an interior point and the bounding box.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub text: Option<String>,
    pub center: Option<[f64; 2]>,
    pub bbox: Option<BBox>,
}

/// Reads a boundary (GeoJSON Polygon or MultiPolygon, holes kept: a point in an enclave is not
/// in the region); none or null is no shape.
pub fn shape_of(boundary: &Option<serde_json::Value>) -> Result<Shape, Invalid> {
    match boundary {
        None | Some(serde_json::Value::Null) => Ok(Shape {
            text: None,
            center: None,
            bbox: None,
        }),
        Some(v) => {
            let polygons: Vec<Polygon> = geo::parse_polygons(v)
                .map_err(|m| Invalid::one("boundary", format!("边界无效：{m}")))?;
            Ok(Shape {
                text: Some(geo::polygons_to_geometry(&polygons).to_string()),
                center: geo::area_interior_point(&polygons),
                bbox: BBox::of(&polygons.concat()),
            })
        }
    }
}

pub fn created_summary(level: RegionLevel, name: &str, code: &str) -> String {
    format!("新增{}“{name}”（{code}）", level.label())
}

pub fn updated_summary(name: &str, code: &str) -> String {
    format!("修改区划“{name}”（{code}）")
}

pub fn deleted_summary(name: &str, code: &str) -> String {
    format!("删除区划“{name}”（{code}）")
}

/// The parent named for a new region does not exist.
pub fn parent_missing(code: &str) -> String {
    format!("上级区划“{code}”不存在")
}

/// A region with this code exists.
pub fn code_taken(code: &str) -> String {
    format!("区划代码“{code}”已存在")
}

/// What a region holds below it, as named in the refusal to delete it.
pub const CHILDREN: &str = "下级区划";

/// What else may still belong to a region (table, column, what), named in the refusal to
/// delete it.
pub const HOLDERS: &[(&str, &str, &str)] = &[
    ("enterprises", "grid_code", "企业"),
    ("users", "region_code", "用户"),
    ("departments", "region_code", "部门"),
];

/// Why a region cannot be deleted: it still holds `n` of `what` (下级区划, 企业, 用户, 部门).
pub fn still_holds(name: &str, n: i64, what: &str) -> String {
    format!("区划“{name}”下还有{n}个{what}，不能删除")
}

#[cfg(test)]
mod tests {
    #[test]
    fn wording_and_shape() {
        use super::*;
        assert_eq!(
            still_holds("浔阳区", 2, "下级区划"),
            "区划“浔阳区”下还有2个下级区划，不能删除"
        );
        assert_eq!(
            still_holds("浔阳区", 2, CHILDREN),
            still_holds("浔阳区", 2, "下级区划")
        );
        assert_eq!(parent_missing("360499"), "上级区划“360499”不存在");
        assert_eq!(code_taken("360403"), "区划代码“360403”已存在");
        assert_eq!(
            created_summary(RegionLevel::Street, "湓浦街道", "360402001"),
            format!("新增{}“湓浦街道”（360402001）", RegionLevel::Street.label())
        );
        assert_eq!(check_name(" ").unwrap_err().summary(), "区划名称不能为空");
        assert_eq!(shape_of(&None).unwrap().text, None);
        assert!(shape_of(&Some(serde_json::json!({"type": "Point"}))).is_err());
    }

    use super::*;
    use RegionLevel::*;

    #[test]
    fn codes_by_level() {
        assert!(validate_code("360403", District).is_ok());
        assert!(validate_code("360400", City).is_ok());
        assert!(validate_code("360400", District).is_err());
        assert!(validate_code("360403001", Street).is_ok());
        assert!(validate_code("36040300", Street).is_err());
        assert!(validate_code("360403001001", Community).is_ok());
        assert!(validate_code("360403001001002", Grid).is_ok());
        assert!(validate_code("36040300100100x", Grid).is_err());
    }

    #[test]
    fn parents() {
        assert!(validate_parent("360403001", Street, Some(("360403", District))).is_ok());
        assert!(validate_parent("360404001", Street, Some(("360403", District))).is_err());
        assert!(validate_parent("360403001", Street, Some(("360400", City))).is_err());
        assert!(validate_parent("360403001", Street, None).is_err());
        assert!(validate_parent("360403", District, Some(("360400", City))).is_ok());
        assert!(validate_parent("360403", District, None).is_ok());
        assert_eq!(scope_prefix("360400", City), "3604");
    }
}
