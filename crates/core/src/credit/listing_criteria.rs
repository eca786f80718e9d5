//! The criteria of the 严重失信主体名单 (应急管理部令第11号, cn-standards §7.1) and their detection
//! over dated facts: the accidents the platform records (特别重大/重大; 2 or more 较大 within 12
//! months) and the qualifying records a department enters (瞒报/谎报, 无证或暂扣期间经营, 拒不执行,
//! 评价机构虚假报告 …). Pure: the facts come in, the findings go out.

use jiff::ToSpan;
use jiff::civil::Date;

/// One criterion of §7.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Criterion {
    /// (一) 发生特别重大、重大生产安全事故.
    MajorAccident,
    /// (二) 12个月内累计发生2起以上较大生产安全事故.
    LargerAccidents,
    /// (三) 情节特别严重，依照安全生产法第一百一十四条处以2倍以上5倍以下罚款.
    AggravatedFine,
    /// (四) 瞒报、谎报生产安全事故.
    Concealed,
    /// (五) 事故后不立即组织抢救，或事故调查处理期间擅离职守、逃匿.
    Absconded,
    /// 未依法取得许可或许可被暂扣、吊销期间从事生产经营活动.
    Unlicensed,
    /// 安全评价、认证、检测、检验机构租借资质、挂靠、出具虚假报告或证书.
    FalseReport,
    /// 有执行能力拒不执行或逃避执行行政处罚.
    RefusedPenalty,
    /// 其他违反安全生产法律法规受到行政处罚且性质恶劣、情节严重.
    Other,
}

impl Criterion {
    pub const ALL: [Criterion; 9] = [
        Self::MajorAccident,
        Self::LargerAccidents,
        Self::AggravatedFine,
        Self::Concealed,
        Self::Absconded,
        Self::Unlicensed,
        Self::FalseReport,
        Self::RefusedPenalty,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::MajorAccident => "major_accident",
            Self::LargerAccidents => "larger_accidents",
            Self::AggravatedFine => "aggravated_fine",
            Self::Concealed => "concealed",
            Self::Absconded => "absconded",
            Self::Unlicensed => "unlicensed",
            Self::FalseReport => "false_report",
            Self::RefusedPenalty => "refused_penalty",
            Self::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::MajorAccident => "发生特别重大、重大生产安全事故",
            Self::LargerAccidents => "12个月内累计发生2起以上较大生产安全事故",
            Self::AggravatedFine => {
                "发生生产安全事故情节特别严重、影响特别恶劣，被处以2倍以上5倍以下罚款"
            }
            Self::Concealed => "瞒报、谎报生产安全事故",
            Self::Absconded => "事故发生后不立即组织抢救或在事故调查处理期间擅离职守、逃匿",
            Self::Unlicensed => {
                "未依法取得安全生产相关许可或许可被暂扣、吊销期间从事相关生产经营活动"
            }
            Self::FalseReport => "安全评价、认证、检测、检验机构租借资质、挂靠、出具虚假报告或证书",
            Self::RefusedPenalty => "有执行能力拒不执行或逃避执行行政处罚",
            Self::Other => "其他违反安全生产法律法规受到行政处罚且性质恶劣、情节严重",
        }
    }

    /// Detected by the platform from its own accident records; the others a department enters.
    pub fn detected(self) -> bool {
        matches!(self, Self::MajorAccident | Self::LargerAccidents)
    }

    /// The subjects the criterion names, as they read on a proposal.
    pub fn subjects_label(self) -> &'static str {
        match self {
            Self::Concealed => "生产经营单位及其有关责任人员",
            Self::Absconded => "主要负责人",
            Self::FalseReport => "机构及其直接责任人员",
            _ => "生产经营单位及其主要负责人",
        }
    }
}

/// An accident of the enterprise as the platform records it (an incident with its grade).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accident {
    pub id: String,
    pub day: Date,
    /// 1 一般, 2 较大, 3 重大, 4 特别重大 (response::incident::grade::Severity).
    pub severity: i64,
    pub title: String,
}

/// What qualifies a subject for listing, with the facts it rests on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub criterion: Criterion,
    /// The accidents (ids) it rests on.
    pub accident_ids: Vec<String>,
    /// The day the condition was met (the last accident it rests on).
    pub day: Date,
    /// In words: 「2024-01-05 较大事故“…”、2024-11-20 较大事故“…”」.
    pub basis: String,
}

