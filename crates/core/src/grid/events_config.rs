//! 网格事件的分类目录与分拨规则 (issue 24 item 2): the district's catalogue of event categories
//! with their deadlines (签收, 处置, 反馈), and the dispatch rules (category × region ×
//! enterprise category → the department or street that handles it, 大分拨). Both are part of
//! the district's versioned rules (`DistrictRules.grid_events`). `dispatch` is the pure decision.

use crate::kernel::validation::{Errors, Invalid};
use serde::{Deserialize, Serialize};

/// Where an event of a category goes when no rule names a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DefaultUnit {
    /// The street (乡镇/街道) the event lies in.
    Street,
    /// The department supervising the enterprise's category (管行业必须管安全); the duty room
    /// when the event names no enterprise or not exactly one department supervises it.
    Supervisor,
    /// The duty room dispatches by hand.
    DutyRoom,
}

/// One category of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = GridEventCategory)]
pub struct Category {
    pub code: String,
    pub name: String,
    /// 签收 within this many minutes of the dispatch.
    pub accept_minutes: u32,
    /// 处置 within this many hours of the dispatch.
    pub handle_hours: u32,
    /// 反馈 (the answer to the reporter) within this many hours of the dispatch.
    pub feedback_hours: u32,
    pub default_unit: DefaultUnit,
    /// The public may report it on the 随手拍 form.
    #[serde(default)]
    pub public: bool,
    /// It may turn out to be a hidden hazard (转隐患).
    #[serde(default)]
    pub hazard: bool,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// The unit a rule sends events to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    Department,
    Street,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Department => "department",
            Self::Street => "street",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "department" => Some(Self::Department),
            "street" => Some(Self::Street),
            _ => None,
        }
    }
}

/// A dispatch rule: events of `category` inside `region_prefix` (any region when empty) about an
/// enterprise of `enterprise_category` (any when empty) go to the unit. The most specific
/// matching rule wins: the longest region prefix, then the one naming an enterprise category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = GridDispatchRule)]
pub struct DispatchRule {
    pub category: String,
    #[serde(default)]
    pub region_prefix: String,
    #[serde(default)]
    pub enterprise_category: String,
    pub unit_kind: UnitKind,
    /// The department's id, or the street's region code.
    pub unit_id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct GridEventConfig {
    pub categories: Vec<Category>,
    pub rules: Vec<DispatchRule>,
    /// 督办: the 提醒 goes out when this share (%) of a deadline's span has passed.
    pub remind_at_percent: u32,
    /// 红牌督办 this many hours after a missed deadline (黄牌 at the deadline).
    pub red_after_hours: u32,
    /// Possible duplicates: same category within this many metres …
    pub duplicate_radius_m: u32,
    /// … and this many hours.
    pub duplicate_window_hours: u32,
    /// 舆情分级响应: each level's deadlines, which tighten the category's.
    pub opinion_levels: Vec<crate::grid::opinions::OpinionResponse>,
}

fn category(
    code: &str,
    name: &str,
    (accept_minutes, handle_hours, feedback_hours): (u32, u32, u32),
    default_unit: DefaultUnit,
    public: bool,
    hazard: bool,
) -> Category {
    Category {
        code: code.into(),
        name: name.into(),
        accept_minutes,
        handle_hours,
        feedback_hours,
        default_unit,
        public,
        hazard,
        active: true,
    }
}

impl Default for GridEventConfig {
    /// The usual catalogue (浔阳 §四3, 南京 12345/12350): 签收 within 2 hours (30 minutes for
    /// 险情), 处置 within 3 days, 反馈 within 5 days (1 and 2 days for 险情 and 燃气).
    fn default() -> Self {
        use DefaultUnit::*;
        let categories = vec![
            category(
                "production_hazard",
                "安全生产隐患",
                (120, 72, 120),
                Supervisor,
                true,
                true,
            ),
            category(
                "illegal_operation",
                "非法违法生产经营",
                (120, 72, 120),
                Supervisor,
                true,
                true,
            ),
            category(
                "unlicensed_work",
                "无证作业",
                (120, 72, 120),
                Supervisor,
                true,
                true,
            ),
            category(
                "illegal_hot_work",
                "违规动火",
                (60, 24, 48),
                Supervisor,
                true,
                true,
            ),
            category(
                "fire_safety",
                "消防安全",
                (120, 72, 120),
                Street,
                true,
                true,
            ),
            category("gas", "燃气安全", (30, 24, 48), Street, true, true),
            category(
                "natural_hazard",
                "自然灾害险情",
                (30, 24, 48),
                Street,
                true,
                false,
            ),
            category(
                "city_operation",
                "城市运行",
                (120, 72, 120),
                Street,
                true,
                false,
            ),
            category("opinion", "舆情", (60, 24, 48), DutyRoom, false, false),
            category("other", "其他", (120, 72, 120), DutyRoom, true, false),
        ];
        Self {
            categories,
            rules: vec![],
            remind_at_percent: 80,
            red_after_hours: 24,
            duplicate_radius_m: 100,
            duplicate_window_hours: 72,
            opinion_levels: crate::grid::opinions::default_table(),
        }
    }
}

impl GridEventConfig {
    pub fn category(&self, code: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.code == code)
    }

