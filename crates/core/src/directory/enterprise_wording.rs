//! 企业: the refusals and audit summaries of enterprise records, and what may still refer to
//! an enterprise when it is to be deleted.

/// Creating an enterprise outside the caller's grid or categories.
pub const CREATE_OUT_OF_SCOPE: &str = "该企业不在您的管辖范围内（所属网格或监管类别超出权限）";
/// An enterprise user changing its 统一社会信用代码 or 所属网格.
pub const FIXED_FOR_ENTERPRISE: &str =
    "企业用户不能修改统一社会信用代码和所属网格，请联系属地监管部门";
/// An edit that would move the enterprise out of the caller's scope.
pub const UPDATE_OUT_OF_SCOPE: &str = "修改后的企业将超出您的管辖范围（所属网格或监管类别）";
/// A role that may not create or delete enterprises (nor import them).
pub const CREATE_DENIED: &str = "您的角色不能新增或删除企业";
/// A role that may not edit enterprises.
pub const EDIT_DENIED: &str = "您的角色不能修改企业信息";
/// A record filed under an enterprise the caller cannot see (or that does not exist).
pub const NOT_VISIBLE: &str = "企业不存在或不在您的管辖范围内";

/// The grid an enterprise is placed in does not exist.
pub fn grid_missing(grid_code: &str) -> String {
    format!("所属网格“{grid_code}”不存在")
}

/// The region an enterprise is placed in is above grid or community level.
pub fn not_a_grid(grid_code: &str) -> String {
    format!("“{grid_code}”不是网格或社区，企业应归属到网格")
}

/// Another enterprise holds this 统一社会信用代码.
pub fn uscc_taken(uscc: &str) -> String {
    format!("统一社会信用代码“{uscc}”已被其他企业使用")
}

/// What may still refer to an enterprise (table, what, measure word), named in the refusal to
/// delete it.
pub const REFERRERS: &[(&str, &str, &str)] = &[
    ("users", "企业用户账号", "个"),
    ("sensors", "传感器", "个"),
    ("gateways", "采集网关", "个"),
    ("major_hazards", "重大危险源", "个"),
    ("risk_points", "风险点", "个"),
    ("hazards", "隐患记录", "条"),
    ("notify_channels", "通知渠道", "个"),
    ("incidents", "突发事件记录", "条"),
];

/// One referrer's count as named in the refusal: 3个传感器.
pub fn referrer_count(n: i64, what: &str, unit: &str) -> String {
    format!("{n}{unit}{what}")
}

/// Why an enterprise cannot be deleted.
pub fn still_referred(name: &str, still: &[String]) -> String {
    format!(
        "企业“{name}”还有{}，不能删除；请先删除或改派这些记录，或将企业状态改为注销",
        still.join("、")
    )
}

pub fn created_summary(name: &str) -> String {
    format!("新增企业“{name}”")
}

pub fn updated_summary(name: &str) -> String {
    format!("修改企业“{name}”")
}

pub fn deleted_summary(name: &str) -> String {
    format!("删除企业“{name}”")
}

pub fn imported_summary(name: &str) -> String {
    format!("导入企业“{name}”")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording() {
        let still = vec![
            referrer_count(2, "传感器", "个"),
            referrer_count(1, "隐患记录", "条"),
        ];
        assert_eq!(
            still_referred("甲厂", &still),
            "企业“甲厂”还有2个传感器、1条隐患记录，不能删除；请先删除或改派这些记录，或将企业状态改为注销"
        );
        assert_eq!(created_summary("甲厂"), "新增企业“甲厂”");
        assert_eq!(imported_summary("甲厂"), "导入企业“甲厂”");
        assert_eq!(
            grid_missing("360403001001009"),
            "所属网格“360403001001009”不存在"
        );
        assert_eq!(
            not_a_grid("360403"),
            "“360403”不是网格或社区，企业应归属到网格"
        );
        assert_eq!(
            uscc_taken("91350100M000100Y43"),
            "统一社会信用代码“91350100M000100Y43”已被其他企业使用"
        );
    }
}
