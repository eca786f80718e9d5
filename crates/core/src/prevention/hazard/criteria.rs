//! The major-hazard criteria lists (判定标准): the shipped lists, whether a finding meets its
//! item, the level findings force (H01–H03), and the six items of a 治理方案.

use super::HazardLevel;
use crate::Invalid;
use serde::{Deserialize, Serialize};

/// One item of a major-hazard criteria list (判定标准).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Criterion {
    pub code: String,
    pub list: String,
    pub industry: String,
    pub article: String,
    pub text: String,
    #[serde(default)]
    pub verified: bool,
    /// An item met only above a count, e.g. "作业人员数量超过9人".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub numeric: Option<NumericRule>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NumericRule {
    pub label: String,
    pub greater_than: String,
    /// The item's other, non-numeric branch ("或者…"), met by ticking it.
    #[serde(default)]
    pub alternative: Option<String>,
}

/// A ticked criterion, with the observed count where the item has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub code: String,
    /// The observed number for a numeric item; absent means its non-numeric branch was seen.
    #[serde(default)]
    pub value: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CriteriaFile {
    pub lists: Vec<serde_json::Value>,
    pub items: Vec<Criterion>,
}

/// The shipped lists (data/hazard-criteria/criteria.json); a district edits its copy in the database.
pub fn shipped_criteria() -> CriteriaFile {
    serde_json::from_str(include_str!(
        "../../../../../data/hazard-criteria/criteria.json"
    ))
    .unwrap_or(CriteriaFile {
        lists: vec![],
        items: vec![],
    })
}

/// Whether a finding meets its criterion. A numeric item compares exactly (decimal hundredths).
pub fn criterion_met(c: &Criterion, f: &Finding) -> Result<bool, String> {
    match (
        &c.numeric,
        f.value.as_deref().map(str::trim).filter(|v| !v.is_empty()),
    ) {
        (Some(rule), Some(v)) => {
            let value = crate::prevention::risk::Hundredths::parse(v)
                .ok_or_else(|| format!("{}应为数字，收到“{v}”", rule.label))?;
            let limit = crate::prevention::risk::Hundredths::parse(&rule.greater_than)
                .unwrap_or(crate::prevention::risk::Hundredths(0));
            Ok(value > limit)
        }
        (Some(rule), None) => Ok(rule.alternative.is_some()),
        (None, Some(_)) => Err(format!("判定标准{}没有数值项", c.code)),
        (None, None) => Ok(true),
    }
}

/// The level findings force: 重大 when any ticked item is met, whatever the reporter chose.
pub fn level_from_findings(
    chosen: HazardLevel,
    criteria: &[Criterion],
    findings: &[Finding],
) -> Result<(HazardLevel, Vec<String>), Invalid> {
    let mut errs = crate::kernel::validation::Errors::default();
    let mut met = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        match criteria.iter().find(|c| c.code == f.code) {
            None => errs.add(
                &format!("findings[{i}].code"),
                format!("重大隐患判定标准条款“{}”不存在或已停用", f.code),
            ),
            Some(c) => match criterion_met(c, f) {
                Ok(true) => met.push(c.code.clone()),
                Ok(false) => {}
                Err(m) => errs.add(&format!("findings[{i}].value"), m),
            },
        }
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    let level = if met.is_empty() {
        chosen
    } else {
        HazardLevel::Major
    };
    Ok((level, met))
}

