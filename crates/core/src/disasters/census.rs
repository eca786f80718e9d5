//! 风险普查 (the results of the 第一次全国自然灾害综合风险普查): the kinds a census row may be,
//! its columns (the .xlsx template, the GeoJSON properties), who may import, a row checked into
//! a 承灾体 or a resource register's body, and the wording of the report. The GeoJSON reader is
//! in `census_geojson`.

use crate::directory::import::{RowError, excerpt, shorten_quotes};
use crate::kernel::geo::BBox;
use crate::kernel::role::{Role, Scope};
use crate::kernel::validation::Invalid;
use crate::resources::register::{Register, read_cell};
use crate::warning::target::OBJECT_KINDS;
use crate::warning::target::object::{
    CheckedObject, ObjectInput, ResponsibleAccount, check_object,
};
use serde_json::{Map, Value};
use std::collections::HashSet;

/// The largest file the import reads, in MB (the upload is held while it is read).
pub const MAX_FILE_MB: usize = 100;
/// The most rows (features) one import takes.
pub const MAX_ROWS: usize = 1_000_000;
/// The longest census code.
const MAX_CODE_CHARS: usize = 50;
/// The longest JSON of a 承灾体's other attributes; beyond, they are counted as ignored.
const MAX_ATTRIBUTES_CHARS: usize = 2_000;

/// A file beyond `MAX_FILE_MB`.
pub fn too_large() -> String {
    format!("文件过大：风险普查文件最大{MAX_FILE_MB} MB，请按乡镇（街道）分批导入")
}

/// A file beyond `MAX_ROWS`.
pub fn too_many_rows() -> String {
    format!("文件过大：一次最多导入{MAX_ROWS}条，请按乡镇（街道）分批导入")
}

/// Refused: only the district's staff import the census.
pub const MAY_NOT_IMPORT: &str = "只有区应急管理部门人员和管理员可以导入风险普查成果";

/// The bureau (administrator, commander, duty officer) of the whole district imports.
pub fn may_import(role: Role, scope: &Scope) -> bool {
    matches!(role, Role::Admin | Role::Commander | Role::DutyOfficer)
        && scope.region_prefix().is_none_or(|p| p.len() <= 6)
}

/// 减灾能力: the census kinds that go to a resource register.
pub const CAPABILITY_KINDS: &[(&str, &str)] = &[
    ("team", "救援队伍"),
    ("shelter", "避难场所"),
    ("warehouse", "物资储备库"),
];

/// Other names a census file gives its kinds.
const ALIASES: &[(&str, &str)] = &[
    ("地质灾害隐患点", "geohazard"),
    ("房屋", "residence"),
    ("住房", "residence"),
    ("水库大坝", "reservoir"),
    ("应急避难场所", "shelter"),
    ("应急物资储备库", "warehouse"),
    ("储备库", "warehouse"),
    ("应急救援队伍", "team"),
    ("救援队", "team"),
];

/// Where a kind's rows go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A 承灾体 of this kind.
    Object,
    /// A record of this register.
    Register(Register),
}

/// The kinds a census row may have, (code, label): the 承灾体 kinds (not 特殊群体, which is
/// personal data kept by grid workers) and the 减灾能力 kinds.
pub fn kinds() -> impl Iterator<Item = (&'static str, &'static str)> {
    OBJECT_KINDS
        .iter()
        .filter(|(c, _)| *c != "special_person")
        .chain(CAPABILITY_KINDS.iter())
        .copied()
}

/// A kind's label (empty for an unknown code).
pub fn kind_label(code: &str) -> &'static str {
    kinds().find(|(c, _)| *c == code).map_or("", |(_, l)| l)
}

/// A kind by its code, its label or an alias: its code and where its rows go.
pub fn kind_of(text: &str) -> Option<(&'static str, Target)> {
    let t = text.trim();
    let code = kinds()
        .find(|(c, l)| *c == t || *l == t)
        .map(|(c, _)| c)
        .or_else(|| ALIASES.iter().find(|(a, _)| *a == t).map(|(_, c)| *c))?;
    let target = match code {
        "team" => Target::Register(Register::Teams),
        "shelter" => Target::Register(Register::Shelters),
        "warehouse" => Target::Register(Register::Warehouses),
        _ => Target::Object,
    };
    Some((code, target))
}

