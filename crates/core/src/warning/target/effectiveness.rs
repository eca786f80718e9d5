//! 叫应: who answers for an object (person types), and the acknowledgement figures of a group of
//! work orders (叫应效能分析).

use serde::Serialize;

/// Who answers for an object (叫应效能分析 compares them): the grid worker, a village or community
/// cadre, the street's 包保 cadre, the head of the unit (school, hospital …), the enterprise's
/// safety officer, or a guardian for a 特殊群体.
pub const PERSON_TYPES: &[(&str, &str)] = &[
    ("grid_worker", "网格员"),
    ("community_cadre", "村（社区）干部"),
    ("street_cadre", "街道包保干部"),
    ("unit_head", "单位负责人"),
    ("enterprise_safety", "企业安全负责人"),
    ("guardian", "监护人/亲属"),
    ("other", "其他"),
];

pub fn person_type_label(code: &str) -> &'static str {
    PERSON_TYPES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("其他")
}

/// The person type an object of this kind usually has, when the register does not say.
pub fn default_person_type(kind: &str) -> &'static str {
    match kind {
        "school" | "nursing_home" | "hospital" | "crowded_place" => "unit_head",
        "construction" | "deep_pit" | "tower_crane" | "hazchem_enterprise" | "outdoor_work" => {
            "enterprise_safety"
        }
        "geohazard" | "waterlogging" | "dangerous_house" | "reservoir" | "dike" | "flash_flood"
        | "forest_fire_zone" => "community_cadre",
        _ => "grid_worker",
    }
}

/// One work order as 叫应效能分析 sees it.
#[derive(Debug, Clone, Copy)]
pub struct OrderOutcome {
    pub due_ms: i64,
    pub created_ms: i64,
    pub acknowledged_ms: Option<i64>,
    /// Closed (解除) or past its deadline: an order without acknowledgement then counts as never.
    pub decided: bool,
}

/// Acknowledgement figures of a group of orders (a street, a person type, a whole warning).
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Effectiveness {
    pub orders: i64,
    pub on_time: i64,
    pub late: i64,
    pub never: i64,
    pub waiting: i64,
    /// On time over the decided orders (on time + late + never).
    pub ack_rate: Option<f64>,
    /// Minutes from the order to its acknowledgement: mean and median of the acknowledged.
    pub mean_ack_minutes: Option<f64>,
    pub median_ack_minutes: Option<f64>,
}

impl Effectiveness {
    pub fn of(orders: &[OrderOutcome]) -> Self {
        let mut e = Self {
            orders: orders.len() as i64,
            ..Self::default()
        };
        let mut minutes: Vec<f64> = Vec::new();
        for o in orders {
            match o.acknowledged_ms {
                Some(a) => {
                    if a <= o.due_ms {
                        e.on_time += 1;
                    } else {
                        e.late += 1;
                    }
                    minutes.push((a - o.created_ms).max(0) as f64 / 60_000.0);
                }
                None if o.decided => e.never += 1,
                None => e.waiting += 1,
            }
        }
        let decided = e.on_time + e.late + e.never;
        e.ack_rate = (decided > 0).then(|| e.on_time as f64 / decided as f64);
        if !minutes.is_empty() {
            minutes.sort_by(f64::total_cmp);
            e.mean_ack_minutes = Some(minutes.iter().sum::<f64>() / minutes.len() as f64);
            let n = minutes.len();
            e.median_ack_minutes = Some(if n % 2 == 1 {
                minutes[n / 2]
            } else {
                (minutes[n / 2 - 1] + minutes[n / 2]) / 2.0
            });
        }
        e
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn effectiveness_counts_on_time_late_never_and_times() {
        use super::{Effectiveness, OrderOutcome};
        let o = |ack: Option<i64>, decided| OrderOutcome {
            due_ms: 15 * 60_000,
            created_ms: 0,
            acknowledged_ms: ack,
            decided,
        };
        let e = Effectiveness::of(&[
            o(Some(5 * 60_000), true),
            o(Some(10 * 60_000), true),
            o(Some(30 * 60_000), true),
            o(None, true),
            o(None, false),
        ]);
        assert_eq!(
            (e.orders, e.on_time, e.late, e.never, e.waiting),
            (5, 2, 1, 1, 1)
        );
        assert_eq!(e.ack_rate, Some(0.5));
        assert_eq!(e.mean_ack_minutes, Some(15.0));
        assert_eq!(e.median_ack_minutes, Some(10.0));
        assert_eq!(Effectiveness::of(&[]).ack_rate, None);
    }
}
