//! 一企一档: the sections of an enterprise's dossier, the four-colour summary of its risk points
//! and the timeline that merges the dated events of every section, newest first and bounded.

use crate::prevention::risk::RiskLevel;
use serde::Serialize;

/// How many events the timeline keeps.
pub const TIMELINE_LIMIT: usize = 200;
/// How many rows a list section keeps (the most telling first).
pub const SECTION_LIMIT: i64 = 100;

/// One dated event of the dossier's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TimelineEvent {
    /// When (ms since the epoch).
    pub at_ms: i64,
    /// The section it belongs to: licence, standardisation, hazard, alarm, inspection, case,
    /// incident, risk_point …
    pub section: String,
    /// The section's Chinese name.
    pub section_label: String,
    /// What happened, in Chinese.
    pub title: String,
    /// The record's id.
    pub record_id: String,
}

/// The label of a timeline section.
pub fn section_label(section: &str) -> &'static str {
    match section {
        "licence" => "证照",
        "standardisation" => "标准化",
        "key_person" => "关键岗位人员",
        "risk_point" => "风险点",
        "hazard" => "隐患",
        "alarm" => "报警",
        "inspection" => "执法检查",
        "case" => "行政处罚",
        "incident" => "事故事件",
        "plan" => "应急预案",
        "credit" => "信用评级",
        "insurance" => "安责险",
        _ => "其他",
    }
}

impl TimelineEvent {
    pub fn new(at_ms: i64, section: &str, title: String, record_id: String) -> Self {
        Self {
            at_ms,
            section: section.to_string(),
            section_label: section_label(section).to_string(),
            title,
            record_id,
        }
    }
}

/// Every section's events in one list, newest first (ties by section and id, so the order is
/// stable), at most `limit`.
pub fn merge_timeline(parts: Vec<Vec<TimelineEvent>>, limit: usize) -> Vec<TimelineEvent> {
    let mut all: Vec<TimelineEvent> = parts.into_iter().flatten().collect();
    all.sort_by(|a, b| {
        b.at_ms
            .cmp(&a.at_ms)
            .then_with(|| a.section.cmp(&b.section))
            .then_with(|| a.record_id.cmp(&b.record_id))
    });
    all.truncate(limit);
    all
}

/// The count of risk points of one colour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ColourCount {
    /// major / large / general / low
    pub level: String,
    /// 重大风险 …
    pub label: String,
    /// red / orange / yellow / blue
    pub colour: String,
    pub count: i64,
}

/// The 四色 summary: one line per level, 重大 first, from (level, count) pairs.
pub fn colour_counts(counts: &[(String, i64)]) -> Vec<ColourCount> {
    RiskLevel::ALL
        .into_iter()
        .map(|l| ColourCount {
            level: l.as_str().into(),
            label: l.label().into(),
            colour: l.colour().into(),
            count: counts
                .iter()
                .filter(|(k, _)| k == l.as_str())
                .map(|(_, n)| n)
                .sum(),
        })
        .collect()
}

/// The file name of an exported dossier: 企业档案_<name>_<day>.<ext>.
pub fn export_name(enterprise: &str, day: &str, ext: &str) -> String {
    let safe: String = enterprise
        .chars()
        .filter(|c| !matches!(c, '/' | '\\' | '"' | ':' | '*' | '?' | '<' | '>' | '|'))
        .collect();
    format!("企业档案_{safe}_{day}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newest_first_and_bounded() {
        let e = |at, s: &str, id: &str| TimelineEvent::new(at, s, String::new(), id.into());
        let t = merge_timeline(
            vec![
                vec![e(1, "hazard", "h1"), e(5, "hazard", "h2")],
                vec![e(3, "alarm", "a1"), e(5, "alarm", "a2")],
            ],
            3,
        );
        let ids: Vec<_> = t.iter().map(|e| e.record_id.as_str()).collect();
        assert_eq!(ids, ["a2", "h2", "a1"]);
    }

    #[test]
    fn four_colours_in_order() {
        let c = colour_counts(&[("low".into(), 2), ("major".into(), 1)]);
        let got: Vec<_> = c.iter().map(|c| (c.colour.as_str(), c.count)).collect();
        assert_eq!(got, [("red", 1), ("orange", 0), ("yellow", 0), ("blue", 2)]);
    }
}
