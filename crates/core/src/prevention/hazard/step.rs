//! One step of the closed loop as input: what each action needs (定级 a deadline and the people
//! responsible, 治理方案 its six items, 挂牌督办 level, body, document and deadline …), checked
//! before anything is written. The reads a check needs (the hazard as the caller sees it, the
//! criteria list, the department a hazard is transferred to) are passed in.

use super::{Action, Criterion, Finding, HazardLevel, PLAN_ITEMS, level_from_findings};
use crate::kernel::validation::{Errors, Invalid, optional_text, phone, required_text};
use jiff::civil::Date;

/// One step of the loop; which fields are needed depends on the action.
#[derive(Debug, Clone, Default)]
pub struct TransitionInput {
    pub note: Option<String>,
    pub attachments: Vec<String>,
    pub level: Option<String>,
    pub findings: Vec<Finding>,
    pub deadline: Option<String>,
    pub responsible_name: Option<String>,
    pub responsible_phone: Option<String>,
    pub measures: Option<String>,
    pub funds: Option<String>,
    /// 治理方案: goal, methods, funds_materials, organisation, timeline, safety_measures.
    pub plan: Option<std::collections::BTreeMap<String, String>>,
    pub evaluator: Option<String>,
    pub conclusion: Option<String>,
    pub approve: Option<bool>,
    pub department_id: Option<String>,
    pub listing_level: Option<String>,
    pub supervising_body: Option<String>,
    pub doc_number: Option<String>,
}

/// 定级: the deadline and the people and means of the rectification.
#[derive(Debug, Clone)]
pub struct Grade {
    pub deadline: Date,
    pub responsible_name: String,
    pub responsible_phone: Option<String>,
    pub measures: Option<String>,
    pub funds: Option<String>,
}

/// 挂牌督办: level, supervising body, document number and the supervised deadline.
#[derive(Debug, Clone)]
pub struct Listing {
    pub level: String,
    pub body: String,
    pub doc_number: String,
    pub deadline: Date,
}

/// The department a hazard is transferred to (转办), as found by the caller.
#[derive(Debug, Clone)]
pub struct TransferTo {
    pub id: String,
    pub name: String,
}

/// What a check needs to know besides the input: the hazard as the caller sees it and the
/// reads the action needs.
pub struct StepFacts<'a> {
    pub now_ms: i64,
    /// The caller's display name, recorded with an evaluation.
    pub actor_name: &'a str,
    /// The hazard's level and the criteria ticked at the report, which keep it 重大.
    pub level: &'a str,
    pub criteria: &'a [String],
    /// The hazard's current deadline (YYYY-MM-DD).
    pub deadline: Option<&'a str>,
    /// The active criteria list (read for 定级 and 升级 only).
    pub criteria_list: &'a [Criterion],
    /// For 转办: the department found for `department_id`, if any.
    pub transfer_to: Option<TransferTo>,
}

/// An action's input, checked before the transaction (fields named in Chinese).
#[derive(Debug, Clone, Default)]
pub struct CheckedStep {
    pub note: Option<String>,
    pub grade: Option<Grade>,
    pub level_met: Option<(HazardLevel, Vec<String>)>,
    pub plan: Option<serde_json::Value>,
    pub evaluation: Option<serde_json::Value>,
    pub new_deadline: Option<Date>,
    pub transfer_to: Option<TransferTo>,
    pub listing: Option<Listing>,
    /// 延期审批: approved or not.
    pub approve: bool,
}

