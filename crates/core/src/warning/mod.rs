//! 预警信息: event types, the four colour levels, what a CAP message's event and severity mean in
//! those terms, and the steps of an authored warning (草稿 → 待审核 → 已发布 → 更新/解除).

pub mod access;
pub mod authoring;
pub mod cap;
pub mod feed;

pub mod target;

use serde::Serialize;

/// Event types the bureau targets by (the susceptibility table is keyed by these). CAP messages
/// name events in words; `event_of` maps the words, anything else is 其他 with the words kept.
pub const EVENT_TYPES: &[(&str, &str)] = &[
    ("rainstorm", "暴雨"),
    ("typhoon", "台风"),
    ("gale", "大风"),
    ("heat", "高温"),
    ("cold_wave", "寒潮"),
    ("snowstorm", "暴雪"),
    ("thunder", "雷电"),
    ("hail", "冰雹"),
    ("fog", "大雾"),
    ("haze", "霾"),
    ("icy_road", "道路结冰"),
    ("frost", "霜冻"),
    ("drought", "干旱"),
    ("flood", "洪水"),
    ("geological", "地质灾害"),
    ("forest_fire", "森林火险"),
    ("other", "其他"),
];

/// Words that name each event type in CAP `<event>` (Chinese first, then common English).
const EVENT_WORDS: &[(&str, &[&str])] = &[
    (
        "rainstorm",
        &["暴雨", "强降雨", "rainstorm", "heavy rain", "rain"],
    ),
    (
        "typhoon",
        &["台风", "typhoon", "tropical storm", "hurricane", "cyclone"],
    ),
    ("gale", &["大风", "gale", "wind"]),
    ("heat", &["高温", "heat"]),
    ("cold_wave", &["寒潮", "cold wave", "cold"]),
    ("snowstorm", &["暴雪", "snow", "blizzard"]),
    ("thunder", &["雷电", "雷暴", "thunder", "lightning"]),
    ("hail", &["冰雹", "hail"]),
    ("fog", &["大雾", "fog"]),
    ("haze", &["霾", "haze", "smog"]),
    ("icy_road", &["道路结冰", "icy road", "road ice"]),
    ("frost", &["霜冻", "frost"]),
    ("drought", &["干旱", "drought"]),
    ("flood", &["洪水", "山洪", "内涝", "flood"]),
    (
        "geological",
        &["地质灾害", "滑坡", "泥石流", "landslide", "debris flow"],
    ),
    (
        "forest_fire",
        &[
            "森林火险",
            "森林火灾",
            "fire weather",
            "forest fire",
            "bushfire",
            "wildfire",
        ],
    ),
];

pub fn event_of(words: &str) -> &'static str {
    let lower = words.to_lowercase();
    EVENT_WORDS
        .iter()
        .find(|(_, ws)| ws.iter().any(|w| lower.contains(w)))
        .map(|(code, _)| *code)
        .unwrap_or("other")
}

pub fn event_label(code: &str) -> &'static str {
    EVENT_TYPES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| *l)
        .unwrap_or("其他")
}

/// Level 1 (红, highest) to 4 (蓝): colour, the term, and the CAP severity it is published with.
pub const LEVELS: [(i64, &str, &str, &str); 4] = [
    (1, "红色", "特别严重", "Extreme"),
    (2, "橙色", "严重", "Severe"),
    (3, "黄色", "较重", "Moderate"),
    (4, "蓝色", "一般", "Minor"),
];

pub fn level_colour(level: i64) -> &'static str {
    LEVELS
        .iter()
        .find(|l| l.0 == level)
        .map(|l| l.1)
        .unwrap_or("")
}

pub fn level_severity(level: i64) -> &'static str {
    LEVELS
        .iter()
        .find(|l| l.0 == level)
        .map(|l| l.3)
        .unwrap_or("Unknown")
}

/// A message's level: a colour named in an event code or parameter (GB/T 35965.1 messages carry
/// one), else the CAP severity; Unknown is taken as 蓝 (the lowest), never left out.
pub fn level_of(severity: &str, coded: &[(&str, &str)]) -> i64 {
    for (_, v) in coded {
        for (n, colour, ..) in LEVELS {
            let bare = colour.trim_end_matches('色');
            let lower = v.to_lowercase();
            if v.contains(colour)
                || v.trim() == bare
                || lower == ["red", "orange", "yellow", "blue"][(n - 1) as usize]
            {
                return n;
            }
        }
    }
    LEVELS
        .iter()
        .find(|l| l.3 == severity)
        .map(|l| l.0)
        .unwrap_or(4)
}

pub const STATUSES: &[(&str, &str)] = &[
    ("draft", "草稿"),
    ("pending", "待审核"),
    ("published", "已发布"),
    ("superseded", "已更新"),
    ("cancelled", "已解除"),
    ("expired", "已过期"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Step {
    Submit,
    Approve,
    Reject,
    Cancel,
}

impl Step {
    pub fn parse(s: &str) -> Result<Self, String> {
        Ok(match s {
            "submit" => Self::Submit,
            "approve" => Self::Approve,
            "reject" => Self::Reject,
            "cancel" => Self::Cancel,
            _ => return Err("操作应为：提交审核、审核发布、退回、解除".into()),
        })
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Submit => "提交审核",
            Self::Approve => "审核发布",
            Self::Reject => "退回",
            Self::Cancel => "解除",
        }
    }
}

/// The status after a step, or why it cannot be taken. Approval needs a second person: the
/// author cannot approve their own warning.
pub fn next(status: &str, step: Step, by_author: bool) -> Result<&'static str, String> {
    match (status, step) {
        ("draft", Step::Submit) => Ok("pending"),
        ("pending", Step::Approve) if by_author => Err("预警须由起草人以外的另一人审核发布".into()),
        ("pending", Step::Approve) => Ok("published"),
        ("pending", Step::Reject) => Ok("draft"),
        ("published", Step::Cancel) => Ok("cancelled"),
        (s, step) => Err(format!(
            "预警当前{}，不能{}",
            STATUSES.iter().find(|x| x.0 == s).map(|x| x.1).unwrap_or(s),
            step.label()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_in_words() {
        assert_eq!(event_of("暴雨橙色预警"), "rainstorm");
        assert_eq!(event_of("SEVERE THUNDERSTORM"), "thunder");
        assert_eq!(event_of("Earthquake"), "other");
        assert_eq!(event_of("地质灾害气象风险预警"), "geological");
        assert_eq!(event_label("gale"), "大风");
    }

    #[test]
    fn levels_from_colour_or_severity() {
        assert_eq!(level_of("Moderate", &[]), 3);
        assert_eq!(level_of("Minor", &[("GB/T 35965.1:level", "橙色")]), 2);
        assert_eq!(level_of("Unknown", &[("level", "Red")]), 1);
        assert_eq!(level_of("Unknown", &[]), 4);
        assert_eq!(level_severity(1), "Extreme");
        assert_eq!(level_colour(4), "蓝色");
    }

    #[test]
    fn a_second_person_approves() {
        assert_eq!(next("draft", Step::Submit, true), Ok("pending"));
        assert!(
            next("pending", Step::Approve, true)
                .unwrap_err()
                .contains("另一人")
        );
        assert_eq!(next("pending", Step::Approve, false), Ok("published"));
        assert_eq!(next("pending", Step::Reject, false), Ok("draft"));
        assert_eq!(next("published", Step::Cancel, false), Ok("cancelled"));
        assert!(
            next("cancelled", Step::Cancel, false)
                .unwrap_err()
                .contains("已解除")
        );
    }
}