/// A column of the census template: (header, field, required, note). A GeoJSON property is
/// named by the field or the header; the place comes from the geometry.
pub const COLUMNS: &[(&str, &str, bool, &str)] = &[
    (
        "普查编码",
        "census_code",
        true,
        "普查成果中的要素编码；再次导入同一编码时更新该记录，不重复登记",
    ),
    (
        "类型",
        "kind",
        true,
        "如 居民住房、学校、医院、道路、桥梁、水库、地质灾害隐患点、易涝点、山洪危险区、森林火险区、避难场所、救援队伍、物资储备库",
    ),
    ("名称", "name", true, ""),
    ("地址", "address", false, "避难场所、物资储备库必填"),
    ("经度", "lon", true, "WGS-84，如 115.99；GeoJSON取几何的点"),
    ("纬度", "lat", true, "WGS-84，如 29.72"),
    (
        "区划代码",
        "region_code",
        true,
        "村（社区）12位或网格15位代码，须在本区内；避难场所、队伍、储备库也可填乡镇（街道）9位代码",
    ),
    ("责任人", "responsible_name", true, ""),
    (
        "责任人电话",
        "responsible_phone",
        true,
        "11位手机号或“区号-号码”",
    ),
];

/// The header of a census field (empty when it has none).
pub fn header_of(field: &str) -> &'static str {
    COLUMNS.iter().find(|c| c.1 == field).map_or("", |c| c.0)
}

/// An example row of the template.
pub const EXAMPLE: &[&str] = &[
    "360403001001H0001",
    "居民住房",
    "示例村3组12号",
    "九江市浔阳区示例村3组12号",
    "115.99",
    "29.72",
    "360403001001",
    "张三",
    "13800000000",
];

/// A row as read: its number, the point of its geometry (GeoJSON; a sheet has 经度/纬度
/// properties), a polygon outline, and its properties by name.
#[derive(Debug, Clone, Default)]
pub struct RawRow {
    pub row: usize,
    pub point: Option<[f64; 2]>,
    pub outline: Option<Value>,
    /// A geometry that could not be read.
    pub geometry_error: Option<String>,
    pub props: Vec<(String, Value)>,
}

/// The rows of a sheet as they are read: the first row names the columns (the template's
/// headers, or the fields), each next one becomes a row of properties.
#[derive(Debug, Default)]
pub struct SheetRows {
    headers: Option<Vec<String>>,
    pub rows: Vec<RawRow>,
}

impl SheetRows {
    /// Takes a row (numbered from 1); answers whether more are wanted.
    pub fn push(&mut self, row_no: usize, cells: &[String]) -> bool {
        let Some(headers) = &self.headers else {
            self.headers = Some(cells.iter().map(|c| c.trim().to_string()).collect());
            return true;
        };
        let props = headers
            .iter()
            .zip(cells)
            .filter(|(h, c)| !h.is_empty() && !c.trim().is_empty())
            .map(|(h, c)| (h.clone(), Value::from(c.trim())))
            .collect();
        self.rows.push(RawRow {
            row: row_no,
            props,
            ..RawRow::default()
        });
        self.rows.len() < MAX_ROWS
    }
}

/// The district a file is imported into: its code, bounds and region codes.
#[derive(Debug, Clone, Default)]
pub struct District {
    pub code: String,
    pub bounds: Option<BBox>,
    pub regions: HashSet<String>,
}

/// How rows are numbered in the report: “第3行” for a sheet, “第3个要素的” for GeoJSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbering {
    Rows,
    Features,
}

impl Numbering {
    fn prefix(self, row: usize) -> String {
        match self {
            Self::Rows => format!("第{row}行"),
            Self::Features => format!("第{row}个要素的"),
        }
    }
}

/// A row checked. (Not boxed: a row is moved once, into its batch; a box would allocate per
/// row of a million.)
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
pub enum Checked {
    Object {
        input: ObjectInput,
        object: CheckedObject,
        /// The other properties as JSON.
        attributes: Option<String>,
    },
    /// The body of the register's create (its fields), checked by the register.
    Resource {
        register: Register,
        body: Map<String, Value>,
    },
}

/// A row's result: its code and kind when they could be read, what it is, and how many of its
/// properties were ignored.
#[derive(Debug, Clone)]
pub struct CheckedRow {
    pub row: usize,
    pub code: String,
    pub kind: Option<&'static str>,
    pub ignored: usize,
    pub result: Result<Checked, Vec<RowError>>,
}

/// A value as text: numbers as written, a spreadsheet's “360403001.0” without “.0”.
pub fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.trim().to_string(),
        Value::Null => String::new(),
        Value::Number(n) => {
            let s = n.to_string();
            s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
        }
        other => other.to_string(),
    }
}

/// Takes the property named `field` or `header` out of `props`.
fn take(props: &mut Vec<(String, Value)>, names: &[&str]) -> Option<Value> {
    let i = props
        .iter()
        .position(|(k, _)| names.iter().any(|n| k.trim().eq_ignore_ascii_case(n)))?;
    Some(props.swap_remove(i).1)
}

