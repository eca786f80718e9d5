//! Notification channels (通知渠道): the register input, its field checks with Chinese messages,
//! the audience labels of its rows, the test message, and the wording of audit records and
//! refusals.

use crate::kernel::notify::{ChannelKind, Message, check_endpoint};
use crate::kernel::validation::{Errors, required_text};

#[derive(Debug, Clone)]
pub struct ChannelInput {
    pub name: String,
    /// wecom | dingtalk | webhook | email | sms
    pub kind: String,
    /// Robot or webhook URL; email addresses or mobile numbers, comma separated. Answers show
    /// a URL's query values masked; sending the masked URL back on update keeps the stored one.
    pub endpoint: String,
    /// 钉钉 加签 secret or the webhook's HMAC key. On update, absent keeps the old one and ""
    /// removes it.
    pub secret: Option<String>,
    pub enterprise_id: Option<String>,
    pub department_id: Option<String>,
    /// The street or district whose duty group this is.
    pub region_code: Option<String>,
    pub active: bool,
}

/// A hotline connection signs every call both ways: its secret is required.
pub const HOTLINE_SECRET_REQUIRED: &str = "热线对接渠道须设置至少 16 位的签名密钥";
/// Only the administrator registers the district's hotline connection.
pub const HOTLINE_CHANNEL_DENIED: &str = "只有系统管理员可以登记 12345/12350 热线对接渠道";

/// Whether the role may register a channel of this kind: the hotline connection (whose secret
/// admits orders into the district) is the administrator's.
pub fn may_register_kind(role: crate::kernel::role::Role, kind: ChannelKind) -> bool {
    kind != ChannelKind::Hotline || role == crate::kernel::role::Role::Admin
}

/// A channel's fields as checked.
#[derive(Debug, Clone)]
pub struct CheckedChannel {
    pub name: String,
    pub kind: ChannelKind,
}

/// The refusal for a role that may not register channels.
pub const CHANNEL_CREATE_DENIED: &str = "您的角色不能登记通知渠道";
/// The refusal for a role that may not manage channels.
pub const CHANNEL_MANAGE_DENIED: &str = "您的角色不能管理通知渠道";
/// The refusal for a role that may not register a department's channel.
pub const DEPARTMENT_CHANNEL_DENIED: &str = "您的角色不能登记部门的通知渠道";
/// The error of department staff naming an enterprise as a channel's owner.
pub const DEPARTMENT_STAFF_OWN_CHANNELS: &str = "部门人员只能登记本部门的通知渠道";

/// Checks a channel's name, kind, address and secret (not its owner, which needs the
/// directory), adding every problem to `errs`; None when the name or kind is unusable.
pub fn check_channel(errs: &mut Errors, input: &ChannelInput) -> Option<CheckedChannel> {
    let name = errs.check("name", required_text("渠道名称", &input.name, 100));
    let kind = ChannelKind::parse(&input.kind);
    match kind {
        None => errs.add(
            "kind",
            "渠道类型须为 wecom、dingtalk、webhook、email、sms 或 hotline 之一",
        ),
        Some(k) => {
            if let Err(e) = check_endpoint(k, &input.endpoint) {
                errs.add(&e.field, e.message);
            }
        }
    }
    if input.secret.as_deref().is_some_and(|s| s.len() > 200) {
        errs.add("secret", "密钥过长（最多 200 个字符）");
    }
    // On update an absent secret keeps the stored one.
    if kind == Some(ChannelKind::Hotline)
        && input.secret.as_deref().is_some_and(|s| s.trim().len() < 16)
    {
        errs.add("secret", HOTLINE_SECRET_REQUIRED);
    }
    Some(CheckedChannel {
        name: name?,
        kind: kind?,
    })
}

/// Whom a channel speaks for (企业 / 行业部门 / 区县 / 街道 / 社区 / 网格), from its owner columns.
pub fn audience_label(enterprise: bool, department: bool, region_code: &str) -> &'static str {
    if enterprise {
        "企业"
    } else if department {
        "行业部门"
    } else {
        match region_code.len() {
            6 => "区县",
            9 => "街道",
            12 => "社区",
            _ => "网格",
        }
    }
}

/// The test message a channel's owner sends to see it arrive.
pub fn test_message(channel_id: &str, channel_name: &str, sender: &str) -> Message {
    Message {
        event: "channel.test".into(),
        title: "【测试】应急管理综合平台通知渠道".into(),
        body: format!(
            "这是一条测试消息：渠道“{channel_name}”可以收到报警叫应通知。发送人：{sender}"
        ),
        link: "/alarms".into(),
        subject_id: channel_id.to_string(),
    }
}

/// The audit summary of a channel registered.
pub fn channel_created_summary(name: &str, kind: ChannelKind) -> String {
    format!("登记通知渠道“{name}”（{}）", kind.label())
}

/// The audit summary of a channel edited.
pub fn channel_updated_summary(name: &str) -> String {
    format!("修改通知渠道“{name}”")
}

/// The audit summary of a test message sent.
pub fn channel_tested_summary(name: &str) -> String {
    format!("向通知渠道“{name}”发送测试消息")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ChannelInput {
        ChannelInput {
            name: "值班群".into(),
            kind: "sms".into(),
            endpoint: "13800000000".into(),
            secret: None,
            enterprise_id: None,
            department_id: None,
            region_code: None,
            active: true,
        }
    }

    #[test]
    fn kind_and_secret_are_checked() {
        let mut errs = Errors::default();
        let c = check_channel(&mut errs, &input()).unwrap();
        assert_eq!(c.kind, ChannelKind::Sms);
        assert!(errs.is_empty());
        let bad = ChannelInput {
            kind: "fax".into(),
            secret: Some("x".repeat(201)),
            ..input()
        };
        assert!(check_channel(&mut errs, &bad).is_none());
        let fields: Vec<_> = errs.into_invalid().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["kind", "secret"]);
    }

    #[test]
    fn audiences_by_owner() {
        assert_eq!(audience_label(true, false, "360403"), "企业");
        assert_eq!(audience_label(false, true, "360403"), "行业部门");
        assert_eq!(audience_label(false, false, "360403"), "区县");
        assert_eq!(audience_label(false, false, "360403001"), "街道");
        assert_eq!(audience_label(false, false, "360403001001"), "社区");
        assert_eq!(audience_label(false, false, "360403001001001"), "网格");
        let m = test_message("c1", "值班群", "张三");
        assert_eq!(
            m.body,
            "这是一条测试消息：渠道“值班群”可以收到报警叫应通知。发送人：张三"
        );
    }
}
