//! The `<alert>` element: its namespace (the version), the message fields and `<references>`.

use super::check::{child, children, text_of, trimmed};
use super::values::parse_datetime;
use super::{Cx, El};
use crate::*;

const ALERT_SEQ: &[(&str, bool)] = &[
    // (element, repeatable)
    ("identifier", false),
    ("sender", false),
    ("password", false),
    ("sent", false),
    ("status", false),
    ("msgType", false),
    ("source", false),
    ("scope", false),
    ("restriction", false),
    ("addresses", false),
    ("code", true),
    ("note", false),
    ("references", false),
    ("incidents", false),
    ("info", true),
    ("Signature", true),
];

impl Cx {
    pub(super) fn alert(&mut self, root: &El) -> Option<Alert> {
        let version = self.version(root)?;
        let p = "alert";
        self.sequence(root, p, ALERT_SEQ);
        if child(root, "password").is_some() {
            self.add(
                "DEPRECATED_PASSWORD",
                "alert/password",
                "CAP 1.2 已废止 <password> 元素",
            );
        }
        let identifier = self.required(root, p, "identifier");
        let sender = self.required(root, p, "sender");
        self.check_identifier_and_sender(identifier.as_deref(), sender.as_deref());
        let sent = self.datetime_required(root, p, "sent");
        let status = self.enumerated(root, p, "status", &STATUSES);
        let msg_type = self.enumerated(root, p, "msgType", &MSG_TYPES);
        let scope = self.enumerated(root, p, "scope", &SCOPES);
        let restriction = text_of(root, "restriction");
        let addresses = text_of(root, "addresses");
        self.check_scope(
            scope.as_deref(),
            restriction.as_deref(),
            addresses.as_deref(),
        );
        let references = self.references(
            root,
            identifier.as_deref(),
            sender.as_deref(),
            sent.as_ref(),
        );
        self.check_referenced(msg_type.as_deref(), &references);
        let infos: Vec<Info> = children(root, "info")
            .enumerate()
            .filter_map(|(i, el)| self.info(el, &format!("alert/info[{i}]"), version))
            .collect();
        Some(Alert {
            version,
            identifier: identifier?,
            sender: sender?,
            sent: sent?,
            status: status?,
            msg_type: msg_type?,
            source: text_of(root, "source"),
            scope: scope?,
            restriction,
            addresses,
            codes: children(root, "code")
                .filter_map(|c| trimmed(&c.text))
                .collect(),
            note: text_of(root, "note"),
            references,
            incidents: text_of(root, "incidents"),
            infos,
        })
    }

    /// The root must be `<alert>` in the namespace of CAP 1.2 or 1.1.
    fn version(&mut self, root: &El) -> Option<Version> {
        if root.name != "alert" {
            self.add(
                "NOT_CAP",
                "",
                format!("根元素应为 <alert>，实际为 <{}>", root.name),
            );
            return None;
        }
        match root.xmlns.as_deref() {
            Some(NS_12) => Some(Version::V12),
            Some(NS_11) => Some(Version::V11),
            other => {
                self.add(
                    "UNSUPPORTED_VERSION",
                    "alert",
                    format!(
                        "不支持的命名空间“{}”：应为 CAP 1.2（{NS_12}）或 1.1",
                        other.unwrap_or("")
                    ),
                );
                None
            }
        }
    }

    /// Identifier and sender go into references (`sender,identifier,sent`, space-separated):
    /// neither may hold a space, a comma, `<` or `&`.
    fn check_identifier_and_sender(&mut self, identifier: Option<&str>, sender: Option<&str>) {
        for (field, v) in [("identifier", identifier), ("sender", sender)] {
            if let Some(v) = v
                && v.chars()
                    .any(|c| c.is_whitespace() || c == ',' || c == '<' || c == '&')
            {
                self.add(
                    if field == "identifier" {
                        "INVALID_IDENTIFIER"
                    } else {
                        "INVALID_SENDER"
                    },
                    &format!("alert/{field}"),
                    format!("<{field}> 不能包含空格、逗号、< 或 &：“{v}”"),
                );
            }
        }
    }

    /// `<restriction>` with the Restricted scope only, `<addresses>` with the Private one.
    fn check_scope(
        &mut self,
        scope: Option<&str>,
        restriction: Option<&str>,
        addresses: Option<&str>,
    ) {
        match scope {
            Some("Restricted") if restriction.is_none() => self.add(
                "RESTRICTION_SCOPE_MISMATCH",
                "alert/restriction",
                "scope 为 Restricted 时须填写 <restriction>",
            ),
            Some(s) if s != "Restricted" && restriction.is_some() => self.add(
                "RESTRICTION_SCOPE_MISMATCH",
                "alert/restriction",
                "只有 scope 为 Restricted 时才能填写 <restriction>",
            ),
            Some("Private") if addresses.is_none() => self.add(
                "ADDRESSES_REQUIRED",
                "alert/addresses",
                "scope 为 Private 时须填写 <addresses>",
            ),
            _ => {}
        }
    }

    /// An Update, Cancel, Ack or Error names the messages it refers to (unless its references
    /// were already refused as malformed).
    fn check_referenced(&mut self, msg_type: Option<&str>, references: &[Reference]) {
        if matches!(msg_type, Some("Update" | "Cancel" | "Ack" | "Error"))
            && references.is_empty()
            && !self.errors.iter().any(|e| e.code == "INVALID_REFERENCES")
        {
            self.add(
                "UPDATE_OR_CANCEL_MUST_REFERENCE",
                "alert/references",
                format!(
                    "msgType 为 {} 的消息须在 <references> 中引用先前的消息",
                    msg_type.unwrap_or("")
                ),
            );
        }
    }

    fn references(
        &mut self,
        root: &El,
        identifier: Option<&str>,
        sender: Option<&str>,
        sent: Option<&DateTime>,
    ) -> Vec<Reference> {
        let Some(el) = child(root, "references") else {
            return Vec::new();
        };
        let text = el.text.trim();
        if text.is_empty() {
            self.add(
                "INVALID_REFERENCES",
                "alert/references",
                "<references> 不能为空：应为以空格分隔的“发送者,标识符,发送时间”",
            );
            return Vec::new();
        }
        let mut out = Vec::new();
        for (i, triplet) in text.split_whitespace().enumerate() {
            let parts: Vec<&str> = triplet.split(',').collect();
            let path = format!("alert/references[{i}]");
            if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
                self.add(
                    "INVALID_REFERENCES",
                    &path,
                    format!("引用“{triplet}”格式不正确：应为“发送者,标识符,发送时间”"),
                );
                continue;
            }
            let r = Reference {
                sender: parts[0].into(),
                identifier: parts[1].into(),
                sent: parts[2].into(),
            };
            match parse_datetime(&r.sent) {
                Err(m) => self.add("INVALID_REFERENCES", &path, format!("引用的发送时间{m}")),
                Ok(t) if sent.is_some_and(|s| t.epoch_ms > s.epoch_ms) => self.add(
                    "POSTDATED_REFERENCE",
                    &path,
                    format!("引用的消息（{}）发送时间晚于本消息", r.sent),
                ),
                Ok(_) => {}
            }
            if Some(r.identifier.as_str()) == identifier && Some(r.sender.as_str()) == sender {
                self.add("CIRCULAR_REFERENCE", &path, "消息不能引用自身");
            }
            out.push(r);
        }
        out
    }
}