fn take_text(props: &mut Vec<(String, Value)>, field: &str) -> String {
    take(props, &[field, header_of(field)])
        .map(|v| text_of(&v))
        .unwrap_or_default()
}

/// Collects a row's errors as report lines.
struct Report {
    row: usize,
    numbering: Numbering,
    errors: Vec<RowError>,
}

/// One failure of a row as the report shows it, under its column's header.
pub fn row_error(row: usize, numbering: Numbering, column: &str, message: &str) -> RowError {
    RowError {
        row,
        column: column.to_string(),
        reason: shorten_quotes(&format!("{}{message}", numbering.prefix(row))),
    }
}

impl Report {
    fn add(&mut self, column: &str, message: &str) {
        self.errors
            .push(row_error(self.row, self.numbering, column, message));
    }
    fn add_invalid(&mut self, inv: Invalid, header: impl Fn(&str) -> &'static str) {
        for f in inv.0 {
            self.add(header(&f.field), &f.message);
        }
    }
}

/// Checks a row against the district: its code, kind, place (inside the district's bounds),
/// region (inside the district) and, for a 承灾体, its fields (`check_object`); a resource's
/// fields are read by its register's columns and checked by the register when saved.
pub fn check_row(raw: RawRow, district: &District, numbering: Numbering) -> CheckedRow {
    let RawRow {
        row,
        point,
        outline,
        geometry_error,
        mut props,
    } = raw;
    let mut r = Report {
        row,
        numbering,
        errors: Vec::new(),
    };
    let code = take_text(&mut props, "census_code");
    if code.is_empty() {
        r.add("普查编码", "普查编码不能为空");
    } else if code.chars().count() > MAX_CODE_CHARS {
        r.add(
            "普查编码",
            &format!("普查编码不能超过{MAX_CODE_CHARS}个字符"),
        );
    }
    let kind_text = take_text(&mut props, "kind");
    let kind = kind_of(&kind_text);
    if kind.is_none() {
        let m = if kind_text.is_empty() {
            "类型不能为空".to_string()
        } else {
            format!("类型“{}”不是可导入的普查类型", excerpt(&kind_text))
        };
        r.add("类型", &m);
    }
    let point = place((point, geometry_error), &mut props, district, &mut r);
    let region = region(&mut props, district, &mut r);
    let (result, ignored) = match (kind, point, region, r.errors.is_empty()) {
        (Some((k, Target::Object)), Some(p), Some(reg), true) => {
            object(k, p, reg, outline, props, &mut r)
        }
        (Some((_, Target::Register(reg_kind))), Some(p), Some(reg), true) => {
            resource(reg_kind, p, reg, props, &mut r)
        }
        _ => (None, 0),
    };
    CheckedRow {
        row,
        code,
        kind: kind.map(|k| k.0),
        ignored,
        result: match result {
            Some(c) if r.errors.is_empty() => Ok(c),
            _ => Err(r.errors),
        },
    }
}

/// The point: the geometry's, else the 经度/纬度 properties; inside the district's bounds.
fn place(
    (point, geometry_error): (Option<[f64; 2]>, Option<String>),
    props: &mut Vec<(String, Value)>,
    district: &District,
    r: &mut Report,
) -> Option<[f64; 2]> {
    let lon = take(props, &["lon", "经度"]);
    let lat = take(props, &["lat", "纬度"]);
    if let Some(m) = &geometry_error {
        r.add("经度", m);
        return None;
    }
    let p = match (point, lon, lat) {
        (Some(p), _, _) => p,
        (None, Some(x), Some(y)) => {
            let num = |v: &Value| text_of(v).parse::<f64>().ok().filter(|f| f.is_finite());
            match (num(&x), num(&y)) {
                (Some(x), Some(y)) => [x, y],
                (None, _) => {
                    r.add("经度", &format!("经度“{}”不是数字", excerpt(&text_of(&x))));
                    return None;
                }
                (_, None) => {
                    r.add("纬度", &format!("纬度“{}”不是数字", excerpt(&text_of(&y))));
                    return None;
                }
            }
        }
        _ => {
            r.add("经度", "位置不能为空（请填写经度、纬度或提供几何）");
            return None;
        }
    };
    if let Some(b) = district.bounds
        && !b.contains(p[0], p[1])
    {
        r.add(
            "经度",
            &format!("位置（{:.5}，{:.5}）不在本区范围内", p[0], p[1]),
        );
        return None;
    }
    Some(p)
}

