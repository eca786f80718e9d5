//! 应急资源: rescue teams, the 专家库, warehouses with a material ledger, shelters, allocation orders
//! (调拨单) and the search for what is near an incident. Pure rules; the tables and the
//! transactions that apply these rules are in `yingji-store::resources`.

pub mod access;
pub mod allocations;
pub mod deactivation;
pub mod experts;
pub mod fields;
pub mod import;
pub mod register;
pub mod search;
pub mod shelters;
pub mod stock;
pub mod teams;
pub mod warehouses;

use crate::kernel::validation::Invalid;

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

// ---------------------------------------------------------------------------------------------
// Distances and the search grid

/// Great-circle distance in metres between two `[lon, lat]` points (haversine, mean radius).
pub fn distance_m(a: [f64; 2], b: [f64; 2]) -> f64 {
    const R: f64 = 6_371_008.8;
    let (lat1, lat2) = (a[1].to_radians(), b[1].to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b[0] - a[0]).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

/// Side of a search cell in degrees (≈ 2 km). Every located resource stores the cell it is in, an
/// integer with a B-tree index that both backends have, so a radius search reads the cells that
/// cover the circle's bounding box instead of every row (ADR 0010).
pub const CELL_DEG: f64 = 0.02;
const CELLS_PER_ROW: i64 = 100_000;

pub fn cell_of(lon: f64, lat: f64) -> i64 {
    let row = ((lat + 90.0) / CELL_DEG).floor() as i64;
    let col = ((lon + 180.0) / CELL_DEG).floor() as i64;
    row * CELLS_PER_ROW + col
}

/// The cells that cover the bounding box of a circle of `radius_m` around a point, as one
/// inclusive range of cell numbers per row of cells (a row's cells are consecutive numbers), so a
/// query reads a few index ranges instead of a long IN list.
pub fn cell_ranges_within(lon: f64, lat: f64, radius_m: f64) -> Vec<(i64, i64)> {
    let dlat = radius_m / 111_195.0;
    let dlon = radius_m / (111_195.0 * lat.to_radians().cos().max(0.01));
    let (r0, r1) = (
        ((lat - dlat + 90.0) / CELL_DEG).floor() as i64,
        ((lat + dlat + 90.0) / CELL_DEG).floor() as i64,
    );
    let (c0, c1) = (
        ((lon - dlon + 180.0) / CELL_DEG).floor() as i64,
        ((lon + dlon + 180.0) / CELL_DEG).floor() as i64,
    );
    (r0..=r1)
        .map(|r| (r * CELLS_PER_ROW + c0, r * CELLS_PER_ROW + c1))
        .collect()
}

/// The cells of a bounding box, one range per row of cells (like [`cell_ranges_within`]).
pub fn cell_ranges_of_bbox(
    min_lon: f64,
    min_lat: f64,
    max_lon: f64,
    max_lat: f64,
) -> Vec<(i64, i64)> {
    let (r0, r1) = (
        ((min_lat + 90.0) / CELL_DEG).floor() as i64,
        ((max_lat + 90.0) / CELL_DEG).floor() as i64,
    );
    let (c0, c1) = (
        ((min_lon + 180.0) / CELL_DEG).floor() as i64,
        ((max_lon + 180.0) / CELL_DEG).floor() as i64,
    );
    (r0..=r1)
        .map(|r| (r * CELLS_PER_ROW + c0, r * CELLS_PER_ROW + c1))
        .collect()
}

/// The radii a nearest-first search widens through until it has enough results (metres).
pub const SEARCH_RINGS_M: [f64; 3] = [5_000.0, 20_000.0, 60_000.0];
/// The widest radius a search may ask for.
pub const MAX_RADIUS_M: f64 = 100_000.0;

// ---------------------------------------------------------------------------------------------
// "10 km 内 冲锋舟 ≥ 5": a need as the commander types it

#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    /// Within this distance of the incident; None means nearest first.
    pub radius_m: Option<f64>,
    /// A material's name (or code), a team's specialty, an expert's specialty.
    pub item: String,
    /// At least this many available (materials); 1 when not given.
    pub min_qty: i64,
}

