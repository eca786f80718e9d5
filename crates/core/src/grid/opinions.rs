//! 舆情 (issue 24 item 1; 2024 work plan item 2 "舆情分级响应和分类处置"): an entry made by the
//! duty room from what the monitoring found (platform, link, summary, heat) with the level it
//! judged. The level tightens the event's deadlines, never loosens them: the district's table,
//! by default after 国办发〔2016〕61号 (特别重大、重大突发事件的政务舆情 最迟 24 小时内举行新闻
//! 发布会，其他政务舆情 48 小时内予以回应) and its 实施细则 国办发〔2016〕80号 (特别重大、重大 最迟
//! 5 小时内发布权威信息).

use crate::grid::events::{Deadlines, deadlines};
use crate::grid::events_config::{Category, GridEventConfig};
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};
use serde::{Deserialize, Serialize};

/// The four levels of a 舆情, as the duty room judges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OpinionLevel {
    /// Ⅰ级 特别重大
    Especially,
    /// Ⅱ级 重大
    Major,
    /// Ⅲ级 较大
    Larger,
    /// Ⅳ级 一般
    General,
}

impl OpinionLevel {
    pub const ALL: [Self; 4] = [Self::Especially, Self::Major, Self::Larger, Self::General];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Especially => "especially",
            Self::Major => "major",
            Self::Larger => "larger",
            Self::General => "general",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Especially => "Ⅰ级（特别重大）",
            Self::Major => "Ⅱ级（重大）",
            Self::Larger => "Ⅲ级（较大）",
            Self::General => "Ⅳ级（一般）",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }
    /// 重大 and above: the bureau's leaders are told at once.
    pub fn alerts_leaders(self) -> bool {
        matches!(self, Self::Especially | Self::Major)
    }
}

/// One line of the district's table: the level's own deadlines from the entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpinionResponse {
    pub level: OpinionLevel,
    /// 签收 within this many minutes.
    pub accept_minutes: u32,
    /// 处置 (权威信息发布) within this many hours.
    pub handle_hours: u32,
    /// 反馈 (回应, 新闻发布会) within this many hours.
    pub feedback_hours: u32,
}

/// The national table: Ⅰ/Ⅱ 5 h and 24 h (80号, 61号), Ⅲ/Ⅳ 48 h (61号); 签收 30 minutes for
/// Ⅰ/Ⅱ, 1 and 2 hours below.
pub fn default_table() -> Vec<OpinionResponse> {
    let row = |level, accept_minutes, handle_hours, feedback_hours| OpinionResponse {
        level,
        accept_minutes,
        handle_hours,
        feedback_hours,
    };
    vec![
        row(OpinionLevel::Especially, 30, 5, 24),
        row(OpinionLevel::Major, 30, 5, 24),
        row(OpinionLevel::Larger, 60, 24, 48),
        row(OpinionLevel::General, 120, 48, 48),
    ]
}

/// Checks the table: each level once, sensible spans, every error naming its row.
pub fn validate_table(errs: &mut Errors, table: &[OpinionResponse]) {
    for (i, r) in table.iter().enumerate() {
        let f = |name: &str| format!("opinion_levels[{i}].{name}");
        let row = i + 1;
        if table[..i].iter().any(|o| o.level == r.level) {
            errs.add(
                &f("level"),
                format!("第 {row} 行：舆情等级“{}”重复", r.level.label()),
            );
        }
        if !(5..=1_440).contains(&r.accept_minutes) {
            errs.add(
                &f("accept_minutes"),
                format!("第 {row} 行：签收时限应在 5 分钟到 1 天之间"),
            );
        }
        if !(1..=720).contains(&r.handle_hours) {
            errs.add(
                &f("handle_hours"),
                format!("第 {row} 行：处置时限应在 1 小时到 30 天之间"),
            );
        }
        if r.feedback_hours < r.handle_hours || r.feedback_hours > 720 {
            errs.add(
                &f("feedback_hours"),
                format!("第 {row} 行：反馈时限不能早于处置时限，且不超过 30 天"),
            );
        }
    }
}

/// The event's deadlines under the level: each the earlier of the category's and the level's.
pub fn tighten(
    d: Deadlines,
    table: &[OpinionResponse],
    level: OpinionLevel,
    at_ms: i64,
) -> Deadlines {
    let Some(r) = table.iter().find(|r| r.level == level) else {
        return d;
    };
    Deadlines {
        accept_ms: d
            .accept_ms
            .min(at_ms + i64::from(r.accept_minutes) * 60_000),
        handle_ms: d
            .handle_ms
            .min(at_ms + i64::from(r.handle_hours) * 3_600_000),
        feedback_ms: d
            .feedback_ms
            .min(at_ms + i64::from(r.feedback_hours) * 3_600_000),
    }
}