fn grade_label(severity: i64) -> &'static str {
    match severity {
        4 => "特别重大事故",
        3 => "重大事故",
        2 => "较大事故",
        _ => "一般事故",
    }
}

fn describe(a: &Accident) -> String {
    format!("{} {}“{}”", a.day, grade_label(a.severity), a.title)
}

/// Whether `later` falls within 12 months of `earlier` (the same calendar day a year on counts).
pub fn within_12_months(earlier: Date, later: Date) -> bool {
    later >= earlier
        && earlier
            .checked_add(12.months())
            .is_ok_and(|end| later <= end)
}

/// The findings the accidents give: each 特别重大/重大 accident (C03), and the first pair of 较大
/// accidents within 12 months of each other (C01; more than 12 months apart is none, C02).
pub fn detect(accidents: &[Accident]) -> Vec<Finding> {
    let mut sorted: Vec<&Accident> = accidents.iter().collect();
    sorted.sort_by(|a, b| (a.day, &a.id).cmp(&(b.day, &b.id)));
    let mut out: Vec<Finding> = sorted
        .iter()
        .filter(|a| a.severity >= 3)
        .map(|a| Finding {
            criterion: Criterion::MajorAccident,
            accident_ids: vec![a.id.clone()],
            day: a.day,
            basis: describe(a),
        })
        .collect();
    let larger: Vec<&&Accident> = sorted.iter().filter(|a| a.severity == 2).collect();
    let pair = larger
        .windows(2)
        .find(|w| within_12_months(w[0].day, w[1].day));
    if let Some(w) = pair {
        out.push(Finding {
            criterion: Criterion::LargerAccidents,
            accident_ids: vec![w[0].id.clone(), w[1].id.clone()],
            day: w[1].day,
            basis: format!("{}、{}", describe(w[0]), describe(w[1])),
        });
    }
    out
}

/// A subject of a listing: the unit (its 统一社会信用代码) or a person (the ID number).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Subject {
    /// `unit` or `person`.
    pub kind: String,
    pub name: String,
    pub code: Option<String>,
    /// 主要负责人、直接责任人员 … for a person.
    pub role: Option<String>,
}

/// The subjects of a criterion for an enterprise: the unit and its 主要负责人 (only the person
/// for 擅离职守/逃匿); a principal not on record is left out.
pub fn default_subjects(
    criterion: Criterion,
    unit_name: &str,
    unit_code: &str,
    principal: Option<&str>,
    principal_code: Option<&str>,
) -> Vec<Subject> {
    let mut out = Vec::new();
    if criterion != Criterion::Absconded {
        out.push(Subject {
            kind: "unit".into(),
            name: unit_name.into(),
            code: Some(unit_code.into()),
            role: None,
        });
    }
    if let Some(p) = principal.map(str::trim).filter(|p| !p.is_empty()) {
        out.push(Subject {
            kind: "person".into(),
            name: p.into(),
            code: principal_code.map(str::to_string),
            role: Some("主要负责人".into()),
        });
    }
    out
}

/// A qualifying record a department enters, as the API takes it.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RecordInput {
    pub enterprise_id: Option<String>,
    pub department_id: Option<String>,
    pub criterion: String,
    pub occurred_day: String,
    pub description: String,
    #[serde(default)]
    pub subjects: Vec<Subject>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRecord {
    pub criterion: Criterion,
    pub occurred_day: Date,
    pub description: String,
    pub subjects: Vec<Subject>,
}

