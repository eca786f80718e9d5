//! Sentences every capability's store and use cases say the same way: refusals by scope, unknown
//! references, attachments, delivery statuses, who an escalation reached, the audit chain.

/// Refused: the region is outside the caller's area.
pub const REGION_OUTSIDE_SCOPE: &str = "该区域不在您的管辖范围内";
/// Refused: the department is outside the caller's area.
pub const DEPARTMENT_OUTSIDE_SCOPE: &str = "该部门不在您的管辖范围内";
/// The department named does not exist.
pub const DEPARTMENT_UNKNOWN: &str = "部门不存在";
/// At most 20 attachments to one record.
pub const TOO_MANY_ATTACHMENTS: &str = "附件最多 20 个";
/// A period whose end is not after its start.
pub const PERIOD_BACKWARDS: &str = "结束时间应晚于开始时间";
/// The audit-log verbs of a register's create and edit.
pub const CREATED: &str = "登记";
pub const EDITED: &str = "修改";

/// An attachment id that is not the caller's free upload.
pub fn attachment_unusable(id: &str) -> String {
    format!("附件“{id}”不存在、已被使用或不是您上传的")
}

/// A region code that does not exist.
pub fn region_unknown(code: &str) -> String {
    format!("区划“{code}”不存在")
}

/// A parent region given for a breakdown that is not a district, street or community.
pub fn not_a_parent_region(label: &str) -> String {
    format!("{label}应为区县、街道或社区代码")
}

/// A delivery's status in the outbox (pending / sending / sent / failed / skipped).
pub fn delivery_status_label(code: &str) -> &'static str {
    match code {
        "sending" => "发送中",
        "sent" => "已送达",
        "failed" => "发送失败",
        "skipped" => "未发送",
        _ => "待发送",
    }
}

/// Who an escalation step reached: "站内通知 3 人，短信 1 人，推送 安全群、值班室邮箱" (SMS and
/// channels only when any).
pub fn reached(notified: usize, texted: usize, channels: &[String]) -> String {
    let mut s = format!("站内通知 {notified} 人");
    if texted > 0 {
        s.push_str(&format!("，短信 {texted} 人"));
    }
    if !channels.is_empty() {
        s.push_str(&format!("，推送 {}", channels.join("、")));
    }
    s
}

/// The audit chain's head says more records exist than the log holds.
pub fn chain_tail_missing(head_seq: i64, last_seq: i64) -> String {
    format!("日志末尾缺失：链头记录到第{head_seq}条，实际只到第{last_seq}条")
}

/// The audit record of sealing the chain's legacy boundary (ADR 0032).
pub fn audit_sealed(until: i64, key_id: &str) -> String {
    if until == 0 {
        format!("审计链自第1条起以HMAC-SM3（密钥{key_id}）计算")
    } else {
        format!("审计链前{until}条记录保留SHA-256，此后以HMAC-SM3（密钥{key_id}）计算；起点已封存")
    }
}

/// The audit record of a key rotation (ADR 0032).
pub fn keys_rotated(kind: &str, old: Option<&str>, new: &str) -> String {
    let what = match kind {
        "audit" => "审计密钥",
        "data" => "数据加密密钥",
        _ => "索引密钥",
    };
    match old {
        Some(o) => format!("{what}由{o}轮换为{new}，旧密钥保留用于校验和解密旧记录"),
        None => format!("启用{what}{new}"),
    }
}

/// The audit record of the start-up job that sealed plaintext personal fields.
pub fn personal_sealed(field: &str, rows: i64) -> String {
    format!("{field}：已加密{rows}条存量记录（SM4）")
}

/// Start-up refused: an applied migration's text differs from the one it was applied with.
pub fn migration_changed(version: i64, name: &str, recorded: &str, now: &str) -> String {
    format!(
        "数据库迁移 {version:04}（{name}）在应用后被修改：应用时校验和 {recorded}，现为 {now}。\
         已应用的迁移不能修改，请恢复该迁移文件的原文，改动请写成新的迁移"
    )
}

/// An enterprise named that does not exist or lies outside the caller's scope.
pub const ENTERPRISE_OUTSIDE_SCOPE: &str = "企业不存在或不在您的管辖范围内";

/// /healthz: why the database check failed — it did not answer within `secs` seconds, or it
/// answered with an error (refused, unreachable, closed).
pub fn database_unavailable(timed_out: bool, secs: u64) -> String {
    if timed_out {
        format!("数据库在 {secs} 秒内没有响应")
    } else {
        "无法连接数据库".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reached_names_only_what_was_used() {
        assert_eq!(reached(3, 0, &[]), "站内通知 3 人");
        assert_eq!(
            reached(2, 1, &["安全群".into(), "值班室邮箱".into()]),
            "站内通知 2 人，短信 1 人，推送 安全群、值班室邮箱"
        );
        assert_eq!(delivery_status_label("sent"), "已送达");
        assert_eq!(delivery_status_label("?"), "待发送");
    }
}