/// Reads a need such as `10 km 内 冲锋舟 ≥ 5`, `冲锋舟>=5 10公里内`, `5公里 救生衣 200` or `帐篷`.
pub fn parse_need(text: &str) -> Result<Need, String> {
    let mut rest = text.trim().replace('　', " ");
    if rest.is_empty() {
        return Err("需求不能为空，例如“10 km 内 冲锋舟 ≥ 5”".into());
    }
    if rest.chars().count() > 100 {
        return Err("需求不能超过100个字符".into());
    }
    let mut radius_m = None;
    // A distance: a number followed by a unit, optionally 内/以内.
    for unit in ["公里", "千米", "km", "KM", "Km", "米", "m"] {
        if let Some((before, after)) = split_number_before(&rest, unit) {
            let factor = if unit == "米" || unit == "m" {
                1.0
            } else {
                1000.0
            };
            let value = before.1;
            let r = value * factor;
            if !(r > 0.0 && r <= MAX_RADIUS_M) {
                return Err(format!("范围应在 0 到 {} 公里之间", MAX_RADIUS_M / 1000.0));
            }
            radius_m = Some(r);
            let tail = after
                .trim_start()
                .trim_start_matches("以内")
                .trim_start_matches('内');
            rest = format!("{} {}", before.0, tail);
            break;
        }
    }
    // A quantity: ≥ / >= / > / 至少 n, or a trailing number.
    let mut min_qty = 1;
    let mut item = rest.trim().to_string();
    for op in ["≥", ">=", "＞", ">", "不少于", "至少"] {
        if let Some(i) = item.find(op) {
            let (name, q) = (item[..i].trim().to_string(), item[i + op.len()..].trim());
            let digits: String = q.chars().take_while(char::is_ascii_digit).collect();
            if digits.is_empty() {
                return Err(format!("“{op}”后应为数量"));
            }
            let n: i64 = digits.parse().map_err(|_| "数量过大".to_string())?;
            min_qty = if op == ">" || op == "＞" { n + 1 } else { n };
            item = name;
            break;
        }
    }
    if min_qty == 1 {
        // "救生衣 200": a trailing number is the quantity.
        let trimmed = item.trim_end().to_string();
        let digits: String = trimmed
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if !digits.is_empty() && digits.len() < trimmed.len() {
            min_qty = digits.parse().map_err(|_| "数量过大".to_string())?;
            item = trimmed[..trimmed.len() - digits.len()].trim().to_string();
        }
    }
    if !(1..=100_000_000).contains(&min_qty) {
        return Err("数量应在 1 到 1亿 之间".into());
    }
    let item = item.trim().to_string();
    if item.is_empty() {
        return Err("需求中缺少物资、队伍或专家专长的名称".into());
    }
    Ok(Need {
        radius_m,
        item,
        min_qty,
    })
}

/// Finds `<number><unit>` in `s`: the text before the number with the number, and the text after
/// the unit.
fn split_number_before<'a>(s: &'a str, unit: &str) -> Option<((String, f64), &'a str)> {
    let mut from = 0;
    while let Some(pos) = s[from..].find(unit).map(|p| p + from) {
        let head = s[..pos].trim_end();
        let num: String = head
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after = &s[pos + unit.len()..];
        // "m" must not be the start of a word ("mask"): only a unit when not followed by a letter.
        let standalone = !after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic());
        if !num.is_empty()
            && standalone
            && let Ok(v) = num.parse::<f64>()
        {
            let before = head[..head.len() - num.len()].to_string();
            return Some(((before, v), after));
        }
        from = pos + unit.len();
    }
    None
}

// ---------------------------------------------------------------------------------------------
// The ledger

/// A stock line: what the ledger sums to (`quantity`) and how much of it approved allocation
/// orders hold for shipping (`reserved`). Invariant: 0 ≤ reserved ≤ quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StockLevel {
    pub quantity: i64,
    pub reserved: i64,
}

