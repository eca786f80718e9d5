//! 应急格 and 安监格: overlay grids beside the comprehensive grid tree (regions of level grid).
//! Each lies within one street; one point belongs to at most one active grid of each kind. Who
//! may manage them, the input's check and the wording.

use super::overlays_geo::{area_within, areas_overlap};
use crate::kernel::geo::{self, Polygon};
use crate::kernel::role::{Role, Scope};
use crate::kernel::validation::{Errors, Invalid, required_text};
use serde::{Deserialize, Serialize};

/// The kinds of overlay grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverlayKind {
    /// 应急格.
    Emergency,
    /// 安监格.
    Safety,
}

impl OverlayKind {
    pub const ALL: [OverlayKind; 2] = [Self::Emergency, Self::Safety];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Emergency => "emergency",
            Self::Safety => "safety",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Emergency => "应急格",
            Self::Safety => "安监格",
        }
    }
    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                format!("网格类型“{s}”无效，应为 emergency（应急格）或 safety（安监格）")
            })
    }
}

/// The kind of the comprehensive grid (综合网格), as the grid worker's page and patrol tasks name it.
pub const COMPREHENSIVE: &str = "comprehensive";
pub const COMPREHENSIVE_LABEL: &str = "综合网格";

/// The label of a grid kind, comprehensive or overlay.
pub fn kind_label(kind: &str) -> &'static str {
    match OverlayKind::parse(kind) {
        Ok(k) => k.label(),
        Err(_) if kind == COMPREHENSIVE => COMPREHENSIVE_LABEL,
        Err(_) => "",
    }
}

pub const NOT_A_MANAGER: &str = "只有系统管理员、局领导和本街道人员可以维护应急格、安监格";
pub const NOT_A_READER: &str = "应急格、安监格仅供管理员、局领导、部门、街道和网格人员查看";

/// May manage the overlay grids of a street: administrators, the bureau (commanders) within their
/// area, and street staff for their own street.
pub fn may_manage(role: Role, scope: &Scope, street_code: &str) -> bool {
    match role {
        Role::Admin => true,
        Role::Commander | Role::StreetStaff => scope.covers_region(street_code),
        _ => false,
    }
}

/// May manage overlay grids somewhere (before the street is known).
pub fn manages_overlays(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander | Role::StreetStaff)
}

/// May read overlay grids at all (within their scope; a grid worker their own).
pub fn may_read(role: Role) -> bool {
    role.reads_business_data() && !matches!(role, Role::EnterpriseUser | Role::Insurer)
}

/// Reads only the overlays they belong to (a grid worker), not all of their area.
pub fn reads_own_only(role: Role) -> bool {
    role == Role::GridWorker
}

/// May be a member (grid worker) of an overlay grid.
pub fn may_be_member(role: Role) -> bool {
    MEMBER_ROLES.contains(&role)
}

/// The roles of an overlay's members.
pub const MEMBER_ROLES: [Role; 2] = [Role::GridWorker, Role::StreetStaff];

#[derive(Debug, Clone, Default)]
pub struct OverlayInput {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub street_code: String,
    pub boundary: Option<serde_json::Value>,
    pub active: Option<bool>,
}

/// An overlay that passed [`check_overlay`].
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedOverlay {
    pub code: String,
    pub name: String,
    pub kind: OverlayKind,
    pub street_code: String,
    pub polygons: Vec<Polygon>,
    pub active: bool,
}

impl CheckedOverlay {
    /// The boundary as a GeoJSON geometry.
    pub fn geometry(&self) -> serde_json::Value {
        geo::polygons_to_geometry(&self.polygons)
    }
    /// `[min_lon, min_lat, max_lon, max_lat]`.
    pub fn bbox(&self) -> [f64; 4] {
        let rings: Vec<_> = self.polygons.iter().flatten().cloned().collect();
        geo::BBox::of(&rings)
            .map(|b| [b.min_lon, b.min_lat, b.max_lon, b.max_lat])
            .unwrap_or_default()
    }
}

/// Code (letters, digits, `-`, `_`, at most 40), name, kind, street and boundary (a GeoJSON
/// Polygon or MultiPolygon inside China, closed rings).
pub fn check_overlay(input: &OverlayInput) -> Result<CheckedOverlay, Invalid> {
    let mut errs = Errors::default();
    let code = input.code.trim();
    if code.is_empty() {
        errs.add("code", "网格编码不能为空");
    } else if code.len() > 40
        || !code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        errs.add("code", "网格编码只能由字母、数字、“-”“_”组成，最长40位");
    }
    let name = errs.check("name", required_text("网格名称", &input.name, 60));
    let kind = errs.check("kind", OverlayKind::parse(&input.kind));
    let street = input.street_code.trim();
    if street.is_empty() || !street.bytes().all(|b| b.is_ascii_digit()) {
        errs.add("street_code", "请选择所在街道（街道区划代码）");
    }
    let polygons = match &input.boundary {
        None => {
            errs.add(
                "boundary",
                "请绘制或粘贴网格边界（GeoJSON Polygon 或 MultiPolygon）",
            );
            None
        }
        Some(b) => errs.check(
            "boundary",
            geo::parse_polygons(b).map_err(|e| format!("网格边界：{e}")),
        ),
    };
    match (errs.is_empty(), name, kind, polygons) {
        (true, Some(name), Some(kind), Some(polygons)) => Ok(CheckedOverlay {
            code: code.to_string(),
            name,
            kind,
            street_code: street.to_string(),
            polygons,
            active: input.active.unwrap_or(true),
        }),
        _ => Err(errs.into_invalid()),
    }
}

