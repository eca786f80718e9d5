//! 应急预案: the plan library's kinds, response levels Ⅰ–Ⅳ with trigger conditions written by
//! the plan's owner (for example `死亡 >= 3 或 疏散 >= 500`), task lists, and the suggestion of
//! the level an incident's facts reach (cn-standards.md §2, §6).

use crate::kernel::validation::{Errors, Invalid, required_text};
use crate::response::incident::{Casualties, Severity};
use serde::{Deserialize, Serialize};

pub const KINDS: &[(&str, &str)] = &[
    ("overall", "总体应急预案"),
    ("special", "专项应急预案"),
    ("department", "部门应急预案"),
    ("street", "街道应急预案"),
    ("enterprise", "企业应急预案"),
    ("onsite", "现场处置方案"),
];

/// 应急响应级别: Ⅰ (1) is the highest.
pub fn response_label(level: i64) -> &'static str {
    match level {
        1 => "Ⅰ级",
        2 => "Ⅱ级",
        3 => "Ⅲ级",
        4 => "Ⅳ级",
        _ => "",
    }
}

/// The facts a trigger reads. Natural-disaster plans (§6) use the house counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TriggerFacts {
    pub casualties: Casualties,
    pub severity: Option<Severity>,
    pub houses_rooms: i64,
    pub houses_households: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Deaths,
    Missing,
    DeathsAndMissing,
    SeriousInjuries,
    MinorInjuries,
    Trapped,
    AtRisk,
    Evacuated,
    LossYuan,
    Severity,
    HousesRooms,
    HousesHouseholds,
}

/// Names a trigger may use: English (the API's field names) and Chinese.
const FIELDS: &[(&str, &str, Field)] = &[
    ("deaths", "死亡", Field::Deaths),
    ("missing", "失踪", Field::Missing),
    ("deaths_and_missing", "死亡和失踪", Field::DeathsAndMissing),
    ("serious_injuries", "重伤", Field::SeriousInjuries),
    ("minor_injuries", "轻伤", Field::MinorInjuries),
    ("trapped", "被困", Field::Trapped),
    ("at_risk", "涉险", Field::AtRisk),
    ("evacuated", "疏散", Field::Evacuated),
    ("loss_yuan", "直接经济损失", Field::LossYuan),
    ("severity", "事件等级", Field::Severity),
    ("houses_rooms", "倒损房屋间数", Field::HousesRooms),
    ("houses_households", "倒损房屋户数", Field::HousesHouseholds),
];

impl Field {
    fn value(self, f: &TriggerFacts) -> i64 {
        let c = &f.casualties;
        match self {
            Self::Deaths => c.deaths,
            Self::Missing => c.missing,
            Self::DeathsAndMissing => c.deaths.saturating_add(c.missing),
            Self::SeriousInjuries => c.serious_injuries,
            Self::MinorInjuries => c.minor_injuries,
            Self::Trapped => c.trapped,
            Self::AtRisk => c.at_risk,
            Self::Evacuated => c.evacuated,
            Self::LossYuan => c.loss_yuan,
            Self::Severity => f.severity.map_or(0, Severity::rank),
            Self::HousesRooms => f.houses_rooms,
            Self::HousesHouseholds => f.houses_households,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Ge,
    Gt,
    Le,
    Lt,
    Eq,
    Ne,
}

/// A parsed trigger: OR of ANDs of comparisons, with parentheses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Trigger {
    Cmp(FieldRef, CmpOp, i64),
    All(Vec<Trigger>),
    Any(Vec<Trigger>),
}

/// Opaque wrappers so the AST can be public without exposing the token types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldRef(Field);
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CmpOp(Op);

impl Trigger {
    pub fn parse(text: &str) -> Result<Trigger, String> {
        let tokens = lex(text)?;
        if tokens.is_empty() {
            return Err("触发条件不能为空".into());
        }
        let mut p = Parser { tokens, pos: 0 };
        let t = p.any()?;
        match p.tokens.get(p.pos) {
            None => Ok(t),
            Some((at, tok)) => Err(format!(
                "触发条件第{}个字符处多余的“{}”",
                at + 1,
                tok.show()
            )),
        }
    }

