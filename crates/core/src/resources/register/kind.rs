//! The registers: their API segment, names, audit entity, columns, and the import template's
//! example row and notes.

use super::columns::{
    Cell, Column, EXPERTS, PROTECTED_OBJECTS, SENSORS, SHELTERS, STOCK, TEAMS, WAREHOUSES,
};

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
            Register::Teams => TEAM_EXAMPLE,
            Register::Experts => EXPERT_EXAMPLE,
            Register::Warehouses => WAREHOUSE_EXAMPLE,
            Register::Stock => STOCK_EXAMPLE,
            Register::Shelters => SHELTER_EXAMPLE,
            Register::Sensors => SENSOR_EXAMPLE,
            Register::ProtectedObjects => PROTECTED_OBJECT_EXAMPLE,
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

// The template's example rows, one per register, in column order.

const TEAM_EXAMPLE: &[&str] = &[
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
];

const EXPERT_EXAMPLE: &[&str] = &[
    "赵六",
    "安全生产、应急救援",
    "危险化学品",
    "高级工程师",
    "九江示例设计院",
    "13800000002",
    "115.99",
    "29.72",
    "360403",
];

const WAREHOUSE_EXAMPLE: &[&str] = &[
    "甘棠街道应急物资储备点",
    "街道级",
    "九江市浔阳区示例路3号",
    "115.99",
    "29.72",
    "360403001",
    "钱七",
    "13800000003",
];

const STOCK_EXAMPLE: &[&str] = &[
    "甘棠街道应急物资储备点",
    "救生衣",
    "实物储备",
    "200",
    "50",
    "2028-06-30",
    "",
];

const SHELTER_EXAMPLE: &[&str] = &[
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
];

const SENSOR_EXAMPLE: &[&str] = &[
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
];

const PROTECTED_OBJECT_EXAMPLE: &[&str] = &[
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
];

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
