//! Field checks shared by the resource registers (teams, experts, warehouses, shelters): a
//! location, a short list of texts, a contact phone, a bounded count; and the scope sentence.

use crate::kernel::validation::{Errors, latitude, longitude, phone, required_text};

/// A WGS-84 point, each coordinate checked on its own field.
pub fn located(errs: &mut Errors, lon: f64, lat: f64) -> Option<(f64, f64)> {
    let lon = errs.check("lon", longitude(lon));
    let lat = errs.check("lat", latitude(lat));
    Some((lon?, lat?))
}

/// Up to 20 distinct short texts (30 characters each); a comma becomes a full-width one so the
/// list can be stored comma-joined.
pub fn text_list(errs: &mut Errors, field: &str, label_: &str, items: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, s) in items.iter().enumerate() {
        match required_text(label_, &s.replace(',', "，"), 30) {
            Ok(v) if !out.contains(&v) => out.push(v),
            Ok(_) => {}
            Err(m) => errs.add(&format!("{field}[{i}]"), m),
        }
    }
    if out.len() > 20 {
        errs.add(field, format!("{label_}最多20项"));
    }
    out
}

/// A contact phone that must be given (mobile or fixed line).
pub fn required_phone(errs: &mut Errors, raw: &str) -> Option<String> {
    let tel = errs.check("phone", phone("联系电话", raw)).flatten();
    if tel.is_none() && !errs.has("phone") {
        errs.add("phone", "联系电话不能为空");
    }
    tel
}

/// A count between 0 and `max`.
pub fn count(errs: &mut Errors, field: &str, label_: &str, v: i64, max: i64) -> i64 {
    if v < 0 {
        errs.add(field, format!("{label_}不能为负数"));
    } else if v > max {
        errs.add(field, format!("{label_}不能超过{max}"));
    }
    v
}

/// Why a role that does not manage resources is refused a write.
pub const MANAGE_DENIED: &str = "只有管理员、局领导、值班员、部门和街道人员可以管理应急资源";

/// Why a region outside the caller's scope is refused for a resource.
pub const REGION_OUTSIDE_SCOPE: &str = "所属区划不在您的管辖范围内";

/// Why a write to a record outside the caller's region is refused (`what`: 救援队伍, 储备库 …).
pub fn outside_scope(what: &str) -> String {
    format!("该{what}不在您的管辖范围内，不能修改")
}

/// Why a region given for a resource is refused: it does not exist.
pub fn unknown_region(code: &str) -> String {
    format!("所属区划“{code}”不存在")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_drop_duplicates_and_escape_commas() {
        let mut errs = Errors::default();
        let v = text_list(
            &mut errs,
            "specialties",
            "专长",
            &["水域".into(), "水域".into(), "a,b".into()],
        );
        assert!(errs.is_empty());
        assert_eq!(v, vec!["水域".to_string(), "a，b".to_string()]);
    }

    #[test]
    fn a_phone_is_required() {
        let mut errs = Errors::default();
        assert_eq!(required_phone(&mut errs, ""), None);
        assert_eq!(errs.into_invalid().summary(), "联系电话不能为空");
    }

    #[test]
    fn counts_are_bounded() {
        let mut errs = Errors::default();
        count(&mut errs, "headcount", "队伍人数", -1, 10);
        count(&mut errs, "headcount", "队伍人数", 11, 10);
        assert_eq!(
            errs.into_invalid().summary(),
            "队伍人数不能为负数；队伍人数不能超过10"
        );
        assert_eq!(
            outside_scope("储备库"),
            "该储备库不在您的管辖范围内，不能修改"
        );
    }
}
