//! 账号绑定对象: the narrow lookup the account keepers use to bind an account to its enterprise
//! or insurer (三员分立: the 安全保密管理员 reads no business data, so it may not read the
//! enterprise or insurer lists; this answers id, name and region only, at most [`LIMIT`] rows,
//! and every lookup is audited).

use crate::kernel::role::Role;
use crate::kernel::validation::{self as v, Errors, Invalid};
use crate::security::admins;

/// At most this many rows per lookup.
pub const LIMIT: i64 = 20;
/// The audit action of a lookup (label in `kernel::audit_action`).
pub const LOOKUP: &str = "security.binding_lookup";

/// What an account is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindingKind {
    /// 企业 (企业用户).
    Enterprise,
    /// 保险机构 (保险机构人员).
    Insurer,
}

impl BindingKind {
    pub fn label(self) -> &'static str {
        match self {
            Self::Enterprise => "企业",
            Self::Insurer => "保险机构",
        }
    }
}

/// A checked lookup: the kind and the name part (empty: the first rows by name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BindingQuery {
    pub kind: BindingKind,
    pub q: Option<String>,
}

/// `kind` is `enterprise` or `insurer`; `q` (a part of the name, or of the 统一社会信用代码) at
/// most 50 characters.
pub fn check_query(kind: Option<&str>, q: Option<&str>) -> Result<BindingQuery, Invalid> {
    let mut e = Errors::default();
    let kind = match kind.map(str::trim).unwrap_or("") {
        "enterprise" => Some(BindingKind::Enterprise),
        "insurer" => Some(BindingKind::Insurer),
        "" => {
            e.add(
                "kind",
                "请指定绑定对象类型（enterprise 企业或 insurer 保险机构）",
            );
            None
        }
        other => {
            e.add(
                "kind",
                format!("绑定对象类型“{other}”无效，应为 enterprise（企业）或 insurer（保险机构）"),
            );
            None
        }
    };
    let q = e
        .check("q", v::optional_text("名称关键词", q.unwrap_or(""), 50))
        .flatten();
    match kind {
        Some(kind) if e.is_empty() => Ok(BindingQuery { kind, q }),
        _ => Err(e.into_invalid()),
    }
}

/// Who may look up binding targets: the two account keepers (系统管理员, 安全保密管理员);
/// the auditor and every business role are refused.
pub fn may_look_up(actor: Role) -> Result<(), &'static str> {
    if admins::reads_accounts(actor) {
        Ok(())
    } else {
        Err(admins::ONLY_ACCOUNT_KEEPERS)
    }
}

/// The audit summary of a lookup: 查询可绑定的企业（关键词“化工”；3 条）.
pub fn lookup_summary(query: &BindingQuery, rows: usize) -> String {
    let words = match &query.q {
        Some(q) => format!("关键词“{q}”"),
        None => "全部".to_string(),
    };
    format!("查询可绑定的{}（{words}；{rows} 条）", query.kind.label())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lookup_names_its_kind_and_a_short_name_part() {
        let q = check_query(Some("enterprise"), Some(" 化工 ")).unwrap();
        assert_eq!(q.kind, BindingKind::Enterprise);
        assert_eq!(q.q.as_deref(), Some("化工"));
        assert_eq!(
            check_query(Some("insurer"), None).unwrap(),
            BindingQuery {
                kind: BindingKind::Insurer,
                q: None
            }
        );
        let bad = check_query(Some("hazard"), Some(&"长".repeat(51))).unwrap_err();
        let fields: Vec<&str> = bad.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["kind", "q"]);
        assert!(bad.0[0].message.contains("“hazard”无效"));
        assert!(bad.0[1].message.contains("名称关键词"));
        assert_eq!(check_query(None, None).unwrap_err().0[0].field, "kind");
    }

    #[test]
    fn only_the_account_keepers_look_up_and_the_summary_says_what() {
        assert!(may_look_up(Role::SecurityAdmin).is_ok());
        assert!(may_look_up(Role::Admin).is_ok());
        assert!(may_look_up(Role::Auditor).is_err());
        assert!(may_look_up(Role::Commander).is_err());
        let q = check_query(Some("enterprise"), Some("化工")).unwrap();
        assert_eq!(
            lookup_summary(&q, 3),
            "查询可绑定的企业（关键词“化工”；3 条）"
        );
        let all = check_query(Some("insurer"), Some("")).unwrap();
        assert_eq!(
            lookup_summary(&all, 2),
            "查询可绑定的保险机构（全部；2 条）"
        );
    }
}
