//! 现场检查: the checklist of an inspection (the 重大隐患判定标准 items of the enterprise's
//! industry plus the bureau's own items from the 执法事项's content), the record's checks with
//! Chinese messages naming the field and row, the grading of a finding (a matched criterion →
//! 重大), who may record and sign, and the wording of the audit log.

use crate::kernel::label_of;
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};
use crate::prevention::hazard::{CATEGORIES, Criterion, Finding, HazardLevel, criterion_met};
use serde::{Deserialize, Serialize};

/// Who is not on the task's team may not record or collect signatures.
pub const NOT_ON_TASK: &str = "只有本任务的执法人员可以记录现场检查和签名";
/// A task that is not there or not visible to the caller.
pub const TASK_NOT_FOUND: &str = "检查任务不存在或不在您的管辖范围内";
/// A task recorded already (one record per task).
pub const ALREADY_RECORDED: &str = "该检查任务已记录现场检查";
/// A cancelled task is not inspected.
pub const TASK_CANCELLED: &str = "该检查任务已取消";
/// Signatures follow the record.
pub const RECORD_FIRST: &str = "请先提交现场检查记录，再签名";
/// A signer who is not one of the task's inspectors.
pub const SIGNER_NOT_ON_TASK: &str = "签名人不是本任务的执法人员";
/// An inspector who signed already.
pub const SIGNED_ALREADY: &str = "该执法人员已签名";
/// The enterprise signed (or refused) already.
pub const ENTERPRISE_SIGNED_ALREADY: &str = "企业负责人已签名或已拒签";
/// A signature image must be a PNG uploaded by the caller and not used yet.
pub const SIGNATURE_NOT_PNG: &str = "签名图片须为本人上传、尚未使用的 PNG 图片";

/// The results of a checklist line.
pub const CHECK_RESULTS: [(&str, &str); 3] =
    [("pass", "符合"), ("fail", "不符合"), ("na", "不适用")];
/// Who signs.
pub const SIGNER_KINDS: [(&str, &str); 2] =
    [("inspector", "执法人员"), ("enterprise", "企业负责人")];
/// How they sign.
pub const SIGN_METHODS: [(&str, &str); 2] = [("drawn", "手写签名"), ("refused", "拒绝签名")];

/// One line of the checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct CheckItem {
    /// A criterion's code, or B-n for the bureau's n-th item.
    pub code: String,
    /// criterion (重大隐患判定标准) or bureau (执法事项的检查内容).
    pub source: String,
    /// The criteria list and article (criteria only).
    pub list: Option<String>,
    pub article: Option<String>,
    pub text: String,
    /// On a joint inspection: the taking part department whose 执法事项 the line comes from
    /// (None for the criteria, which the inspector attributes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department_name: Option<String>,
}

/// Whether a criteria list applies to an enterprise of these supervision categories
/// (HG-2017 carries "chemical" for the category hazchem).
pub fn criterion_applies(c: &Criterion, categories: &[String]) -> bool {
    categories
        .iter()
        .any(|k| *k == c.industry || (k == "hazchem" && c.industry == "chemical"))
}

/// The bureau's items: the 执法事项's 检查内容 split at 、，；, and line ends.
pub fn bureau_items(content: Option<&str>) -> Vec<String> {
    content
        .unwrap_or("")
        .split(['、', '，', ',', '；', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The checklist: the active criteria of the enterprise's categories, then the bureau's items.
pub fn build_checklist(
    criteria: &[Criterion],
    categories: &[String],
    content: Option<&str>,
) -> Vec<CheckItem> {
    let mut out: Vec<CheckItem> = criteria
        .iter()
        .filter(|c| criterion_applies(c, categories))
        .map(|c| CheckItem {
            code: c.code.clone(),
            source: "criterion".into(),
            list: Some(c.list.clone()),
            article: Some(c.article.clone()),
            text: c.text.clone(),
            department_id: None,
            department_name: None,
        })
        .collect();
    out.extend(
        bureau_items(content)
            .into_iter()
            .enumerate()
            .map(|(i, t)| CheckItem {
                code: format!("B-{}", i + 1),
                source: "bureau".into(),
                list: None,
                article: None,
                text: t,
                department_id: None,
                department_name: None,
            }),
    );
    out
}

/// A checklist line as checked.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInput {
    pub code: String,
    /// pass 符合, fail 不符合, na 不适用.
    pub result: String,
    /// On a joint inspection: the taking part department the line belongs to.
    #[serde(default)]
    pub department_id: Option<String>,
}

/// A finding as recorded.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingInput {
    /// The 重大隐患判定标准 item it matches, if any (one of the checklist's).
    #[serde(default)]
    pub criterion_code: Option<String>,
    /// The observed number for a numeric criterion.
    #[serde(default)]
    pub value: Option<String>,
    /// 隐患类别 (see the hazard categories).
    pub category: String,
    pub description: String,
    #[serde(default)]
    pub location: Option<String>,
    /// Photos uploaded first (attachment ids).
    #[serde(default)]
    pub photo_ids: Vec<String>,
    /// On a joint inspection: the taking part department the finding belongs to (its hazard is
    /// supervised by that department; default: its checklist line's, else the lead department).
    #[serde(default)]
    pub department_id: Option<String>,
}

/// An inspection as recorded.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectionInput {
    /// 检查情况.
    pub summary: String,
    #[serde(default)]
    pub checks: Vec<CheckInput>,
    #[serde(default)]
    pub findings: Vec<FindingInput>,
}

