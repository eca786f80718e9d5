//! 会商研判 (issue 23 item 8): a meeting (汛前/灾中/灾后/专题) linked to exactly one disaster
//! process, warning or incident, with the departments present, its conclusions and its actions
//! (owner department or user, deadline in Asia/Shanghai). Who may hold, read and complete; the
//! checks of the input, every error naming its field and the action's row; the wording.

use crate::kernel::clock::{parse_instant, shanghai, to_rfc3339};
use crate::kernel::role::Role;
use crate::kernel::validation::{Errors, Invalid, optional_text, required_text};

/// 会商类型: (code, label).
pub const KINDS: &[(&str, &str)] = &[
    ("pre_season", "汛前会商"),
    ("during", "灾中会商"),
    ("after", "灾后会商"),
    ("special", "专题会商"),
];

pub fn kind_label(kind: &str) -> &'static str {
    KINDS.iter().find(|k| k.0 == kind).map_or("", |k| k.1)
}

/// What a meeting is about: exactly one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    Process,
    Warning,
    Incident,
}

impl LinkKind {
    pub const ALL: [LinkKind; 3] = [Self::Process, Self::Warning, Self::Incident];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Process => "process",
            Self::Warning => "warning",
            Self::Incident => "incident",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Process => "灾害过程",
            Self::Warning => "预警",
            Self::Incident => "突发事件",
        }
    }
    /// The input field that names it.
    pub fn field(self) -> &'static str {
        match self {
            Self::Process => "process_id",
            Self::Warning => "warning_id",
            Self::Incident => "incident_id",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    /// The console page of the linked record.
    pub fn link(self, id: &str) -> String {
        match self {
            Self::Process => format!("/disasters/processes/{id}"),
            Self::Warning => format!("/warnings/{id}"),
            Self::Incident => format!("/incidents/{id}"),
        }
    }
}

/// An action's state: 待办 → 已完成.
pub const OPEN: &str = "open";
pub const DONE: &str = "done";

pub fn state_label(state: &str) -> &'static str {
    if state == DONE { "已完成" } else { "待办" }
}

pub const NOT_A_READER: &str = "会商研判仅供应急管理局、参会部门和任务责任人查看";
pub const NOT_A_HOST: &str = "只有局领导、值班员和系统管理员可以组织会商研判";
pub const NOT_THE_OWNER: &str = "只有任务的责任部门（责任人）或局领导、值班员可以完成该任务";

/// May hold (register) a meeting: the bureau (局领导, 值班员, 管理员).
pub fn may_host(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander | Role::DutyOfficer)
}

/// May read meetings at all (which ones: the bureau its district's, a department those it
/// attended or owns an action of, anyone those they own an action of).
pub fn may_read(role: Role) -> bool {
    matches!(
        role,
        Role::Admin
            | Role::Commander
            | Role::DutyOfficer
            | Role::DepartmentStaff
            | Role::StreetStaff
            | Role::GridWorker
    )
}

/// Which meetings a reader sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The bureau: every meeting of its district (all of them for the administrator).
    District,
    /// The meetings the caller's department attended or owns an action of, and those where the
    /// caller owns an action.
    Involved,
}

pub fn reach(role: Role) -> Option<Reach> {
    if may_host(role) {
        Some(Reach::District)
    } else if may_read(role) {
        Some(Reach::Involved)
    } else {
        None
    }
}

/// Whether a caller may complete an action: the bureau, the owner department's staff, the owner.
pub fn may_complete(
    role: Role,
    user_id: &str,
    department_id: Option<&str>,
    owner_department: Option<&str>,
    owner_user: Option<&str>,
) -> bool {
    may_host(role)
        || (owner_user.is_some() && owner_user == Some(user_id))
        || (role == Role::DepartmentStaff
            && owner_department.is_some()
            && owner_department == department_id)
}

#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    pub text: String,
    pub owner_department_id: Option<String>,
    pub owner_user_id: Option<String>,
    /// `2026-07-12` (the end of that day, Asia/Shanghai) or a time (`2026-07-12 18:00`, RFC 3339).
    pub deadline: String,
}

