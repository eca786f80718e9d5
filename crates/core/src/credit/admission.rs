//! 准入负面清单 and the 禁限控 catalogue: district configuration (versioned with the district
//! rules). An entry names an industry (GB/T 4754 code prefix), a 监管类别 or a process keyword,
//! with its kind (禁止/限制/控制) and basis; an enterprise that matches one is flagged.

use crate::directory::enterprise::{CATEGORIES, FLAGS, label_of};
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};
use serde::{Deserialize, Serialize};

/// What an entry matches on.
pub const MATCHES: &[(&str, &str)] = &[
    ("industry", "国民经济行业"),
    ("category", "监管类别"),
    ("process", "工艺/关键词"),
];

/// 禁止 / 限制 / 控制.
pub const KINDS: &[(&str, &str)] = &[
    ("prohibited", "禁止"),
    ("restricted", "限制"),
    ("controlled", "控制"),
];

pub fn kind_label(code: &str) -> &'static str {
    KINDS
        .iter()
        .find(|k| k.0 == code)
        .map(|k| k.1)
        .unwrap_or("")
}

/// One entry of the catalogue.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AdmissionEntry {
    /// `industry` (code prefix such as C26), `category` (a 监管类别 code) or `process` (a keyword
    /// matched in the enterprise's name and its 重点监管标识).
    pub match_on: String,
    pub value: String,
    /// `prohibited`, `restricted` or `controlled`.
    pub kind: String,
    /// 依据 (the document and article).
    pub basis: String,
    pub note: String,
}

/// The district's 准入负面清单 (part of the versioned district rules).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct AdmissionConfig {
    pub entries: Vec<AdmissionEntry>,
}

impl AdmissionConfig {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut e = Errors::default();
        for (i, x) in self.entries.iter().enumerate() {
            let row = i + 1;
            let f = |name: &str| format!("entries[{i}].{name}");
            if !MATCHES.iter().any(|m| m.0 == x.match_on) {
                e.add(
                    &f("match_on"),
                    format!("第{row}条：匹配方式应为行业、监管类别或工艺关键词"),
                );
            }
            if !KINDS.iter().any(|k| k.0 == x.kind) {
                e.add(&f("kind"), format!("第{row}条：类别应为禁止、限制或控制"));
            }
            let v = x.value.trim();
            match x.match_on.as_str() {
                "category" if label_of(CATEGORIES, v).is_none() => {
                    e.add(&f("value"), format!("第{row}条：监管类别“{v}”无效"));
                }
                "industry"
                    if v.is_empty()
                        || !v.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                        || !v.chars().skip(1).all(|c| c.is_ascii_digit()) =>
                {
                    e.add(
                        &f("value"),
                        format!("第{row}条：行业代码“{v}”无效，如 C26 或 C2614"),
                    );
                }
                _ => {
                    if let Err(m) = required_text(&format!("第{row}条：匹配内容"), v, 50) {
                        e.add(&f("value"), m);
                    }
                }
            }
            if let Err(m) = required_text(&format!("第{row}条：依据"), &x.basis, 200) {
                e.add(&f("basis"), m);
            }
            if let Err(m) = optional_text(&format!("第{row}条：备注"), &x.note, 500) {
                e.add(&f("note"), m);
            }
        }
        if e.is_empty() {
            Ok(())
        } else {
            Err(e.into_invalid())
        }
    }

    /// The entries an enterprise matches.
    pub fn matches<'a>(
        &'a self,
        name: &str,
        industry_code: &str,
        categories: &[String],
        flags: &[String],
    ) -> Vec<&'a AdmissionEntry> {
        self.entries
            .iter()
            .filter(|x| {
                let v = x.value.trim();
                !v.is_empty()
                    && match x.match_on.as_str() {
                        "industry" => industry_code.starts_with(v),
                        "category" => categories.iter().any(|c| c == v),
                        "process" => {
                            name.contains(v)
                                || flags
                                    .iter()
                                    .filter_map(|f| label_of(FLAGS, f))
                                    .any(|l| l.contains(v))
                        }
                        _ => false,
                    }
            })
            .collect()
    }
}