impl StockLevel {
    pub fn available(&self) -> i64 {
        self.quantity - self.reserved
    }
}

/// The largest quantity one stock line may hold or one movement may move (一亿).
pub const MAX_QUANTITY: i64 = 100_000_000;

/// The delta a manual movement (入库, 出库, 盘点, 报损) writes to the ledger. A 盘点 gives the
/// counted quantity; the others a positive amount. Nothing may take stock that approved orders
/// hold, nothing may take the balance below zero, and nothing may take it above [`MAX_QUANTITY`].
pub fn manual_delta(level: StockLevel, kind: &str, qty: i64) -> Result<i64, String> {
    if qty > MAX_QUANTITY {
        return Err(format!("数量不能超过{MAX_QUANTITY}"));
    }
    if kind == "inbound" && level.quantity.saturating_add(qty) > MAX_QUANTITY {
        return Err(format!(
            "入库后库存 {} 将超过上限{MAX_QUANTITY}",
            level.quantity.saturating_add(qty)
        ));
    }
    match kind {
        "count" => {
            if qty < 0 {
                return Err("盘点数量不能为负数".into());
            }
            if qty < level.reserved {
                return Err(format!(
                    "盘点数量 {qty} 少于已审批待出库的 {}，请先处理调拨单",
                    level.reserved
                ));
            }
            Ok(qty - level.quantity)
        }
        "inbound" => {
            if qty <= 0 {
                return Err("入库数量应大于0".into());
            }
            Ok(qty)
        }
        "outbound" | "write_off" => {
            if qty <= 0 {
                return Err(format!("{}数量应大于0", label(MOVEMENT_KINDS, kind)));
            }
            if qty > level.available() {
                return Err(format!(
                    "库存不足：可用 {}（库存 {}，已审批待出库 {}），不能{} {qty}",
                    level.available(),
                    level.quantity,
                    level.reserved,
                    label(MOVEMENT_KINDS, kind)
                ));
            }
            Ok(-qty)
        }
        "transfer_in" | "transfer_out" => Err("调拨出入库只能通过调拨单办理".into()),
        _ => Err("出入库类型应为：入库、出库、盘点、报损".into()),
    }
}

/// Approving an order reserves what it will ship.
pub fn reserve(level: StockLevel, qty: i64) -> Result<StockLevel, String> {
    if qty > level.available() {
        return Err(format!("可用库存 {} 不足以审批 {qty}", level.available()));
    }
    Ok(StockLevel {
        reserved: level.reserved + qty,
        ..level
    })
}

/// Shipping takes `shipped` out of the line and releases the whole reservation `approved`
/// (what was approved and not shipped goes back to available).
pub fn ship(level: StockLevel, approved: i64, shipped: i64) -> Result<StockLevel, String> {
    if shipped > approved || approved > level.reserved || shipped > level.quantity {
        return Err(format!("出库数量 {shipped} 超过审批数量 {approved} 或库存"));
    }
    Ok(StockLevel {
        quantity: level.quantity - shipped,
        reserved: level.reserved - approved,
    })
}

// ---------------------------------------------------------------------------------------------
// Allocation orders: 申请 → 审批 → 出库 → 签收

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderAction {
    Approve,
    Reject,
    Ship,
    Receive,
    Cancel,
}

impl OrderAction {
    pub fn parse(s: &str) -> Result<Self, String> {
        Ok(match s {
            "approve" => Self::Approve,
            "reject" => Self::Reject,
            "ship" => Self::Ship,
            "receive" => Self::Receive,
            "cancel" => Self::Cancel,
            _ => return Err("操作应为：审批、驳回、出库、签收、撤销".into()),
        })
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Approve => "审批",
            Self::Reject => "驳回",
            Self::Ship => "出库",
            Self::Receive => "签收",
            Self::Cancel => "撤销",
        }
    }
}