    pub fn holds(&self, f: &TriggerFacts) -> bool {
        match self {
            Self::Cmp(FieldRef(field), CmpOp(op), v) => {
                let x = field.value(f);
                match op {
                    Op::Ge => x >= *v,
                    Op::Gt => x > *v,
                    Op::Le => x <= *v,
                    Op::Lt => x < *v,
                    Op::Eq => x == *v,
                    Op::Ne => x != *v,
                }
            }
            Self::All(ts) => ts.iter().all(|t| t.holds(f)),
            Self::Any(ts) => ts.iter().any(|t| t.holds(f)),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Num(i64),
    Op(Op),
    And,
    Or,
    Open,
    Close,
}

impl Tok {
    fn show(&self) -> String {
        match self {
            Tok::Ident(s) => s.clone(),
            Tok::Num(n) => n.to_string(),
            Tok::Op(_) => "比较符".into(),
            Tok::And => "且".into(),
            Tok::Or => "或".into(),
            Tok::Open => "(".into(),
            Tok::Close => ")".into(),
        }
    }
}

fn lex(text: &str) -> Result<Vec<(usize, Tok)>, String> {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() > 500 {
        return Err("触发条件不能超过500个字符".into());
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
        let (tok, next) = match c {
            _ if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' | '（' => (Tok::Open, i + 1),
            ')' | '）' => (Tok::Close, i + 1),
            '≥' | '≤' | '＞' | '＜' | '>' | '<' | '=' | '!' => {
                let (op, n) = comparison(c, &two, start)?;
                (Tok::Op(op), i + n)
            }
            '&' | '|' if two == "&&" || two == "||" => {
                (if c == '&' { Tok::And } else { Tok::Or }, i + 2)
            }
            '0'..='9' => lex_number(&chars, start)?,
            _ if c.is_alphabetic() || c == '_' => lex_word(&chars, start, &mut out)?,
            _ => return Err(format!("触发条件第{}个字符处无法识别“{c}”", start + 1)),
        };
        i = next;
        out.push((start, tok));
    }
    Ok(out)
}

/// A comparison operator at `c` (`two`: it and the next character); returns it and its length.
fn comparison(c: char, two: &str, start: usize) -> Result<(Op, usize), String> {
    Ok(match (c, two) {
        ('≥', _) => (Op::Ge, 1),
        ('≤', _) => (Op::Le, 1),
        ('＞', _) => (Op::Gt, 1),
        ('＜', _) => (Op::Lt, 1),
        (_, ">=") => (Op::Ge, 2),
        (_, "<=") => (Op::Le, 2),
        (_, "==") => (Op::Eq, 2),
        (_, "!=") => (Op::Ne, 2),
        ('>', _) => (Op::Gt, 1),
        ('<', _) => (Op::Lt, 1),
        ('=', _) => (Op::Eq, 1),
        _ => return Err(format!("触发条件第{}个字符处无法识别“!”", start + 1)),
    })
}

/// A number from `start`, with 万 or 亿 after it; returns it and where the lexer goes on.
fn lex_number(chars: &[char], start: usize) -> Result<(Tok, usize), String> {
    let mut i = start;
    while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
        i += 1;
    }
    let digits: String = chars[start..i].iter().collect();
    let scale = match chars.get(i) {
        Some('万') => 10_000,
        Some('亿') => 100_000_000,
        _ => 1,
    };
    if scale > 1 {
        i += 1;
    }
    let n = number(&digits, scale)
        .ok_or_else(|| format!("触发条件第{}个字符处的数字“{digits}”无效", start + 1))?;
    Ok((Tok::Num(n), i))
}

/// A word from `start`: 且/或 (and/or), or a field name (see `split_words`); returns the token
/// and where the lexer goes on.
fn lex_word(
    chars: &[char],
    start: usize,
    out: &mut Vec<(usize, Tok)>,
) -> Result<(Tok, usize), String> {
    let mut i = start;
    while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
        i += 1;
    }
    let word: String = chars[start..i].iter().collect();
    let tok = match word.to_ascii_lowercase().as_str() {
        "and" | "且" | "并且" => Tok::And,
        "or" | "或" | "或者" => Tok::Or,
        _ => split_words(&word, start, out)?,
    };
    Ok((tok, i))
}

/// Chinese has no spaces: "死亡>=3或疏散>=500" lexes "或疏散" as one word. Peel a leading
/// 且/或 off a word that is not a field name by itself.
fn split_words(word: &str, start: usize, out: &mut Vec<(usize, Tok)>) -> Result<Tok, String> {
    for (prefix, tok) in [
        ("并且", Tok::And),
        ("或者", Tok::Or),
        ("且", Tok::And),
        ("或", Tok::Or),
    ] {
        if let Some(rest) = word.strip_prefix(prefix)
            && !rest.is_empty()
            && field_of(word).is_none()
        {
            out.push((start, tok));
            return Ok(Tok::Ident(rest.to_string()));
        }
    }
    Ok(Tok::Ident(word.to_string()))
}

/// "3", "1.5万" (=15000), "1亿"; whole results only.
fn number(digits: &str, scale: i64) -> Option<i64> {
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() || frac.contains('.') || int.len() > 15 || frac.len() > 8 {
        return None;
    }
    let whole = int.parse::<i64>().ok()?.checked_mul(scale)?;
    if frac.is_empty() {
        return Some(whole);
    }
    let den = 10i64.pow(frac.len() as u32);
    let part = frac.parse::<i64>().ok()?.checked_mul(scale)?;
    (part % den == 0).then(|| whole + part / den)
}

fn field_of(name: &str) -> Option<Field> {
    FIELDS
        .iter()
        .find(|(en, zh, _)| *en == name || *zh == name)
        .map(|(_, _, f)| *f)
}

struct Parser {
    tokens: Vec<(usize, Tok)>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|(_, t)| t)
    }
    fn where_(&self) -> String {
        match self.tokens.get(self.pos) {
            Some((at, _)) => format!("第{}个字符处", at + 1),
            None => "末尾".into(),
        }
    }
    fn any(&mut self) -> Result<Trigger, String> {
        let mut parts = vec![self.all()?];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            parts.push(self.all()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Trigger::Any(parts)
        })
    }
    fn all(&mut self) -> Result<Trigger, String> {
        let mut parts = vec![self.atom()?];
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            parts.push(self.atom()?);
        }
        Ok(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Trigger::All(parts)
        })
    }
    fn atom(&mut self) -> Result<Trigger, String> {
        let at = self.where_();
        match self.peek().cloned() {
            Some(Tok::Open) => {
                self.pos += 1;
                let t = self.any()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(format!("触发条件{}缺少右括号", self.where_()));
                }
                self.pos += 1;
                Ok(t)
            }
            Some(Tok::Ident(name)) => {
                let field = field_of(&name).ok_or_else(|| {
                    format!(
                        "触发条件{at}的“{name}”不是可用的字段（可用：{}）",
                        FIELDS
                            .iter()
                            .map(|(_, zh, _)| *zh)
                            .collect::<Vec<_>>()
                            .join("、")
                    )
                })?;
                self.pos += 1;
                let op = match self.peek() {
                    Some(Tok::Op(op)) => *op,
                    _ => {
                        return Err(format!(
                            "触发条件{}应为比较符（>=、>、<=、<、=、!=）",
                            self.where_()
                        ));
                    }
                };
                self.pos += 1;
                let value = match self.peek().cloned() {
                    Some(Tok::Num(n)) => n,
                    Some(Tok::Ident(word)) if field == Field::Severity => Severity::parse(&word)
                        .map(Severity::rank)
                        .map_err(|e| format!("触发条件{}：{e}", self.where_()))?,
                    _ => return Err(format!("触发条件{}应为数字", self.where_())),
                };
                self.pos += 1;
                Ok(Trigger::Cmp(FieldRef(field), CmpOp(op), value))
            }
            Some(t) => Err(format!("触发条件{at}不应出现“{}”", t.show())),
            None => Err("触发条件不完整".into()),
        }
    }
}

