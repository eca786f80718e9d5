//! 安责险 coverage: the industries where the insurance is mandatory (《安全生产法》第五十一条)
//! as district configuration, mapped onto the enterprise categories, flags and industry codes;
//! which enterprises must be insured, and the rate by street and by industry.

use crate::kernel::validation::{FieldError, Invalid};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One mandatory industry and how an enterprise is recognised as in it: any of its categories
/// (监管类别), flags (重点监管标识) or GB/T 4754 industry-code prefixes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MandatoryIndustry {
    pub name: String,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub flags: Vec<String>,
    #[serde(default)]
    pub industry_prefixes: Vec<String>,
}

/// The district's 安责险 configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CoverageConfig {
    pub mandatory: Vec<MandatoryIndustry>,
}

fn industry(
    name: &str,
    categories: &[&str],
    flags: &[&str],
    prefixes: &[&str],
) -> MandatoryIndustry {
    let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    MandatoryIndustry {
        name: name.into(),
        categories: own(categories),
        flags: own(flags),
        industry_prefixes: own(prefixes),
    }
}

impl Default for CoverageConfig {
    /// 《安全生产法》第五十一条: 矿山、危险化学品、烟花爆竹、交通运输、建筑施工、民用爆炸物品、
    /// 金属冶炼、渔业生产.
    fn default() -> Self {
        Self {
            mandatory: vec![
                industry("矿山", &["mining"], &[], &["B"]),
                industry("危险化学品", &["hazchem"], &[], &[]),
                industry("烟花爆竹", &["fireworks"], &[], &[]),
                industry("交通运输", &["transport"], &[], &[]),
                industry("建筑施工", &["construction"], &[], &[]),
                industry("民用爆炸物品", &[], &[], &["C2671", "C2672"]),
                industry("金属冶炼", &[], &["metal_smelting"], &["C31", "C32"]),
                industry("渔业生产", &[], &[], &["A04"]),
            ],
        }
    }
}

impl CoverageConfig {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut errs = Vec::new();
        let known =
            |list: &[crate::directory::enterprise::Code], c: &str| list.iter().any(|k| k.code == c);
        for (i, m) in self.mandatory.iter().enumerate() {
            let f = |s: &str| format!("mandatory.{i}.{s}");
            if m.name.trim().is_empty() {
                errs.push(FieldError::new(
                    f("name"),
                    format!("第{}项行业名称不能为空", i + 1),
                ));
            }
            if m.categories.is_empty() && m.flags.is_empty() && m.industry_prefixes.is_empty() {
                errs.push(FieldError::new(
                    f("categories"),
                    format!("“{}”须至少对应一个监管类别、标识或行业代码", m.name),
                ));
            }
            for c in &m.categories {
                if !known(crate::directory::enterprise::CATEGORIES, c) {
                    errs.push(FieldError::new(
                        f("categories"),
                        format!("“{}”的监管类别“{c}”无效", m.name),
                    ));
                }
            }
            for c in &m.flags {
                if !known(crate::directory::enterprise::FLAGS, c) {
                    errs.push(FieldError::new(
                        f("flags"),
                        format!("“{}”的重点监管标识“{c}”无效", m.name),
                    ));
                }
            }
        }
        if errs.is_empty() {
            Ok(())
        } else {
            Err(Invalid(errs))
        }
    }

    /// The mandatory industries an enterprise is in (empty: the insurance is not mandatory).
    pub fn required_by(
        &self,
        categories: &[String],
        flags: &[String],
        industry_code: &str,
    ) -> Vec<&str> {
        self.mandatory
            .iter()
            .filter(|m| {
                m.categories.iter().any(|c| categories.contains(c))
                    || m.flags.iter().any(|c| flags.contains(c))
                    || m.industry_prefixes
                        .iter()
                        .any(|p| industry_code.starts_with(p.as_str()))
            })
            .map(|m| m.name.as_str())
            .collect()
    }
}

/// One enterprise as coverage counts it.
#[derive(Debug, Clone)]
pub struct Subject {
    pub street: String,
    pub industries: Vec<String>,
    pub insured: bool,
}

/// Insured and required counts of one group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub required: i64,
    pub insured: i64,
}

impl Tally {
    /// 覆盖率 in per cent, one decimal (100 when none is required).
    pub fn rate(&self) -> f64 {
        if self.required == 0 {
            100.0
        } else {
            (self.insured as f64 * 1000.0 / self.required as f64).round() / 10.0
        }
    }
}

