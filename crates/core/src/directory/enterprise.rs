//! 生产经营单位: the fields every later capability hangs on, their code lists (with the Chinese
//! labels the UI and imports use) and validation of an input record.

use crate::directory::uscc::Uscc;
use crate::kernel::validation::{self, Errors, Invalid};
use serde::{Deserialize, Serialize};

/// A code list entry: stable code for the API and storage, Chinese label for people.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Code {
    pub code: &'static str,
    pub label: &'static str,
}

const fn c(code: &'static str, label: &'static str) -> Code {
    Code { code, label }
}

/// 监管类别. An enterprise may be in several; departments supervise by category.
pub const CATEGORIES: &[Code] = &[
    c("hazchem", "危险化学品"),
    c("mining", "非煤矿山"),
    c("industry_trade", "工贸"),
    c("construction", "建筑施工"),
    c("transport", "交通运输"),
    c("gas", "燃气"),
    c("fireworks", "烟花爆竹"),
    c("fire_key", "消防重点单位"),
    c("crowded_place", "人员密集场所"),
    c("small_venue", "九小场所"),
];

/// 重点监管标识.
pub const FLAGS: &[Code] = &[
    c("major_hazard", "重大危险源"),
    c("confined_space", "有限空间作业"),
    c("dust_explosion", "粉尘涉爆"),
    c("ammonia_refrigeration", "涉氨制冷"),
    c("uses_hazchem", "使用危化品"),
    c("metal_smelting", "金属冶炼"),
    c("hazardous_process", "危险化工工艺"),
];

pub const SCALES: &[Code] = &[c("above", "规上"), c("below", "规下")];

pub const STATUSES: &[Code] = &[
    c("operating", "在营"),
    c("suspended", "停产停业"),
    c("closed", "关闭"),
    c("deregistered", "注销"),
];

/// GB/T 4754-2017 门类 (sections A–T).
pub const INDUSTRY_SECTIONS: &[Code] = &[
    c("A", "农、林、牧、渔业"),
    c("B", "采矿业"),
    c("C", "制造业"),
    c("D", "电力、热力、燃气及水生产和供应业"),
    c("E", "建筑业"),
    c("F", "批发和零售业"),
    c("G", "交通运输、仓储和邮政业"),
    c("H", "住宿和餐饮业"),
    c("I", "信息传输、软件和信息技术服务业"),
    c("J", "金融业"),
    c("K", "房地产业"),
    c("L", "租赁和商务服务业"),
    c("M", "科学研究和技术服务业"),
    c("N", "水利、环境和公共设施管理业"),
    c("O", "居民服务、修理和其他服务业"),
    c("P", "教育"),
    c("Q", "卫生和社会工作"),
    c("R", "文化、体育和娱乐业"),
    c("S", "公共管理、社会保障和社会组织"),
    c("T", "国际组织"),
];

pub fn label_of(list: &[Code], code: &str) -> Option<&'static str> {
    list.iter().find(|c| c.code == code).map(|c| c.label)
}

/// Finds a code by its code or its Chinese label (imports carry labels).
pub fn code_of(list: &[Code], code_or_label: &str) -> Option<&'static str> {
    let v = code_or_label.trim();
    list.iter()
        .find(|c| c.code == v || c.label == v)
        .map(|c| c.code)
}

/// GB/T 4754-2017 code: a section letter, optionally followed by a 2-digit division,
/// 3-digit group or 4-digit class (C, C26, C261, C2614).
pub fn validate_industry(code: &str) -> Result<String, String> {
    let v = code.trim().to_ascii_uppercase();
    let mut chars = v.chars();
    let section = chars.next().ok_or("行业代码不能为空")?;
    let digits: String = chars.collect();
    if label_of(INDUSTRY_SECTIONS, &section.to_string()).is_none() {
        return Err(format!(
            "行业代码“{v}”无效：应以国民经济行业门类字母A至T开头（GB/T 4754）"
        ));
    }
    if !(digits.is_empty()
        || (2..=4).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!(
            "行业代码“{v}”无效：门类字母后应为2至4位数字，如C2614"
        ));
    }
    Ok(v)
}

/// An enterprise as submitted through the API (`server::routes::directory::api::enterprises`,
/// with the point already in CGCS2000) or an import row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseInput {
    pub name: String,
    pub uscc: String,
    pub industry_code: String,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub scale: Option<String>,
    pub address: String,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
    pub grid_code: String,
    #[serde(default)]
    pub principal_name: Option<String>,
    #[serde(default)]
    pub principal_phone: Option<String>,
    #[serde(default)]
    pub safety_officer_name: Option<String>,
    #[serde(default)]
    pub safety_officer_phone: Option<String>,
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub employees: Option<i64>,
}

/// A checked enterprise, ready to store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EnterpriseFields {
    pub name: String,
    pub uscc: Uscc,
    pub industry_code: String,
    pub categories: Vec<String>,
    pub scale: String,
    pub address: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub grid_code: String,
    pub principal_name: Option<String>,
    pub principal_phone: Option<String>,
    pub safety_officer_name: Option<String>,
    pub safety_officer_phone: Option<String>,
    pub flags: Vec<String>,
    pub status: String,
    pub employees: Option<i64>,
}

