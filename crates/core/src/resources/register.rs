//! Registers (名录/台账) that are kept as rows: rescue teams, experts, warehouses, stock lines,
//! shelters, sensors and 承灾体. Their import columns and a row parser shared by all of them: a
//! row of Chinese-headed cells becomes the JSON body the register's create endpoint takes, so an
//! imported row is checked by exactly the rules a form is. Enterprises have their own importer
//! (`import`), which this one follows: the same header markers, bounds and report wording.

use crate::directory::import::{
    MAX_CELL_CHARS, MAX_LISTED_ERRORS, RowError, excerpt, normalise_header, split_multi,
};
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The registers, by the path segment their API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Register {
    Teams,
    Experts,
    Warehouses,
    Stock,
    Shelters,
    Sensors,
    ProtectedObjects,
}

/// How a cell is read.
#[derive(Debug, Clone, Copy)]
pub enum Cell {
    Text,
    /// A code or phone number that a spreadsheet may have stored as a number (“360403001.0”).
    Code,
    /// A decimal number (longitude, latitude).
    Number,
    Integer,
    /// Several values: 危险化学品、工贸 / a,b / a；b.
    List,
    /// One of (code, label): the label or the code is accepted.
    Choice(&'static [(&'static str, &'static str)]),
    /// Several of (code, label).
    Choices(&'static [(&'static str, &'static str)]),
    /// YYYY-MM-DD, or a spreadsheet date (a day number).
    Date,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    /// The field of the create endpoint's body; a field the server resolves first (a warehouse
    /// by name, an enterprise by its code) has a name of its own.
    pub field: &'static str,
    pub cell: Cell,
    pub required: bool,
    /// The template's note on what to write.
    pub note: &'static str,
}

const fn col(header: &'static str, field: &'static str, cell: Cell, required: bool) -> Column {
    Column {
        header,
        field,
        cell,
        required,
        note: "",
    }
}

const fn noted(
    header: &'static str,
    field: &'static str,
    cell: Cell,
    required: bool,
    note: &'static str,
) -> Column {
    Column {
        header,
        field,
        cell,
        required,
        note,
    }
}

const LON: Column = noted("经度", "lon", Cell::Number, true, "WGS-84，如 115.99");
const LAT: Column = noted("纬度", "lat", Cell::Number, true, "WGS-84，如 29.72");
const REGION: Column = noted(
    "所属区划代码",
    "region_code",
    Cell::Code,
    true,
    "12位或15位区划代码（区、街道、社区或网格）",
);
const PHONE_NOTE: &str = "11位手机号或“区号-号码”";

/// Team statuses an import or a form may set (出动 comes only from dispatch).
const SETTABLE_TEAM_STATUSES: &[(&str, &str)] = &[
    ("standby", "待命"),
    ("resting", "休整"),
    ("unavailable", "不可用"),
];

const TEAMS: &[Column] = &[
    col("队伍名称", "name", Cell::Text, true),
    col(
        "队伍类型",
        "kind",
        Cell::Choice(crate::resources::TEAM_KINDS),
        true,
    ),
    noted(
        "专长",
        "specialties",
        Cell::List,
        false,
        "多个用顿号分隔，如 水域救援、破拆",
    ),
    col("队伍人数", "headcount", Cell::Integer, true),
    col("主要装备", "equipment", Cell::Text, false),
    col("驻地", "base_address", Cell::Text, true),
    LON,
    LAT,
    REGION,
    col("负责人", "leader", Cell::Text, true),
    noted("联系电话", "phone", Cell::Code, true, PHONE_NOTE),
    col(
        "状态",
        "status",
        Cell::Choice(SETTABLE_TEAM_STATUSES),
        false,
    ),
];

const EXPERTS: &[Column] = &[
    col("姓名", "name", Cell::Text, true),
    col(
        "专家库分类",
        "sections",
        Cell::Choices(crate::resources::EXPERT_SECTIONS),
        true,
    ),
    noted(
        "专业特长",
        "specialties",
        Cell::List,
        false,
        "多个用顿号分隔",
    ),
    col("职称", "title", Cell::Text, false),
    col("工作单位", "employer", Cell::Text, true),
    noted("联系电话", "phone", Cell::Code, true, PHONE_NOTE),
    LON,
    LAT,
    REGION,
];

const WAREHOUSES: &[Column] = &[
    col("储备库名称", "name", Cell::Text, true),
    col(
        "级别",
        "level",
        Cell::Choice(crate::resources::WAREHOUSE_LEVELS),
        true,
    ),
    col("地址", "address", Cell::Text, true),
    LON,
    LAT,
    REGION,
    col("管理员", "manager", Cell::Text, true),
    noted("联系电话", "phone", Cell::Code, true, PHONE_NOTE),
];

const STOCK: &[Column] = &[
    noted(
        "储备库名称",
        "warehouse_name",
        Cell::Text,
        true,
        "已登记的储备库名称",
    ),
    noted(
        "物资",
        "material",
        Cell::Text,
        true,
        "应急物资目录中的物资名称或编码",
    ),
    col(
        "储备方式",
        "reserve_type",
        Cell::Choice(crate::resources::RESERVE_TYPES),
        false,
    ),
    noted(
        "数量",
        "quantity",
        Cell::Integer,
        false,
        "期初数量，记为入库",
    ),
    col("最低库存", "min_stock", Cell::Integer, false),
    noted("有效期", "expiry_date", Cell::Date, false, "如 2027-06-30"),
    noted(
        "供应单位",
        "supplier",
        Cell::Text,
        false,
        "协议储备和产能储备必填",
    ),
];

const SHELTERS: &[Column] = &[
    col("场所名称", "name", Cell::Text, true),
    col(
        "场所类型",
        "kind",
        Cell::Choice(crate::resources::SHELTER_KINDS),
        true,
    ),
    col("地址", "address", Cell::Text, true),
    LON,
    LAT,
    REGION,
    col("可容纳人数", "capacity", Cell::Integer, true),
    noted("有效避难面积", "area_m2", Cell::Integer, false, "平方米"),
    noted(
        "设施",
        "facilities",
        Cell::List,
        false,
        "如 供水、供电、厕所、医疗点",
    ),
    col("管理员", "manager", Cell::Text, true),
    noted("联系电话", "phone", Cell::Code, true, PHONE_NOTE),
];

const SENSORS: &[Column] = &[
    noted(
        "监测点编码",
        "code",
        Cell::Code,
        true,
        "位号，网关上报时使用，全局唯一",
    ),
    col("监测点名称", "name", Cell::Text, true),
    col(
        "监测类型",
        "kind",
        Cell::Choice(crate::monitoring::alarm::SENSOR_KINDS),
        true,
    ),
    col("计量单位", "unit", Cell::Text, true),
    noted(
        "企业统一社会信用代码",
        "enterprise_uscc",
        Cell::Code,
        false,
        "企业的监测点填写；公共监测对象（易涝点、桥梁等）留空并填写所属区划代码",
    ),
    noted(
        "所属区划代码",
        "region_code",
        Cell::Code,
        false,
        "公共监测对象所在的网格或社区",
    ),
    col("监测对象", "object_name", Cell::Text, true),
    col("低低报阈值", "threshold_ll", Cell::Code, false),
    col("低报阈值", "threshold_l", Cell::Code, false),
    col("高报阈值", "threshold_h", Cell::Code, false),
    col("高高报阈值", "threshold_hh", Cell::Code, false),
    col("回差", "hysteresis", Cell::Code, false),
    noted(
        "变化速率限值",
        "rate_limit",
        Cell::Code,
        false,
        "每分钟最大变化量",
    ),
    noted(
        "离线判定秒数",
        "offline_after_s",
        Cell::Integer,
        false,
        "默认300",
    ),
    col("经度", "lon", Cell::Number, false),
    col("纬度", "lat", Cell::Number, false),
];

const PROTECTED_OBJECTS: &[Column] = &[
    col(
        "承灾体类型",
        "kind",
        Cell::Choice(crate::warning::target::OBJECT_KINDS),
        true,
    ),
    col("名称", "name", Cell::Text, true),
    col("地址", "address", Cell::Text, false),
    LON,
    LAT,
    noted(
        "所在社区或网格代码",
        "region_code",
        Cell::Code,
        true,
        "12位社区代码或15位网格代码",
    ),
    col("责任人", "responsible_name", Cell::Text, true),
    noted(
        "责任人电话",
        "responsible_phone",
        Cell::Code,
        true,
        PHONE_NOTE,
    ),
    col(
        "责任人类型",
        "responsible_type",
        Cell::Choice(crate::warning::target::PERSON_TYPES),
        false,
    ),
    col("备注", "note", Cell::Text, false),
];

impl Register {
    pub const ALL: [Register; 7] = [
        Register::Teams,
        Register::Experts,
        Register::Warehouses,
        Register::Stock,
        Register::Shelters,
        Register::Sensors,
        Register::ProtectedObjects,
    ];

    pub fn parse(segment: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.segment() == segment)
    }

    /// The path segment of its API: /api/v1/{segment}.
    pub fn segment(self) -> &'static str {
        match self {
            Register::Teams => "teams",
            Register::Experts => "experts",
            Register::Warehouses => "warehouses",
            Register::Stock => "stock",
            Register::Shelters => "shelters",
            Register::Sensors => "sensors",
            Register::ProtectedObjects => "protected-objects",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Register::Teams => "救援队伍",
            Register::Experts => "专家",
            Register::Warehouses => "储备库",
            Register::Stock => "库存",
            Register::Shelters => "避难场所",
            Register::Sensors => "监测点",
            Register::ProtectedObjects => "承灾体",
        }
    }

