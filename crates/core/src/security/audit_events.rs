//! The wording of the 等保 audit events that are reads, not changes: exports of personal data
//! and reads of a 特殊群体's record (their labels are in `kernel::audit_action`).

/// Action code of an export that contains personal data (names, phones, ID numbers).
pub const EXPORT_PERSONAL: &str = "export_personal";
/// Action code of a read of 特殊群体 records with their personal data shown.
pub const READ_PERSONAL: &str = "read_personal";

pub fn export_summary(what: &str, rows: usize) -> String {
    format!("导出{what}（{rows} 条，含个人信息）")
}

pub fn personal_read_summary(count: usize) -> String {
    if count == 1 {
        "查看特殊群体信息".to_string()
    } else {
        format!("查看特殊群体信息（{count} 条）")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording() {
        assert_eq!(
            export_summary("专家名单", 3),
            "导出专家名单（3 条，含个人信息）"
        );
        assert_eq!(personal_read_summary(1), "查看特殊群体信息");
        assert_eq!(personal_read_summary(4), "查看特殊群体信息（4 条）");
        for a in [EXPORT_PERSONAL, READ_PERSONAL] {
            assert!(crate::kernel::audit_action::known(a, "x").is_some(), "{a}");
        }
    }
}