/// The status an action leads to, or why it cannot be taken in this status.
pub fn order_next(status: &str, action: OrderAction) -> Result<&'static str, String> {
    let next = match (status, action) {
        ("requested", OrderAction::Approve) => "approved",
        ("requested", OrderAction::Reject) => "rejected",
        ("requested" | "approved", OrderAction::Cancel) => "cancelled",
        ("approved", OrderAction::Ship) => "shipped",
        ("shipped", OrderAction::Receive) => "received",
        _ => {
            return Err(format!(
                "调拨单{}，不能{}",
                label(ORDER_STATUSES, status),
                action.label()
            ));
        }
    };
    Ok(next)
}

/// Checks the quantities of a step on each line against the step before: approved ≤ requested,
/// shipped ≤ approved, received ≤ shipped; none negative, and something moves (partial
/// fulfilment is allowed, an empty one is not). `field` is the API field of the list.
pub fn check_line_quantities(
    field: &str,
    step_label: &str,
    upper: &[i64],
    given: &[i64],
) -> Result<(), Invalid> {
    let mut errs = crate::kernel::validation::Errors::default();
    if given.len() != upper.len() {
        return Err(Invalid::one(
            field,
            format!("{step_label}数量应逐行填写（共 {} 行）", upper.len()),
        ));
    }
    for (i, (&u, &g)) in upper.iter().zip(given).enumerate() {
        if g < 0 {
            errs.add(
                &format!("{field}[{i}]"),
                format!("第{}行{step_label}数量不能为负数", i + 1),
            );
        } else if g > u {
            errs.add(
                &format!("{field}[{i}]"),
                format!("第{}行{step_label}数量 {g} 超过上一环节的 {u}", i + 1),
            );
        }
    }
    if errs.is_empty() && given.iter().all(|&g| g == 0) {
        errs.add(field, format!("{step_label}数量不能全为0"));
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs.into_invalid())
    }
}

// ---------------------------------------------------------------------------------------------
// Shelters and teams

/// Occupancy after `n` people check in.
pub fn check_in(open: bool, occupancy: i64, capacity: i64, n: i64) -> Result<i64, String> {
    if !open {
        return Err("避难场所未开放，不能登记入住".into());
    }
    if n <= 0 {
        return Err("入住人数应大于0".into());
    }
    if occupancy + n > capacity {
        return Err(format!(
            "超出容量：可容纳 {capacity} 人，现有 {occupancy} 人，最多还能入住 {} 人",
            capacity - occupancy
        ));
    }
    Ok(occupancy + n)
}

/// Occupancy after `n` people check out.
pub fn check_out(occupancy: i64, n: i64) -> Result<i64, String> {
    if n <= 0 {
        return Err("离开人数应大于0".into());
    }
    if occupancy == 0 {
        return Err("避难场所当前无人安置，不能登记离开".into());
    }
    if n > occupancy {
        return Err(format!("离开人数 {n} 超过现有安置人数 {occupancy}"));
    }
    Ok(occupancy - n)
}

/// A team goes out only from 待命; it comes back to 待命 from 出动.
pub fn team_transition(status: &str, action: &str) -> Result<&'static str, String> {
    match (status, action) {
        ("standby", "dispatch") => Ok("dispatched"),
        ("dispatched", "return") => Ok("standby"),
        (s, "dispatch") => Err(format!("队伍当前{}，不能调派", label(TEAM_STATUSES, s))),
        (s, "return") => Err(format!("队伍当前{}，无需归队", label(TEAM_STATUSES, s))),
        _ => Err("操作应为：调派、归队".into()),
    }
}

