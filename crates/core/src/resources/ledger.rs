//! The ledger of a stock line: its level (quantity and reserved), the delta a manual movement
//! writes, what approving and shipping an order do to it, and a line's expiry state. The balance
//! of a line is the sum of its movements' deltas.

use super::{MOVEMENT_KINDS, label};

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
