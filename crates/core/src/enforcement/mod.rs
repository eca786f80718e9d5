//! 执法监管 (enforcement): the 执法事项目录, the two pools of 双随机 (检查对象名录库 and
//! 执法检查人员名录库), the draws and the inspection tasks they make. Who may do what, the inputs'
//! checks and the wording.

pub mod case;
pub mod case_document;
pub mod case_input;
pub mod case_windows;
pub mod document;
pub mod document_pdf;
pub mod draw;
pub mod draw_record;
pub mod inspection;
pub mod joint;
pub mod joint_record;
pub mod outcome;
pub mod penalty;
pub mod plan;
pub mod receipt;
pub mod registry;
pub mod review;
pub mod stats;
pub mod surcharge;

use crate::kernel::role::Role;

/// Who may not keep the catalogue, the pools or run draws is told so.
pub const NOT_AN_ENFORCEMENT_MANAGER: &str =
    "只有局领导、部门人员和管理员可以管理执法事项、名录库和双随机抽取";
/// Who may not read enforcement records is told so.
pub const NOT_AN_ENFORCEMENT_READER: &str =
    "执法监管信息仅供局领导、部门人员、执法人员和管理员查看";
/// A draw that is not there or not visible to the caller.
pub const DRAW_NOT_FOUND: &str = "抽取记录不存在或不在您的管辖范围内";

/// May keep the 执法事项目录 and the pools, and run draws: the bureau's leaders, the departments
/// (for their own) and the administrators.
pub fn may_manage(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander | Role::DepartmentStaff)
}

/// May read the catalogue, the pools, the draws and tasks (an inspector reads their department's).
pub fn may_read(role: Role) -> bool {
    may_manage(role) || role == Role::Inspector
}

/// Who may be entered in the 执法检查人员名录库: inspectors and a department's staff (who hold a
/// 执法证 too).
pub fn may_enter_pool(role: Role) -> bool {
    matches!(role, Role::Inspector | Role::DepartmentStaff)
}

/// The role codes of the people who may be entered in the pool.
pub fn pool_role_codes() -> Vec<&'static str> {
    Role::ALL
        .into_iter()
        .filter(|r| may_enter_pool(*r))
        .map(Role::as_str)
        .collect()
}

/// An inspector reads the tasks they are on; managers read their departments'.
pub fn reads_only_own_tasks(role: Role) -> bool {
    role == Role::Inspector
}

/// 执法方式 of a catalogue item.
pub const METHODS: [(&str, &str); 4] = [
    ("key", "重点检查"),
    ("random", "双随机抽查"),
    ("special", "专项检查"),
    ("complaint", "举报核查"),
];

/// The kinds of inspection task.
pub const TASK_KINDS: [(&str, &str); 5] = [
    ("random", "双随机抽查"),
    ("key", "重点检查"),
    ("special", "专项检查"),
    ("complaint", "举报核查"),
    ("joint", "联合检查"),
];

/// Why an enterprise is on the 重点检查 list (and so not drawn), and why else it is excluded.
pub const EXCLUSION_REASONS: [(&str, &str); 4] = [
    ("major_hazard", "有重大危险源"),
    ("red_orange_risk_point", "有红色或橙色风险点"),
    ("open_major_hazard", "有未销号的重大事故隐患"),
    ("inspected_this_year", "本年度已安排检查"),
];

/// The states of an inspection task.
pub const TASK_STATUSES: [(&str, &str); 4] = [
    ("assigned", "待检查"),
    ("in_progress", "检查中"),
    ("done", "已完成"),
    ("cancelled", "已取消"),
];

/// The audit summary of a draw.
pub fn draw_summary(title: &str, seed: u64, picks: usize, pool: usize) -> String {
    format!("双随机抽取“{title}”：从 {pool} 家企业中抽取 {picks} 家（随机种子 {seed}）")
}

/// A 执法证号 held by another inspector.
pub const CERT_TAKEN: &str = "该执法证号已登记给其他执法人员";
/// Only inspectors and department staff of the department enter its pool.
pub const NOT_AN_INSPECTOR_OF: &str = "只能登记本部门的执法人员或部门人员";

/// The audit summary of a catalogue item added.
pub fn item_summary(name: &str) -> String {
    format!("新增执法事项“{name}”")
}

/// The audit summary of an inspector entered in the pool.
pub fn inspector_summary(name: &str, cert_no: &str, until: &str) -> String {
    format!("{name} 登记入执法检查人员名录库（执法证号 {cert_no}，有效期至 {until}）")
}

/// The audit summary of a conflict of interest recorded.
pub fn conflict_summary(inspector: &str, enterprise: &str, reason: &str) -> String {
    format!("{inspector} 对“{enterprise}”回避：{reason}")
}

/// The audit summary of a draw made public.
pub fn publish_summary(title: &str) -> String {
    format!("公开双随机抽取结果“{title}”")
}

/// The answer of a 复核 that found the record as drawn.
pub const DRAW_VERIFIED: &str = "复核一致：按记录的随机种子和名录重新抽取，结果与记录相同";
/// The answer of a 复核 whose re-run agrees but whose inputs no longer match their hash.
pub const VERIFY_HASH_MISMATCH: &str = "复核不一致：抽取记录的名录与登记时的校验值不符";

/// The answer of a 复核 whose re-run differs from the record (the record was altered).
pub const VERIFY_MISMATCH: &str = "复核不一致：按记录的随机种子和名录重新抽取的结果与记录不同";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles() {
        let managers: Vec<Role> = Role::ALL.into_iter().filter(|r| may_manage(*r)).collect();
        assert_eq!(
            managers,
            vec![Role::Admin, Role::Commander, Role::DepartmentStaff]
        );
        assert!(may_read(Role::Inspector));
        assert!(!may_read(Role::EnterpriseUser));
        assert!(!may_read(Role::GridWorker));
    }

    #[test]
    fn summaries() {
        assert_eq!(
            draw_summary("2026年工贸抽查", 42, 8, 1751),
            "双随机抽取“2026年工贸抽查”：从 1751 家企业中抽取 8 家（随机种子 42）"
        );
    }
}
