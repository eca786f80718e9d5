//! The issuing bureau of a district's warnings (CAP sender, GB/T 35965.1 identifier parts).

use crate::kernel::validation::Errors;
use serde::{Deserialize, Serialize};

/// The issuing bureau of a district's warnings, as CAP and GB/T 35965.1 name it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Publisher {
    /// 发布单位 (CAP senderName and the default headline); empty: the district's name + 应急管理局.
    pub name: String,
    /// CAP `sender`; empty: `yjj.{district}@yingji`.
    pub sender: String,
    /// GB/T 35965.1 identifier parts: DDD organisation code (GB/T 4657) and UUU unit code.
    pub organisation_code: String,
    pub unit_code: String,
}

impl Default for Publisher {
    fn default() -> Self {
        Self {
            name: String::new(),
            sender: String::new(),
            organisation_code: "000".into(),
            unit_code: "000".into(),
        }
    }
}

impl Publisher {
    pub fn name_for(&self, district_name: &str) -> String {
        if self.name.trim().is_empty() {
            format!("{district_name}应急管理局")
        } else {
            self.name.trim().to_string()
        }
    }

    pub fn sender_for(&self, district_code: &str) -> String {
        if self.sender.trim().is_empty() {
            format!("yjj.{district_code}@yingji")
        } else {
            self.sender.trim().to_string()
        }
    }

    pub(super) fn check(&self, errs: &mut Errors) {
        if self.name.chars().count() > 60 {
            errs.add("publisher.name", "发布单位名称不能超过60个字符");
        }
        // CAP: sender must not contain spaces, commas or restricted characters (< & ).
        if self.sender.len() > 200
            || self
                .sender
                .trim()
                .contains(|c: char| c.is_whitespace() || matches!(c, ',' | '<' | '&'))
        {
            errs.add(
                "publisher.sender",
                "发送者标识不能含空格、逗号、< 或 &，且不超过200个字符",
            );
        }
        for (field, v, label) in [
            (
                "publisher.organisation_code",
                &self.organisation_code,
                "机构代码",
            ),
            ("publisher.unit_code", &self.unit_code, "单位代码"),
        ] {
            if v.len() != 3 || !v.bytes().all(|b| b.is_ascii_digit()) {
                errs.add(field, format!("{label}应为 3 位数字（GB/T 35965.1）"));
            }
        }
    }
}
