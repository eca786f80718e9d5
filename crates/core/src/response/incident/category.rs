//! The four categories of 突发事件 (突发事件应对法 第二条), their subtypes, and the 预警级别 colours
//! (W01–W03).

use serde::{Deserialize, Serialize};

/// 突发事件应对法 第二条: the four categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Natural,
    Accident,
    PublicHealth,
    SocialSecurity,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Self::Natural,
        Self::Accident,
        Self::PublicHealth,
        Self::SocialSecurity,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Natural => "natural",
            Self::Accident => "accident",
            Self::PublicHealth => "public_health",
            Self::SocialSecurity => "social_security",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Natural => "自然灾害",
            Self::Accident => "事故灾难",
            Self::PublicHealth => "公共卫生事件",
            Self::SocialSecurity => "社会安全事件",
        }
    }
    pub fn parse(s: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| "事件类别应为 自然灾害、事故灾难、公共卫生事件 或 社会安全事件".into())
    }
    /// Only 自然灾害、事故灾难、公共卫生事件 can be warned of (第四十二条; W03).
    pub fn can_have_warning(self) -> bool {
        self != Self::SocialSecurity
    }
}

/// A subtype of a category. `work_safety` marks the 生产安全事故 that 493号令 grades and whose
/// reporting it times; `short_window` the 道路交通 and 火灾 accidents with a 7-day 补报 window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Subtype {
    pub code: &'static str,
    pub label: &'static str,
    pub category: Category,
    pub work_safety: bool,
    pub short_window: bool,
}

const fn sub(code: &'static str, label: &'static str, category: Category) -> Subtype {
    Subtype {
        code,
        label,
        category,
        work_safety: false,
        short_window: false,
    }
}

const fn accident(code: &'static str, label: &'static str, short_window: bool) -> Subtype {
    Subtype {
        code,
        label,
        category: Category::Accident,
        work_safety: true,
        short_window,
    }
}

pub const SUBTYPES: &[Subtype] = &[
    sub("flood", "洪涝灾害", Category::Natural),
    sub("rainstorm", "暴雨内涝", Category::Natural),
    sub("typhoon", "台风", Category::Natural),
    sub("geological", "地质灾害", Category::Natural),
    sub("earthquake", "地震灾害", Category::Natural),
    sub("drought", "干旱", Category::Natural),
    sub("snow_freeze", "低温雨雪冰冻", Category::Natural),
    sub("forest_fire", "森林火灾", Category::Natural),
    sub("other_natural", "其他自然灾害", Category::Natural),
    accident("industrial", "工矿商贸生产安全事故", false),
    accident("hazchem", "危险化学品事故", false),
    accident("construction", "建筑施工事故", false),
    accident("gas", "燃气事故", false),
    accident("special_equipment", "特种设备事故", false),
    accident("fire", "火灾事故", true),
    accident("road_traffic", "道路交通事故", true),
    accident("other_accident", "其他生产安全事故", false),
    // Outside 493号令 第二条 (环境污染事故 are excluded), so not graded by it.
    sub("environment", "突发环境事件", Category::Accident),
    sub("infectious", "传染病疫情", Category::PublicHealth),
    sub("food_poisoning", "食物中毒", Category::PublicHealth),
    sub("other_health", "其他公共卫生事件", Category::PublicHealth),
    sub("mass_incident", "群体性事件", Category::SocialSecurity),
    sub("other_social", "其他社会安全事件", Category::SocialSecurity),
];

pub fn subtype(code: &str) -> Option<&'static Subtype> {
    SUBTYPES.iter().find(|s| s.code == code)
}

/// 预警级别 → colour (W01, W02): 1 红 (highest) … 4 蓝.
pub fn warning_colour(level: i64) -> Option<&'static str> {
    match level {
        1 => Some("红色"),
        2 => Some("橙色"),
        3 => Some("黄色"),
        4 => Some("蓝色"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warning_colours_w01_w03() {
        assert_eq!(warning_colour(1), Some("红色"));
        assert_eq!(warning_colour(4), Some("蓝色"));
        assert_eq!(warning_colour(5), None);
        assert!(!Category::SocialSecurity.can_have_warning());
        assert!(Category::Natural.can_have_warning());
    }
}