/// A checked line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedLine {
    pub code: String,
    pub text: String,
    pub result: String,
}

/// A checked finding with its level (重大 when its criterion is met).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedFinding {
    /// The criterion named (met or not: the level says).
    pub criterion: Option<Finding>,
    pub category: String,
    pub description: String,
    pub location: String,
    pub level: HazardLevel,
    pub photo_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedInspection {
    pub summary: String,
    pub checks: Vec<CheckedLine>,
    pub findings: Vec<CheckedFinding>,
}

/// The most photos a finding carries.
pub const MAX_PHOTOS: usize = 9;

/// Checks a record against the task's checklist and the active criteria; every problem is
/// named by its field and row (findings[2].description).
pub fn check_inspection(
    input: &InspectionInput,
    checklist: &[CheckItem],
    criteria: &[Criterion],
) -> Result<CheckedInspection, Invalid> {
    let mut errs = Errors::default();
    let summary = errs
        .check("summary", required_text("检查情况", &input.summary, 4000))
        .unwrap_or_default();
    let mut checks = Vec::new();
    for (i, c) in input.checks.iter().enumerate() {
        let Some(item) = checklist.iter().find(|k| k.code == c.code) else {
            errs.add(
                &format!("checks[{i}].code"),
                format!("检查项“{}”不在本次检查表中", c.code),
            );
            continue;
        };
        if checks.iter().any(|k: &CheckedLine| k.code == c.code) {
            errs.add(
                &format!("checks[{i}].code"),
                format!("检查项“{}”重复", c.code),
            );
        }
        if label_of(&CHECK_RESULTS, &c.result).is_none() {
            errs.add(
                &format!("checks[{i}].result"),
                "检查结果须为符合、不符合或不适用",
            );
        }
        checks.push(CheckedLine {
            code: item.code.clone(),
            text: item.text.clone(),
            result: c.result.clone(),
        });
    }
    let findings = input
        .findings
        .iter()
        .enumerate()
        .filter_map(|(i, f)| check_finding(&mut errs, i, f, checklist, criteria))
        .collect();
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    Ok(CheckedInspection {
        summary,
        checks,
        findings,
    })
}

/// One finding: its text, category, photos and the criterion it matches (on the checklist).
fn check_finding(
    errs: &mut Errors,
    i: usize,
    f: &FindingInput,
    checklist: &[CheckItem],
    criteria: &[Criterion],
) -> Option<CheckedFinding> {
    let field = |name: &str| format!("findings[{i}].{name}");
    let description = errs.check(
        &field("description"),
        required_text("隐患描述", &f.description, 4000),
    );
    let location = errs
        .check(
            &field("location"),
            optional_text("隐患位置", f.location.as_deref().unwrap_or(""), 200),
        )
        .flatten()
        .unwrap_or_default();
    if label_of(CATEGORIES, &f.category).is_none() {
        errs.add(&field("category"), format!("隐患类别“{}”无效", f.category));
    }
    if f.photo_ids.len() > MAX_PHOTOS {
        errs.add(
            &field("photo_ids"),
            format!("每条问题最多 {MAX_PHOTOS} 张照片"),
        );
    }
    let code = f
        .criterion_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let (criterion, level) = match code {
        None => (None, HazardLevel::General),
        Some(code) => grade(errs, &field("criterion_code"), code, f, checklist, criteria)?,
    };
    Some(CheckedFinding {
        criterion,
        category: f.category.clone(),
        description: description?,
        location,
        level,
        photo_ids: f.photo_ids.clone(),
    })
}

/// The level of a finding that names a criterion: 重大 when the criterion is met (a numeric
/// item only above its count).
fn grade(
    errs: &mut Errors,
    field: &str,
    code: &str,
    f: &FindingInput,
    checklist: &[CheckItem],
    criteria: &[Criterion],
) -> Option<(Option<Finding>, HazardLevel)> {
    let on_list = checklist
        .iter()
        .any(|k| k.code == code && k.source == "criterion");
    let Some(c) = criteria.iter().find(|c| c.code == code).filter(|_| on_list) else {
        errs.add(
            field,
            format!("“{code}”不是本企业行业适用的重大隐患判定标准条款"),
        );
        return None;
    };
    let finding = Finding {
        code: code.to_string(),
        value: f.value.clone().filter(|v| !v.trim().is_empty()),
    };
    match criterion_met(c, &finding) {
        Ok(true) => Some((Some(finding), HazardLevel::Major)),
        Ok(false) => Some((Some(finding), HazardLevel::General)),
        Err(m) => {
            errs.add(field.replace("criterion_code", "value").as_str(), m);
            None
        }
    }
}