    /// The audit log's entity type.
    pub fn entity(self) -> &'static str {
        match self {
            Register::Teams => "team",
            Register::Experts => "expert",
            Register::Warehouses => "warehouse",
            Register::Stock => "stock",
            Register::Shelters => "shelter",
            Register::Sensors => "sensor",
            Register::ProtectedObjects => "protected_object",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Register::Teams => TEAMS,
            Register::Experts => EXPERTS,
            Register::Warehouses => WAREHOUSES,
            Register::Stock => STOCK,
            Register::Shelters => SHELTERS,
            Register::Sensors => SENSORS,
            Register::ProtectedObjects => PROTECTED_OBJECTS,
        }
    }

    /// The template's example row, in column order.
    pub fn example(self) -> &'static [&'static str] {
        match self {
            Register::Teams => &[
                "甘棠街道应急救援队",
                "基层应急救援队伍",
                "水域救援、破拆",
                "30",
                "冲锋舟2艘",
                "九江市浔阳区示例路2号",
                "115.99",
                "29.72",
                "360403001",
                "王五",
                "13800000001",
                "待命",
            ],
            Register::Experts => &[
                "赵六",
                "安全生产、应急救援",
                "危险化学品",
                "高级工程师",
                "九江示例设计院",
                "13800000002",
                "115.99",
                "29.72",
                "360403",
            ],
            Register::Warehouses => &[
                "甘棠街道应急物资储备点",
                "街道级",
                "九江市浔阳区示例路3号",
                "115.99",
                "29.72",
                "360403001",
                "钱七",
                "13800000003",
            ],
            Register::Stock => &[
                "甘棠街道应急物资储备点",
                "救生衣",
                "实物储备",
                "200",
                "50",
                "2028-06-30",
                "",
            ],
            Register::Shelters => &[
                "示例小学操场",
                "紧急避难场所",
                "九江市浔阳区示例路4号",
                "115.99",
                "29.72",
                "360403001",
                "800",
                "2400",
                "供水、供电、厕所",
                "孙八",
                "13800000004",
            ],
            Register::Sensors => &[
                "YW-0001",
                "储罐液位",
                "液位",
                "m",
                "91350100M000100Y43",
                "",
                "1号储罐",
                "",
                "0.5",
                "8.5",
                "9.2",
                "0.1",
                "",
                "300",
                "",
                "",
            ],
            Register::ProtectedObjects => &[
                "易涝点",
                "示例路下穿通道",
                "九江市浔阳区示例路",
                "115.99",
                "29.72",
                "360403001001",
                "周九",
                "13800000005",
                "村（社区）干部",
                "",
            ],
        }
    }

    pub fn header_of(self, field: &str) -> &'static str {
        self.columns()
            .iter()
            .find(|c| c.field == field)
            .map(|c| c.header)
            .unwrap_or("")
    }
}