/// An active overlay already stored, as the overlap check sees it.
#[derive(Debug, Clone)]
pub struct Neighbour {
    pub id: String,
    pub code: String,
    pub name: String,
    pub polygons: Vec<Polygon>,
}

/// Refuses an overlay outside its street's boundary (when the street has one) or overlapping
/// another active overlay of the same kind (`others`: the active ones of that kind, itself
/// left out), naming the other grid.
pub fn check_placement(
    c: &CheckedOverlay,
    street_name: &str,
    street: Option<&[Polygon]>,
    others: &[Neighbour],
) -> Result<(), Invalid> {
    if let Some(street) = street.filter(|s| !s.is_empty())
        && !area_within(&c.polygons, street)
    {
        return Err(Invalid::one(
            "boundary",
            format!("网格边界超出所在街道“{street_name}”的范围"),
        ));
    }
    if !c.active {
        return Ok(());
    }
    match others
        .iter()
        .find(|o| areas_overlap(&c.polygons, &o.polygons))
    {
        Some(o) => Err(Invalid::one(
            "boundary",
            format!(
                "网格边界与{}“{}”（{}）重叠：同一地点只能属于一个{}",
                c.kind.label(),
                o.name,
                o.code,
                c.kind.label()
            ),
        )),
        None => Ok(()),
    }
}

/// The audit summary of a created or changed overlay.
pub fn saved_summary(created: bool, c: &CheckedOverlay) -> String {
    let verb = if created { "新建" } else { "修改" };
    let state = if c.active { "" } else { "（停用）" };
    format!("{verb}{}“{}”（{}）{state}", c.kind.label(), c.name, c.code)
}

/// The audit summary of a member added or removed.
pub fn member_summary(added: bool, user_name: &str, kind: &str, overlay_name: &str) -> String {
    let verb = if added { "加入" } else { "移出" };
    format!("{user_name} {verb}{}“{overlay_name}”", kind_label(kind))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn square(x: f64, y: f64, d: f64) -> serde_json::Value {
        json!({"type": "Polygon", "coordinates": [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]]})
    }

    fn input(code: &str, b: serde_json::Value) -> OverlayInput {
        OverlayInput {
            code: code.into(),
            name: format!("{code}格"),
            kind: "emergency".into(),
            street_code: "360403001".into(),
            boundary: Some(b),
            active: None,
        }
    }

    #[test]
    fn kinds() {
        assert_eq!(OverlayKind::parse("safety").unwrap().label(), "安监格");
        assert!(OverlayKind::parse("grid").is_err());
        assert_eq!(kind_label("comprehensive"), "综合网格");
    }

    #[test]
    fn input_is_checked() {
        let c = check_overlay(&input("YJ-1", square(116.0, 29.7, 0.01))).unwrap();
        assert!(c.active);
        assert_eq!(c.bbox(), [116.0, 29.7, 116.01, 29.71]);
        let e = check_overlay(&OverlayInput::default()).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["code", "name", "kind", "street_code", "boundary"]);
        let e = check_overlay(&input("a b", json!({"type": "Point"}))).unwrap_err();
        assert_eq!(e.0.len(), 2);
    }

    #[test]
    fn placement() {
        let street = geo::parse_polygons(&square(116.0, 29.7, 0.1)).unwrap();
        let c = check_overlay(&input("YJ-1", square(116.0, 29.7, 0.01))).unwrap();
        let other = Neighbour {
            id: "x".into(),
            code: "YJ-0".into(),
            name: "老城应急格".into(),
            polygons: geo::parse_polygons(&square(116.005, 29.705, 0.01)).unwrap(),
        };
        let e = check_placement(&c, "甘棠街道", Some(&street), std::slice::from_ref(&other))
            .unwrap_err();
        assert!(e.0[0].message.contains("老城应急格"), "{e:?}");
        assert!(check_placement(&c, "甘棠街道", Some(&street), &[]).is_ok());
        let out = check_overlay(&input("YJ-2", square(116.095, 29.7, 0.01))).unwrap();
        let e = check_placement(&out, "甘棠街道", Some(&street), &[]).unwrap_err();
        assert!(e.0[0].message.contains("甘棠街道"));
        // An inactive overlay may lie on another; a street without a boundary bounds nothing.
        let off = CheckedOverlay {
            active: false,
            ..c.clone()
        };
        assert!(check_placement(&off, "甘棠街道", None, &[other]).is_ok());
    }

    #[test]
    fn managers() {
        let street = Scope::Region {
            region_code: "360403001".into(),
            prefix: "360403001".into(),
        };
        assert!(may_manage(Role::StreetStaff, &street, "360403001"));
        assert!(!may_manage(Role::StreetStaff, &street, "360403003"));
        assert!(!may_manage(Role::GridWorker, &street, "360403001"));
        assert!(may_manage(Role::Admin, &Scope::All, "360403003"));
    }
}