    /// An active category, or the Chinese message naming the unknown code.
    pub fn active_category(&self, code: &str) -> Result<&Category, String> {
        self.category(code)
            .filter(|c| c.active)
            .ok_or_else(|| format!("事件分类“{code}”不存在或已停用"))
    }

    fn validate_categories(&self, errs: &mut Errors) {
        if self.categories.is_empty() {
            errs.add("categories", "至少需要一个事件分类");
        }
        for (i, c) in self.categories.iter().enumerate() {
            let f = |name: &str| format!("categories[{i}].{name}");
            let row = i + 1;
            if c.code.trim().is_empty()
                || !c
                    .code
                    .chars()
                    .all(|ch| ch.is_ascii_lowercase() || ch == '_' || ch.is_ascii_digit())
            {
                errs.add(
                    &f("code"),
                    format!("第 {row} 个分类的代码应为小写字母、数字或下划线"),
                );
            } else if self.categories[..i].iter().any(|o| o.code == c.code) {
                errs.add(&f("code"), format!("第 {row} 个分类的代码“{}”重复", c.code));
            }
            if c.name.trim().is_empty() || c.name.chars().count() > 30 {
                errs.add(
                    &f("name"),
                    format!("第 {row} 个分类的名称不能为空，且不超过 30 个字"),
                );
            }
            if !(5..=10_080).contains(&c.accept_minutes) {
                errs.add(
                    &f("accept_minutes"),
                    format!("第 {row} 个分类的签收时限应在 5 分钟到 7 天之间"),
                );
            }
            if !(1..=2_160).contains(&c.handle_hours) {
                errs.add(
                    &f("handle_hours"),
                    format!("第 {row} 个分类的处置时限应在 1 小时到 90 天之间"),
                );
            }
            if c.feedback_hours < c.handle_hours || c.feedback_hours > 2_160 {
                errs.add(
                    &f("feedback_hours"),
                    format!("第 {row} 个分类的反馈时限不能早于处置时限，且不超过 90 天"),
                );
            }
        }
    }