/// The warning shown with an enterprise that matches.
pub fn warning(entries: &[&AdmissionEntry]) -> Option<String> {
    let first = entries.first()?;
    let more = if entries.len() > 1 {
        format!("等 {} 条", entries.len())
    } else {
        String::new()
    };
    Some(format!(
        "该企业命中准入负面清单（{}：{}，依据{}）{more}，请按规定核查",
        kind_label(&first.kind),
        first.value.trim(),
        first.basis.trim()
    ))
}

/// One entry an enterprise matches, as the enterprise answer carries it (a warning: the
/// registration still succeeds).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AdmissionHit {
    /// `industry`, `category` or `process`.
    pub match_on: String,
    pub value: String,
    /// `prohibited`, `restricted` or `controlled`.
    pub kind: String,
    /// 禁止 / 限制 / 控制.
    pub kind_label: String,
    pub basis: String,
    /// The warning in Chinese.
    pub message: String,
}

/// The entries an enterprise matches, each with its warning (the console shows them with the
/// enterprise, the list as a 负面清单 tag).
pub fn check(
    config: &AdmissionConfig,
    name: &str,
    industry_code: &str,
    categories: &[String],
    flags: &[String],
) -> Vec<AdmissionHit> {
    config
        .matches(name, industry_code, categories, flags)
        .into_iter()
        .map(|x| {
            let on = MATCHES
                .iter()
                .find(|m| m.0 == x.match_on)
                .map(|m| m.1)
                .unwrap_or("");
            let value = x.value.trim().to_string();
            let shown = if x.match_on == "category" {
                label_of(CATEGORIES, &value).unwrap_or(&value).to_string()
            } else {
                value.clone()
            };
            AdmissionHit {
                message: format!(
                    "命中准入负面清单（{}类，{on}“{shown}”，依据{}），请按规定核查",
                    kind_label(&x.kind),
                    x.basis.trim()
                ),
                match_on: x.match_on.clone(),
                value,
                kind: x.kind.clone(),
                kind_label: kind_label(&x.kind).into(),
                basis: x.basis.trim().into(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(match_on: &str, value: &str, kind: &str) -> AdmissionEntry {
        AdmissionEntry {
            match_on: match_on.into(),
            value: value.into(),
            kind: kind.into(),
            basis: "《产业结构调整指导目录》".into(),
            note: String::new(),
        }
    }

    #[test]
    fn matches_industry_category_and_process() {
        let c = AdmissionConfig {
            entries: vec![
                entry("industry", "C26", "restricted"),
                entry("category", "fireworks", "prohibited"),
                entry("process", "涉氨", "controlled"),
            ],
        };
        assert!(c.validate().is_ok());
        assert_eq!(c.matches("某化工厂", "C2614", &[], &[]).len(), 1);
        assert_eq!(
            c.matches("某厂", "C3311", &["fireworks".into()], &[]).len(),
            1
        );
        let f = ["ammonia_refrigeration".to_string()];
        assert_eq!(c.matches("某冷库", "G5960", &[], &f).len(), 1);
        assert!(c.matches("某商场", "F5211", &[], &[]).is_empty());
        let w = warning(&c.matches("某化工厂", "C2614", &[], &[])).unwrap();
        assert!(w.contains("限制：C26"), "{w}");
    }

    #[test]
    fn hits_carry_their_warning() {
        let c = AdmissionConfig {
            entries: vec![
                entry("category", "fireworks", "prohibited"),
                entry("industry", "F52", "controlled"),
            ],
        };
        let h = check(&c, "某烟花店", "F5299", &["fireworks".into()], &[]);
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].kind_label, "禁止");
        assert!(
            h[0].message.contains("禁止类，监管类别“"),
            "{}",
            h[0].message
        );
        assert!(check(&c, "某厂", "C3311", &[], &[]).is_empty());
    }

    #[test]
    fn refuses_bad_entries() {
        let c = AdmissionConfig {
            entries: vec![entry("industry", "c2", "maybe")],
        };
        let e = c.validate().unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["entries[0].kind", "entries[0].value"]);
    }
}