/// One task of a response level: who does what within how long after activation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanTask {
    pub department: String,
    pub task: String,
    /// Minutes after activation.
    pub deadline_minutes: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanLevel {
    /// 1 (Ⅰ级, highest) … 4.
    pub level: i64,
    /// 启动条件, e.g. `死亡 >= 3 或 直接经济损失 >= 1000万`; empty means "by decision only".
    #[serde(default)]
    pub trigger: String,
    #[serde(default)]
    pub tasks: Vec<PlanTask>,
}

/// Checks a plan's levels; the errors name `levels[i].trigger`, `levels[i].tasks[j].task` ….
pub fn check_levels(levels: &[PlanLevel]) -> Result<(), Invalid> {
    let mut errs = Errors::default();
    if levels.is_empty() {
        errs.add("levels", "预案至少应设一个响应级别");
    }
    if levels.len() > 4 {
        errs.add("levels", "响应级别至多四级（Ⅰ–Ⅳ）");
    }
    for (i, l) in levels.iter().enumerate() {
        if !(1..=4).contains(&l.level) {
            errs.add(
                &format!("levels[{i}].level"),
                "响应级别应为 1（Ⅰ级）至 4（Ⅳ级）",
            );
        } else if levels[..i].iter().any(|o| o.level == l.level) {
            errs.add(
                &format!("levels[{i}].level"),
                format!("{}重复", response_label(l.level)),
            );
        }
        if !l.trigger.trim().is_empty()
            && let Err(e) = Trigger::parse(&l.trigger)
        {
            errs.add(&format!("levels[{i}].trigger"), e);
        }
        if l.tasks.len() > 100 {
            errs.add(&format!("levels[{i}].tasks"), "每级任务至多100项");
        }
        for (j, t) in l.tasks.iter().enumerate() {
            errs.check(
                &format!("levels[{i}].tasks[{j}].department"),
                required_text("责任部门", &t.department, 50),
            );
            errs.check(
                &format!("levels[{i}].tasks[{j}].task"),
                required_text("任务内容", &t.task, 500),
            );
            if !(1..=30 * 24 * 60).contains(&t.deadline_minutes) {
                errs.add(
                    &format!("levels[{i}].tasks[{j}].deadline_minutes"),
                    "完成时限应为启动后 1 分钟至 30 天",
                );
            }
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs.into_invalid())
    }
}