/// The fields the supervising department owns (行业、监管类别、规模、重点监管标识、经营状态):
/// they decide who supervises the enterprise, so an enterprise user only proposes changes to
/// them and a department confirms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Supervised {
    pub industry_code: String,
    pub categories: Vec<String>,
    pub scale: String,
    pub flags: Vec<String>,
    pub status: String,
}

impl Supervised {
    pub fn of(f: &EnterpriseFields) -> Self {
        Self {
            industry_code: f.industry_code.clone(),
            categories: f.categories.clone(),
            scale: f.scale.clone(),
            flags: f.flags.clone(),
            status: f.status.clone(),
        }
    }
    /// Puts these values into `f` (the enterprise's own edit keeps the supervised ones).
    pub fn apply_to(&self, f: &mut EnterpriseFields) {
        f.industry_code.clone_from(&self.industry_code);
        f.categories.clone_from(&self.categories);
        f.scale.clone_from(&self.scale);
        f.flags.clone_from(&self.flags);
        f.status.clone_from(&self.status);
    }
    /// The Chinese names of the fields that differ.
    pub fn changed(&self, other: &Self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.industry_code != other.industry_code {
            out.push("国民经济行业");
        }
        if self.categories != other.categories {
            out.push("监管类别");
        }
        if self.scale != other.scale {
            out.push("规模");
        }
        if self.flags != other.flags {
            out.push("重点监管标识");
        }
        if self.status != other.status {
            out.push("经营状态");
        }
        out
    }
}

fn codes(list: &[Code], values: &[String], what: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        let code = code_of(list, v).ok_or_else(|| {
            let allowed: Vec<&str> = list.iter().map(|c| c.label).collect();
            format!("{what}“{v}”无效，可选：{}", allowed.join("、"))
        })?;
        if !out.iter().any(|o| o == code) {
            out.push(code.to_string());
        }
    }
    // Keep the code list's order so equal sets compare and display equally.
    out.sort_by_key(|c| list.iter().position(|l| l.code == c));
    Ok(out)
}

impl EnterpriseInput {
    pub fn validate(&self) -> Result<EnterpriseFields, Invalid> {
        let mut e = Errors::default();
        let name = e
            .check(
                "name",
                validation::required_text("企业名称", &self.name, 100),
            )
            .unwrap_or_default();
        let uscc = e.check("uscc", Uscc::parse(&self.uscc));
        let industry_code = e
            .check("industry_code", validate_industry(&self.industry_code))
            .unwrap_or_default();
        let categories = e
            .check("categories", categories_of(&self.categories))
            .unwrap_or_default();
        let scale = e
            .check("scale", scale_of(self.scale.as_deref()))
            .unwrap_or_default();
        let address = e
            .check(
                "address",
                validation::required_text("地址", &self.address, 200),
            )
            .unwrap_or_default();
        let (lon, lat, grid_code) = self.check_place(&mut e);
        let (principal_name, principal_phone, safety_officer_name, safety_officer_phone) =
            self.check_contacts(&mut e);
        let flags = e
            .check("flags", codes(FLAGS, &self.flags, "重点监管标识"))
            .unwrap_or_default();
        let status = e
            .check("status", status_of(self.status.as_deref()))
            .unwrap_or_default();
        let employees = e.check("employees", employees_of(self.employees)).flatten();
        let (Some(uscc), true) = (uscc, e.is_empty()) else {
            return Err(e.into_invalid());
        };
        Ok(EnterpriseFields {
            name,
            uscc,
            industry_code,
            categories,
            scale: scale.to_string(),
            address,
            lon,
            lat,
            grid_code,
            principal_name,
            principal_phone,
            safety_officer_name,
            safety_officer_phone,
            flags,
            status: status.to_string(),
            employees,
        })
    }

    /// Longitude and latitude (both or neither) and the grid code.
    fn check_place(&self, e: &mut Errors) -> (Option<f64>, Option<f64>, String) {
        let (lon, lat) = match (self.lon, self.lat) {
            (Some(lon), Some(lat)) => (
                e.check("lon", validation::longitude(lon)),
                e.check("lat", validation::latitude(lat)),
            ),
            (None, Some(_)) => {
                e.add("lon", "经度和纬度须同时填写：缺少经度");
                (None, None)
            }
            (Some(_), None) => {
                e.add("lat", "经度和纬度须同时填写：缺少纬度");
                (None, None)
            }
            (None, None) => (None, None),
        };
        let grid_code = self.grid_code.trim().to_string();
        if grid_code.is_empty() {
            e.add("grid_code", "所属网格不能为空");
        } else if !grid_code.bytes().all(|b| b.is_ascii_digit())
            || !(grid_code.len() == 12 || grid_code.len() == 15)
        {
            e.add(
                "grid_code",
                format!("所属网格代码“{grid_code}”无效：应为12位社区代码或15位网格代码"),
            );
        }
        (lon, lat, grid_code)
    }

