//! How each register's columns are read: the cell kinds, and every register's columns with
//! their headers, fields and template notes.

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

pub(super) const TEAMS: &[Column] = &[
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

pub(super) const EXPERTS: &[Column] = &[
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

pub(super) const WAREHOUSES: &[Column] = &[
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

pub(super) const STOCK: &[Column] = &[
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

pub(super) const SHELTERS: &[Column] = &[
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

pub(super) const SENSORS: &[Column] = &[
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

pub(super) const PROTECTED_OBJECTS: &[Column] = &[
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