/// Checks a record: an entered criterion (the accident ones are detected, not entered), the day
/// (not after today), the description, the subjects (each `unit` or `person` with a name; an
/// agency's false report names them, at least the agency).
// Long because: every field and every subject checked in one pass, each error naming its field.
pub fn check_record(input: &RecordInput, today: Date) -> Result<CheckedRecord, crate::Invalid> {
    use crate::kernel::validation::{Errors, optional_text, required_text};
    let mut e = Errors::default();
    let criterion = match Criterion::parse(input.criterion.trim()) {
        Some(c) if c.detected() => {
            e.add(
                "criterion",
                "特别重大、重大事故和12个月内2起以上较大事故由平台根据事故记录识别，无需录入",
            );
            None
        }
        Some(c) => Some(c),
        None => {
            e.add("criterion", "失信情形无效");
            None
        }
    };
    let v = input.occurred_day.trim();
    let day = match v.parse::<Date>().ok().filter(|_| v.len() == 10) {
        Some(d) if d > today => {
            e.add("occurred_day", "认定日期不能晚于今天");
            None
        }
        Some(d) => Some(d),
        None => {
            e.add("occurred_day", "认定日期格式应为 YYYY-MM-DD");
            None
        }
    };
    let description = e.check(
        "description",
        required_text("失信行为描述", &input.description, 1000),
    );
    let mut subjects = Vec::new();
    for (i, s) in input.subjects.iter().enumerate() {
        let row = i + 1;
        let field = format!("subjects[{i}]");
        if !matches!(s.kind.as_str(), "unit" | "person") {
            e.add(&field, format!("第{row}个失信主体的类型应为单位或个人"));
        }
        let name = e.check(
            &field,
            required_text(&format!("第{row}个失信主体的名称"), &s.name, 100),
        );
        let code = e.check(
            &field,
            optional_text(
                &format!("第{row}个失信主体的证件号码"),
                s.code.as_deref().unwrap_or_default(),
                30,
            ),
        );
        let role = e.check(
            &field,
            optional_text(
                &format!("第{row}个失信主体的身份"),
                s.role.as_deref().unwrap_or_default(),
                30,
            ),
        );
        if let (Some(name), Some(code), Some(role)) = (name, code, role) {
            subjects.push(Subject {
                kind: s.kind.clone(),
                name,
                code,
                role,
            });
        }
    }
    if criterion == Some(Criterion::FalseReport) && !input.subjects.iter().any(|s| s.kind == "unit")
    {
        e.add("subjects", "出具虚假报告的认定须列明机构及其直接责任人员");
    }
    let no_enterprise = input
        .enterprise_id
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .is_empty();
    if no_enterprise && criterion.is_some_and(|c| c != Criterion::FalseReport) {
        e.add("enterprise_id", "请选择企业");
    }
    match (criterion, day, description) {
        (Some(criterion), Some(occurred_day), Some(description)) if e.is_empty() => {
            Ok(CheckedRecord {
                criterion,
                occurred_day,
                description,
                subjects,
            })
        }
        _ => Err(e.into_invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc(id: &str, day: &str, severity: i64) -> Accident {
        Accident {
            id: id.into(),
            day: day.parse().unwrap(),
            severity,
            title: format!("事故{id}"),
        }
    }

    #[test]
    fn c01_two_larger_accidents_within_12_months_list() {
        let f = detect(&[acc("a", "2024-01-05", 2), acc("b", "2024-11-20", 2)]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].criterion, Criterion::LargerAccidents);
        assert_eq!(f[0].accident_ids, vec!["a", "b"]);
        assert_eq!(f[0].day.to_string(), "2024-11-20");
        let s = default_subjects(f[0].criterion, "甲公司", "91X", Some("张三"), None);
        assert_eq!(s.len(), 2, "the unit and its 主要负责人");
    }

    #[test]
    fn c02_larger_accidents_more_than_12_months_apart_do_not() {
        assert!(detect(&[acc("a", "2024-01-05", 2), acc("b", "2025-02-10", 2)]).is_empty());
        // A third in between pairs with the later one.
        let f = detect(&[
            acc("a", "2024-01-05", 2),
            acc("b", "2025-02-10", 2),
            acc("c", "2024-06-01", 2),
        ]);
        assert_eq!(f[0].accident_ids, vec!["a", "c"]);
    }

    #[test]
    fn twelve_months_counts_the_same_day_a_year_on() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert!(within_12_months(d("2024-01-05"), d("2025-01-05")));
        assert!(!within_12_months(d("2024-01-05"), d("2025-01-06")));
    }

    #[test]
    fn c03_one_major_accident_lists() {
        let f = detect(&[acc("m", "2025-03-01", 3), acc("g", "2025-03-02", 1)]);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].criterion, Criterion::MajorAccident);
        assert!(f[0].basis.contains("重大事故"));
    }

    #[test]
    fn c04_and_c06_are_entered_criteria_with_their_subjects() {
        assert!(!Criterion::Concealed.detected());
        assert!(!Criterion::FalseReport.detected());
        assert_eq!(
            Criterion::Concealed.subjects_label(),
            "生产经营单位及其有关责任人员"
        );
        assert_eq!(
            Criterion::FalseReport.subjects_label(),
            "机构及其直接责任人员"
        );
        // A 一般 accident alone is not detected; it is the 瞒报 record that lists (C04).
        assert!(detect(&[acc("g", "2025-03-02", 1)]).is_empty());
        assert_eq!(
            Criterion::parse("false_report"),
            Some(Criterion::FalseReport)
        );
    }
}