#[derive(Debug, Clone, Default)]
pub struct MeetingInput {
    pub kind: String,
    pub topic: String,
    pub held_at: String,
    pub place: Option<String>,
    pub video: bool,
    pub host_user_id: Option<String>,
    pub department_ids: Vec<String>,
    pub participants: Option<String>,
    pub process_id: Option<String>,
    pub warning_id: Option<String>,
    pub incident_id: Option<String>,
    pub conclusions: Option<String>,
    pub actions: Vec<ActionInput>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedAction {
    pub text: String,
    pub owner_department_id: Option<String>,
    pub owner_user_id: Option<String>,
    /// The owner's name (department or person).
    pub owner_name: String,
    pub due_ms: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CheckedMeeting {
    pub kind: String,
    pub topic: String,
    pub held_ms: i64,
    pub place: Option<String>,
    pub video: bool,
    pub host_user_id: String,
    pub host_name: String,
    /// (id, name) of the departments present.
    pub departments: Vec<(String, String)>,
    pub participants: Option<String>,
    pub link: (LinkKind, String),
    pub conclusions: Option<String>,
    pub actions: Vec<CheckedAction>,
}

/// What the check needs to know: the departments and the users (id, name) it may name, and
/// the caller (the host by default).
pub struct Known<'a> {
    pub departments: &'a [(String, String)],
    pub users: &'a [(String, String)],
    pub caller: (&'a str, &'a str),
}

/// Text over several lines (conclusions, participants): trimmed, empty is None, line breaks and
/// tabs allowed, other control characters refused.
fn long_text(label: &str, value: &str, max: usize) -> Result<Option<String>, String> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.chars().count() > max {
        return Err(format!("{label}不能超过{max}个字符"));
    }
    if v.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(format!("{label}包含不可见的控制字符"));
    }
    Ok(Some(v.to_string()))
}

fn trimmed(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// The single link, or the error naming the fields.
fn check_link(errs: &mut Errors, input: &MeetingInput) -> Option<(LinkKind, String)> {
    let given: Vec<(LinkKind, String)> = [
        (LinkKind::Process, &input.process_id),
        (LinkKind::Warning, &input.warning_id),
        (LinkKind::Incident, &input.incident_id),
    ]
    .into_iter()
    .filter_map(|(k, v)| trimmed(v).map(|id| (k, id)))
    .collect();
    match given.len() {
        1 => given.into_iter().next(),
        0 => {
            errs.add(
                "process_id",
                "请关联一个灾害过程、预警或突发事件（三者选一）",
            );
            None
        }
        _ => {
            errs.add(
                given[1].0.field(),
                "会商只能关联一个灾害过程、预警或突发事件（三者选一）",
            );
            None
        }
    }
}

/// A deadline: a plain date is the end of that day in Asia/Shanghai (the next midnight).
pub fn parse_deadline(raw: &str) -> Result<i64, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err("请填写完成期限".into());
    }
    // Only a bare date (jiff's date parser would also take a date-time and drop its time).
    if s.len() == 10
        && let Ok(d) = s.parse::<jiff::civil::Date>()
    {
        let next = d.tomorrow().map_err(|e| e.to_string())?;
        return next
            .to_zoned_datetime(shanghai())
            .map(|z| z.timestamp().as_millisecond())
            .map_err(|e| e.to_string());
    }
    parse_instant(s)
}

fn check_departments(
    errs: &mut Errors,
    ids: &[String],
    known: &[(String, String)],
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    if ids.len() > 100 {
        errs.add("department_ids", "参会部门最多 100 个");
        return out;
    }
    for (i, raw) in ids.iter().enumerate() {
        let id = raw.trim();
        match known.iter().find(|d| d.0 == id) {
            None => errs.add(
                &format!("department_ids[{i}]"),
                format!("第{}个参会部门“{id}”不存在", i + 1),
            ),
            Some(d) if !out.iter().any(|o| o.0 == d.0) => out.push(d.clone()),
            Some(_) => {}
        }
    }
    out
}

