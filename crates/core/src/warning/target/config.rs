//! The targeting tables: the object kinds, which kinds an event concerns, the action table, and
//! the minutes to acknowledge by level (the `warning` district rule).

use super::Publisher;
use crate::kernel::validation::{Errors, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const OBJECT_KINDS: &[(&str, &str)] = &[
    ("dangerous_house", "危房"),
    ("geohazard", "地灾隐患点"),
    ("waterlogging", "易涝点"),
    ("school", "学校"),
    ("nursing_home", "养老院"),
    ("hospital", "医院"),
    ("construction", "在建工地"),
    ("deep_pit", "深基坑"),
    ("tower_crane", "塔吊"),
    ("billboard", "户外广告牌"),
    ("crowded_place", "人员密集场所"),
    ("hazchem_enterprise", "重大危险源企业"),
    ("outdoor_work", "户外作业点"),
    ("special_person", "特殊群体"),
    ("reservoir", "水库"),
    ("dike", "堤防"),
    ("flash_flood", "山洪危险区"),
    ("forest_fire_zone", "森林火险区"),
    ("residence", "居民住房"),
    ("bridge", "桥梁"),
    ("road", "道路"),
];

pub fn kind_label(code: &str) -> &'static str {
    OBJECT_KINDS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("")
}

/// One row of the action table: for an event (or `*`), at levels up to `max_level` (1 = 红 only,
/// 4 = every level), an object kind (or `*`) is given these actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRule {
    pub event: String,
    pub kind: String,
    pub max_level: i64,
    pub actions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct TargetingConfig {
    /// Event type → the object kinds it concerns.
    pub susceptibility: BTreeMap<String, Vec<String>>,
    /// Rules in order; an object gets the actions of every rule that matches.
    pub actions: Vec<ActionRule>,
    /// Minutes to acknowledge, by level 1–4.
    pub ack_minutes: [i64; 4],
    /// Minutes after the deadline at which an unacknowledged order goes to the street.
    pub street_after_minutes: i64,
    /// Who the district's published warnings say they are from.
    pub publisher: Publisher,
}

fn rule(event: &str, kind: &str, max_level: i64, actions: &[&str]) -> ActionRule {
    ActionRule {
        event: event.into(),
        kind: kind.into(),
        max_level,
        actions: actions.iter().map(|s| s.to_string()).collect(),
    }
}

impl Default for TargetingConfig {
    fn default() -> Self {
        let s = |event: &str, kinds: &[&str]| {
            (
                event.to_string(),
                kinds.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
            )
        };
        Self {
            susceptibility: BTreeMap::from([
                s(
                    "rainstorm",
                    &[
                        "waterlogging",
                        "geohazard",
                        "dangerous_house",
                        "construction",
                        "deep_pit",
                        "reservoir",
                        "dike",
                        "flash_flood",
                    ],
                ),
                s(
                    "typhoon",
                    &[
                        "dangerous_house",
                        "tower_crane",
                        "billboard",
                        "construction",
                        "waterlogging",
                        "geohazard",
                    ],
                ),
                s(
                    "gale",
                    &[
                        "tower_crane",
                        "billboard",
                        "construction",
                        "dangerous_house",
                    ],
                ),
                s(
                    "heat",
                    &[
                        "outdoor_work",
                        "special_person",
                        "nursing_home",
                        "construction",
                    ],
                ),
                s(
                    "cold_wave",
                    &["special_person", "nursing_home", "dangerous_house"],
                ),
                s(
                    "snowstorm",
                    &[
                        "dangerous_house",
                        "special_person",
                        "construction",
                        "tower_crane",
                    ],
                ),
                s(
                    "thunder",
                    &[
                        "crowded_place",
                        "construction",
                        "hazchem_enterprise",
                        "tower_crane",
                    ],
                ),
                s("hail", &["construction", "crowded_place"]),
                s("fog", &["school", "crowded_place"]),
                s("icy_road", &["school", "special_person"]),
                s(
                    "flood",
                    &[
                        "waterlogging",
                        "geohazard",
                        "dangerous_house",
                        "reservoir",
                        "dike",
                        "flash_flood",
                    ],
                ),
                s(
                    "geological",
                    &["geohazard", "dangerous_house", "construction"],
                ),
                s("forest_fire", &["crowded_place", "forest_fire_zone"]),
            ]),
            actions: vec![
                rule("*", "*", 4, &["通知"]),
                rule("*", "waterlogging", 3, &["巡查", "设置警示"]),
                rule("*", "geohazard", 3, &["巡查"]),
                rule("*", "geohazard", 2, &["转移"]),
                rule("*", "dangerous_house", 3, &["巡查"]),
                rule("*", "dangerous_house", 2, &["转移"]),
                rule("*", "construction", 2, &["停工"]),
                rule("*", "deep_pit", 2, &["停工", "巡查"]),
                rule("*", "tower_crane", 3, &["停止作业", "加固"]),
                rule("*", "billboard", 2, &["加固"]),
                rule("*", "special_person", 4, &["一对一叫应"]),
                rule("*", "special_person", 2, &["上门帮扶"]),
                rule("*", "school", 2, &["停课"]),
                rule("*", "outdoor_work", 2, &["停工"]),
                rule("*", "crowded_place", 2, &["疏导", "暂停活动"]),
                rule("*", "hazchem_enterprise", 3, &["巡查", "消险"]),
                rule("*", "reservoir", 3, &["巡查", "控制水位"]),
                rule("*", "dike", 3, &["巡查"]),
                rule("*", "flash_flood", 3, &["巡查"]),
                rule("*", "flash_flood", 2, &["转移"]),
                rule("*", "forest_fire_zone", 3, &["巡护", "禁止野外用火"]),
            ],
            ack_minutes: [5, 15, 30, 60],
            street_after_minutes: 15,
            publisher: Publisher::default(),
        }
    }
}

