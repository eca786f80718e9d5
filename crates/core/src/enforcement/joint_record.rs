//! A joint inspection's record (联合检查): the checklist carries each taking part department's
//! 执法事项 lines, and every checked line and finding belongs to one of those departments — the
//! department that supervises the hazard the finding becomes.

use super::inspection::{CheckItem, InspectionInput, bureau_items};
use crate::kernel::validation::{Errors, Invalid};

/// One department's part of a task (a single-department task has one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub department_id: String,
    pub department_name: String,
    pub item_name: String,
    /// The 执法事项's 检查内容.
    pub content: Option<String>,
}

/// A department named that does not take part in the inspection.
pub const NOT_A_PART: &str = "所选部门不是本次检查的参加部门";

/// The bureau lines of a joint inspection: the lead department's (first part's) items keep the
/// codes B-1, B-2, …; the n-th part's are Bn-1, Bn-2, … Each line names its department.
pub fn part_lines(parts: &[Part]) -> Vec<CheckItem> {
    let mut out = Vec::new();
    for (n, p) in parts.iter().enumerate() {
        let prefix = if n == 0 {
            "B".to_string()
        } else {
            format!("B{}", n + 1)
        };
        for (i, text) in bureau_items(p.content.as_deref()).into_iter().enumerate() {
            out.push(CheckItem {
                code: format!("{prefix}-{}", i + 1),
                source: "bureau".into(),
                list: None,
                article: None,
                text,
                department_id: Some(p.department_id.clone()),
                department_name: Some(p.department_name.clone()),
            });
        }
    }
    out
}

/// The department of each checked line and each finding, in the input's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    pub checks: Vec<String>,
    pub findings: Vec<String>,
}

/// Attributes the record's lines and findings to the parts: a department given must take part
/// (else `checks[i].department_id` / `findings[i].department_id` names the row); a bureau line
/// belongs to its item's department; a finding without one goes with its criterion's line if
/// that has a department, else to the lead (first) part.
pub fn attribute(
    input: &InspectionInput,
    checklist: &[CheckItem],
    parts: &[Part],
) -> Result<Attribution, Invalid> {
    let lead = parts
        .first()
        .map(|p| p.department_id.clone())
        .unwrap_or_default();
    let mut errs = Errors::default();
    let mut pick = |field: String, given: Option<&str>, line: Option<&CheckItem>| -> String {
        let own = line.and_then(|l| l.department_id.clone());
        match (given.map(str::trim).filter(|g| !g.is_empty()), own) {
            (Some(g), _) if !parts.iter().any(|p| p.department_id == g) => {
                errs.add(&field, NOT_A_PART);
                lead.clone()
            }
            (Some(g), Some(o)) if g != o => {
                let name = line
                    .and_then(|l| l.department_name.clone())
                    .unwrap_or_default();
                errs.add(&field, format!("该检查项属于{name}的执法事项"));
                o
            }
            (Some(g), _) => g.to_string(),
            (None, Some(o)) => o,
            (None, None) => lead.clone(),
        }
    };
    let checks = input
        .checks
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let line = checklist.iter().find(|l| l.code == c.code);
            pick(
                format!("checks[{i}].department_id"),
                c.department_id.as_deref(),
                line,
            )
        })
        .collect();
    let findings = input
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let line = f
                .criterion_code
                .as_deref()
                .and_then(|c| checklist.iter().find(|l| l.code == c.trim()))
                .filter(|l| l.department_id.is_some());
            let given = f.department_id.as_deref();
            // A finding may name another department than its line's (the criterion is shared).
            pick(
                format!("findings[{i}].department_id"),
                given,
                line.filter(|_| given.is_none()),
            )
        })
        .collect();
    if errs.is_empty() {
        Ok(Attribution { checks, findings })
    } else {
        Err(errs.into_invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enforcement::inspection::{CheckInput, FindingInput};

    fn parts() -> Vec<Part> {
        let p = |id: &str, name: &str, content: &str| Part {
            department_id: id.into(),
            department_name: name.into(),
            item_name: format!("{name}事项"),
            content: Some(content.into()),
        };
        vec![
            p("yjj", "应急局", "安全培训、应急预案"),
            p("zjj", "住建局", "脚手架"),
        ]
    }

    #[test]
    fn each_department_has_its_lines_and_findings() {
        let lines = part_lines(&parts());
        let codes: Vec<&str> = lines.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["B-1", "B-2", "B2-1"]);
        assert_eq!(lines[2].department_id.as_deref(), Some("zjj"));
        let check = |code: &str, d: Option<&str>| CheckInput {
            code: code.into(),
            result: "fail".into(),
            department_id: d.map(str::to_string),
        };
        let finding = |d: Option<&str>| FindingInput {
            category: "site".into(),
            description: "问题".into(),
            department_id: d.map(str::to_string),
            ..Default::default()
        };
        let input = InspectionInput {
            summary: "联合检查".into(),
            checks: vec![check("B2-1", None), check("B-1", None)],
            findings: vec![finding(Some("zjj")), finding(None)],
        };
        let a = attribute(&input, &lines, &parts()).unwrap();
        assert_eq!(a.checks, ["zjj", "yjj"]);
        assert_eq!(a.findings, ["zjj", "yjj"]);
        let bad = InspectionInput {
            summary: "联合检查".into(),
            checks: vec![check("B2-1", Some("yjj"))],
            findings: vec![finding(Some("wsj"))],
        };
        let e = attribute(&bad, &lines, &parts()).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            ["checks[0].department_id", "findings[0].department_id"]
        );
        assert!(e.0[0].message.contains("住建局"), "{e:?}");
    }
}
