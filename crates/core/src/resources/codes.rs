//! The codes of the resources (kinds, statuses, levels, reserve types, ledger movements, order
//! statuses) with their Chinese labels, and reading a code from one of these tables.

pub const TEAM_KINDS: &[(&str, &str)] = &[
    ("fire", "综合性消防救援队伍"),
    ("professional", "专业应急救援队伍"),
    ("enterprise", "企业专职救援队伍"),
    ("social", "社会应急力量"),
    ("grassroots", "基层应急救援队伍"),
    ("medical", "医疗救护队伍"),
];

pub const TEAM_STATUSES: &[(&str, &str)] = &[
    ("standby", "待命"),
    ("dispatched", "出动"),
    ("resting", "休整"),
    ("unavailable", "不可用"),
];

/// The three sections of the 专家库 (seed 002: 自然灾害、安全生产、应急救援).
pub const EXPERT_SECTIONS: &[(&str, &str)] = &[
    ("natural", "自然灾害"),
    ("work_safety", "安全生产"),
    ("rescue", "应急救援"),
];

pub const WAREHOUSE_LEVELS: &[(&str, &str)] = &[
    ("district", "区级"),
    ("street", "街道级"),
    ("community", "社区级"),
];

/// 实物储备 is on the shelf; 协议储备 is held by a supplier under contract; 产能储备 is a factory's
/// promise to produce. All three are kept as ledgers; search shows which is which.
pub const RESERVE_TYPES: &[(&str, &str)] = &[
    ("physical", "实物储备"),
    ("agreement", "协议储备"),
    ("capacity", "产能储备"),
];

pub const SHELTER_KINDS: &[(&str, &str)] = &[
    ("emergency", "紧急避难场所"),
    ("fixed", "固定避难场所"),
    ("central", "中心避难场所"),
];

/// Movements of the ledger. The balance of a stock line is the sum of its movements' deltas.
pub const MOVEMENT_KINDS: &[(&str, &str)] = &[
    ("inbound", "入库"),
    ("outbound", "出库"),
    ("transfer_out", "调拨出库"),
    ("transfer_in", "调拨入库"),
    ("count", "盘点"),
    ("write_off", "报损"),
];

pub const ORDER_STATUSES: &[(&str, &str)] = &[
    ("requested", "待审批"),
    ("approved", "已审批"),
    ("shipped", "已出库"),
    ("received", "已签收"),
    ("rejected", "已驳回"),
    ("cancelled", "已撤销"),
];

pub fn label(list: &[(&str, &'static str)], code: &str) -> &'static str {
    list.iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

/// A code from one of the tables above, or a message listing the choices.
pub fn one_of(list: &[(&str, &str)], field_label: &str, code: &str) -> Result<String, String> {
    if list.iter().any(|(c, _)| *c == code) {
        return Ok(code.to_string());
    }
    let names: Vec<&str> = list.iter().map(|(_, l)| *l).collect();
    Err(format!("{field_label}应为：{}", names.join("、")))
}
