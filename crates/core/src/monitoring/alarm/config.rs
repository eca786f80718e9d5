//! A district's alarm rules: the 叫应 policy steps and their audiences, and the status colour of
//! a monitored object from its active alarms.

use super::Level;
use serde::{Deserialize, Serialize};

/// One step of a 叫应 policy: who is notified, and how long after the incident opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PolicyStep {
    /// Seconds after the incident opened (0 = at once).
    pub after_secs: i64,
    /// Role codes or user ids resolved when the step fires.
    pub targets: Vec<String>,
    pub label: String,
}

/// Who a 叫应 step may name besides single users (by id).
pub const STEP_TARGETS: &[(&str, &str)] = &[
    ("enterprise", "企业（安全员、主要负责人及企业群）"),
    ("street", "属地街道（街道人员及街道值班群）"),
    ("department", "行业主管部门"),
    ("district", "区应急管理局（指挥人员、值班员及值班群）"),
];

/// The overall colour of an enterprise or 重大危险源 from its active alarms.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum StatusColour {
    Green,
    Yellow,
    Orange,
    Red,
}

impl StatusColour {
    pub fn label(self) -> &'static str {
        match self {
            Self::Green => "正常",
            Self::Yellow => "关注",
            Self::Orange => "预警",
            Self::Red => "报警",
        }
    }
}

/// A district's alarm rules: the 叫应 chains snapshotted on each new incident, and the status
/// colour rule. Defaults follow alerting.md §2.3.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AlarmConfig {
    /// For threshold and rate-of-change alarms.
    pub escalation: Vec<PolicyStep>,
    /// For 离线 alarms: a silent device is the enterprise's to fix first.
    pub offline_escalation: Vec<PolicyStep>,
    /// Levels (LL, L, H, HH, RATE, OFFLINE) whose active alarms make the status red; the
    /// unacknowledged ones of `orange` count as red after `orange_unacked_red_after_secs`.
    pub red_levels: Vec<Level>,
    pub orange_levels: Vec<Level>,
    pub yellow_levels: Vec<Level>,
    pub orange_unacked_red_after_secs: i64,
    /// 转为隐患 proposals (alarm_hazard.rs): an alarm active this long …
    pub hazard_after_secs: i64,
    /// … or a sensor with this many alarms in 24 hours is proposed as a hidden hazard
    /// (0 switches a criterion off).
    pub hazard_repeats_24h: i64,
}

fn step(after_secs: i64, target: &str, label: &str) -> PolicyStep {
    PolicyStep {
        after_secs,
        targets: vec![target.into()],
        label: label.into(),
    }
}

impl Default for AlarmConfig {
    fn default() -> Self {
        Self {
            escalation: vec![
                step(0, "enterprise", "企业安全员"),
                step(300, "enterprise", "企业主要负责人"),
                step(600, "street", "属地街道"),
                step(900, "department", "行业主管部门"),
            ],
            offline_escalation: vec![
                step(0, "enterprise", "企业设备管理员"),
                step(3600, "street", "属地街道"),
            ],
            red_levels: vec![Level::Hh, Level::Ll],
            orange_levels: vec![Level::H, Level::L, Level::Rate],
            yellow_levels: vec![Level::Offline],
            orange_unacked_red_after_secs: 1800,
            hazard_after_secs: 3600,
            hazard_repeats_24h: 3,
        }
    }
}

/// One active alarm as the status rule sees it.
#[derive(Debug, Clone, Copy)]
pub struct ActiveAlarm {
    pub level: Level,
    pub opened_ms: i64,
    pub acked: bool,
}

impl AlarmConfig {
    pub fn policy_for(&self, level: Level) -> &[PolicyStep] {
        if level == Level::Offline {
            &self.offline_escalation
        } else {
            &self.escalation
        }
    }

    /// The colour of an object with these active alarms at `now_ms`.
    pub fn status(&self, active: &[ActiveAlarm], now_ms: i64) -> StatusColour {
        let overdue = self.orange_unacked_red_after_secs.saturating_mul(1000);
        active
            .iter()
            .map(|a| {
                if self.red_levels.contains(&a.level) {
                    StatusColour::Red
                } else if self.orange_levels.contains(&a.level) {
                    if !a.acked && now_ms - a.opened_ms >= overdue {
                        StatusColour::Red
                    } else {
                        StatusColour::Orange
                    }
                } else if self.yellow_levels.contains(&a.level) {
                    StatusColour::Yellow
                } else {
                    StatusColour::Green
                }
            })
            .max()
            .unwrap_or(StatusColour::Green)
    }

    pub fn validate(&self) -> Result<(), crate::Invalid> {
        let mut errs = crate::kernel::validation::Errors::default();
        if !(0..=30 * 86_400).contains(&self.hazard_after_secs) {
            errs.add(
                "hazard_after_secs",
                "持续报警转隐患的时长须在 0 至 2592000 秒之间（0 为不启用）",
            );
        }
        if !(0..=1000).contains(&self.hazard_repeats_24h) {
            errs.add(
                "hazard_repeats_24h",
                "24小时内重复报警次数须在 0 至 1000 之间（0 为不启用）",
            );
        }
        for (field, steps) in [
            ("escalation", &self.escalation),
            ("offline_escalation", &self.offline_escalation),
        ] {
            if steps.is_empty() || steps.len() > 10 {
                errs.add(field, "叫应步骤须为 1 至 10 步");
            }
            let mut prev = 0;
            for (i, s) in steps.iter().enumerate() {
                let f = |k: &str| format!("{field}[{i}].{k}");
                if !(0..=86_400).contains(&s.after_secs) {
                    errs.add(&f("after_secs"), "间隔须在 0 至 86400 秒之间");
                } else if s.after_secs < prev {
                    errs.add(&f("after_secs"), "各步时间须依次不早于上一步");
                }
                prev = s.after_secs;
                if s.label.trim().is_empty() || s.label.chars().count() > 50 {
                    errs.add(&f("label"), "请填写步骤名称（最多 50 字）");
                }
                let known = |t: &String| {
                    STEP_TARGETS.iter().any(|(c, _)| c == t)
                        || (t.len() == 36 && t.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
                };
                if s.targets.is_empty() || !s.targets.iter().all(known) {
                    errs.add(
                        &f("targets"),
                        "通知对象须为 enterprise、street、department、district 或用户编号",
                    );
                }
            }
        }
        if !(60..=86_400 * 7).contains(&self.orange_unacked_red_after_secs) {
            errs.add("orange_unacked_red_after_secs", "须在 60 秒至 7 天之间");
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(errs.into_invalid())
        }
    }
}