/// The template's notes: one line per column.
pub fn template_notes(register: Register) -> Vec<Vec<String>> {
    let mut notes = vec![vec!["列".to_string(), "填写说明".to_string()]];
    for c in register.columns() {
        let choices = match c.cell {
            Cell::Choice(list) | Cell::Choices(list) => {
                let labels: Vec<&str> = list.iter().map(|(_, l)| *l).collect();
                format!("可选：{}", labels.join("、"))
            }
            _ => String::new(),
        };
        let text = [c.note, choices.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("；");
        notes.push(vec![
            format!("{}{}", c.header, if c.required { "（必填）" } else { "" }),
            text,
        ]);
    }
    notes
}

#[derive(Debug, Default)]
pub struct ParsedRows {
    /// (row number, body) for every row whose cells could be read.
    pub rows: Vec<(usize, Map<String, Value>)>,
    pub errors: Vec<RowError>,
    pub unlisted_errors: usize,
    pub total_rows: usize,
}

/// Parses a register's sheet one row at a time, as it is read.
pub struct RowParser {
    register: Register,
    /// Column index → column, once the header row is read.
    map: Option<Vec<Option<&'static Column>>>,
    failed: bool,
    out: ParsedRows,
}

impl RowParser {
    pub fn new(register: Register) -> Self {
        Self {
            register,
            map: None,
            failed: false,
            out: ParsedRows::default(),
        }
    }

    pub fn wants_rows(&self) -> bool {
        !self.failed
    }

    pub fn add_errors(&mut self, errors: impl IntoIterator<Item = RowError>) {
        for e in errors {
            if self.out.errors.len() < MAX_LISTED_ERRORS {
                self.out.errors.push(e);
            } else {
                self.out.unlisted_errors += 1;
            }
        }
    }

    pub fn push(&mut self, row_no: usize, row: &[String]) {
        if self.failed {
            return;
        }
        if self.map.is_some() {
            self.push_data(row_no, row);
            return;
        }
        let headers = if row_no == 1 { row } else { &[] };
        match map_headers(self.register, headers) {
            Ok(map) => self.map = Some(map),
            Err(e) => {
                self.failed = true;
                self.add_errors(e);
            }
        }
    }

    fn push_data(&mut self, row_no: usize, row: &[String]) {
        let Some(map) = &self.map else { return };
        if row.iter().all(|c| c.trim().is_empty()) {
            return;
        }
        self.out.total_rows += 1;
        let mut body = Map::new();
        let mut errors = Vec::new();
        let error = |column: &str, reason: String| RowError {
            row: row_no,
            column: column.to_string(),
            reason: format!("第{row_no}行{reason}"),
        };
        for (i, column) in map.iter().enumerate() {
            let Some(c) = column else { continue };
            let cell = row.get(i).map(|s| s.trim()).unwrap_or("");
            match read_cell(c, cell) {
                Ok(Some(v)) => {
                    body.insert(c.field.to_string(), v);
                }
                Ok(None) if c.required => {
                    errors.push(error(c.header, format!("“{}”不能为空", c.header)))
                }
                Ok(None) => {}
                Err(reason) => errors.push(error(c.header, reason)),
            }
        }
        if errors.is_empty() {
            self.out.rows.push((row_no, body));
        } else {
            self.add_errors(errors);
        }
    }

    pub fn finish(self) -> ParsedRows {
        self.out
    }
}

fn map_headers(
    register: Register,
    headers: &[String],
) -> Result<Vec<Option<&'static Column>>, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut map = Vec::with_capacity(headers.len());
    let error = |column: &str, reason: String| RowError {
        row: 1,
        column: column.to_string(),
        reason,
    };
    for (i, h) in headers.iter().enumerate() {
        let n = normalise_header(h);
        if n.is_empty() {
            map.push(None);
            continue;
        }
        match register.columns().iter().find(|c| c.header == n) {
            Some(c) => {
                if seen.insert(c.field, i).is_some() {
                    errors.push(error(&n, format!("列“{n}”重复出现")));
                }
                map.push(Some(c));
            }
            None => {
                let n = excerpt(&n);
                errors.push(error(&n, format!("未知列“{n}”：请使用模板中的列名")));
                map.push(None);
            }
        }
    }
    for c in register.columns() {
        if c.required && !seen.contains_key(c.field) {
            errors.push(error(c.header, format!("缺少必填列“{}”", c.header)));
        }
    }
    if errors.is_empty() {
        Ok(map)
    } else {
        Err(errors)
    }
}