/// May record the inspection and collect its signatures: only the task's inspectors.
pub fn may_record(user_id: &str, team: &[&str]) -> bool {
    team.contains(&user_id)
}

/// A signature as given.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatureInput {
    /// inspector or enterprise.
    pub kind: String,
    /// The inspector signing (kind inspector).
    #[serde(default)]
    pub user_id: Option<String>,
    /// The enterprise's representative (kind enterprise).
    #[serde(default)]
    pub signer_name: Option<String>,
    /// drawn, or refused (the enterprise only).
    pub method: String,
    /// The drawn signature, a PNG uploaded first.
    #[serde(default)]
    pub image_id: Option<String>,
    /// Why the representative refused.
    #[serde(default)]
    pub refusal_reason: Option<String>,
}

/// A checked signature: who (a team member's id and name, or the representative's name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedSignature {
    pub kind: String,
    pub user_id: Option<String>,
    pub signer_name: String,
    pub method: String,
    pub image_id: Option<String>,
    pub refusal_reason: Option<String>,
}

/// Checks a signature against the task's team (id, name) and those who signed already.
pub fn check_signature(
    s: &SignatureInput,
    team: &[(&str, &str)],
    signed: &[Option<&str>],
) -> Result<CheckedSignature, Invalid> {
    let mut errs = Errors::default();
    let refused = s.method == "refused";
    if label_of(&SIGN_METHODS, &s.method).is_none() || (refused && s.kind != "enterprise") {
        errs.add("method", "签名方式须为手写签名（企业负责人可拒签）");
    }
    let image_id = s.image_id.clone().filter(|v| !v.trim().is_empty());
    if !refused && image_id.is_none() {
        errs.add("image_id", "请先手写签名");
    }
    let reason = errs
        .check(
            "refusal_reason",
            optional_text("拒签原因", s.refusal_reason.as_deref().unwrap_or(""), 500),
        )
        .flatten();
    if refused && reason.is_none() {
        errs.add("refusal_reason", "拒签原因不能为空");
    }
    let (user_id, name) = match s.kind.as_str() {
        "inspector" => signer_on_team(&mut errs, s, team, signed),
        "enterprise" => {
            if signed.contains(&None) {
                errs.add("kind", ENTERPRISE_SIGNED_ALREADY);
            }
            let n = s.signer_name.as_deref().unwrap_or("");
            (
                None,
                errs.check("signer_name", required_text("企业负责人姓名", n, 50)),
            )
        }
        _ => {
            errs.add("kind", "签名人类型须为执法人员或企业负责人");
            (None, None)
        }
    };
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    Ok(CheckedSignature {
        kind: s.kind.clone(),
        user_id,
        signer_name: name.unwrap_or_default(),
        method: s.method.clone(),
        image_id: image_id.filter(|_| !refused),
        refusal_reason: reason.filter(|_| refused),
    })
}

fn signer_on_team(
    errs: &mut Errors,
    s: &SignatureInput,
    team: &[(&str, &str)],
    signed: &[Option<&str>],
) -> (Option<String>, Option<String>) {
    let id = s.user_id.as_deref().unwrap_or("");
    match team.iter().find(|(u, _)| *u == id) {
        None => {
            errs.add("user_id", SIGNER_NOT_ON_TASK);
            (None, None)
        }
        Some(_) if signed.contains(&Some(id)) => {
            errs.add("user_id", SIGNED_ALREADY);
            (None, None)
        }
        Some((u, n)) => (Some(u.to_string()), Some(n.to_string())),
    }
}

/// The audit summary of an inspection recorded.
pub fn inspection_summary(enterprise: &str, findings: usize, major: usize) -> String {
    if findings == 0 {
        format!("记录对“{enterprise}”的现场检查：未发现问题")
    } else {
        format!(
            "记录对“{enterprise}”的现场检查：发现问题 {findings} 项（其中重大隐患 {major} 项），已转为隐患闭环"
        )
    }
}

/// The audit summary of a signature.
pub fn signature_summary(enterprise: &str, signer: &str, refused: bool) -> String {
    if refused {
        format!("“{enterprise}”现场检查：企业负责人{signer}拒绝签名")
    } else {
        format!("“{enterprise}”现场检查：{signer}签名")
    }
}

#[cfg(test)]
#[path = "inspection_tests.rs"]
mod tests;
