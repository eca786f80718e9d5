//! 执法文书: the kinds a bureau issues, their numbers (〔2026〕浔应急现记〔0012〕号: year, the bureau's
//! short name, the kind's short code and a sequence per department, kind and year), the fields
//! each kind needs (checked with messages naming the field), and when a kind may be issued for an
//! inspection task or a case. The layout and the PDF are in `document_pdf`.

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::kernel::role::Role;
use crate::kernel::validation::{Errors, Invalid};

/// What a document is about: an inspection task (检查任务) or a case (案件).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Task,
    Case,
}

impl Subject {
    pub fn code(self) -> &'static str {
        match self {
            Subject::Task => "task",
            Subject::Case => "case",
        }
    }
}

/// A field of a document: its key in the JSON, its label on the form and in messages.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub key: &'static str,
    pub label: &'static str,
    pub required: bool,
    pub max: usize,
    /// A day (YYYY-MM-DD), not before the day of issue.
    pub date: bool,
}

const fn f(key: &'static str, label: &'static str, required: bool, max: usize) -> Field {
    Field {
        key,
        label,
        required,
        max,
        date: false,
    }
}

/// The keys that form the parties block (当事人, 地址, 法定代表人) rather than a section.
pub const PARTY_KEYS: [&str; 3] = ["party", "address", "legal_rep"];

const PARTY: Field = f("party", "当事人（单位）", true, 100);
const ADDRESS: Field = f("address", "地址", false, 200);
const LEGAL_REP: Field = f("legal_rep", "法定代表人（负责人）", false, 50);
const TEXT: usize = 4000;

/// One kind of 执法文书.
#[derive(Debug)]
pub struct Kind {
    pub code: &'static str,
    pub title: &'static str,
    /// In the number: 〔2026〕浔应急**现记**〔0012〕号.
    pub short: &'static str,
    pub subject: Subject,
    pub fields: &'static [Field],
    /// The signature lines at the foot of the form.
    pub signatures: &'static [&'static str],
    /// Whether the form carries the bureau's seal (印章) with the date.
    pub seal: bool,
    /// The fixed wording after the sections (rights, deadlines), `{deadline}` filled in.
    pub closing: &'static str,
}

