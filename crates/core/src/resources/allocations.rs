//! 调拨单: the inputs of an order and of a step on it, the checks of a request and the wording
//! of refusals and of the audit/timeline text; the steps (`OrderAction`), the status machine
//! (`order_next`) and the quantity checks of a step (`check_line_quantities`).

use super::{ORDER_STATUSES, label};
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};

#[derive(Debug, Clone)]
pub struct OrderLineInput {
    pub stock_id: String,
    pub quantity: i64,
}

#[derive(Debug, Clone)]
pub struct OrderInput {
    pub from_warehouse_id: String,
    /// Another warehouse (调拨入库 there on receipt) …
    pub to_warehouse_id: Option<String>,
    /// … or the incident the materials go to.
    pub incident_id: Option<String>,
    /// 送达地点 (defaults to the destination warehouse's name).
    pub destination: String,
    /// 用途.
    pub purpose: String,
    pub lines: Vec<OrderLineInput>,
}

#[derive(Debug, Clone)]
pub struct OrderActionInput {
    /// approve / reject / ship / receive / cancel
    pub action: String,
    /// Per line, for approve / ship / receive; defaults to the previous step's quantities.
    pub quantities: Option<Vec<i64>>,
    pub note: Option<String>,
}

/// Why a role may not request an allocation.
pub const REQUEST_DENIED: &str = "您没有申请物资调拨的权限";
/// The source warehouse of a request does not exist (or is not visible).
pub const UNKNOWN_SOURCE: &str = "调出储备库不存在";
/// A request names its source warehouse as its destination.
pub const SAME_WAREHOUSE: &str = "调入储备库不能与调出储备库相同";
/// The destination warehouse of a request does not exist (or is not visible).
pub const UNKNOWN_DESTINATION: &str = "调入储备库不存在";
/// The incident a request serves does not exist (or is not visible).
pub const UNKNOWN_INCIDENT: &str = "事件不存在";
/// The requester is neither the sending nor the receiving side.
pub const BOTH_SIDES_OUTSIDE: &str = "调出储备库和调入地点都不在您的管辖范围内";
/// Another officer took a step on the order first.
pub const ORDER_CHANGED: &str = "调拨单刚刚被他人处理，请刷新";

/// Whether a caller may take a step given which sides of the order lie in its scope: 出库 is the
/// source's, 签收 the destination's, 撤销 either side's; 审批 and 驳回 are the leaders' wherever
/// the sides are (their role is checked apart).
pub fn sides_allow(action: OrderAction, covers_source: bool, covers_destination: bool) -> bool {
    match action {
        OrderAction::Approve | OrderAction::Reject => true,
        OrderAction::Ship => covers_source,
        OrderAction::Receive => covers_destination,
        OrderAction::Cancel => covers_source || covers_destination,
    }
}

/// The note of a step (说明), at most 500 characters.
pub fn check_step_note(note: Option<&str>) -> Result<Option<String>, Invalid> {
    optional_text("说明", note.unwrap_or(""), 500).map_err(|m| Invalid::one("note", m))
}

/// A line's quantities at the steps so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineSteps {
    pub requested: i64,
    pub approved: Option<i64>,
    pub shipped: Option<i64>,
}

/// The most each line may get at a step: what the step before gave it (审批 ≤ 申请, 出库 ≤ 审批,
/// 签收 ≤ 出库); empty for the steps without quantities (驳回, 撤销).
pub fn step_bounds(action: OrderAction, lines: &[LineSteps]) -> Vec<i64> {
    let bound = |l: &LineSteps| match action {
        OrderAction::Approve => Some(l.requested),
        OrderAction::Ship => Some(l.approved.unwrap_or(0)),
        OrderAction::Receive => Some(l.shipped.unwrap_or(0)),
        OrderAction::Reject | OrderAction::Cancel => None,
    };
    lines.iter().filter_map(bound).collect()
}

/// Why a role may not take a step on an order.
pub fn refused(action: OrderAction) -> String {
    format!(
        "您没有{}调拨单的权限{}",
        action.label(),
        if matches!(action, OrderAction::Approve | OrderAction::Reject) {
            "（须局领导或管理员）"
        } else {
            ""
        }
    )
}

/// Why a step on an order outside the caller's region is refused: the side it belongs to.
pub fn outside_order(action: OrderAction) -> String {
    format!(
        "该调拨单的{}方不在您的管辖范围内",
        match action {
            OrderAction::Receive => "调入",
            _ => "调出",
        }
    )
}

