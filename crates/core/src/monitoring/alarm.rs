//! Monitoring alarms (shared/reference/alerting.md §2.3): threshold detection with hysteresis
//! per sensor, and the incident's response state with its 叫应 escalation policy.
//!
//! Detection and response are separate. A threshold crossing *triggers*; while an incident for
//! the same sensor and level is open, further triggers are deduplicated onto it. Acknowledgement
//! stops escalation but does not resolve; a trigger after the incident resolved opens a new one.
//! The escalation policy is copied onto the incident when it opens (alerting.md G7).

use serde::{Deserialize, Serialize};

/// A reading or threshold in ten-thousandths: sensor values are compared exactly, never as f64.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Milli4(pub i64);

impl Milli4 {
    /// A decimal as sent by gateways: "12.34", "-0.01", 17 (JSON numbers arrive as their text).
    /// At most four decimals are kept (more are rounded half away from zero); NaN, infinities,
    /// exponents and magnitudes beyond ±10¹² are refused.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        let (neg, body) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s.strip_prefix('+').unwrap_or(s)),
        };
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if int.is_empty() && frac.is_empty() || !digits(int) || !digits(frac) || int.len() > 12 {
            return None;
        }
        let int: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
        let mut f = frac.bytes().map(|b| i64::from(b - b'0'));
        let mut units = 0;
        for _ in 0..4 {
            units = units * 10 + f.next().unwrap_or(0);
        }
        if f.next().is_some_and(|d| d >= 5) {
            units += 1;
        }
        let v = int.checked_mul(10_000)?.checked_add(units)?;
        Some(Self(if neg { -v } else { v }))
    }

    pub fn to_f64(self) -> f64 {
        self.0 as f64 / 10_000.0
    }
}

impl std::fmt::Display for Milli4 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        let (int, frac) = (a / 10_000, a % 10_000);
        if frac == 0 {
            write!(f, "{sign}{int}")
        } else {
            let s = format!("{frac:04}");
            write!(f, "{sign}{int}.{}", s.trim_end_matches('0'))
        }
    }
}

/// 低低报 / 低报 / 高报 / 高高报 from the thresholds, 变化速率超限 from the rate-of-change limit,
/// and 离线 when a sensor has been silent longer than its timeout.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[schema(as = AlarmLevel)]
#[serde(rename_all = "UPPERCASE")]
pub enum Level {
    Ll,
    L,
    H,
    Hh,
    Rate,
    Offline,
}

impl Level {
    /// The levels a threshold defines, from the lowest.
    pub const THRESHOLDS: [Level; 4] = [Level::Ll, Level::L, Level::H, Level::Hh];
    pub const ALL: [Level; 6] = [
        Level::Ll,
        Level::L,
        Level::H,
        Level::Hh,
        Level::Rate,
        Level::Offline,
    ];

    /// The stored and wire code: LL, L, H, HH, RATE, OFFLINE.
    pub fn code(self) -> &'static str {
        match self {
            Self::Ll => "LL",
            Self::L => "L",
            Self::H => "H",
            Self::Hh => "HH",
            Self::Rate => "RATE",
            Self::Offline => "OFFLINE",
        }
    }

    pub fn parse(code: &str) -> Option<Level> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Orders levels by how urgent they are: HH/LL, then H/L/RATE, then OFFLINE.
    pub fn severity(self) -> u8 {
        match self {
            Self::Hh | Self::Ll => 3,
            Self::H | Self::L | Self::Rate => 2,
            Self::Offline => 1,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Ll => "低低报",
            Self::L => "低报",
            Self::H => "高报",
            Self::Hh => "高高报",
            Self::Rate => "变化速率超限",
            Self::Offline => "离线",
        }
    }

    /// HH and LL are the severe levels (often tied to interlocks).
    pub fn is_severe(self) -> bool {
        matches!(self, Self::Ll | Self::Hh)
    }

    /// The milder level on the same side, which this one inhibits.
    pub fn inhibits(self) -> Option<Level> {
        match self {
            Self::Hh => Some(Self::H),
            Self::Ll => Some(Self::L),
            _ => None,
        }
    }
}