/// The documents the system issues, in the order of a procedure.
pub const KINDS: [Kind; 9] = [
    Kind {
        code: "site_check",
        title: "现场检查记录",
        short: "现记",
        subject: Subject::Task,
        fields: &[
            PARTY,
            ADDRESS,
            LEGAL_REP,
            f("place", "检查场所", true, 200),
            f("time", "检查时间", true, 100),
            f("facts", "检查情况", true, TEXT),
            f("decision", "处理意见", false, TEXT),
        ],
        signatures: &["检查人员（签名）", "被检查单位负责人（签名）"],
        seal: false,
        closing: "以上情况经核对无误。",
    },
    Kind {
        code: "rectify_order",
        title: "责令限期整改指令书",
        short: "责改",
        subject: Subject::Task,
        fields: &[
            PARTY,
            ADDRESS,
            LEGAL_REP,
            f("facts", "经查，你单位存在下列问题", true, TEXT),
            f("basis", "依据", true, TEXT),
            Field {
                date: true,
                ..f("deadline", "整改期限", true, 10)
            },
            f("decision", "整改要求", false, TEXT),
        ],
        signatures: &["执法人员（签名）", "被检查单位负责人（签收）"],
        seal: true,
        closing: "现责令你单位于{deadline}前整改完毕，达到有关法律法规规章和标准规定的要求，并将整改情况书面报告本机关。逾期未整改的，本机关将依法处理。如果不服本指令，可以依法在六十日内申请行政复议，或者在六个月内依法提起行政诉讼，但本指令不停止执行，法律另有规定的除外。",
    },
    Kind {
        code: "review_opinion",
        title: "整改复查意见书",
        short: "复查",
        subject: Subject::Task,
        fields: &[
            PARTY,
            ADDRESS,
            LEGAL_REP,
            f("original_number", "原责令限期整改指令书文号", true, 60),
            f("facts", "复查情况", true, TEXT),
            f("decision", "复查意见", true, TEXT),
        ],
        signatures: &["复查人员（签名）", "被复查单位负责人（签收）"],
        seal: true,
        closing: "",
    },
    Kind {
        code: "case_approval",
        title: "立案审批表",
        short: "立审",
        subject: Subject::Case,
        fields: &[
            PARTY,
            ADDRESS,
            LEGAL_REP,
            f("case_source", "案件来源", true, 200),
            f("facts", "案情摘要", true, TEXT),
            f("basis", "立案依据", true, TEXT),
            f("decision", "承办人意见", true, TEXT),
        ],
        signatures: &["承办人（签名）", "审核人（签名）", "审批人（签名）"],
        seal: false,
        closing: "",
    },
    Kind {
        code: "penalty_notice",
        title: "行政处罚告知书",
        short: "告知",
        subject: Subject::Case,
        fields: &[
            PARTY,
            ADDRESS,
            LEGAL_REP,
            f("facts", "经查，你（单位）存在下列违法行为", true, TEXT),
            f("basis", "处罚依据", true, TEXT),
            f("decision", "拟作出的行政处罚", true, TEXT),
        ],
        signatures: &["执法人员（签名）", "当事人（签收）"],
        seal: true,
        closing: "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）有权进行陈述和申辩。请于收到本告知书之日起三日内向本机关提出陈述、申辩；符合听证条件的，可以在收到本告知书之日起五日内要求听证。逾期未提出的，视为放弃上述权利。",
    },
    Kind {
        code: "statement_record",
        title: "陈述申辩笔录",
        short: "陈申",
        subject: Subject::Case,
        fields: &[
            PARTY,
            LEGAL_REP,
            f("place", "地点", true, 200),
            f("time", "时间", true, 100),
            f("facts", "陈述申辩内容", true, TEXT),
        ],
        signatures: &["陈述申辩人（签名）", "承办人（签名）", "记录人（签名）"],
        seal: false,
        closing: "以上笔录经陈述申辩人核对无误。",
    },
    Kind {
        code: "penalty_decision",
        title: "行政处罚决定书",
        short: "罚决",
        subject: Subject::Case,
        fields: &[
            PARTY,
            ADDRESS,
            LEGAL_REP,
            f("facts", "违法事实及证据", true, TEXT),
            f("basis", "处罚依据", true, TEXT),
            f("decision", "处罚决定", true, TEXT),
            f("payment", "履行方式和期限", false, TEXT),
        ],
        signatures: &["执法人员（签名）", "当事人（签收）"],
        seal: true,
        closing: "罚款自收到本决定书之日起十五日内缴至指定银行。逾期不缴纳的，每日按罚款数额的百分之三加处罚款。如果不服本决定，可以在收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法提起行政诉讼，但本决定不停止执行，法律另有规定的除外。",
    },
    Kind {
        code: "payment_demand",
        title: "催告书",
        short: "催告",
        subject: Subject::Case,
        fields: &[
            PARTY,
            ADDRESS,
            LEGAL_REP,
            f("facts", "经查", true, TEXT),
            f("decision", "催告事项", true, TEXT),
        ],
        signatures: &["执法人员（签名）", "当事人（签收）"],
        seal: true,
        closing: "根据《中华人民共和国行政强制法》第三十五条、第四十五条的规定，现催告你单位自收到本催告书之日起十日内履行上述义务。你单位有权进行陈述和申辩。逾期仍不履行的，本机关将依法申请人民法院强制执行。",
    },
    Kind {
        code: "closing_approval",
        title: "结案审批表",
        short: "结审",
        subject: Subject::Case,
        fields: &[
            PARTY,
            f("facts", "处理结果及执行情况", true, TEXT),
            f("decision", "结案意见", true, TEXT),
        ],
        signatures: &["承办人（签名）", "审核人（签名）", "审批人（签名）"],
        seal: false,
        closing: "",
    },
];

/// The kind of a code.
pub fn kind(code: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.code == code)
}

/// The kind named in an input, or a message naming `kind`.
pub fn parse_kind(code: &str) -> Result<&'static Kind, Invalid> {
    kind(code.trim()).ok_or_else(|| {
        let known: Vec<String> = KINDS
            .iter()
            .map(|k| format!("{}（{}）", k.code, k.title))
            .collect();
        Invalid::one(
            "kind",
            format!("文书种类“{}”无效，应为{}", code.trim(), known.join("、")),
        )
    })
}

/// May issue documents: inspectors (for the tasks they are on) and those who manage enforcement.
pub fn may_issue(role: Role) -> bool {
    super::may_manage(role) || role == Role::Inspector
}

/// Who may not issue documents is told so.
pub const NOT_AN_ISSUER: &str = "只有执法人员、部门人员、局领导和管理员可以开具执法文书";
/// A document that is not there or not visible to the caller.
pub const DOCUMENT_NOT_FOUND: &str = "执法文书不存在或不在您的管辖范围内";
/// A correction of a document that was corrected already.
pub const ALREADY_CORRECTED: &str = "该文书已有更正版本，请在最新版本上更正";

