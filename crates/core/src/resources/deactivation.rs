//! 停用 / 启用 a record of a register: the reason's check, why a record cannot be deactivated
//! now, and the wording of the refusal and of the audit record.

use super::register::Register;
use crate::kernel::validation::Invalid;

/// Why a role that may not change registers (inspectors) is refused.
pub const EDIT_DENIED: &str = "您的角色不能修改名录";

/// The reason, trimmed: required to deactivate, at most 200 characters.
pub fn check_reason(active: bool, reason: &str) -> Result<String, Invalid> {
    let reason = reason.trim();
    if !active && reason.is_empty() {
        return Err(Invalid::one("reason", "请填写停用原因"));
    }
    if reason.chars().count() > 200 {
        return Err(Invalid::one("reason", "原因最多200个字"));
    }
    Ok(reason.to_string())
}

/// Why a record that is out, reserved or open cannot be deactivated now (the store tells which
/// of these holds); None for registers without such a state.
pub fn busy_reason(register: Register) -> Option<&'static str> {
    match register {
        Register::Teams => Some("该队伍正在出动，归队后才能停用"),
        Register::Experts => Some("该专家正在调派中，返回后才能停用"),
        Register::Warehouses => Some("该储备库有已审批未出库的调拨物资，办结后才能停用"),
        Register::Stock => Some("该库存有已审批未出库的调拨数量，办结后才能停用"),
        Register::Shelters => Some("该避难场所正在开放，关闭后才能停用"),
        Register::Sensors | Register::ProtectedObjects => None,
    }
}

/// Why a record already in the asked state is not changed.
pub fn already(register: Register, active: bool) -> String {
    format!(
        "该{}已经{}",
        register.name(),
        if active { "在用" } else { "停用" }
    )
}

/// How the record is named in the audit summary when it has a second name (a sensor's code, a
/// 承灾体's kind).
pub fn subject_with(name: &str, detail: &str) -> String {
    format!("{name}（{detail}）")
}

/// How a stock line is named in the audit summary: its warehouse and its material.
pub fn stock_subject(warehouse: &str, material: &str) -> String {
    format!("{warehouse} {material}")
}

/// The audit summary: 启用/停用, the register, the record and the reason if one was given.
pub fn summary(register: Register, active: bool, subject: &str, reason: &str) -> String {
    let verb = if active { "启用" } else { "停用" };
    if reason.is_empty() {
        format!("{verb}{}：{subject}", register.name())
    } else {
        format!("{verb}{}：{subject}（原因：{reason}）", register.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deactivating_needs_a_reason() {
        assert_eq!(
            check_reason(false, "  ").unwrap_err().summary(),
            "请填写停用原因"
        );
        assert_eq!(check_reason(true, " ").unwrap(), "");
        assert!(check_reason(true, &"长".repeat(201)).is_err());
    }

    #[test]
    fn wording() {
        assert_eq!(
            busy_reason(Register::Teams),
            Some("该队伍正在出动，归队后才能停用")
        );
        assert_eq!(busy_reason(Register::Sensors), None);
        let name = Register::Teams.name();
        assert_eq!(already(Register::Teams, true), format!("该{name}已经在用"));
        assert_eq!(subject_with("液位计", "LT-101"), "液位计（LT-101）");
        assert_eq!(stock_subject("一号库", "帐篷"), "一号库 帐篷");
        assert_eq!(
            summary(Register::Teams, false, "蓝天", "解散"),
            format!("停用{name}：蓝天（原因：解散）")
        );
    }
}
