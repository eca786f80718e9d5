//! 部门: the input of a department, its check, and the wording of its audit records.

use crate::directory::enterprise::{CATEGORIES, code_of};
use crate::kernel::validation::{Errors, Invalid, phone, required_text};

#[derive(Debug, Clone)]
pub struct DepartmentInput {
    pub name: String,
    pub categories: Vec<String>,
    pub region_code: String,
    pub phone: Option<String>,
    /// 文书简称: the issuing organ's short name in its documents' numbers (浔应急〔2026〕…);
    /// derived from the region and the department's name when not set.
    pub documents_short_name: Option<String>,
}

/// A department input that passed [`check_department`]: trimmed, categories deduplicated.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedDepartment {
    pub name: String,
    pub categories: Vec<String>,
    pub region_code: String,
    pub phone: Option<String>,
    pub documents_short_name: Option<String>,
}

/// 部门名称 (≤ 60), known 监管类别 (each once), a 联系电话 if any, and a 所属区划.
pub fn check_department(input: &DepartmentInput) -> Result<CheckedDepartment, Invalid> {
    let mut e = Errors::default();
    let name = e
        .check("name", required_text("部门名称", &input.name, 60))
        .unwrap_or_default();
    let mut categories = Vec::new();
    for c in &input.categories {
        match code_of(CATEGORIES, c) {
            Some(code) if !categories.iter().any(|x| x == code) => {
                categories.push(code.to_string())
            }
            Some(_) => {}
            None => e.add("categories", format!("监管类别“{c}”无效")),
        }
    }
    let phone = e
        .check(
            "phone",
            phone("联系电话", input.phone.as_deref().unwrap_or("")),
        )
        .flatten();
    let documents_short_name = e
        .check(
            "documents_short_name",
            short_name(input.documents_short_name.as_deref()),
        )
        .flatten();
    if input.region_code.trim().is_empty() {
        e.add("region_code", "所属区划不能为空");
    }
    if !e.is_empty() {
        return Err(e.into_invalid());
    }
    Ok(CheckedDepartment {
        name,
        categories,
        region_code: input.region_code.trim().to_string(),
        phone,
        documents_short_name,
    })
}

/// 文书简称: empty is none; else 1–10 characters without spaces, brackets or digits (the number
/// adds 〔year〕 and the sequence itself).
fn short_name(v: Option<&str>) -> Result<Option<String>, String> {
    let v = v.map(str::trim).unwrap_or("");
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > 10 {
        return Err("文书简称不能超过 10 个字".into());
    }
    if v.chars()
        .any(|c| c.is_whitespace() || c.is_ascii_digit() || "〔〕[]()（）【】".contains(c))
    {
        return Err("文书简称不能含空格、数字或括号，例如“浔应急”".into());
    }
    Ok(Some(v.to_string()))
}

/// The region a department serves does not exist.
pub fn region_missing(code: &str) -> String {
    format!("所属区划“{code}”不存在")
}

/// Another department has this name.
pub fn name_taken(name: &str) -> String {
    format!("部门“{name}”已存在")
}

/// Audit summary of a new department.
pub fn created_summary(name: &str) -> String {
    format!("新增部门“{name}”")
}

/// Audit summary of a changed department.
pub fn updated_summary(name: &str) -> String {
    format!("修改部门“{name}”")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> DepartmentInput {
        DepartmentInput {
            name: " 区应急管理局 ".into(),
            categories: vec![],
            region_code: " 360402 ".into(),
            phone: None,
            documents_short_name: None,
        }
    }

    #[test]
    fn documents_short_name() {
        let with = |v: &str| DepartmentInput {
            documents_short_name: Some(v.into()),
            ..input()
        };
        let c = check_department(&with(" 浔应急 ")).unwrap();
        assert_eq!(c.documents_short_name.as_deref(), Some("浔应急"));
        assert_eq!(
            check_department(&with("  ")).unwrap().documents_short_name,
            None
        );
        for bad in ["浔应急〔2026〕", "浔 应急", "一二三四五六七八九十一"] {
            let e = check_department(&with(bad)).unwrap_err();
            assert_eq!(e.0[0].field, "documents_short_name", "{bad}");
        }
    }

    #[test]
    fn trims_and_requires() {
        let c = check_department(&input()).unwrap();
        assert_eq!(c.name, "区应急管理局");
        assert_eq!(c.region_code, "360402");
        let bad = DepartmentInput {
            name: " ".into(),
            region_code: String::new(),
            categories: vec!["nonsense".into()],
            ..input()
        };
        let msgs: Vec<String> = check_department(&bad)
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.message)
            .collect();
        assert_eq!(
            msgs,
            [
                "部门名称不能为空",
                "监管类别“nonsense”无效",
                "所属区划不能为空"
            ]
        );
    }

    #[test]
    fn wording() {
        assert_eq!(created_summary("安监科"), "新增部门“安监科”");
        assert_eq!(updated_summary("安监科"), "修改部门“安监科”");
        assert_eq!(region_missing("360499"), "所属区划“360499”不存在");
        assert_eq!(name_taken("安监科"), "部门“安监科”已存在");
    }
}