impl TargetingConfig {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errs = Errors::default();
        self.publisher.check(&mut errs);
        let known = |k: &str| OBJECT_KINDS.iter().any(|(c, _)| *c == k);
        for (event, kinds) in &self.susceptibility {
            if !crate::warning::EVENT_TYPES.iter().any(|(c, _)| c == event) {
                errs.add(
                    &format!("susceptibility.{event}"),
                    format!("预警类型“{event}”无效"),
                );
            }
            for k in kinds {
                if !known(k) {
                    errs.add(
                        &format!("susceptibility.{event}"),
                        format!("承灾体类型“{k}”无效"),
                    );
                }
            }
        }
        for (i, r) in self.actions.iter().enumerate() {
            if r.kind != "*" && !known(&r.kind) {
                errs.add(
                    &format!("actions[{i}].kind"),
                    format!("承灾体类型“{}”无效", r.kind),
                );
            }
            if !(1..=4).contains(&r.max_level) {
                errs.add(&format!("actions[{i}].max_level"), "级别应为 1 至 4");
            }
            if r.actions.is_empty() {
                errs.add(&format!("actions[{i}].actions"), "处置措施不能为空");
            }
        }
        for (i, m) in self.ack_minutes.iter().enumerate() {
            if !(1..=1440).contains(m) {
                errs.add(&format!("ack_minutes[{i}]"), "叫应时限应为 1 至 1440 分钟");
            }
        }
        if !(1..=1440).contains(&self.street_after_minutes) {
            errs.add(
                "street_after_minutes",
                "升级到街道的时间应为 1 至 1440 分钟",
            );
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.into_invalid())
        }
    }

    pub fn kinds_for(&self, event: &str) -> Vec<String> {
        self.susceptibility.get(event).cloned().unwrap_or_default()
    }

    /// The actions for an object of `kind` under a warning of `event` at `level`, in table order
    /// without repeats.
    pub fn actions_for(&self, event: &str, level: i64, kind: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in &self.actions {
            if (r.event == "*" || r.event == event)
                && (r.kind == "*" || r.kind == kind)
                && level <= r.max_level
            {
                for a in &r.actions {
                    if !out.contains(a) {
                        out.push(a.clone());
                    }
                }
            }
        }
        out
    }

    pub fn ack_minutes_for(&self, level: i64) -> i64 {
        self.ack_minutes[(level.clamp(1, 4) - 1) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rainstorm_concerns_waterlogging_and_houses() {
        let c = TargetingConfig::default();
        assert!(
            c.kinds_for("rainstorm")
                .contains(&"waterlogging".to_string())
        );
        assert!(
            c.kinds_for("rainstorm")
                .contains(&"dangerous_house".to_string())
        );
        assert!(!c.kinds_for("rainstorm").contains(&"school".to_string()));
        assert!(c.kinds_for("gale").contains(&"tower_crane".to_string()));
        assert_eq!(
            c.actions_for("rainstorm", 2, "dangerous_house"),
            ["通知", "巡查", "转移"]
        );
        assert_eq!(c.actions_for("rainstorm", 4, "dangerous_house"), ["通知"]);
        assert_eq!(
            c.actions_for("rainstorm", 3, "waterlogging"),
            ["通知", "巡查", "设置警示"]
        );
        assert_eq!((c.ack_minutes_for(1), c.ack_minutes_for(2)), (5, 15));
        assert!(c.validate().is_ok());
        let mut bad = c.clone();
        bad.ack_minutes[0] = 0;
        bad.actions[0].kind = "ufo".into();
        assert_eq!(bad.validate().unwrap_err().0.len(), 2);
    }
}