/// The six items of a 重大隐患治理方案 (§5.1).
pub const PLAN_ITEMS: &[(&str, &str)] = &[
    ("goal", "治理的目标和任务"),
    ("methods", "采取的方法和措施"),
    ("funds_materials", "经费和物资的落实"),
    ("organisation", "负责治理的机构和人员"),
    ("timeline", "治理的时限和要求"),
    ("safety_measures", "安全措施和应急预案"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn criteria() -> Vec<Criterion> {
        shipped_criteria().items
    }

    fn finding(code: &str, value: Option<&str>) -> Finding {
        Finding {
            code: code.into(),
            value: value.map(str::to_string),
        }
    }

    #[test]
    fn shipped_lists_have_20_chemical_items() {
        let c = criteria();
        assert_eq!(c.iter().filter(|c| c.list == "HG-2017").count(), 20);
        assert!(c.iter().any(|c| c.list == "GM-2023"));
    }

    #[test]
    fn shipped_criteria_lists_are_well_formed() {
        let file = shipped_criteria();
        let c = &file.items;
        // Every list named in `lists` has its items, every item belongs to a listed list with
        // the list's industry, names its article and has text; codes are unique.
        let lists: Vec<(&str, &str)> = file
            .lists
            .iter()
            .map(|l| {
                (
                    l["code"].as_str().expect("list code"),
                    l["industry"].as_str().expect("list industry"),
                )
            })
            .collect();
        let mut codes = std::collections::HashSet::new();
        for i in c {
            assert!(codes.insert(i.code.as_str()), "duplicate code {}", i.code);
            assert!(i.code.starts_with(&format!("{}-", i.list)), "{}", i.code);
            let industry = lists
                .iter()
                .find(|(l, _)| *l == i.list)
                .map(|(_, ind)| *ind);
            assert_eq!(industry, Some(i.industry.as_str()), "{}", i.code);
            assert!(!i.article.trim().is_empty(), "{} names no article", i.code);
            assert!(!i.text.trim().is_empty(), "{} has no text", i.code);
        }
        for l in &file.lists {
            for key in ["code", "name", "document", "industry"] {
                assert!(l[key].as_str().is_some_and(|v| !v.is_empty()), "{l}: {key}");
            }
        }
        // Industries are the enterprise categories (a criterion list applies to enterprises
        // of that category); "chemical" is the key HG-2017 has always carried.
        for (code, industry) in &lists {
            assert!(
                *industry == "chemical"
                    || crate::directory::enterprise::CATEGORIES
                        .iter()
                        .any(|k| k.code == *industry),
                "{code}: unknown industry {industry}"
            );
        }
        let count = |list: &str| c.iter().filter(|i| i.list == list).count();
        let expected = [
            ("HG-2017", 20),
            ("YH-2017", 20),
            ("GM-2023", 58),
            ("JZ-2022", 34),
            ("RQ-2023", 15),
            ("DY-2023", 6),
            ("KS-2022", 7),
            ("HZ-35181", 10),
        ];
        for (list, n) in expected {
            assert_eq!(count(list), n, "{list}");
        }
        assert_eq!(lists.len(), expected.len());
        assert_eq!(c.len(), expected.iter().map(|(_, n)| n).sum::<usize>());
    }

    #[test]
    fn h01_h02_chemical_criteria_make_major() {
        let c = criteria();
        let (level, met) =
            level_from_findings(HazardLevel::General, &c, &[finding("HG-2017-02", None)]).unwrap();
        assert_eq!(
            (level, met),
            (HazardLevel::Major, vec!["HG-2017-02".to_string()])
        );
        let (level, _) =
            level_from_findings(HazardLevel::General, &c, &[finding("HG-2017-05", None)]).unwrap();
        assert_eq!(level, HazardLevel::Major);
        let (level, _) = level_from_findings(HazardLevel::General, &c, &[]).unwrap();
        assert_eq!(level, HazardLevel::General);
    }

    #[test]
    fn h03_quick_freezer_headcount() {
        let c = criteria();
        let ten = level_from_findings(
            HazardLevel::General,
            &c,
            &[finding("GM-2023-12-02", Some("10"))],
        )
        .unwrap();
        assert_eq!(ten.0, HazardLevel::Major);
        let nine = level_from_findings(
            HazardLevel::General,
            &c,
            &[finding("GM-2023-12-02", Some("9"))],
        )
        .unwrap();
        assert_eq!(nine.0, HazardLevel::General);
        let bad = level_from_findings(
            HazardLevel::General,
            &c,
            &[finding("GM-2023-12-02", Some("九"))],
        );
        assert_eq!(bad.unwrap_err().0[0].field, "findings[0].value");
        assert!(level_from_findings(HazardLevel::General, &c, &[finding("NOPE", None)]).is_err());
    }
}