/// Checks one step's input; every problem is reported at once, each on its field.
pub fn check_step(
    action: Action,
    t: &TransitionInput,
    f: StepFacts<'_>,
) -> Result<CheckedStep, Invalid> {
    let mut errs = Errors::default();
    let mut c = CheckedStep {
        note: errs
            .check(
                "note",
                optional_text("说明", t.note.as_deref().unwrap_or(""), 2000),
            )
            .flatten(),
        approve: t.approve.unwrap_or(false),
        ..CheckedStep::default()
    };
    let note_given = c.note.is_some();
    match action {
        Action::Grade => {
            c.grade = Some(check_grade(&mut errs, t, f.now_ms));
            c.level_met = check_level(&mut errs, &f, action, t);
        }
        Action::Escalate => {
            c.level_met = check_level(&mut errs, &f, action, t);
            if t.findings.is_empty() && !note_given {
                errs.add("note", "升级为重大隐患须说明理由或勾选判定标准条款");
            }
        }
        Action::SubmitPlan => c.plan = Some(check_plan(&mut errs, t)),
        Action::Evaluate => c.evaluation = Some(check_evaluation(&mut errs, &f, t)),
        Action::SubmitRectification if !note_given => errs.add("note", "请填写整改情况说明"),
        Action::Reject if !note_given => errs.add("note", "驳回须填写理由"),
        Action::Dismiss if !note_given => errs.add("note", "不予立案须填写理由"),
        Action::RequestExtension => {
            c.new_deadline = check_extension(&mut errs, f.deadline, f.now_ms, t);
            if !note_given {
                errs.add("note", "请填写延期理由");
            }
        }
        Action::DecideExtension if t.approve.is_none() => {
            errs.add("approve", "请选择同意或不同意延期")
        }
        Action::Transfer => match (
            t.department_id.as_deref().filter(|s| !s.is_empty()),
            f.transfer_to,
        ) {
            (None, _) => errs.add("department_id", "请选择转办的部门"),
            (Some(_), None) => errs.add("department_id", "转办的部门不存在"),
            (Some(_), Some(dep)) => c.transfer_to = Some(dep),
        },
        Action::List => c.listing = check_listing(&mut errs, f.now_ms, t),
        _ => {}
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    Ok(c)
}

/// 治理资金: an amount in yuan with at most two decimals, kept as written exactly.
pub fn check_funds(errs: &mut Errors, v: Option<&str>) -> Option<String> {
    let v = v.map(str::trim).filter(|s| !s.is_empty())?;
    match crate::prevention::risk::Hundredths::parse(v) {
        Some(h) => Some(h.to_string()),
        None => {
            errs.add(
                "funds",
                format!("治理资金“{v}”应为金额（元，至多两位小数）"),
            );
            None
        }
    }
}

/// A deadline field: required (`missing` is the message when empty), a valid date not in the past.
fn deadline_of(
    errs: &mut Errors,
    raw: Option<&str>,
    missing: &str,
    label: &str,
    now_ms: i64,
) -> Option<Date> {
    match raw.filter(|s| !s.is_empty()) {
        None => {
            errs.add("deadline", missing);
            None
        }
        Some(d) => match super::parse_deadline("deadline", label, d, now_ms) {
            Ok(d) => Some(d),
            Err(e) => {
                errs.add("deadline", e.summary());
                None
            }
        },
    }
}

/// 定级: the deadline, the person responsible (with a phone), measures and funds.
pub fn check_grade(errs: &mut Errors, t: &TransitionInput, now_ms: i64) -> Grade {
    let deadline = match t.deadline.as_deref().filter(|s| !s.is_empty()) {
        None => {
            errs.add("deadline", super::wording::GRADE_NEEDS_DEADLINE);
            None
        }
        Some(d) => match super::parse_deadline("deadline", "整改期限", d, now_ms) {
            Ok(d) => Some(d),
            Err(e) => {
                for f in e.0 {
                    errs.add(&f.field, f.message);
                }
                None
            }
        },
    };
    let responsible_name = errs
        .check(
            "responsible_name",
            required_text(
                "整改责任人",
                t.responsible_name.as_deref().unwrap_or(""),
                50,
            ),
        )
        .unwrap_or_default();
    let responsible_phone = errs
        .check(
            "responsible_phone",
            phone("责任人电话", t.responsible_phone.as_deref().unwrap_or("")),
        )
        .flatten();
    let measures = errs
        .check(
            "measures",
            optional_text("整改措施", t.measures.as_deref().unwrap_or(""), 4000),
        )
        .flatten();
    let funds = check_funds(errs, t.funds.as_deref());
    Grade {
        deadline: deadline.unwrap_or(Date::MIN),
        responsible_name,
        responsible_phone,
        measures,
        funds,
    }
}

/// 定级 and 升级: the level chosen (or 重大 for 升级) against the findings and the criteria ticked
/// at the report, which keep a hazard 重大.
fn check_level(
    errs: &mut Errors,
    f: &StepFacts<'_>,
    action: Action,
    t: &TransitionInput,
) -> Option<(HazardLevel, Vec<String>)> {
    let chosen = match (action, t.level.as_deref().filter(|s| !s.is_empty())) {
        (Action::Escalate, _) => HazardLevel::Major,
        (_, None) => HazardLevel::parse(f.level).unwrap_or(HazardLevel::General),
        (_, Some(l)) => errs
            .check("level", HazardLevel::parse(l))
            .unwrap_or(HazardLevel::General),
    };
    match level_from_findings(chosen, f.criteria_list, &t.findings) {
        Ok((l, mut met)) => {
            for c in f.criteria {
                if !met.contains(c) {
                    met.push(c.clone());
                }
            }
            let l = if met.is_empty() {
                l
            } else {
                HazardLevel::Major
            };
            Some((l, met))
        }
        Err(e) => {
            for f in e.0 {
                errs.add(&f.field, f.message);
            }
            None
        }
    }
}

/// 治理方案: each of the six items present and at most 4000 characters, no other item.
fn check_plan(errs: &mut Errors, t: &TransitionInput) -> serde_json::Value {
    let p = t.plan.clone().unwrap_or_default();
    let mut out = serde_json::Map::new();
    for (k, label) in PLAN_ITEMS {
        match p.get(*k).map(|s| s.trim()).filter(|s| !s.is_empty()) {
            None => errs.add(&format!("plan.{k}"), format!("治理方案须包含“{label}”")),
            Some(v) if v.chars().count() > 4000 => {
                errs.add(&format!("plan.{k}"), format!("“{label}”不能超过4000字"))
            }
            Some(v) => {
                out.insert(k.to_string(), v.into());
            }
        }
    }
    for k in p.keys() {
        if !PLAN_ITEMS.iter().any(|(x, _)| x == k) {
            errs.add(&format!("plan.{k}"), format!("治理方案没有“{k}”这一项"));
        }
    }
    serde_json::Value::Object(out)
}

/// 评估: who evaluated (a technician or expert) and the conclusion.
fn check_evaluation(
    errs: &mut Errors,
    f: &StepFacts<'_>,
    t: &TransitionInput,
) -> serde_json::Value {
    let who = errs.check(
        "evaluator",
        required_text(
            "评估人（技术人员或专家）",
            t.evaluator.as_deref().unwrap_or(""),
            100,
        ),
    );
    let c = errs.check(
        "conclusion",
        required_text("评估结论", t.conclusion.as_deref().unwrap_or(""), 4000),
    );
    serde_json::json!({"evaluator": who, "conclusion": c, "by": f.actor_name, "at_ms": f.now_ms})
}

/// 申请延期: a new deadline later than the current one.
fn check_extension(
    errs: &mut Errors,
    current: Option<&str>,
    now_ms: i64,
    t: &TransitionInput,
) -> Option<Date> {
    let d = deadline_of(
        errs,
        t.deadline.as_deref(),
        "请填写申请延期至的日期",
        "延期后的整改期限",
        now_ms,
    )?;
    if current.is_some_and(|cur| d.to_string().as_str() <= cur) {
        errs.add("deadline", "延期后的整改期限须晚于原期限");
    }
    Some(d)
}

/// 挂牌督办: level, supervising body, document number and deadline, all required.
fn check_listing(errs: &mut Errors, now_ms: i64, t: &TransitionInput) -> Option<Listing> {
    let lvl = errs.check(
        "listing_level",
        required_text("督办级别", t.listing_level.as_deref().unwrap_or(""), 20),
    );
    let body = errs.check(
        "supervising_body",
        required_text("督办单位", t.supervising_body.as_deref().unwrap_or(""), 100),
    );
    let doc = errs.check(
        "doc_number",
        required_text("督办文号", t.doc_number.as_deref().unwrap_or(""), 100),
    );
    let dl = deadline_of(
        errs,
        t.deadline.as_deref(),
        "请填写督办整改期限",
        "督办整改期限",
        now_ms,
    );
    Some(Listing {
        level: lvl?,
        body: body?,
        doc_number: doc?,
        deadline: dl?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(now_ms: i64) -> StepFacts<'static> {
        StepFacts {
            now_ms,
            actor_name: "张三",
            level: "general",
            criteria: &[],
            deadline: Some("2026-07-10"),
            criteria_list: &[],
            transfer_to: None,
        }
    }

    const NOW: i64 = 1_782_864_000_000; // 2026-07-01 08:00 Asia/Shanghai

    #[test]
    fn each_action_names_its_missing_fields() {
        let t = TransitionInput::default();
        let fields = |a: Action| -> Vec<String> {
            match check_step(a, &t, facts(NOW)) {
                Ok(_) => vec![],
                Err(e) => e.0.into_iter().map(|f| f.field).collect(),
            }
        };
        assert_eq!(fields(Action::Grade), ["deadline", "responsible_name"]);
        assert_eq!(fields(Action::Reject), ["note"]);
        assert_eq!(fields(Action::Transfer), ["department_id"]);
        assert_eq!(fields(Action::RequestExtension), ["deadline", "note"]);
        assert_eq!(
            fields(Action::List),
            [
                "listing_level",
                "supervising_body",
                "doc_number",
                "deadline"
            ]
        );
        assert!(fields(Action::Accept).is_empty());
    }

    #[test]
    fn an_extension_must_move_the_deadline_later() {
        let t = TransitionInput {
            deadline: Some("2026-07-05".into()),
            note: Some("材料未到".into()),
            ..Default::default()
        };
        let e = check_step(Action::RequestExtension, &t, facts(NOW)).unwrap_err();
        assert_eq!(e.summary(), "延期后的整改期限须晚于原期限");
        let t = TransitionInput {
            deadline: Some("2026-07-20".into()),
            ..t
        };
        let c = check_step(Action::RequestExtension, &t, facts(NOW)).unwrap();
        assert_eq!(c.new_deadline.unwrap().to_string(), "2026-07-20");
    }

    #[test]
    fn a_transfer_needs_a_department_that_exists() {
        let t = TransitionInput {
            department_id: Some("d1".into()),
            ..Default::default()
        };
        let e = check_step(Action::Transfer, &t, facts(NOW)).unwrap_err();
        assert_eq!(e.summary(), "转办的部门不存在");
        let mut f = facts(NOW);
        f.transfer_to = Some(TransferTo {
            id: "d1".into(),
            name: "区住建局".into(),
        });
        let c = check_step(Action::Transfer, &t, f).unwrap();
        assert_eq!(c.transfer_to.unwrap().name, "区住建局");
    }

    #[test]
    fn funds_keep_two_decimals_or_name_the_field() {
        let mut errs = Errors::default();
        assert_eq!(
            check_funds(&mut errs, Some(" 1200.5 ")).as_deref(),
            Some("1200.5")
        );
        assert_eq!(check_funds(&mut errs, Some("12.345")), None);
        assert!(errs.has("funds"));
    }
}