/// The region: inside the district and known.
fn region(props: &mut Vec<(String, Value)>, district: &District, r: &mut Report) -> Option<String> {
    let code = take_text(props, "region_code");
    if code.is_empty() {
        r.add("区划代码", "区划代码不能为空");
        return None;
    }
    if !code.starts_with(&district.code) {
        r.add(
            "区划代码",
            &format!(
                "区划代码“{}”不在本区（{}）内",
                excerpt(&code),
                district.code
            ),
        );
        return None;
    }
    if !district.regions.contains(&code) {
        r.add("区划代码", &format!("区划代码“{}”不存在", excerpt(&code)));
        return None;
    }
    Some(code)
}

/// A 承灾体: its fields checked by `check_object`; the other properties kept as JSON.
fn object(
    kind: &'static str,
    p: [f64; 2],
    region: String,
    outline: Option<Value>,
    mut props: Vec<(String, Value)>,
    r: &mut Report,
) -> (Option<Checked>, usize) {
    if region.len() < 12 {
        r.add(
            "区划代码",
            "承灾体的区划代码应为村（社区）12位或网格15位代码",
        );
        return (None, 0);
    }
    let input = ObjectInput {
        kind: kind.to_string(),
        name: take_text(&mut props, "name"),
        address: take_text(&mut props, "address"),
        lon: Some(p[0]),
        lat: Some(p[1]),
        outline,
        region_code: region,
        responsible_user_id: None,
        responsible_name: take_text(&mut props, "responsible_name"),
        responsible_phone: take_text(&mut props, "responsible_phone"),
        responsible_type: None,
        note: None,
    };
    let (attributes, ignored) = if props.is_empty() {
        (None, 0)
    } else {
        let text = Value::Object(props.iter().cloned().collect()).to_string();
        if text.chars().count() > MAX_ATTRIBUTES_CHARS {
            (None, props.len())
        } else {
            (Some(text), 0)
        }
    };
    match check_object(&input, ResponsibleAccount::None) {
        Ok(object) => (
            Some(Checked::Object {
                input,
                object,
                attributes,
            }),
            ignored,
        ),
        Err(inv) => {
            r.add_invalid(inv, |f| {
                if f == "outline" {
                    "几何"
                } else {
                    header_of(f)
                }
            });
            (None, ignored)
        }
    }
}

/// The census names a resource register's fields may have besides the register's own headers.
fn resource_names(field: &str) -> &'static [&'static str] {
    match field {
        "name" => &["名称"],
        "address" | "base_address" => &["地址", "address"],
        "manager" | "leader" => &["责任人", "responsible_name"],
        "phone" => &["责任人电话", "responsible_phone"],
        _ => &[],
    }
}

/// A 减灾能力 row as the body of its register's create: each column read as the register reads
/// its sheet; the properties it has no column for are ignored and counted.
fn resource(
    register: Register,
    p: [f64; 2],
    region: String,
    mut props: Vec<(String, Value)>,
    r: &mut Report,
) -> (Option<Checked>, usize) {
    let mut body = Map::new();
    for c in register.columns() {
        let value = match c.field {
            "lon" => Some(Value::from(p[0])),
            "lat" => Some(Value::from(p[1])),
            "region_code" => Some(Value::from(region.clone())),
            f => {
                let mut names = vec![f, c.header];
                names.extend(resource_names(f));
                match take(&mut props, &names) {
                    Some(v) => match read_cell(c, &text_of(&v)) {
                        Ok(v) => v,
                        Err(m) => {
                            r.add(c.header, &m);
                            None
                        }
                    },
                    None => None,
                }
            }
        };
        match value {
            Some(v) => {
                body.insert(c.field.to_string(), v);
            }
            None if c.required => r.add(c.header, &format!("{}不能为空", c.header)),
            None => {}
        }
    }
    (Some(Checked::Resource { register, body }), props.len())
}

/// A row's outcome in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Created,
    Updated,
    Error,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Updated => "updated",
            Self::Error => "error",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Created => "新增",
            Self::Updated => "更新",
            Self::Error => "错误",
        }
    }
}

/// A code seen twice in one file.
pub fn duplicate_code(code: &str, first_row: usize) -> String {
    format!("普查编码“{}”与第{first_row}条重复", excerpt(code))
}

/// The audit summary of an import.
pub fn summary(created: usize, updated: usize, ignored: usize) -> String {
    let mut s = format!("导入风险普查成果：新增{created}条，更新{updated}条");
    if ignored > 0 {
        s.push_str(&format!("，忽略属性{ignored}项"));
    }
    s
}

#[cfg(test)]
#[path = "census_tests.rs"]
mod tests;
