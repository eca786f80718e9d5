//! 督办 of a grid event (issue 24 item 3): each of its three deadlines (签收, 处置, 反馈) runs
//! through 提醒 (when `remind_at_percent` of the span has passed, to the unit), 黄牌 (at the
//! deadline, to the unit) and 红牌 (`red_after_hours` later, to the unit and the bureau's
//! leaders). One timer at a time: each card schedules the next.

use crate::grid::events::Status;
use crate::grid::events_config::GridEventConfig;
use crate::kernel::clock::to_local_minute;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Accept,
    Handle,
    Feedback,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Self::Accept, Self::Handle, Self::Feedback];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::Handle => "handle",
            Self::Feedback => "feedback",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Accept => "签收",
            Self::Handle => "处置",
            Self::Feedback => "反馈",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// The state an event is in while this deadline runs.
    pub fn status(self) -> Status {
        match self {
            Self::Accept => Status::Dispatched,
            Self::Handle => Status::Accepted,
            Self::Feedback => Status::Handled,
        }
    }
    /// The deadline running in a state, if any.
    pub fn of_status(s: Status) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.status() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Card {
    Remind,
    Yellow,
    Red,
}

impl Card {
    pub const ALL: [Card; 3] = [Self::Remind, Self::Yellow, Self::Red];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Remind => "remind",
            Self::Yellow => "yellow",
            Self::Red => "red",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Remind => "提醒",
            Self::Yellow => "黄牌",
            Self::Red => "红牌督办",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// The bureau's leaders are told too.
    pub fn to_leaders(self) -> bool {
        self == Self::Red
    }
}

pub fn card_label(s: &str) -> &'static str {
    Card::parse(s).map_or("", Card::label)
}

/// When a card falls due for a deadline `due_ms` whose span began at `start_ms`.
pub fn card_at(card: Card, start_ms: i64, due_ms: i64, config: &GridEventConfig) -> i64 {
    match card {
        Card::Remind => {
            start_ms + (due_ms - start_ms).max(0) * i64::from(config.remind_at_percent) / 100
        }
        Card::Yellow => due_ms,
        Card::Red => due_ms + i64::from(config.red_after_hours) * 3_600_000,
    }
}

/// The first card still ahead of `now_ms` (a late dispatch skips those already past), or red.
pub fn first_card(
    now_ms: i64,
    start_ms: i64,
    due_ms: i64,
    config: &GridEventConfig,
) -> (Card, i64) {
    Card::ALL
        .into_iter()
        .map(|c| (c, card_at(c, start_ms, due_ms, config)))
        .find(|(_, at)| *at > now_ms)
        .unwrap_or((Card::Red, card_at(Card::Red, start_ms, due_ms, config)))
}

pub fn next_card(card: Card) -> Option<Card> {
    match card {
        Card::Remind => Some(Card::Yellow),
        Card::Yellow => Some(Card::Red),
        Card::Red => None,
    }
}

/// (title, body) of a card's message.
pub fn card_message(
    stage: Stage,
    card: Card,
    code: &str,
    title: &str,
    unit: &str,
    due_ms: i64,
) -> (String, String) {
    let when = to_local_minute(due_ms);
    let body = match card {
        Card::Remind => format!(
            "网格事件{code}“{title}”的{}时限 {when} 即将到期，请{unit}尽快办理",
            stage.label()
        ),
        Card::Yellow => format!(
            "网格事件{code}“{title}”已超过{}时限 {when}，{unit}被亮黄牌，请立即办理",
            stage.label()
        ),
        Card::Red => format!(
            "网格事件{code}“{title}”超过{}时限 {when} 仍未办理，对{unit}红牌督办",
            stage.label()
        ),
    };
    (format!("网格事件{}：{title}", card.label()), body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_follow_the_span() {
        let c = GridEventConfig::default();
        let h = 3_600_000;
        assert_eq!(card_at(Card::Remind, 0, 10 * h, &c), 8 * h);
        assert_eq!(card_at(Card::Yellow, 0, 10 * h, &c), 10 * h);
        assert_eq!(card_at(Card::Red, 0, 10 * h, &c), 34 * h);
        assert_eq!(first_card(9 * h, 0, 10 * h, &c), (Card::Yellow, 10 * h));
        assert_eq!(first_card(99 * h, 0, 10 * h, &c).0, Card::Red);
        assert_eq!(Stage::of_status(Status::Accepted), Some(Stage::Handle));
    }
}