/// A sensor's alarm thresholds; any may be absent. Hysteresis is the dead band a value must
/// leave a threshold by before its alarm clears.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Thresholds {
    pub ll: Option<Milli4>,
    pub l: Option<Milli4>,
    pub h: Option<Milli4>,
    pub hh: Option<Milli4>,
    pub hysteresis: Milli4,
}

impl Thresholds {
    fn of(&self, level: Level) -> Option<Milli4> {
        match level {
            Level::Ll => self.ll,
            Level::L => self.l,
            Level::H => self.h,
            Level::Hh => self.hh,
            Level::Rate | Level::Offline => None,
        }
    }

    /// Chinese message naming the field when the thresholds are not in order LL < L < H < HH.
    pub fn check(&self) -> Result<(), (&'static str, &'static str)> {
        if self.hysteresis.0 < 0 {
            return Err(("hysteresis", "回差不能为负数"));
        }
        let ordered: Vec<(Level, Milli4)> = Level::THRESHOLDS
            .iter()
            .filter_map(|l| self.of(*l).map(|v| (*l, v)))
            .collect();
        for w in ordered.windows(2) {
            if w[0].1 >= w[1].1 {
                let field = match w[1].0 {
                    Level::L => "threshold_l",
                    Level::H => "threshold_h",
                    _ => "threshold_hh",
                };
                return Err((field, "报警阈值应满足 低低报 < 低报 < 高报 < 高高报"));
            }
        }
        Ok(())
    }

    /// Whether `value` is in alarm at `level`, given whether that alarm is already active:
    /// an active alarm clears only once the value is back past the threshold by the hysteresis.
    pub fn in_alarm(&self, level: Level, value: Milli4, active: bool) -> bool {
        let Some(t) = self.of(level) else {
            return false;
        };
        let band = if active { self.hysteresis.0 } else { 0 };
        match level {
            Level::H | Level::Hh => value.0 >= t.0 - band,
            Level::L | Level::Ll => value.0 <= t.0 + band,
            Level::Rate | Level::Offline => false,
        }
    }

    /// The levels in alarm after `value`, given those active before (hysteresis applies).
    pub fn evaluate(&self, value: Milli4, active: &[Level]) -> Vec<Level> {
        Level::THRESHOLDS
            .into_iter()
            .filter(|l| self.in_alarm(*l, value, active.contains(l)))
            .collect()
    }
}

/// Whether a sensor moved from `prev` to `next` (each `(epoch ms, value)`) faster than `limit`
/// per minute. Exact: |Δv| × 60 000 > limit × Δms; readings at the same or an earlier time never
/// exceed.
pub fn rate_exceeded(prev: (i64, Milli4), next: (i64, Milli4), limit: Milli4) -> bool {
    let dt = i128::from(next.0) - i128::from(prev.0);
    if dt <= 0 {
        return false;
    }
    let dv = (i128::from(next.1.0) - i128::from(prev.1.0)).abs();
    dv * 60_000 > i128::from(limit.0) * dt
}

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
/// What a sensor measures.
pub const SENSOR_KINDS: &[(&str, &str)] = &[
    ("level", "液位"),
    ("temperature", "温度"),
    ("pressure", "压力"),
    ("gas_lel", "可燃气体"),
    ("gas_toxic", "有毒气体"),
    ("water_level", "水位"),
    ("displacement", "位移"),
    ("rainfall", "雨量"),
];

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

/// 报警中 → 已确认 (叫应) → 处置中 → 已关闭; `resolved` (the value is back to normal) is tracked
/// apart from the response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(as = AlarmResponse)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    Unacked,
    Acked,
    Handling,
    Closed,
}