/// An event's deadlines from its dispatch: the category's, tightened by the 舆情's level.
pub fn deadlines_for(
    c: &Category,
    config: &GridEventConfig,
    level: Option<OpinionLevel>,
    at_ms: i64,
) -> Deadlines {
    let d = deadlines(c, at_ms);
    match level {
        Some(l) => tighten(d, &config.opinion_levels, l, at_ms),
        None => d,
    }
}

/// The message to the bureau's leaders on a 重大 or 特别重大 舆情: (title, body).
pub fn leaders_message(
    level: OpinionLevel,
    code: &str,
    title: &str,
    platform: &str,
) -> (String, String) {
    (
        format!("{}舆情：{title}", level.label()),
        format!(
            "{platform}出现{}舆情“{title}”（{code}），请按舆情分级响应要求及时研判回应",
            level.label()
        ),
    )
}

/// A 舆情 entry as the duty room makes it.
#[derive(Debug, Clone, Default)]
pub struct OpinionInput {
    /// 微博, 微信, 抖音, 新闻网站 …
    pub platform: String,
    pub url: Option<String>,
    pub heat: Option<i64>,
    pub level: String,
}

/// A checked 舆情 entry: (platform, link, heat, level).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedOpinion {
    pub platform: String,
    pub url: Option<String>,
    pub heat: Option<i64>,
    pub level: OpinionLevel,
}

/// Checks the 舆情's own fields, each error naming its field.
pub fn check_opinion(errs: &mut Errors, input: &OpinionInput) -> Option<CheckedOpinion> {
    let platform = errs.check("platform", required_text("发布平台", &input.platform, 30));
    let url = errs
        .check(
            "url",
            optional_text("原文链接", input.url.as_deref().unwrap_or(""), 500),
        )
        .flatten();
    if let Some(u) = &url
        && !(u.starts_with("https://") || u.starts_with("http://"))
    {
        errs.add("url", "原文链接应以 http:// 或 https:// 开头");
    }
    if input
        .heat
        .is_some_and(|h| !(0..=1_000_000_000).contains(&h))
    {
        errs.add("heat", "热度应为 0 到 10 亿之间的整数");
    }
    let level = OpinionLevel::parse(input.level.trim());
    if level.is_none() {
        errs.add(
            "level",
            "请选择舆情等级（Ⅰ级特别重大、Ⅱ级重大、Ⅲ级较大、Ⅳ级一般）",
        );
    }
    Some(CheckedOpinion {
        platform: platform?,
        url,
        heat: input.heat,
        level: level?,
    })
}

/// The check as a result, for callers with nothing else to check.
pub fn checked(input: &OpinionInput) -> Result<CheckedOpinion, Invalid> {
    let mut errs = Errors::default();
    let c = check_opinion(&mut errs, input);
    errs.into_result()?;
    c.ok_or_else(|| Invalid::one("level", "舆情信息不完整"))
}

/// Who may enter a 舆情: the duty room (值班员, 局领导, 管理员).
pub const NOT_THE_DUTY_ROOM: &str = "只有值班员、局领导和系统管理员可以登记舆情";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_tighten_never_loosen() {
        let d = Deadlines {
            accept_ms: 120 * 60_000,
            handle_ms: 72 * 3_600_000,
            feedback_ms: 120 * 3_600_000,
        };
        let t = default_table();
        let major = tighten(d, &t, OpinionLevel::Major, 0);
        assert_eq!(major.accept_ms, 30 * 60_000);
        assert_eq!(major.handle_ms, 5 * 3_600_000);
        assert_eq!(major.feedback_ms, 24 * 3_600_000);
        let general = tighten(d, &t, OpinionLevel::General, 0);
        assert_eq!(general.accept_ms, 120 * 60_000);
        assert_eq!(general.handle_ms, 48 * 3_600_000);
        assert_eq!(general.feedback_ms, 48 * 3_600_000);
        let short = Deadlines {
            accept_ms: 10 * 60_000,
            handle_ms: 3_600_000,
            feedback_ms: 2 * 3_600_000,
        };
        assert_eq!(tighten(short, &t, OpinionLevel::General, 0), short);
    }

    #[test]
    fn fields_are_named() {
        let bad = OpinionInput {
            platform: " ".into(),
            url: Some("ftp://x".into()),
            heat: Some(-1),
            level: "huge".into(),
        };
        let e = checked(&bad).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["platform", "url", "heat", "level"]);
        let ok = OpinionInput {
            platform: "微博".into(),
            url: Some("https://weibo.com/1".into()),
            heat: Some(12_000),
            level: "major".into(),
        };
        assert_eq!(checked(&ok).map(|c| c.level), Ok(OpinionLevel::Major));
    }

    #[test]
    fn the_table_names_its_rows() {
        let mut t = default_table();
        t[1].level = OpinionLevel::Especially;
        t[2].accept_minutes = 0;
        let mut errs = Errors::default();
        validate_table(&mut errs, &t);
        let e = errs.into_result().unwrap_err();
        assert_eq!(e.0[0].field, "opinion_levels[1].level");
        assert_eq!(e.0[1].field, "opinion_levels[2].accept_minutes");
    }
}