/// The number of a document: 〔2026〕浔应急现记〔0012〕号.
pub fn format_number(year: i64, bureau: &str, short: &str, seq: i64) -> String {
    format!("〔{year}〕{bureau}{short}〔{seq:04}〕号")
}

/// The name of the sequence a number is drawn from: one per department, kind and year.
pub fn sequence_name(department_id: &str, kind: &Kind, year: i64) -> String {
    format!("WS-{department_id}-{}-{year}", kind.code)
}

/// The bureau's short name in a number: the district's configured one, else the first character
/// of the district's name and the department's usual short name (浔阳区 + 区应急管理局 → 浔应急).
pub fn bureau_short_name(configured: Option<&str>, region_name: &str, department: &str) -> String {
    if let Some(c) = configured.map(str::trim).filter(|c| !c.is_empty()) {
        return c.to_string();
    }
    const USUAL: [(&str, &str); 6] = [
        ("应急管理", "应急"),
        ("住房和城乡建设", "住建"),
        ("交通运输", "交通"),
        ("消防救援", "消防"),
        ("市场监督管理", "市监"),
        ("自然资源", "自然"),
    ];
    let place: String = region_name.chars().take(1).collect();
    let short = USUAL
        .iter()
        .find(|(long, _)| department.contains(long))
        .map(|(_, s)| (*s).to_string())
        .unwrap_or_else(|| {
            department
                .trim_start_matches(['区', '市', '县'])
                .chars()
                .take(2)
                .collect()
        });
    format!("{place}{short}")
}

/// The issuing authority as printed: the district's name and the department's (浔阳区 +
/// 区应急管理局 → 浔阳区应急管理局).
pub fn authority_name(region_name: &str, department: &str) -> String {
    if region_name.is_empty() || department.starts_with(region_name) {
        return department.to_string();
    }
    let level = region_name.chars().last().unwrap_or('区');
    let rest = department.strip_prefix(level).unwrap_or(department);
    format!("{region_name}{rest}")
}

/// The fields of a document as given (key → text), checked against its kind: the required ones
/// present, none unknown, texts within their length, a deadline a day not before `today`.
/// Messages name the field as `fields.<key>`.
pub fn check_fields(
    kind: &Kind,
    given: &BTreeMap<String, String>,
    today: Date,
) -> Result<BTreeMap<String, String>, Invalid> {
    let mut errs = Errors::default();
    let mut out = BTreeMap::new();
    for key in given.keys() {
        if !kind.fields.iter().any(|f| f.key == key) {
            errs.add(
                &format!("fields.{key}"),
                format!("{}没有“{key}”这一栏", kind.title),
            );
        }
    }
    for field in kind.fields {
        let name = format!("fields.{}", field.key);
        let value = given
            .get(field.key)
            .map(|v| v.replace("\r\n", "\n"))
            .unwrap_or_default();
        let value = value.trim();
        if let Some(v) = errs.check(&name, check_text(field, value, today)) {
            out.insert(field.key.to_string(), v);
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs.into_invalid())
    }
}

fn check_text(field: &Field, value: &str, today: Date) -> Result<String, String> {
    let label = field.label;
    if value.is_empty() {
        return if field.required {
            Err(format!("{label}不能为空"))
        } else {
            Ok(String::new())
        };
    }
    if value.chars().count() > field.max {
        return Err(format!("{label}不能超过{}个字符", field.max));
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(format!("{label}包含不可见的控制字符"));
    }
    if field.date {
        let day: Date = value
            .parse()
            .map_err(|_| format!("{label}应为日期，格式为 YYYY-MM-DD"))?;
        if day < today {
            return Err(format!("{label}不能早于开具当日（{today}）"));
        }
    }
    Ok(value.to_string())
}

/// Whether a task document may be issued for a task in `status` (not for a cancelled task; a
/// 复查 only once the inspection is done or under way).
pub fn may_issue_for_task_status(kind: &Kind, status: &str) -> Result<(), String> {
    if kind.subject != Subject::Task {
        return Err(format!("{}针对案件开具，不针对检查任务", kind.title));
    }
    let label = crate::kernel::label_of(&super::TASK_STATUSES, status).unwrap_or(status);
    match status {
        "cancelled" => Err(format!("检查任务状态为“{label}”，不能开具{}", kind.title)),
        _ => Ok(()),
    }
}

/// The audit summary of a document issued (or a correction).
pub fn issue_summary(kind: &Kind, number: &str, version: i64) -> String {
    if version > 1 {
        format!("更正{}{number}（第{version}版）", kind.title)
    } else {
        format!("开具{}{number}", kind.title)
    }
}

#[cfg(test)]
#[path = "document_tests.rs"]
mod tests;