impl Response {
    pub fn label(self) -> &'static str {
        match self {
            Self::Unacked => "报警中",
            Self::Acked => "已确认",
            Self::Handling => "处置中",
            Self::Closed => "已关闭",
        }
    }
}

/// 处置结论 when an incident is closed.
pub const DISPOSITIONS: &[(&str, &str)] = &[
    ("real", "真实报警"),
    ("false_alarm", "误报"),
    ("device_fault", "设备故障"),
    ("test", "测试"),
];

/// The pure state of one alarm incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    pub opened_ms: i64,
    pub response: Response,
    pub resolved_ms: Option<i64>,
    /// Snapshot of the policy when the incident opened; later edits do not change it.
    pub policy: Vec<PolicyStep>,
    /// Steps fired so far (a prefix of `policy`).
    pub steps_fired: usize,
    /// Triggers folded into this incident (the first one included).
    pub triggers: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TriggerOutcome {
    /// A new incident; its first steps may be due at once.
    Opened(Incident),
    /// The same condition again: counted on the open incident, nobody is notified again.
    Deduplicated,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    AlreadyAcked,
    AlreadyClosed,
    NotAcked,
    DispositionRequired,
}

impl Refusal {
    pub fn message(self) -> &'static str {
        match self {
            Self::AlreadyAcked => "该报警已确认",
            Self::AlreadyClosed => "该报警已关闭",
            Self::NotAcked => "请先确认（叫应）该报警",
            Self::DispositionRequired => "关闭报警须选择处置结论（真实报警/误报/设备故障/测试）",
        }
    }
}

impl Incident {
    /// Whether a new trigger may fold into this incident: it is open and its condition has not
    /// resolved. A trigger after resolution opens a new incident.
    pub fn absorbs_triggers(&self) -> bool {
        self.response != Response::Closed && self.resolved_ms.is_none()
    }

    pub fn trigger(
        existing: Option<&mut Incident>,
        now_ms: i64,
        policy: &[PolicyStep],
    ) -> TriggerOutcome {
        match existing {
            Some(i) if i.absorbs_triggers() => {
                i.triggers += 1;
                TriggerOutcome::Deduplicated
            }
            _ => TriggerOutcome::Opened(Incident {
                opened_ms: now_ms,
                response: Response::Unacked,
                resolved_ms: None,
                policy: policy.to_vec(),
                steps_fired: 0,
                triggers: 1,
            }),
        }
    }

    /// When the next escalation step falls due, or None: acknowledged or closed incidents do
    /// not escalate, and a policy has an end.
    pub fn next_due_ms(&self) -> Option<i64> {
        if self.response != Response::Unacked {
            return None;
        }
        self.policy
            .get(self.steps_fired)
            .map(|s| self.opened_ms + s.after_secs * 1000)
    }

    /// Fires every step due at `now_ms` and returns their indexes (each exactly once).
    pub fn fire_due(&mut self, now_ms: i64) -> Vec<usize> {
        let mut fired = Vec::new();
        while self.next_due_ms().is_some_and(|due| due <= now_ms) {
            fired.push(self.steps_fired);
            self.steps_fired += 1;
        }
        fired
    }

    pub fn ack(&mut self) -> Result<(), Refusal> {
        match self.response {
            Response::Unacked => {
                self.response = Response::Acked;
                Ok(())
            }
            Response::Closed => Err(Refusal::AlreadyClosed),
            _ => Err(Refusal::AlreadyAcked),
        }
    }

    pub fn start_handling(&mut self) -> Result<(), Refusal> {
        match self.response {
            Response::Acked => {
                self.response = Response::Handling;
                Ok(())
            }
            Response::Unacked => Err(Refusal::NotAcked),
            Response::Handling => Err(Refusal::AlreadyAcked),
            Response::Closed => Err(Refusal::AlreadyClosed),
        }
    }

    /// The value is back to normal (with hysteresis). The response goes on until closed.
    pub fn resolve(&mut self, now_ms: i64) {
        if self.resolved_ms.is_none() {
            self.resolved_ms = Some(now_ms);
        }
    }

