//! Response: an incident's 叫应 state, its triggers, acknowledgement and closing.

use super::PolicyStep;
use serde::{Deserialize, Serialize};

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