/// Checks the request's texts and the number of lines into `errs`, in the order the form shows
/// them. `has_target`: a destination warehouse or an incident was given; `fallback`: the
/// destination used when none is written. Returns (purpose, destination).
pub fn check_request(
    errs: &mut Errors,
    input: &OrderInput,
    has_target: bool,
    fallback: Option<String>,
) -> (Option<String>, Option<String>) {
    if !has_target {
        errs.add("to_warehouse_id", "请选择调入储备库或所支援的事件");
    }
    let purpose = errs.check("purpose", required_text("用途", &input.purpose, 200));
    let destination = errs
        .check(
            "destination",
            optional_text("送达地点", &input.destination, 200),
        )
        .flatten()
        .or(fallback);
    if input.lines.is_empty() {
        errs.add("lines", "请至少填写一种物资");
    }
    if input.lines.len() > 50 {
        errs.add("lines", "一张调拨单最多50种物资");
    }
    (purpose, destination)
}

/// What a request line is checked against: the stock line it names, as read now.
#[derive(Debug, Clone, Copy)]
pub struct SourceLine<'a> {
    pub warehouse_id: &'a str,
    pub active: bool,
    pub material_name: &'a str,
    pub available: i64,
    pub unit: &'a str,
}

/// The source warehouse of a request.
#[derive(Debug, Clone, Copy)]
pub struct SourceWarehouse<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub active: bool,
}

/// Checks line `i` of a request into `errs`: `duplicate` when an earlier line names the same
/// stock line, `source` None when the stock line does not exist (or is not visible).
pub fn check_request_line(
    errs: &mut Errors,
    i: usize,
    quantity: i64,
    duplicate: bool,
    source: Option<SourceLine>,
    from: SourceWarehouse,
) {
    let n = i + 1;
    let stock_field = format!("lines[{i}].stock_id");
    let field = format!("lines[{i}].quantity");
    if duplicate {
        errs.add(&stock_field, format!("第{n}行与前面的物资重复"));
        return;
    }
    match source {
        Some(s) if s.warehouse_id != from.id => {
            errs.add(&stock_field, format!("第{n}行物资不在{}", from.name))
        }
        Some(s) if !(s.active && from.active) => errs.add(
            &stock_field,
            format!("第{n}行{}已停用，不能调拨", s.material_name),
        ),
        Some(s) if quantity <= 0 => errs.add(
            &field,
            format!("第{n}行{}的申请数量应大于0", s.material_name),
        ),
        Some(s) if quantity > s.available => errs.add(
            &field,
            format!(
                "第{n}行{}申请 {}{}，超过可用库存 {}{}",
                s.material_name, quantity, s.unit, s.available, s.unit
            ),
        ),
        Some(_) => {}
        None => errs.add(&stock_field, format!("第{n}行物资不存在")),
    }
}

/// The order's number: DB, the year and a four-digit sequence.
pub fn order_code(year: i16, n: i64) -> String {
    format!("DB{year}{n:04}")
}

/// The timeline/audit text of a request.
pub fn request_text(code: &str, from: &str, destination: &str, purpose: &str) -> String {
    format!("申请物资调拨 {code}：{from} → {destination}（{purpose}）")
}

/// The word a step's quantities are named by (审批数量 …); empty for steps without quantities.
pub fn step_label(action: OrderAction) -> &'static str {
    match action {
        OrderAction::Approve => "审批",
        OrderAction::Ship => "出库",
        OrderAction::Receive => "签收",
        _ => "",
    }
}

/// Why line `i` cannot be approved: its available stock was taken meanwhile.
pub fn short_to_approve(i: usize, material: &str, q: i64, unit: &str) -> String {
    format!(
        "第{}行{material}可用库存不足 {q}{unit}（可能已被其他调拨单占用），请减少审批数量",
        i + 1
    )
}

/// Why line `i` cannot be shipped.
pub fn short_to_ship(i: usize, material: &str) -> String {
    format!("第{}行{material}库存不足，不能出库", i + 1)
}