fn check_action(
    errs: &mut Errors,
    i: usize,
    a: &ActionInput,
    held_ms: Option<i64>,
    known: &Known<'_>,
) -> Option<CheckedAction> {
    let row = i + 1;
    let f = |name: &str| format!("actions[{i}].{name}");
    let text = errs.check(
        &f("text"),
        required_text(&format!("第{row}项任务的内容"), &a.text, 500),
    );
    let dept = trimmed(&a.owner_department_id);
    let user = trimmed(&a.owner_user_id);
    let owner = match (&dept, &user) {
        (Some(_), Some(_)) | (None, None) => {
            errs.add(
                &f("owner_department_id"),
                format!("第{row}项任务请指定一个责任部门或一名责任人（二者选一）"),
            );
            None
        }
        (Some(d), None) => match known.departments.iter().find(|k| &k.0 == d) {
            Some(k) => Some(k.1.clone()),
            None => {
                errs.add(
                    &f("owner_department_id"),
                    format!("第{row}项任务的责任部门“{d}”不存在"),
                );
                None
            }
        },
        (None, Some(u)) => match known.users.iter().find(|k| &k.0 == u) {
            Some(k) => Some(k.1.clone()),
            None => {
                errs.add(
                    &f("owner_user_id"),
                    format!("第{row}项任务的责任人“{u}”不存在或已停用"),
                );
                None
            }
        },
    };
    let due_ms = errs.check(
        &f("deadline"),
        parse_deadline(&a.deadline).map_err(|m| format!("第{row}项任务的完成期限：{m}")),
    );
    if let (Some(due), Some(held)) = (due_ms, held_ms)
        && due <= held
    {
        errs.add(
            &f("deadline"),
            format!("第{row}项任务的完成期限（{}）早于会商时间", to_rfc3339(due)),
        );
        return None;
    }
    Some(CheckedAction {
        text: text?,
        owner_department_id: dept,
        owner_user_id: user,
        owner_name: owner?,
        due_ms: due_ms?,
    })
}

/// The host: the one named, or the caller.
fn check_host(
    errs: &mut Errors,
    input: &MeetingInput,
    known: &Known<'_>,
) -> Option<(String, String)> {
    match trimmed(&input.host_user_id) {
        None => Some((known.caller.0.to_string(), known.caller.1.to_string())),
        Some(h) => {
            let found = known.users.iter().find(|u| u.0 == h).cloned();
            if found.is_none() {
                errs.add("host_user_id", format!("主持人“{h}”不存在或已停用"));
            }
            found
        }
    }
}

/// Checks a new meeting; every error names its field (`actions[1].deadline` for an action).
pub fn check_meeting(
    input: &MeetingInput,
    known: &Known<'_>,
    now_ms: i64,
) -> Result<CheckedMeeting, Invalid> {
    let mut errs = Errors::default();
    let kind = input.kind.trim();
    if kind_label(kind).is_empty() {
        errs.add(
            "kind",
            format!("会商类型“{kind}”无效，应为汛前、灾中、灾后或专题"),
        );
    }
    let topic = errs.check("topic", required_text("会商议题", &input.topic, 200));
    let held_ms = errs.check("held_at", parse_instant(&input.held_at));
    if held_ms.is_some_and(|h| h > now_ms + 366 * 86_400_000) {
        errs.add("held_at", "会商时间不能晚于一年以后");
    }
    let place = errs
        .check(
            "place",
            optional_text("会商地点", input.place.as_deref().unwrap_or(""), 200),
        )
        .flatten();
    if place.is_none() && !input.video {
        errs.add("place", "请填写会商地点，或选择视频会商");
    }
    let host = check_host(&mut errs, input, known);
    let departments = check_departments(&mut errs, &input.department_ids, known.departments);
    let participants = errs
        .check(
            "participants",
            long_text(
                "参会人员",
                input.participants.as_deref().unwrap_or(""),
                2000,
            ),
        )
        .flatten();
    let conclusions = errs
        .check(
            "conclusions",
            long_text(
                "会商结论",
                input.conclusions.as_deref().unwrap_or(""),
                10_000,
            ),
        )
        .flatten();
    let link = check_link(&mut errs, input);
    if input.actions.len() > 100 {
        errs.add("actions", "任务最多 100 项");
    }
    let actions: Vec<Option<CheckedAction>> = input
        .actions
        .iter()
        .take(100)
        .enumerate()
        .map(|(i, a)| check_action(&mut errs, i, a, held_ms, known))
        .collect();
    match (errs.is_empty(), topic, held_ms, host, link) {
        (true, Some(topic), Some(held_ms), Some(host), Some(link)) => Ok(CheckedMeeting {
            kind: kind.into(),
            topic,
            held_ms,
            place,
            video: input.video,
            host_user_id: host.0,
            host_name: host.1,
            departments,
            participants,
            link,
            conclusions,
            actions: actions.into_iter().flatten().collect(),
        }),
        _ => Err(errs.into_invalid()),
    }
}