    fn validate_rules(&self, errs: &mut Errors) {
        for (i, r) in self.rules.iter().enumerate() {
            let f = |name: &str| format!("rules[{i}].{name}");
            let row = i + 1;
            if self.category(&r.category).is_none() {
                errs.add(
                    &f("category"),
                    format!("第 {row} 条分拨规则的事件分类“{}”不存在", r.category),
                );
            }
            if !r.region_prefix.is_empty() && !r.region_prefix.chars().all(|c| c.is_ascii_digit()) {
                errs.add(
                    &f("region_prefix"),
                    format!("第 {row} 条分拨规则的区划代码应为数字"),
                );
            }
            if r.unit_id.trim().is_empty() {
                errs.add(&f("unit_id"), format!("第 {row} 条分拨规则未指定承办单位"));
            }
            if r.unit_kind == UnitKind::Street
                && !(r.unit_id.len() == 9 && r.unit_id.chars().all(|c| c.is_ascii_digit()))
            {
                errs.add(
                    &f("unit_id"),
                    format!("第 {row} 条分拨规则的承办街道应为 9 位区划代码"),
                );
            }
        }
    }

    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errs = Errors::default();
        self.validate_categories(&mut errs);
        self.validate_rules(&mut errs);
        crate::grid::opinions::validate_table(&mut errs, &self.opinion_levels);
        if !(10..=99).contains(&self.remind_at_percent) {
            errs.add("remind_at_percent", "提醒时点应为时限的 10% 到 99%");
        }
        if !(1..=720).contains(&self.red_after_hours) {
            errs.add("red_after_hours", "红牌督办应在逾期后 1 到 720 小时之间");
        }
        if !(10..=5_000).contains(&self.duplicate_radius_m) {
            errs.add("duplicate_radius_m", "疑似重复的距离应在 10 到 5000 米之间");
        }
        if !(1..=720).contains(&self.duplicate_window_hours) {
            errs.add(
                "duplicate_window_hours",
                "疑似重复的时间窗应在 1 到 720 小时之间",
            );
        }
        errs.into_result()
    }
}

/// What the dispatch decision needs to know about the event.
#[derive(Debug, Clone, Default)]
pub struct Subject<'a> {
    pub category: &'a str,
    /// The deepest region the event lies in (street 9 digits, community 12, grid 15).
    pub region_code: &'a str,
    /// The enterprise's categories, when the event names one.
    pub enterprise_categories: &'a [String],
}

/// A department that may receive events: its id and the categories it supervises.
#[derive(Debug, Clone)]
pub struct Supervisor<'a> {
    pub id: &'a str,
    pub categories: &'a [String],
    /// The region it serves (a department serves the events inside it).
    pub region_code: &'a str,
}

/// Where an event goes and why (shown on the event and in the audit log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub unit_kind: UnitKind,
    pub unit_id: String,
    pub reason: String,
}

/// 大分拨: the matching rule with the longest region prefix (then one naming the enterprise's
/// category) decides; else the category's default (the street; the one department supervising
/// the enterprise's category); `None` means the duty room dispatches by hand.
pub fn dispatch(
    config: &GridEventConfig,
    s: &Subject,
    supervisors: &[Supervisor],
) -> Option<Assignment> {
    let best = config
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.category == s.category && s.region_code.starts_with(&r.region_prefix))
        .filter(|(_, r)| {
            r.enterprise_category.is_empty()
                || s.enterprise_categories.contains(&r.enterprise_category)
        })
        .max_by_key(|(i, r)| {
            (
                r.region_prefix.len(),
                !r.enterprise_category.is_empty(),
                usize::MAX - i,
            )
        });
    if let Some((i, r)) = best {
        return Some(Assignment {
            unit_kind: r.unit_kind,
            unit_id: r.unit_id.clone(),
            reason: format!("按分拨规则第 {} 条", i + 1),
        });
    }
    let category = config.category(s.category)?;
    match category.default_unit {
        DefaultUnit::Street if s.region_code.len() >= 9 => Some(Assignment {
            unit_kind: UnitKind::Street,
            unit_id: s.region_code[..9].to_string(),
            reason: "按属地（事发街道）".into(),
        }),
        DefaultUnit::Supervisor => {
            let mut found = supervisors.iter().filter(|d| {
                s.region_code.starts_with(d.region_code)
                    && d.categories
                        .iter()
                        .any(|c| s.enterprise_categories.contains(c))
            });
            match (found.next(), found.next()) {
                (Some(d), None) => Some(Assignment {
                    unit_kind: UnitKind::Department,
                    unit_id: d.id.to_string(),
                    reason: "按行业监管（管行业必须管安全）".into(),
                }),
                _ => None,
            }
        }
        _ => None,
    }
}