/// The timeline/audit text of a step: the order, the step, what moved (material, quantity,
/// unit) and the note.
pub fn step_text(
    code: &str,
    action: OrderAction,
    moved: &[(&str, i64, &str)],
    note: Option<&str>,
) -> String {
    let summary: Vec<String> = moved
        .iter()
        .map(|(name, q, unit)| format!("{name}{q}{unit}"))
        .collect();
    format!(
        "调拨单 {code} {}{}{}",
        action.label(),
        if summary.is_empty() {
            String::new()
        } else {
            format!("：{}", summary.join("、"))
        },
        note.map(|n| format!("（{n}）")).unwrap_or_default()
    )
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> OrderInput {
        OrderInput {
            from_warehouse_id: "w1".into(),
            to_warehouse_id: None,
            incident_id: None,
            destination: String::new(),
            purpose: String::new(),
            lines: vec![],
        }
    }

    #[test]
    fn a_request_needs_a_target_a_purpose_and_lines() {
        let mut errs = Errors::default();
        let (purpose, destination) = check_request(&mut errs, &request(), false, None);
        assert_eq!((purpose, destination), (None, None));
        assert_eq!(
            errs.into_invalid().summary(),
            "请选择调入储备库或所支援的事件；用途不能为空；请至少填写一种物资"
        );
        let mut errs = Errors::default();
        let input = OrderInput {
            purpose: "救灾".into(),
            ..request()
        };
        let (_, destination) = check_request(&mut errs, &input, true, Some("二号库".into()));
        assert_eq!(destination.as_deref(), Some("二号库"));
    }

    #[test]
    fn request_lines() {
        let from = SourceWarehouse {
            id: "w1",
            name: "一号库",
            active: true,
        };
        let line = SourceLine {
            warehouse_id: "w1",
            active: true,
            material_name: "帐篷",
            available: 3,
            unit: "顶",
        };
        let mut errs = Errors::default();
        check_request_line(&mut errs, 0, 5, false, Some(line), from);
        check_request_line(&mut errs, 1, 1, true, Some(line), from);
        check_request_line(&mut errs, 2, 1, false, None, from);
        check_request_line(&mut errs, 3, 1, false, Some(line), from);
        assert_eq!(
            errs.into_invalid().summary(),
            "第1行帐篷申请 5顶，超过可用库存 3顶；第2行与前面的物资重复；第3行物资不存在"
        );
    }

    #[test]
    fn wording() {
        assert_eq!(order_code(2026, 7), "DB20260007");
        assert_eq!(
            step_text(
                "DB20260007",
                OrderAction::Ship,
                &[("帐篷", 2, "顶")],
                Some("急")
            ),
            "调拨单 DB20260007 出库：帐篷2顶（急）"
        );
        assert_eq!(
            refused(OrderAction::Approve),
            "您没有审批调拨单的权限（须局领导或管理员）"
        );
        assert_eq!(
            outside_order(OrderAction::Receive),
            "该调拨单的调入方不在您的管辖范围内"
        );
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
    fn each_step_belongs_to_its_side() {
        for action in [
            OrderAction::Approve,
            OrderAction::Reject,
            OrderAction::Ship,
            OrderAction::Receive,
            OrderAction::Cancel,
        ] {
            let allowed: Vec<(bool, bool)> = [(false, false), (true, false), (false, true)]
                .into_iter()
                .filter(|&(s, d)| sides_allow(action, s, d))
                .collect();
            let expected: &[(bool, bool)] = match action {
                OrderAction::Approve | OrderAction::Reject => {
                    &[(false, false), (true, false), (false, true)]
                }
                OrderAction::Ship => &[(true, false)],
                OrderAction::Receive => &[(false, true)],
                OrderAction::Cancel => &[(true, false), (false, true)],
            };
            assert_eq!(allowed, expected, "{action:?}");
        }
    }

    #[test]
    fn a_step_is_bounded_by_the_step_before() {
        let lines = [
            LineSteps {
                requested: 5,
                approved: Some(4),
                shipped: Some(3),
            },
            LineSteps {
                requested: 2,
                approved: None,
                shipped: None,
            },
        ];
        assert_eq!(step_bounds(OrderAction::Approve, &lines), vec![5, 2]);
        assert_eq!(step_bounds(OrderAction::Ship, &lines), vec![4, 0]);
        assert_eq!(step_bounds(OrderAction::Receive, &lines), vec![3, 0]);
        assert!(step_bounds(OrderAction::Cancel, &lines).is_empty());
        assert_eq!(
            check_step_note(Some(" 急 ")).unwrap().as_deref(),
            Some("急")
        );
        assert_eq!(
            check_step_note(Some(&"长".repeat(501))).unwrap_err().0[0].field,
            "note"
        );
    }
}