/// A completion note: optional, at most 2000 characters.
pub fn check_note(raw: Option<&str>) -> Result<Option<String>, Invalid> {
    long_text("完成情况", raw.unwrap_or(""), 2000).map_err(|m| Invalid::one("note", m))
}

pub fn created_summary(kind: &str, topic: &str, link_label: &str, actions: usize) -> String {
    format!(
        "{}“{topic}”（关联{link_label}），部署任务 {actions} 项",
        kind_label(kind)
    )
}

pub fn completed_summary(topic: &str, text: &str, late: bool) -> String {
    let late = if late { "（逾期完成）" } else { "" };
    format!("会商“{topic}”的任务“{text}”已完成{late}")
}

/// The overdue notice of an action: (title, body).
pub fn overdue_message(topic: &str, text: &str, owner: &str, due_ms: i64) -> (String, String) {
    (
        format!("会商任务逾期：{text}"),
        format!(
            "会商“{topic}”部署的任务“{text}”（责任：{owner}）已超过完成期限 {}，请尽快办理并反馈",
            to_rfc3339(due_ms)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernel::clock::parse_instant;

    type Names = Vec<(String, String)>;

    fn known() -> (Names, Names) {
        (
            vec![("d1".into(), "区水利局".into())],
            vec![("u1".into(), "张三".into())],
        )
    }

    fn input() -> MeetingInput {
        MeetingInput {
            kind: "pre_season".into(),
            topic: "主汛期防御部署".into(),
            held_at: "2026-06-01 09:00".into(),
            video: true,
            department_ids: vec!["d1".into()],
            process_id: Some("p1".into()),
            actions: vec![ActionInput {
                text: "排查山塘水库".into(),
                owner_department_id: Some("d1".into()),
                deadline: "2026-06-05".into(),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_plain_date_deadline_ends_at_midnight() {
        assert_eq!(
            parse_deadline("2026-06-05"),
            parse_instant("2026-06-06T00:00:00+08:00")
        );
        assert_eq!(
            parse_deadline("2026-06-05 18:00"),
            parse_instant("2026-06-05T18:00:00+08:00")
        );
    }

    #[test]
    fn checks_name_the_field_and_the_row() {
        let (d, u) = known();
        let k = Known {
            departments: &d,
            users: &u,
            caller: ("me", "值班员"),
        };
        let now = parse_instant("2026-06-01T08:00:00+08:00").unwrap();
        let ok = check_meeting(&input(), &k, now).expect("valid");
        assert_eq!(ok.host_name, "值班员");
        assert_eq!(ok.actions[0].owner_name, "区水利局");
        let mut bad = input();
        bad.process_id = None;
        bad.actions[0].deadline = "2026-05-31".into();
        bad.actions.push(ActionInput {
            text: "转移".into(),
            owner_department_id: Some("x".into()),
            deadline: "2026-06-03".into(),
            ..Default::default()
        });
        let e = check_meeting(&bad, &k, now).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            vec![
                "process_id",
                "actions[0].deadline",
                "actions[1].owner_department_id"
            ]
        );
        assert!(e.0[2].message.contains("第2项任务"), "{}", e.0[2].message);
    }

    #[test]
    fn only_the_owner_or_the_bureau_completes() {
        assert!(may_complete(Role::Commander, "u", None, Some("d"), None));
        assert!(may_complete(
            Role::DepartmentStaff,
            "u",
            Some("d"),
            Some("d"),
            None
        ));
        assert!(!may_complete(
            Role::DepartmentStaff,
            "u",
            Some("e"),
            Some("d"),
            None
        ));
        assert!(may_complete(Role::GridWorker, "u", None, None, Some("u")));
    }
}