    /// Closing needs a disposition; an unacknowledged incident is acknowledged by closing it.
    pub fn close(&mut self, disposition: &str) -> Result<(), Refusal> {
        if self.response == Response::Closed {
            return Err(Refusal::AlreadyClosed);
        }
        if !DISPOSITIONS.iter().any(|(c, _)| *c == disposition) {
            return Err(Refusal::DispositionRequired);
        }
        self.response = Response::Closed;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(s: &str) -> Milli4 {
        Milli4::parse(s).expect(s)
    }

    #[test]
    fn rate_of_change_is_per_minute_and_exact() {
        let limit = m("0.5");
        // 0.5 in exactly one minute is at the limit, not over it.
        assert!(!rate_exceeded((0, m("1")), (60_000, m("1.5")), limit));
        assert!(rate_exceeded((0, m("1")), (60_000, m("1.5001")), limit));
        // Falling counts as much as rising; 0.3 in 30 s is 0.6 per minute.
        assert!(rate_exceeded((0, m("1")), (30_000, m("0.7")), limit));
        // Same or earlier timestamps never exceed (out-of-order readings are not evaluated).
        assert!(!rate_exceeded((60_000, m("1")), (60_000, m("9")), limit));
        assert!(!rate_exceeded((60_000, m("1")), (0, m("9")), limit));
        // Extreme values do not overflow.
        assert!(rate_exceeded(
            (i64::MIN, Milli4(i64::MIN)),
            (i64::MAX, Milli4(i64::MAX)),
            Milli4(1)
        ));
    }

    fn policy() -> Vec<PolicyStep> {
        [
            (0, "企业安全员"),
            (300, "主要负责人"),
            (600, "街道"),
            (900, "行业部门"),
        ]
        .iter()
        .map(|(s, l)| PolicyStep {
            after_secs: *s,
            targets: vec![(*l).into()],
            label: (*l).into(),
        })
        .collect()
    }

    #[test]
    fn decimals_parse_exactly() {
        assert_eq!(m("12.34"), Milli4(123_400));
        assert_eq!(m("-0.01"), Milli4(-100));
        assert_eq!(m("17"), Milli4(170_000));
        assert_eq!(m("0.00005"), Milli4(1));
        assert_eq!(m(".5"), Milli4(5_000));
        assert_eq!(m("18.5").to_string(), "18.5");
        assert_eq!(m("-3").to_string(), "-3");
        for bad in [
            "NaN",
            "inf",
            "-inf",
            "1e3",
            "",
            "-",
            "1.2.3",
            "12a",
            "9999999999999",
        ] {
            assert!(Milli4::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn thresholds_with_hysteresis() {
        let t = Thresholds {
            ll: Some(m("1")),
            l: Some(m("2")),
            h: Some(m("17")),
            hh: Some(m("18.5")),
            hysteresis: m("0.5"),
        };
        assert!(t.check().is_ok());
        assert_eq!(t.evaluate(m("10"), &[]), vec![]);
        assert_eq!(t.evaluate(m("17"), &[]), vec![Level::H]);
        assert_eq!(
            t.evaluate(m("18.5"), &[Level::H]),
            vec![Level::H, Level::Hh]
        );
        // Back under HH but inside its dead band: HH stays; under by more: it clears.
        assert_eq!(
            t.evaluate(m("18.1"), &[Level::H, Level::Hh]),
            vec![Level::H, Level::Hh]
        );
        assert_eq!(
            t.evaluate(m("17.9"), &[Level::H, Level::Hh]),
            vec![Level::H]
        );
        assert_eq!(t.evaluate(m("16.6"), &[Level::H]), vec![Level::H]);
        assert_eq!(t.evaluate(m("16.5"), &[Level::H]), vec![Level::H]);
        assert_eq!(t.evaluate(m("16.4"), &[Level::H]), vec![]);
        assert_eq!(t.evaluate(m("0.9"), &[]), vec![Level::Ll, Level::L]);
        assert_eq!(Level::Hh.inhibits(), Some(Level::H));
        let bad = Thresholds {
            h: Some(m("5")),
            hh: Some(m("5")),
            ..Default::default()
        };
        assert_eq!(bad.check().map_err(|e| e.0), Err("threshold_hh"));
    }

    #[test]
    fn escalation_follows_the_snapshot_until_acknowledged() {
        let TriggerOutcome::Opened(mut i) = Incident::trigger(None, 0, &policy()) else {
            panic!("opens");
        };
        assert_eq!(i.fire_due(0), vec![0]);
        assert_eq!(i.fire_due(299_999), Vec::<usize>::new());
        assert_eq!(i.fire_due(650_000), vec![1, 2]);
        i.ack().expect("ack");
        assert_eq!(i.fire_due(10_000_000), Vec::<usize>::new());
        assert_eq!(i.ack(), Err(Refusal::AlreadyAcked));
        i.start_handling().expect("handle");
        assert_eq!(i.close("maybe"), Err(Refusal::DispositionRequired));
        i.close("false_alarm").expect("close");
        assert_eq!(i.ack(), Err(Refusal::AlreadyClosed));
    }

    #[derive(Debug, Clone)]
    enum Op {
        Trigger,
        Ack,
        Resolve,
        Close,
        Tick(i64),
        EditPolicy,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => Just(Op::Trigger),
            2 => Just(Op::Ack),
            2 => Just(Op::Resolve),
            1 => Just(Op::Close),
            4 => (1i64..400_000).prop_map(Op::Tick),
            1 => Just(Op::EditPolicy),
        ]
    }

    proptest! {
        /// alerting.md G7 over random sequences: acknowledgement stops every further step; a
        /// trigger on an open incident never notifies again; a trigger after resolution opens a
        /// new incident; each incident keeps the policy it opened with; no step fires twice.
        #[test]
        fn ack_semantics(ops in proptest::collection::vec(op(), 1..60)) {
            let mut now = 0i64;
            let mut current_policy = policy();
            let mut incidents: Vec<(Incident, Vec<PolicyStep>)> = Vec::new();
            let mut fired: Vec<(usize, usize)> = Vec::new();
            for op in ops {
                let open = incidents.len().checked_sub(1);
                match op {
                    Op::Trigger => {
                        let before = incidents.len();
                        let existing = incidents.last_mut().map(|(i, _)| i);
                        let absorbs = existing.as_ref().is_some_and(|i| i.absorbs_triggers());
                        match Incident::trigger(existing, now, &current_policy) {
                            TriggerOutcome::Opened(i) => {
                                prop_assert!(!absorbs);
                                incidents.push((i, current_policy.clone()));
                            }
                            TriggerOutcome::Deduplicated => prop_assert!(absorbs && incidents.len() == before),
                        }
                    }
                    Op::Ack => if let Some(k) = open {
                        let _ = incidents[k].0.ack();
                    },
                    Op::Resolve => if let Some(k) = open {
                        incidents[k].0.resolve(now);
                    },
                    Op::Close => if let Some(k) = open {
                        let _ = incidents[k].0.close("real");
                    },
                    Op::Tick(d) => now += d,
                    Op::EditPolicy => {
                        current_policy.truncate(2);
                        current_policy[1].after_secs = 1;
                    }
                }
                for (k, (i, snapshot)) in incidents.iter_mut().enumerate() {
                    let acked = i.response != Response::Unacked;
                    let steps = i.fire_due(now);
                    prop_assert!(!acked || steps.is_empty(), "acknowledged incident escalated");
                    prop_assert_eq!(&i.policy, snapshot);
                    for s in steps {
                        prop_assert!(!fired.contains(&(k, s)), "step fired twice");
                        prop_assert!(i.opened_ms + i.policy[s].after_secs * 1000 <= now);
                        fired.push((k, s));
                    }
                }
            }
        }
    }
}
