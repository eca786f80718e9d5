//! 安全生产标准化等级 (一/二/三级) of an enterprise, with its certificate and validity; the input's
//! check and the wording. Proposed by the enterprise and confirmed like a licence.

use crate::credit::licences::day;
use crate::kernel::validation::{Errors, Invalid, required_text};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The grade's label: 一级 / 二级 / 三级.
pub fn grade_label(grade: i64) -> &'static str {
    match grade {
        1 => "一级",
        2 => "二级",
        3 => "三级",
        _ => "未定级",
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct StandardisationInput {
    /// 1, 2 or 3.
    pub grade: i64,
    pub certificate_number: String,
    pub valid_until: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedStandardisation {
    pub grade: i64,
    pub certificate_number: String,
    pub valid_until: Date,
}

/// Grade 1–3, a certificate number (≤ 64) and the last valid day.
pub fn check_standardisation(
    input: &StandardisationInput,
) -> Result<CheckedStandardisation, Invalid> {
    let mut errs = Errors::default();
    if !(1..=3).contains(&input.grade) {
        errs.add("grade", "标准化等级应为 1（一级）、2（二级）或 3（三级）");
    }
    let number = errs.check(
        "certificate_number",
        required_text("证书编号", &input.certificate_number, 64),
    );
    let until = errs.check("valid_until", day("有效期至", &input.valid_until));
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    Ok(CheckedStandardisation {
        grade: input.grade,
        certificate_number: number.unwrap_or_default(),
        valid_until: until.unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grade_out_of_range_is_named() {
        let e = check_standardisation(&StandardisationInput {
            grade: 4,
            certificate_number: "AQBW2024-001".into(),
            valid_until: "2027-01-01".into(),
        })
        .unwrap_err();
        assert_eq!(e.0[0].field, "grade");
        assert_eq!(grade_label(2), "二级");
    }
}
