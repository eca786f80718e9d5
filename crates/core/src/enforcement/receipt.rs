//! 送达 (service of documents): how a 执法文书 reached the enterprise, recorded once per document
//! version as its 送达回执. The enterprise signs for it itself (签收: the name typed and a drawn
//! signature); the issuing side records the other ways — 留置送达 when the party refuses (with a
//! witness and the reason), 邮寄送达 (the mail number) and 电子送达 (the address used).
//! Rules: 《行政处罚法》第六十一条, 《安全生产违法行为行政处罚办法》 (reference §3).

use crate::kernel::role::Role;
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};
use serde::Deserialize;

/// The ways of service: (code, label).
pub const METHODS: [(&str, &str); 4] = [
    ("signed", "直接送达（签收）"),
    ("lodged", "留置送达（拒收）"),
    ("mail", "邮寄送达"),
    ("electronic", "电子送达"),
];

/// A document served already (each version has one receipt).
pub const ALREADY_SERVED: &str = "该文书已送达，不能重复签收或登记";
/// A superseded version is not served; its correction is.
pub const SUPERSEDED: &str = "该文书已更正，请送达更正后的版本";
/// A document without an enterprise as its party (a case document naming no case).
pub const NO_PARTY: &str = "该文书没有对应的企业当事人，不能登记送达";
/// Only the enterprise signs for itself.
pub const ENTERPRISE_SIGNS: &str = "只有被送达企业的用户可以签收";
/// The other ways are recorded by the issuing side.
pub const ISSUER_RECORDS: &str = "留置、邮寄和电子送达由执法人员、部门人员或管理员登记";
/// The enterprise may not see the receipts' list of the bureau.
pub const DOCUMENT_NOT_FOUND: &str = "文书不存在或不是送达给您单位的";

/// A receipt as given.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptInput {
    /// signed (the enterprise), lodged, mail or electronic (the issuing side).
    pub method: String,
    /// Who signed (signed) or who the document was left with (lodged).
    #[serde(default)]
    pub signer_name: Option<String>,
    /// The drawn signature, a PNG uploaded first (signed).
    #[serde(default)]
    pub image_id: Option<String>,
    /// The witness of a 留置送达.
    #[serde(default)]
    pub witness: Option<String>,
    /// Why the party refused (lodged).
    #[serde(default)]
    pub reason: Option<String>,
    /// The mail number (mail) or the address it was sent to (electronic).
    #[serde(default)]
    pub reference: Option<String>,
}

/// A checked receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedReceipt {
    pub method: String,
    pub signer_name: String,
    pub image_id: Option<String>,
    pub witness: Option<String>,
    pub reason: Option<String>,
    pub reference: Option<String>,
}

/// The label of a method.
pub fn method_label(code: &str) -> Option<&'static str> {
    METHODS.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

/// Whether the caller's role may record the receipt in this way: the enterprise signs; the
/// issuing side (执法人员, 部门人员, 局领导, 管理员) records the others. The error is the 403 text.
pub fn may_record(role: Role, method: &str) -> Result<(), &'static str> {
    let enterprise = role == Role::EnterpriseUser;
    match (method, enterprise) {
        ("signed", true) => Ok(()),
        ("signed", false) => Err(ENTERPRISE_SIGNS),
        (_, true) => Err(ISSUER_RECORDS),
        _ if super::document::may_issue(role) => Ok(()),
        _ => Err(ISSUER_RECORDS),
    }
}

/// Checks a receipt's input; every problem at once, each on its field (Chinese).
pub fn check_receipt(r: &ReceiptInput) -> Result<CheckedReceipt, Invalid> {
    let mut errs = Errors::default();
    let method = r.method.trim();
    if method_label(method).is_none() {
        errs.add(
            "method",
            "送达方式须为直接送达（签收）、留置送达、邮寄送达或电子送达",
        );
    }
    let text = |v: &Option<String>| v.as_deref().unwrap_or("").trim().to_string();
    let mut signer_name = String::new();
    let mut image_id = None;
    let mut witness = None;
    let mut reason = None;
    let mut reference = None;
    match method {
        "signed" => {
            signer_name = errs
                .check(
                    "signer_name",
                    required_text("签收人姓名", &text(&r.signer_name), 50),
                )
                .unwrap_or_default();
            image_id = Some(text(&r.image_id)).filter(|s| !s.is_empty());
            if image_id.is_none() {
                errs.add("image_id", "请先手写签名");
            }
        }
        "lodged" => {
            signer_name = errs
                .check(
                    "signer_name",
                    required_text("受送达人", &text(&r.signer_name), 50),
                )
                .unwrap_or_default();
            witness = errs.check("witness", required_text("见证人", &text(&r.witness), 50));
            reason = errs.check("reason", required_text("拒收原因", &text(&r.reason), 500));
        }
        "mail" | "electronic" => {
            let label = if method == "mail" {
                "邮寄单号"
            } else {
                "电子送达地址"
            };
            reference = errs.check("reference", required_text(label, &text(&r.reference), 200));
            signer_name = errs
                .check(
                    "signer_name",
                    optional_text("受送达人", &text(&r.signer_name), 50),
                )
                .flatten()
                .unwrap_or_default();
        }
        _ => {}
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    Ok(CheckedReceipt {
        method: method.to_string(),
        signer_name,
        image_id,
        witness,
        reason,
        reference,
    })
}

/// The audit summary of a receipt.
pub fn serve_summary(number: &str, title: &str, method: &str, signer: &str) -> String {
    let how = method_label(method).unwrap_or(method);
    if signer.is_empty() {
        format!("{title} {number} {how}")
    } else {
        format!("{title} {number} {how}，{signer}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(method: &str) -> ReceiptInput {
        ReceiptInput {
            method: method.into(),
            ..ReceiptInput::default()
        }
    }

    #[test]
    fn each_method_names_what_it_needs() {
        let e = check_receipt(&input("signed")).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["signer_name", "image_id"]);
        let e = check_receipt(&input("lodged")).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["signer_name", "witness", "reason"]);
        let e = check_receipt(&input("mail")).unwrap_err();
        assert!(e.0[0].message.contains("邮寄单号"));
        let e = check_receipt(&input("fax")).unwrap_err();
        assert_eq!(e.0[0].field, "method");
        let ok = check_receipt(&ReceiptInput {
            method: "signed".into(),
            signer_name: Some(" 王经理 ".into()),
            image_id: Some("img".into()),
            ..ReceiptInput::default()
        })
        .unwrap();
        assert_eq!(ok.signer_name, "王经理");
    }

    #[test]
    fn who_records_which_way() {
        assert!(may_record(Role::EnterpriseUser, "signed").is_ok());
        assert!(may_record(Role::EnterpriseUser, "lodged").is_err());
        assert!(may_record(Role::Inspector, "signed").is_err());
        assert!(may_record(Role::Inspector, "mail").is_ok());
        assert!(may_record(Role::GridWorker, "mail").is_err());
    }
}
