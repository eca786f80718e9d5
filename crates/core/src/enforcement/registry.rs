//! The inputs of the enforcement registers: 执法事项目录 items, the 执法检查人员名录库 (inspectors with
//! their 执法证), 回避 (conflicts of interest) and a draw's request; each checked whole, with
//! messages naming the field.

use jiff::civil::Date;

use super::METHODS;
use super::draw::{MAX_TEAM, MIN_TEAM, Quota, Rounding};
use crate::kernel::label_of;
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};

/// A 执法事项目录 item as given.
#[derive(Debug, Clone, Default)]
pub struct ItemInput {
    pub name: String,
    pub legal_basis: String,
    pub method: String,
    /// The supervision category it applies to (工贸, 危化 …), if one.
    pub category: Option<String>,
    pub content: Option<String>,
}

/// A checked item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedItem {
    pub name: String,
    pub legal_basis: String,
    pub method: String,
    pub category: Option<String>,
    pub content: Option<String>,
}

pub fn check_item(
    input: &ItemInput,
    known_category: impl Fn(&str) -> bool,
) -> Result<CheckedItem, Invalid> {
    let mut errs = Errors::default();
    let name = errs.check("name", required_text("执法事项名称", &input.name, 100));
    let legal_basis = errs.check(
        "legal_basis",
        required_text("执法依据", &input.legal_basis, 1000),
    );
    let method = input.method.trim();
    if label_of(&METHODS, method).is_none() {
        errs.add(
            "method",
            format!("执法方式“{method}”无效，应为 key（重点检查）、random（双随机抽查）、special（专项检查）或 complaint（举报核查）"),
        );
    }
    let category = input
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if let Some(c) = category
        && !known_category(c)
    {
        errs.add("category", format!("监管类别“{c}”不存在"));
    }
    let content = errs
        .check(
            "content",
            optional_text("检查内容", input.content.as_deref().unwrap_or(""), 2000),
        )
        .flatten();
    match (errs.is_empty(), name, legal_basis) {
        (true, Some(name), Some(legal_basis)) => Ok(CheckedItem {
            name,
            legal_basis,
            method: method.to_string(),
            category: category.map(str::to_string),
            content,
        }),
        _ => Err(errs.into_invalid()),
    }
}

/// An inspector's entry in the 执法检查人员名录库 as given.
#[derive(Debug, Clone, Default)]
pub struct InspectorInput {
    pub user_id: String,
    pub cert_no: String,
    /// YYYY-MM-DD, the last day the 执法证 is valid.
    pub cert_valid_until: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedInspector {
    pub user_id: String,
    pub cert_no: String,
    pub cert_valid_until: Date,
}

/// A 执法证号 is 6 to 32 letters, digits or hyphens (formats differ by province).
pub fn check_inspector(input: &InspectorInput) -> Result<CheckedInspector, Invalid> {
    let mut errs = Errors::default();
    let user_id = input.user_id.trim();
    if user_id.is_empty() {
        errs.add("user_id", "请选择执法人员（用户）");
    }
    let cert_no = input.cert_no.trim();
    let cert_ok = (6..=32).contains(&cert_no.len())
        && cert_no
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !cert_ok {
        errs.add(
            "cert_no",
            format!("执法证号“{cert_no}”无效，应为 6 至 32 位字母、数字或连字符"),
        );
    }
    let until = input.cert_valid_until.trim();
    let date = until.parse::<Date>().ok();
    if date.is_none() {
        errs.add(
            "cert_valid_until",
            format!("执法证有效期“{until}”格式不正确，应为 2028-12-31"),
        );
    }
    match (errs.is_empty(), date) {
        (true, Some(cert_valid_until)) => Ok(CheckedInspector {
            user_id: user_id.to_string(),
            cert_no: cert_no.to_ascii_uppercase(),
            cert_valid_until,
        }),
        _ => Err(errs.into_invalid()),
    }
}

/// 回避: the reason an inspector must not inspect an enterprise (亲属任职, 曾任职, 利益关系 …).
pub fn check_conflict_reason(reason: &str) -> Result<String, Invalid> {
    required_text("回避原因", reason, 200).map_err(|m| Invalid::one("reason", m))
}

/// A draw as requested.
#[derive(Debug, Clone, Default)]
pub struct DrawRequest {
    pub title: String,
    pub item_id: String,
    /// Filters on the 检查对象名录库: a supervision category and a region (street, community).
    pub category: Option<String>,
    pub region: Option<String>,
    pub count: Option<i64>,
    pub ratio_percent: Option<String>,
    pub rounding: Option<String>,
    pub team_size: Option<i64>,
    /// The seed; absent, the server draws one and records it.
    pub seed: Option<u64>,
}

/// A checked draw request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedDraw {
    pub title: String,
    pub item_id: String,
    pub category: Option<String>,
    pub region: Option<String>,
    pub quota: Quota,
    pub team_size: usize,
}

pub fn check_draw(input: &DrawRequest) -> Result<CheckedDraw, Invalid> {
    let mut errs = Errors::default();
    let title = errs.check("title", required_text("抽查任务名称", &input.title, 100));
    if input.item_id.trim().is_empty() {
        errs.add("item_id", "请选择执法事项");
    }
    let rounding = match input
        .rounding
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        None => Some(Rounding::default()),
        Some(r) => errs.check("rounding", Rounding::parse(r)),
    };
    let quota = match Quota::parse(
        input.count,
        input.ratio_percent.as_deref(),
        rounding.unwrap_or_default(),
    ) {
        Ok(q) => Some(q),
        Err(e) => {
            for f in e.0 {
                errs.add(&f.field, f.message);
            }
            None
        }
    };
    let team_size = input.team_size.unwrap_or(MIN_TEAM as i64);
    if !(MIN_TEAM as i64..=MAX_TEAM as i64).contains(&team_size) {
        errs.add(
            "team_size",
            format!("每组执法人员应为 {MIN_TEAM} 至 {MAX_TEAM} 人（行政执法须两人以上）"),
        );
    }
    let region = input
        .region
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if let Some(r) = region
        && !r.bytes().all(|b| b.is_ascii_digit())
    {
        errs.add("region", "区划代码应为数字");
    }
    match (errs.is_empty(), title, quota) {
        (true, Some(title), Some(quota)) => Ok(CheckedDraw {
            title,
            item_id: input.item_id.trim().to_string(),
            category: input
                .category
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string),
            region: region.map(str::to_string),
            quota,
            team_size: team_size as usize,
        }),
        _ => Err(errs.into_invalid()),
    }
}

#[cfg(test)]
#[path = "registry_tests.rs"]
mod tests;
