//! The wording of the 等保 audit events that are reads, not changes: exports of personal data
//! and reads of a 特殊群体's record (their labels are in `kernel::audit_action`).

/// Action code of an export that contains personal data (names, phones, ID numbers).
pub const EXPORT_PERSONAL: &str = "export_personal";
/// Action code of a read of 特殊群体 records with their personal data shown.
pub const READ_PERSONAL: &str = "read_personal";

/// Action codes of the 安全审计员's own work on the audit log (GB/T 22239-2019 8.1.5.2 a:
/// 审计管理员的操作也应审计).
pub const AUDIT_READ: &str = "audit.read";
pub const AUDIT_VERIFY: &str = "audit.verify";
pub const AUDIT_EXPORT: &str = "audit.export";

/// The conditions of an audit-log query in words ("全部" without any), for its audit record.
pub fn audit_query_words(conditions: &[(&str, Option<&str>)]) -> String {
    let set: Vec<String> = conditions
        .iter()
        .filter_map(|(k, v)| {
            v.filter(|v| !v.trim().is_empty())
                .map(|v| format!("{k}={v}"))
        })
        .collect();
    if set.is_empty() {
        "全部".to_string()
    } else {
        set.join("，")
    }
}

pub fn audit_read_summary(conditions: &str, total: i64) -> String {
    format!("查看审计日志（条件：{conditions}；共 {total} 条）")
}

pub fn audit_export_summary(conditions: &str, rows: usize) -> String {
    format!("导出审计日志（条件：{conditions}；{rows} 条）")
}

pub fn audit_verify_summary(checked: u64, first_break: Option<i64>) -> String {
    match first_break {
        None => format!("校验审计链：{checked} 条完整"),
        Some(seq) => format!("校验审计链：第 {seq} 条起不符"),
    }
}

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
        assert_eq!(
            audit_query_words(&[("操作人", Some("admin")), ("操作", None)]),
            "操作人=admin"
        );
        assert_eq!(audit_query_words(&[("操作", Some(" "))]), "全部");
        assert_eq!(audit_verify_summary(12, None), "校验审计链：12 条完整");
        assert_eq!(
            audit_verify_summary(12, Some(7)),
            "校验审计链：第 7 条起不符"
        );
        for a in [
            EXPORT_PERSONAL,
            READ_PERSONAL,
            AUDIT_READ,
            AUDIT_VERIFY,
            AUDIT_EXPORT,
        ] {
            assert!(crate::kernel::audit_action::known(a, "x").is_some(), "{a}");
        }
    }
}