    /// The principal's and the safety officer's names and phones, each optional.
    fn check_contacts(
        &self,
        e: &mut Errors,
    ) -> (
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    ) {
        let principal_name = e
            .check(
                "principal_name",
                opt_text("主要负责人", &self.principal_name, 50),
            )
            .flatten();
        let principal_phone = e
            .check(
                "principal_phone",
                validation::phone(
                    "主要负责人电话",
                    self.principal_phone.as_deref().unwrap_or(""),
                ),
            )
            .flatten();
        let safety_officer_name = e
            .check(
                "safety_officer_name",
                opt_text("安全管理人员", &self.safety_officer_name, 50),
            )
            .flatten();
        let safety_officer_phone = e
            .check(
                "safety_officer_phone",
                validation::phone(
                    "安全管理人员电话",
                    self.safety_officer_phone.as_deref().unwrap_or(""),
                ),
            )
            .flatten();
        (
            principal_name,
            principal_phone,
            safety_officer_name,
            safety_officer_phone,
        )
    }
}

/// 监管类别: at least one, each a code or label of [`CATEGORIES`].
fn categories_of(values: &[String]) -> Result<Vec<String>, String> {
    let c = codes(CATEGORIES, values, "监管类别")?;
    if c.is_empty() {
        Err("监管类别至少选择一项".to_string())
    } else {
        Ok(c)
    }
}

/// A blank cell or field: none given.
fn given(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|s| !s.is_empty())
}

/// 企业规模, 规下 when none is given.
fn scale_of(v: Option<&str>) -> Result<&'static str, String> {
    match given(v) {
        None => Ok("below"),
        Some(s) => code_of(SCALES, s).ok_or_else(|| format!("企业规模“{s}”无效，应为规上或规下")),
    }
}

/// 经营状态, 在营 when none is given.
fn status_of(v: Option<&str>) -> Result<&'static str, String> {
    match given(v) {
        None => Ok("operating"),
        Some(s) => code_of(STATUSES, s).ok_or_else(|| format!("经营状态“{s}”无效")),
    }
}

/// 从业人数, if given: 0 to 1,000,000.
fn employees_of(n: Option<i64>) -> Result<Option<i64>, String> {
    match n {
        Some(n) if !(0..=1_000_000).contains(&n) => Err("从业人数应在0到1000000之间".to_string()),
        other => Ok(other),
    }
}

fn opt_text(label: &str, v: &Option<String>, max: usize) -> Result<Option<String>, String> {
    validation::optional_text(label, v.as_deref().unwrap_or(""), max)
}

/// Joins codes as `,a,b,` so that `LIKE '%,a,%'` finds one of them on every backend.
pub fn join_codes(codes: &[String]) -> String {
    if codes.is_empty() {
        String::new()
    } else {
        format!(",{},", codes.join(","))
    }
}

pub fn split_codes(joined: &str) -> Vec<String> {
    joined
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn sample() -> EnterpriseInput {
        EnterpriseInput {
            name: "九江某化工有限公司".into(),
            uscc: "91350100M000100Y43".into(),
            industry_code: "C2614".into(),
            categories: vec!["hazchem".into(), "危险化学品".into()],
            scale: Some("规上".into()),
            address: "浔阳区某路1号".into(),
            lon: Some(116.0),
            lat: Some(29.7),
            grid_code: "360403001001001".into(),
            principal_phone: Some("13800138000".into()),
            flags: vec!["重大危险源".into()],
            ..Default::default()
        }
    }

    #[test]
    fn valid_input() {
        let f = sample().validate().unwrap();
        assert_eq!(f.categories, vec!["hazchem"]);
        assert_eq!(f.flags, vec!["major_hazard"]);
        assert_eq!(f.scale, "above");
        assert_eq!(f.status, "operating");
    }

    #[test]
    fn every_bad_field_is_reported() {
        let mut i = sample();
        i.name = " ".into();
        i.uscc = "91350100M000100Y44".into();
        i.industry_code = "Z99".into();
        i.categories = vec![];
        i.lon = Some(200.0);
        i.principal_phone = Some("123".into());
        let err = i.validate().unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "uscc",
                "industry_code",
                "categories",
                "lon",
                "principal_phone"
            ]
        );
        assert!(err.0[1].message.contains("统一社会信用代码"));
    }

    #[test]
    fn lon_without_lat() {
        let mut i = sample();
        i.lat = None;
        assert_eq!(i.validate().unwrap_err().0[0].field, "lat");
    }

    #[test]
    fn industry_codes() {
        assert_eq!(validate_industry("c2614").unwrap(), "C2614");
        assert!(validate_industry("C").is_ok());
        assert!(validate_industry("C2").is_err());
        assert!(validate_industry("U10").is_err());
        assert!(validate_industry("").is_err());
    }

    #[test]
    fn joined_codes() {
        let v = vec!["a".to_string(), "b".to_string()];
        assert_eq!(join_codes(&v), ",a,b,");
        assert_eq!(split_codes(",a,b,"), v);
        assert!(split_codes("").is_empty());
    }
}