/// 过期 / 临期 (within `warn_days`) for a stock line's expiry date.
pub fn expiry_state(
    expiry: Option<jiff::civil::Date>,
    today: jiff::civil::Date,
    warn_days: i64,
) -> Option<&'static str> {
    let e = expiry?;
    if e < today {
        Some("expired")
    } else if i64::from((e - today).get_days()) <= warn_days {
        Some("expiring")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn distances() {
        // One degree of latitude ≈ 111.2 km; 九江 to 南昌 ≈ 112 km apart.
        let d = distance_m([116.0, 29.0], [116.0, 30.0]);
        assert!((d - 111_195.0).abs() < 100.0, "{d}");
        assert!(distance_m([116.0, 29.7], [116.0, 29.7]) < 1e-6);
        let jn = distance_m([115.99, 29.71], [115.86, 28.68]);
        assert!((110_000.0..120_000.0).contains(&jn), "{jn}");
    }

    #[test]
    fn cells_cover_the_circle() {
        let (lon, lat) = (115.99, 29.71);
        let ranges = cell_ranges_within(lon, lat, 10_000.0);
        let covered = |c: i64| ranges.iter().any(|&(a, b)| (a..=b).contains(&c));
        // Every point within 10 km lies in a listed cell.
        for i in 0..200 {
            let a = (i as f64) * 0.0314;
            let p = [lon + 0.09 * a.cos() * 1.03, lat + 0.089 * a.sin()];
            if distance_m([lon, lat], p) <= 10_000.0 {
                assert!(covered(cell_of(p[0], p[1])));
            }
        }
        assert!(ranges.len() <= 11, "{}", ranges.len());
        assert!(covered(cell_of(lon, lat)));
    }

    #[test]
    fn needs_as_typed() {
        let n = parse_need("10 km 内 冲锋舟 ≥ 5").unwrap();
        assert_eq!(
            n,
            Need {
                radius_m: Some(10_000.0),
                item: "冲锋舟".into(),
                min_qty: 5
            }
        );
        let n = parse_need("冲锋舟>=5 10公里内").unwrap();
        assert_eq!(
            n,
            Need {
                radius_m: Some(10_000.0),
                item: "冲锋舟".into(),
                min_qty: 5
            }
        );
        let n = parse_need("5公里 救生衣 200").unwrap();
        assert_eq!(
            n,
            Need {
                radius_m: Some(5_000.0),
                item: "救生衣".into(),
                min_qty: 200
            }
        );
        let n = parse_need("帐篷").unwrap();
        assert_eq!(
            n,
            Need {
                radius_m: None,
                item: "帐篷".into(),
                min_qty: 1
            }
        );
        let n = parse_need("800米内 抽水泵 > 2").unwrap();
        assert_eq!(
            n,
            Need {
                radius_m: Some(800.0),
                item: "抽水泵".into(),
                min_qty: 3
            }
        );
        assert!(parse_need("").is_err());
        assert!(parse_need("10 km 内").unwrap_err().contains("名称"));
        assert!(parse_need("500 km 内 帐篷").unwrap_err().contains("公里"));
        assert!(parse_need("帐篷 ≥ 很多").unwrap_err().contains("数量"));
    }

    #[test]
    fn manual_movements_keep_the_balance_non_negative() {
        let l = StockLevel {
            quantity: 10,
            reserved: 4,
        };
        assert_eq!(manual_delta(l, "inbound", 5), Ok(5));
        assert_eq!(manual_delta(l, "outbound", 6), Ok(-6));
        assert!(
            manual_delta(l, "outbound", 7)
                .unwrap_err()
                .contains("库存不足")
        );
        assert!(manual_delta(l, "write_off", 0).is_err());
        assert_eq!(manual_delta(l, "count", 8), Ok(-2));
        assert!(manual_delta(l, "count", 3).unwrap_err().contains("已审批"));
        assert!(manual_delta(l, "transfer_in", 3).is_err());
        assert!(manual_delta(l, "inbound", i64::MAX).is_err());
        assert!(manual_delta(l, "count", i64::MAX).is_err());
        assert!(manual_delta(l, "inbound", MAX_QUANTITY - 10).is_ok());
        assert!(manual_delta(l, "inbound", MAX_QUANTITY - 9).is_err());
        assert!(manual_delta(l, "steal", 3).is_err());
    }

    #[test]
    fn orders_follow_their_steps() {
        assert_eq!(
            order_next("requested", OrderAction::Approve),
            Ok("approved")
        );
        assert_eq!(order_next("approved", OrderAction::Ship), Ok("shipped"));
        assert_eq!(order_next("shipped", OrderAction::Receive), Ok("received"));
        assert!(
            order_next("requested", OrderAction::Ship)
                .unwrap_err()
                .contains("待审批")
        );
        assert!(order_next("shipped", OrderAction::Cancel).is_err());
        assert!(order_next("received", OrderAction::Receive).is_err());
        assert!(check_line_quantities("approved", "审批", &[10, 5], &[10, 2]).is_ok());
        let e = check_line_quantities("approved", "审批", &[10, 5], &[11, 2]).unwrap_err();
        assert_eq!(e.0[0].field, "approved[0]");
        assert!(check_line_quantities("shipped", "出库", &[3], &[0]).is_err());
        assert!(check_line_quantities("shipped", "出库", &[3], &[-1]).is_err());
        assert!(check_line_quantities("shipped", "出库", &[3, 1], &[1]).is_err());
    }

    #[test]
    fn shelters_count_people_in_and_out() {
        assert_eq!(check_in(true, 10, 100, 90), Ok(100));
        assert!(
            check_in(true, 10, 100, 91)
                .unwrap_err()
                .contains("最多还能入住 90 人")
        );
        assert!(check_in(false, 0, 100, 1).unwrap_err().contains("未开放"));
        assert!(check_out(0, 1).unwrap_err().contains("无人"));
        assert!(check_out(5, 6).is_err());
        assert_eq!(check_out(5, 5), Ok(0));
    }

    #[test]
    fn teams_go_out_from_standby_only() {
        assert_eq!(team_transition("standby", "dispatch"), Ok("dispatched"));
        assert!(
            team_transition("dispatched", "dispatch")
                .unwrap_err()
                .contains("出动")
        );
        assert_eq!(team_transition("dispatched", "return"), Ok("standby"));
        assert!(team_transition("standby", "return").is_err());
    }

    #[test]
    fn expiry() {
        let today: jiff::civil::Date = "2026-12-01".parse().unwrap();
        let d = |s: &str| Some(s.parse::<jiff::civil::Date>().unwrap());
        assert_eq!(expiry_state(d("2026-11-30"), today, 30), Some("expired"));
        assert_eq!(expiry_state(d("2026-12-31"), today, 30), Some("expiring"));
        assert_eq!(expiry_state(d("2027-01-01"), today, 30), None);
        assert_eq!(expiry_state(None, today, 30), None);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Manual(&'static str, i64),
        Approve(i64),
        Ship(usize, i64),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (
                prop::sample::select(vec!["inbound", "outbound", "count", "write_off"]),
                0i64..50
            )
                .prop_map(|(k, q)| Op::Manual(k, q)),
            (0i64..40).prop_map(Op::Approve),
            (0usize..8, 0i64..40).prop_map(|(i, q)| Op::Ship(i, q)),
        ]
    }

    proptest! {
        /// Whatever is tried in whatever order, the ledger's sum is the quantity, the quantity
        /// never goes below zero and the reservations never exceed it.
        #[test]
        fn the_ledger_never_goes_below_zero(ops in prop::collection::vec(op(), 1..60)) {
            let mut level = StockLevel::default();
            let mut ledger: Vec<i64> = Vec::new();
            let mut approved: Vec<i64> = Vec::new();
            for o in ops {
                match o {
                    Op::Manual(k, q) => if let Ok(d) = manual_delta(level, k, q) {
                        ledger.push(d);
                        level.quantity += d;
                    },
                    Op::Approve(q) => if let Ok(l) = reserve(level, q) {
                        level = l;
                        approved.push(q);
                    },
                    Op::Ship(i, q) => if i < approved.len() {
                        let a = approved[i];
                        if let Ok(l) = ship(level, a, q) {
                            level = l;
                            ledger.push(-q);
                            approved.remove(i);
                        }
                    },
                }
                prop_assert_eq!(ledger.iter().sum::<i64>(), level.quantity);
                prop_assert!(level.quantity >= 0);
                prop_assert!(level.reserved >= 0 && level.reserved <= level.quantity);
                prop_assert_eq!(approved.iter().sum::<i64>(), level.reserved);
            }
        }
    }
}