/// The highest response level (Ⅰ before Ⅳ) whose trigger the facts meet. Levels without a
/// trigger are started by decision only and never suggested. Triggers that do not parse were
/// refused when the plan was saved and are skipped here.
pub fn suggest_level(levels: &[PlanLevel], facts: &TriggerFacts) -> Option<i64> {
    levels
        .iter()
        .filter(|l| !l.trigger.trim().is_empty())
        .filter(|l| Trigger::parse(&l.trigger).is_ok_and(|t| t.holds(facts)))
        .map(|l| l.level)
        .min()
}

/// 修订逾期: a plan must be reviewed every `cycle_months` after its effective date (or last revision).
pub fn review_due(effective: jiff::civil::Date, cycle_months: i64) -> Option<jiff::civil::Date> {
    (cycle_months > 0)
        .then(|| {
            effective
                .checked_add(jiff::Span::new().months(cycle_months))
                .ok()
        })
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(deaths: i64, evacuated: i64, rooms: i64, households: i64) -> TriggerFacts {
        TriggerFacts {
            casualties: Casualties {
                deaths,
                evacuated,
                ..Default::default()
            },
            severity: None,
            houses_rooms: rooms,
            houses_households: households,
        }
    }

    #[test]
    fn triggers_parse_in_english_and_chinese() {
        let f = facts(3, 0, 0, 0);
        for text in [
            "deaths >= 3",
            "死亡 ≥ 3",
            "死亡>=3或疏散>=500",
            "(deaths >= 3 and evacuated >= 0) or loss_yuan >= 1000万",
            "死亡 >= 3 且 （疏散 >= 0）",
        ] {
            let t = Trigger::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert!(t.holds(&f), "{text}");
        }
        assert!(!Trigger::parse("死亡 > 3").expect("parses").holds(&f));
        let loss = Trigger::parse("直接经济损失 >= 0.1亿").expect("parses");
        let mut g = f;
        g.casualties.loss_yuan = 10_000_000;
        assert!(loss.holds(&g));
    }

    #[test]
    fn severity_compares_by_rank() {
        let t = Trigger::parse("事件等级 >= 较大").expect("parses");
        let mut f = facts(0, 0, 0, 0);
        f.severity = Some(Severity::General);
        assert!(!t.holds(&f));
        f.severity = Some(Severity::Major);
        assert!(t.holds(&f));
    }

    #[test]
    fn bad_triggers_say_where() {
        for (text, needle) in [
            ("", "不能为空"),
            ("deaths >=", "应为数字"),
            ("deaths 3", "比较符"),
            ("casualties >= 3", "不是可用的字段"),
            ("(deaths >= 3", "缺少右括号"),
            ("deaths >= 3 3", "多余"),
            ("deaths >= 3 # x", "无法识别"),
            ("deaths >= 1.5", "无效"),
            ("事件等级 >= 很大", "事件等级应为"),
        ] {
            let e = Trigger::parse(text).expect_err(text);
            assert!(e.contains(needle), "{text}: {e}");
        }
    }

    /// The 2016 national relief plan's table (§6) written as triggers: N01–N05.
    fn national_2016() -> Vec<PlanLevel> {
        let level = |level, trigger: &str| PlanLevel {
            level,
            trigger: trigger.into(),
            tasks: vec![],
        };
        vec![
            level(
                1,
                "死亡 >= 200 或 疏散 >= 200万 或 倒损房屋间数 >= 30万 或 倒损房屋户数 >= 10万",
            ),
            level(
                2,
                "死亡 >= 100 或 疏散 >= 100万 或 倒损房屋间数 >= 20万 或 倒损房屋户数 >= 7万",
            ),
            level(
                3,
                "死亡 >= 50 或 疏散 >= 50万 或 倒损房屋间数 >= 10万 或 倒损房屋户数 >= 3万",
            ),
            level(
                4,
                "死亡 >= 20 或 疏散 >= 10万 或 倒损房屋间数 >= 1万 或 倒损房屋户数 >= 3000",
            ),
        ]
    }

    #[test]
    fn suggestion_takes_the_highest_level_met_n01_n05() {
        let plan = national_2016();
        assert!(check_levels(&plan).is_ok());
        assert_eq!(suggest_level(&plan, &facts(200, 0, 0, 0)), Some(1));
        assert_eq!(suggest_level(&plan, &facts(199, 0, 0, 0)), Some(2));
        assert_eq!(suggest_level(&plan, &facts(10, 600_000, 0, 0)), Some(3));
        assert_eq!(suggest_level(&plan, &facts(19, 90_000, 9_000, 2_900)), None);
        assert_eq!(suggest_level(&plan, &facts(0, 0, 500, 3_000)), Some(4));
    }

    #[test]
    fn plan_levels_are_checked_with_paths() {
        let levels = vec![
            PlanLevel {
                level: 3,
                trigger: "deaths >=".into(),
                tasks: vec![PlanTask {
                    department: "".into(),
                    task: "封控现场".into(),
                    deadline_minutes: 0,
                }],
            },
            PlanLevel {
                level: 3,
                trigger: "".into(),
                tasks: vec![],
            },
        ];
        let e = check_levels(&levels).expect_err("invalid");
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "levels[0].trigger",
                "levels[0].tasks[0].department",
                "levels[0].tasks[0].deadline_minutes",
                "levels[1].level"
            ]
        );
    }

    #[test]
    fn review_cycle() {
        let d: jiff::civil::Date = "2024-03-01".parse().expect("date");
        assert_eq!(review_due(d, 36), Some("2027-03-01".parse().expect("date")));
        assert_eq!(review_due(d, 0), None);
    }
}