fn choose(list: &[(&str, &str)], header: &str, v: &str) -> Result<String, String> {
    list.iter()
        .find(|(c, l)| *c == v || *l == v)
        .map(|(c, _)| c.to_string())
        .ok_or_else(|| {
            let labels: Vec<&str> = list.iter().map(|(_, l)| *l).collect();
            format!(
                "“{header}”的值“{}”无效，应为：{}",
                excerpt(v),
                labels.join("、")
            )
        })
}

/// A spreadsheet's day number (days since 1899-12-30) as a date.
fn serial_date(n: i64) -> Option<String> {
    if !(1..=2_958_465).contains(&n) {
        return None;
    }
    let epoch = jiff::civil::date(1899, 12, 30);
    epoch
        .checked_add(jiff::Span::new().days(n))
        .ok()
        .map(|d| d.to_string())
}

/// One cell as a JSON value: None for an empty cell.
fn read_cell(c: &Column, cell: &str) -> Result<Option<Value>, String> {
    if cell.is_empty() {
        return Ok(None);
    }
    let header = c.header;
    if cell.chars().nth(MAX_CELL_CHARS).is_some() {
        return Err(format!(
            "“{header}”内容过长：单元格最多{MAX_CELL_CHARS}个字符（开头为“{}”）",
            excerpt(cell)
        ));
    }
    let not_number = || format!("“{header}”的值“{}”不是数字", excerpt(cell));
    Ok(Some(match c.cell {
        Cell::Text => Value::from(cell),
        Cell::Code => Value::from(cell.strip_suffix(".0").unwrap_or(cell)),
        Cell::Number => match cell.parse::<f64>() {
            Ok(v) if v.is_finite() => Value::from(v),
            _ => return Err(not_number()),
        },
        Cell::Integer => match cell.strip_suffix(".0").unwrap_or(cell).parse::<i64>() {
            Ok(v) => Value::from(v),
            Err(_) => return Err(format!("“{header}”的值“{}”不是整数", excerpt(cell))),
        },
        Cell::List => Value::from(split_multi(cell)),
        Cell::Choice(list) => Value::from(choose(list, header, cell)?),
        Cell::Choices(list) => {
            let mut codes = Vec::new();
            for v in split_multi(cell) {
                codes.push(choose(list, header, &v)?);
            }
            Value::from(codes)
        }
        Cell::Date => match cell.strip_suffix(".0").unwrap_or(cell).parse::<i64>() {
            Ok(n) => Value::from(serial_date(n).ok_or_else(|| {
                format!("“{header}”的值“{}”不是日期（如 2027-06-30）", excerpt(cell))
            })?),
            Err(_) => Value::from(cell.get(..10).unwrap_or(cell)),
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(r: Register, cells: &[&[&str]]) -> ParsedRows {
        let mut p = RowParser::new(r);
        for (i, row) in cells.iter().enumerate() {
            let row: Vec<String> = row.iter().map(|s| s.to_string()).collect();
            p.push(i + 1, &row);
        }
        p.finish()
    }

    #[test]
    fn every_register_reads_its_own_template() {
        for r in Register::ALL {
            let headers: Vec<&str> = r.columns().iter().map(|c| c.header).collect();
            assert_eq!(headers.len(), r.example().len(), "{r:?}");
            let out = rows(r, &[&headers, r.example()]);
            assert!(out.errors.is_empty(), "{r:?}: {:?}", out.errors);
            assert_eq!(out.rows.len(), 1);
            assert_eq!(Register::parse(r.segment()), Some(r));
        }
    }

    #[test]
    fn labels_become_codes_and_numbers_are_read() {
        let out = rows(
            Register::Experts,
            &[
                &[
                    "姓名*",
                    "专家库分类（必填）",
                    "工作单位",
                    "联系电话",
                    "经度",
                    "纬度",
                    "所属区划代码",
                ],
                &[
                    "甲",
                    "安全生产、rescue",
                    "某院",
                    "13800000000.0",
                    "115.9",
                    "29.7",
                    "360403.0",
                ],
            ],
        );
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        let body = &out.rows[0].1;
        assert_eq!(
            body["sections"],
            serde_json::json!(["work_safety", "rescue"])
        );
        assert_eq!(body["phone"], "13800000000");
        assert_eq!(body["region_code"], "360403");
        assert_eq!(body["lon"], 115.9);
    }

    #[test]
    fn bad_cells_are_reported_by_row_and_column() {
        let out = rows(
            Register::Shelters,
            &[
                &[
                    "场所名称",
                    "场所类型",
                    "地址",
                    "经度",
                    "纬度",
                    "所属区划代码",
                    "可容纳人数",
                    "管理员",
                    "联系电话",
                ],
                &[
                    "甲",
                    "帐篷",
                    "某路",
                    "东经",
                    "29.7",
                    "360403",
                    "十",
                    "乙",
                    "13800000000",
                ],
                &[
                    "",
                    "紧急避难场所",
                    "某路",
                    "115.9",
                    "29.7",
                    "360403",
                    "10",
                    "乙",
                    "13800000000",
                ],
            ],
        );
        assert!(out.rows.is_empty());
        let got: Vec<(usize, &str)> = out
            .errors
            .iter()
            .map(|e| (e.row, e.column.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                (2, "场所类型"),
                (2, "经度"),
                (2, "可容纳人数"),
                (3, "场所名称")
            ]
        );
        assert!(
            out.errors[0].reason.contains("紧急避难场所"),
            "{:?}",
            out.errors[0]
        );
        assert!(
            out.errors[3].reason.starts_with("第3行"),
            "{:?}",
            out.errors[3]
        );
    }

    #[test]
    fn unknown_or_missing_headers_refuse_the_file() {
        let out = rows(
            Register::Warehouses,
            &[&["储备库名称", "颜色"], &["甲", "红"]],
        );
        assert!(out.rows.is_empty());
        assert!(out.errors.iter().any(|e| e.reason.contains("未知列“颜色”")));
        assert!(
            out.errors
                .iter()
                .any(|e| e.reason.contains("缺少必填列“级别”"))
        );
    }

    #[test]
    fn spreadsheet_day_numbers_are_dates() {
        assert_eq!(serial_date(46_568).as_deref(), Some("2027-06-30"));
        let c = Column {
            header: "有效期",
            field: "expiry_date",
            cell: Cell::Date,
            required: false,
            note: "",
        };
        assert_eq!(
            read_cell(&c, "46568").unwrap(),
            Some(Value::from("2027-06-30"))
        );
        assert_eq!(
            read_cell(&c, "2027-06-30 00:00:00").unwrap(),
            Some(Value::from("2027-06-30"))
        );
    }
}
