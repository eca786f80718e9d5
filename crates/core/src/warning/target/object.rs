//! 承灾体 (protected objects) as input: kind, name, place (a point or an outline), the person
//! responsible and their type, checked before anything is written; and how a 特殊群体's personal
//! data reads outside its grid.

use super::{OBJECT_KINDS, PERSON_TYPES, default_person_type, kind_label};
use crate::kernel::geo::{Polygon, area_interior_point};
use crate::kernel::validation::{
    Errors, Invalid, latitude, longitude, optional_text, phone, required_text,
};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectInput {
    /// dangerous_house / geohazard / waterlogging / school … (GET /api/v1/protected-objects/meta)
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub address: String,
    /// A point; may be left out when `outline` is given (a point inside it is taken).
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    /// For an object that is an area (a slope, a site): a GeoJSON Polygon or MultiPolygon
    /// (lon, lat); a warning whose area touches it targets it.
    #[serde(default)]
    pub outline: Option<serde_json::Value>,
    /// The grid (or community) it lies in.
    pub region_code: String,
    /// The responsible person's account, if they have one (they answer on the phone page).
    #[serde(default)]
    pub responsible_user_id: Option<String>,
    pub responsible_name: String,
    pub responsible_phone: String,
    /// grid_worker / community_cadre / street_cadre / unit_head / enterprise_safety / guardian /
    /// other; defaults by the object's kind.
    #[serde(default)]
    pub responsible_type: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// The responsible person's account as the caller found it.
#[derive(Debug, Clone, Copy)]
pub enum ResponsibleAccount<'a> {
    /// No account named.
    None,
    /// Found, with its role code.
    Role(&'a str),
    /// Named but not found.
    Unknown,
}

/// A 承灾体's fields, checked.
#[derive(Debug, Clone)]
pub struct CheckedObject {
    pub name: String,
    pub address: String,
    pub lon: f64,
    pub lat: f64,
    pub outline: Option<Vec<Polygon>>,
    pub responsible_name: String,
    pub responsible_phone: String,
    pub responsible_type: String,
    pub note: Option<String>,
}

/// Refused: the caller's role does not keep the register.
pub const MAY_NOT_REGISTER: &str = "您没有登记或修改承灾体的权限";
/// Refused: the object is outside the caller's area.
pub const OBJECT_OUTSIDE_SCOPE: &str = "该承灾体不在您的管辖范围内";
/// Refused: a 特殊群体 masked for the caller.
pub const PERSONAL_FOR_GRID_ONLY: &str = "特殊群体的信息只有其网格员和管理员可以修改";
/// The region named is not a community or grid that exists.
pub const REGION_UNKNOWN: &str = "所在社区或网格不存在";
/// Refused: the region named is outside the caller's area.
pub const REGION_OUTSIDE_SCOPE: &str = "所在区划不在您的管辖范围内";
/// What a masked address reads.
pub const MASKED_ADDRESS: &str = "（仅网格员可见）";

/// The person type: the one given, else the responsible account's role's, else the kind's.
fn person_type(input: &ObjectInput, account: ResponsibleAccount<'_>) -> String {
    if let Some(t) = input.responsible_type.clone().filter(|t| !t.is_empty()) {
        return t;
    }
    match account {
        ResponsibleAccount::Role("grid_worker") => "grid_worker",
        ResponsibleAccount::Role("street_staff") => "street_cadre",
        ResponsibleAccount::Role("enterprise_user") => "enterprise_safety",
        _ => default_person_type(&input.kind),
    }
    .to_string()
}

/// The place: a point, or an outline with a point inside it (not in a hole).
fn place(
    errs: &mut Errors,
    input: &ObjectInput,
) -> (Option<Vec<Polygon>>, Option<f64>, Option<f64>) {
    let outline = match &input.outline {
        Some(v) => match crate::warning::cap::polygons_of_geojson(v) {
            Ok(polygons) => Some(polygons),
            Err(m) => {
                errs.add("outline", format!("轮廓：{m}"));
                None
            }
        },
        None => None,
    };
    let inner = outline.as_deref().and_then(area_interior_point);
    let (lon, lat) = match (input.lon, input.lat, inner) {
        (Some(x), Some(y), _) => (
            errs.check("lon", longitude(x)),
            errs.check("lat", latitude(y)),
        ),
        (None, None, Some(p)) => (Some(p[0]), Some(p[1])),
        _ => {
            if !errs.has("outline") {
                errs.add("lon", "请填写位置（经纬度）或轮廓");
            }
            (None, None)
        }
    };
    (outline, lon, lat)
}

/// Checks a 承灾体 (the region is checked by the caller, which looks it up).
pub fn check_object(
    input: &ObjectInput,
    account: ResponsibleAccount<'_>,
) -> Result<CheckedObject, Invalid> {
    let mut errs = Errors::default();
    if !OBJECT_KINDS.iter().any(|(c, _)| *c == input.kind) {
        errs.add("kind", format!("承灾体类型“{}”无效", input.kind));
    }
    if matches!(account, ResponsibleAccount::Unknown) {
        errs.add("responsible_user_id", "责任人账号不存在");
    }
    let rtype = person_type(input, account);
    if !PERSON_TYPES.iter().any(|(c, _)| *c == rtype) {
        errs.add(
            "responsible_type",
            format!("责任人类型“{rtype}”无效（应为网格员、村（社区）干部、单位负责人等）"),
        );
    }
    let name = errs.check("name", required_text("名称", &input.name, 60));
    let address = errs
        .check("address", optional_text("地址", &input.address, 200))
        .flatten()
        .unwrap_or_default();
    let (outline, lon, lat) = place(&mut errs, input);
    let rname = errs.check(
        "responsible_name",
        required_text("责任人", &input.responsible_name, 30),
    );
    let rphone = errs
        .check(
            "responsible_phone",
            phone("责任人电话", &input.responsible_phone),
        )
        .flatten();
    if rphone.is_none() && !errs.has("responsible_phone") {
        errs.add("responsible_phone", "责任人电话不能为空");
    }
    let note = errs
        .check(
            "note",
            optional_text("备注", input.note.as_deref().unwrap_or(""), 500),
        )
        .flatten();
    let (Some(name), Some(lon), Some(lat), Some(rname), Some(rphone), true) =
        (name, lon, lat, rname, rphone, errs.is_empty())
    else {
        return Err(errs.into_invalid());
    };
    Ok(CheckedObject {
        name,
        address,
        lon,
        lat,
        outline,
        responsible_name: rname,
        responsible_phone: rphone,
        responsible_type: rtype,
        note,
    })
}

/// A 特殊群体's name outside its grid: the first character and up to three stars.
pub fn mask_name(n: &str) -> String {
    let mut c = n.chars();
    match c.next() {
        Some(first) => format!("{first}{}", "*".repeat(c.count().clamp(1, 3))),
        None => String::new(),
    }
}

/// The audit summary of a saved object; a 特殊群体's name stays masked.
pub fn object_saved(created: bool, kind: &str, name: &str) -> String {
    let name = if kind == "special_person" {
        mask_name(name)
    } else {
        name.to_string()
    };
    let verb = if created {
        crate::kernel::wording::CREATED
    } else {
        crate::kernel::wording::EDITED
    };
    format!("{verb}承灾体：{name}（{}）", kind_label(kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ObjectInput {
        ObjectInput {
            kind: "special_person".into(),
            name: "王秀英".into(),
            address: String::new(),
            lon: Some(115.99),
            lat: Some(29.7),
            outline: None,
            region_code: "360403001001".into(),
            responsible_user_id: Some("u1".into()),
            responsible_name: "李网格".into(),
            responsible_phone: "13800000000".into(),
            responsible_type: None,
            note: None,
        }
    }

    #[test]
    fn the_person_type_follows_the_account_then_the_kind() {
        let o = check_object(&input(), ResponsibleAccount::Role("grid_worker")).unwrap();
        assert_eq!(o.responsible_type, "grid_worker");
        let e = check_object(&input(), ResponsibleAccount::Unknown).unwrap_err();
        assert_eq!(e.summary(), "责任人账号不存在");
    }

    #[test]
    fn a_place_is_a_point_or_an_outline() {
        let mut i = input();
        i.lon = None;
        i.lat = None;
        let e = check_object(&i, ResponsibleAccount::None).unwrap_err();
        assert_eq!(e.0[0].field, "lon");
    }

    #[test]
    fn personal_names_are_masked() {
        assert_eq!(mask_name("王秀英"), "王**");
        assert_eq!(mask_name("王"), "王*");
        assert_eq!(
            object_saved(true, "special_person", "王秀英"),
            "登记承灾体：王**（特殊群体）"
        );
    }
}