/// The totals, by street and by industry (in the configuration's order) of the enterprises
/// that must be insured.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Coverage {
    pub total: Tally,
    pub by_street: BTreeMap<String, Tally>,
    pub by_industry: Vec<(String, Tally)>,
}

pub fn tally(config: &CoverageConfig, subjects: &[Subject]) -> Coverage {
    let mut c = Coverage {
        by_industry: config
            .mandatory
            .iter()
            .map(|m| (m.name.clone(), Tally::default()))
            .collect(),
        ..Default::default()
    };
    for s in subjects.iter().filter(|s| !s.industries.is_empty()) {
        let add = |t: &mut Tally| {
            t.required += 1;
            t.insured += i64::from(s.insured);
        };
        add(&mut c.total);
        add(c.by_street.entry(s.street.clone()).or_default());
        for (name, t) in &mut c.by_industry {
            if s.industries.contains(name) {
                add(t);
            }
        }
    }
    c
}

pub const NOT_A_COVERAGE_READER: &str = "您无权查看安责险覆盖情况";
pub const NOT_A_COVERAGE_NOTIFIER: &str = "您无权发送未投保提醒";

/// May read coverage: the bureau, the departments, the streets and the duty room (not the
/// enterprises nor the insurers).
pub fn may_read(role: crate::kernel::role::Role) -> bool {
    use crate::kernel::role::Role;
    matches!(
        role,
        Role::Admin
            | Role::Commander
            | Role::DepartmentStaff
            | Role::StreetStaff
            | Role::DutyOfficer
            | Role::Inspector
    )
}

/// May notify the uninsured: the bureau's leaders, the departments and the administrators.
pub fn may_notify(role: crate::kernel::role::Role) -> bool {
    use crate::kernel::role::Role;
    matches!(role, Role::Admin | Role::Commander | Role::DepartmentStaff)
}

pub const NOTIFY_TITLE: &str = "安全生产责任保险未投保提醒";

/// The message to an uninsured enterprise and its supervising department.
pub fn notify_body(enterprise: &str, industries: &[String]) -> String {
    format!(
        "{enterprise}属于{}行业，依照《安全生产法》第五十一条应当投保安全生产责任保险，平台未查到有效保单，请尽快投保并登记。",
        industries.join("、")
    )
}

pub fn notify_summary(n: usize) -> String {
    format!("提醒{n}家未投保安责险的企业")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(street: &str, inds: &[&str], insured: bool) -> Subject {
        Subject {
            street: street.into(),
            industries: inds.iter().map(|x| x.to_string()).collect(),
            insured,
        }
    }

    #[test]
    fn the_defaults_map_the_law() {
        let c = CoverageConfig::default();
        assert_eq!(c.mandatory.len(), 8);
        c.validate().unwrap();
        assert_eq!(
            c.required_by(&["hazchem".into()], &[], "C2614"),
            ["危险化学品"]
        );
        assert_eq!(
            c.required_by(&[], &["metal_smelting".into()], "C3311"),
            ["金属冶炼"]
        );
        assert_eq!(c.required_by(&[], &[], "A0411"), ["渔业生产"]);
        assert!(
            c.required_by(&["crowded_place".into()], &[], "H6210")
                .is_empty()
        );
    }

    #[test]
    fn rates_by_street_and_industry() {
        let c = CoverageConfig::default();
        let cov = tally(
            &c,
            &[
                s("a", &["危险化学品"], true),
                s("a", &["危险化学品", "交通运输"], false),
                s("b", &["矿山"], true),
                s("b", &[], false),
            ],
        );
        assert_eq!(
            cov.total,
            Tally {
                required: 3,
                insured: 2
            }
        );
        assert_eq!(cov.total.rate(), 66.7);
        assert_eq!(
            cov.by_street["a"],
            Tally {
                required: 2,
                insured: 1
            }
        );
        assert_eq!(
            cov.by_industry[1].1,
            Tally {
                required: 2,
                insured: 1
            }
        );
        assert_eq!(
            cov.by_industry[3].1,
            Tally {
                required: 1,
                insured: 0
            }
        );
    }

    #[test]
    fn a_bad_config_is_named() {
        let mut c = CoverageConfig::default();
        c.mandatory[0].categories = vec!["nope".into()];
        assert_eq!(
            c.validate().unwrap_err().0[0].field,
            "mandatory.0.categories"
        );
    }
}
