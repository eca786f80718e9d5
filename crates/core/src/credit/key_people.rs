//! 关键岗位人员: 主要负责人, 安全总监, 安全管理人员, 注册安全工程师, 特种作业人员 with their
//! certificates; the input's check and the posts' names. The certificate's expiry is judged like
//! a licence's (`licences::expiry`).

use crate::credit::licences::day;
use crate::kernel::validation::{Errors, Invalid, optional_text, phone, required_text};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The posts (code, 名称).
pub const POSTS: &[(&str, &str)] = &[
    ("principal", "主要负责人"),
    ("safety_director", "安全总监"),
    ("safety_manager", "安全管理人员"),
    ("registered_engineer", "注册安全工程师"),
    ("special_operator", "特种作业人员"),
];

pub fn post_label(code: &str) -> String {
    POSTS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| (*l).to_string())
        .unwrap_or_else(|| code.to_string())
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct KeyPersonInput {
    pub post: String,
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    /// 证书种类, e.g. 主要负责人安全生产知识和管理能力考核合格证, 特种作业操作证（电工作业）.
    #[serde(default)]
    pub certificate_kind: Option<String>,
    #[serde(default)]
    pub certificate_number: Option<String>,
    /// YYYY-MM-DD, when the certificate has an end.
    #[serde(default)]
    pub valid_until: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedKeyPerson {
    pub post: String,
    pub name: String,
    pub phone: Option<String>,
    pub certificate_kind: Option<String>,
    pub certificate_number: Option<String>,
    pub valid_until: Option<Date>,
}

/// A post from the list, a name (≤ 50), an optional phone, certificate and last valid day.
pub fn check_key_person(input: &KeyPersonInput) -> Result<CheckedKeyPerson, Invalid> {
    let mut errs = Errors::default();
    if !POSTS.iter().any(|(c, _)| *c == input.post) {
        errs.add("post", format!("岗位“{}”无效", input.post));
    }
    let name = errs.check("name", required_text("姓名", &input.name, 50));
    let phone = errs.check(
        "phone",
        phone("联系电话", input.phone.as_deref().unwrap_or("")),
    );
    let kind = errs.check(
        "certificate_kind",
        optional_text(
            "证书种类",
            input.certificate_kind.as_deref().unwrap_or(""),
            100,
        ),
    );
    let number = errs.check(
        "certificate_number",
        optional_text(
            "证书编号",
            input.certificate_number.as_deref().unwrap_or(""),
            64,
        ),
    );
    let until = match input.valid_until.as_deref().map(str::trim) {
        None | Some("") => Some(None),
        Some(raw) => errs
            .check("valid_until", day("证书有效期至", raw))
            .map(Some),
    };
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    Ok(CheckedKeyPerson {
        post: input.post.clone(),
        name: name.unwrap_or_default(),
        phone: phone.flatten(),
        certificate_kind: kind.flatten(),
        certificate_number: number.flatten(),
        valid_until: until.flatten(),
    })
}

/// Refused to whoever may not keep the enterprise's people.
pub const NOT_A_PEOPLE_KEEPER: &str = "只有本企业用户和监管部门人员可以维护关键岗位人员";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_and_day_are_named() {
        let e = check_key_person(&KeyPersonInput {
            post: "boss".into(),
            name: "张三".into(),
            valid_until: Some("2026-13-01".into()),
            ..Default::default()
        })
        .unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["post", "valid_until"]);
    }
}
