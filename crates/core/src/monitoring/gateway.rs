//! Gateways (采集网关): the register input, its field checks with Chinese messages, the owner
//! region check shared with sensors, and the wording of audit records and refusals.

use crate::kernel::validation::{Errors, required_text};

#[derive(Debug, Clone)]
pub struct GatewayInput {
    /// Letters, digits, `-` and `_`: it is the MQTT user name and the topic segment `yj/{code}/…`.
    pub code: String,
    pub name: String,
    pub enterprise_id: Option<String>,
    /// For a gateway of public monitored objects: its street, community or grid.
    pub region_code: Option<String>,
}

/// A gateway's fields as checked.
#[derive(Debug, Clone, Default)]
pub struct CheckedGateway {
    pub code: String,
    pub name: String,
}

/// The refusal for a role that may not register gateways.
pub const GATEWAY_CREATE_DENIED: &str = "您的角色不能登记采集网关";
/// The refusal for a role that may not manage gateways.
pub const GATEWAY_CHANGE_DENIED: &str = "您的角色不能管理采集网关";

fn valid_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 40
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Checks a gateway's code and name (not its owner, which needs the directory), adding every
/// problem to `errs`; the result is meaningful only when `errs` stays empty.
pub fn check_gateway(errs: &mut Errors, input: &GatewayInput) -> CheckedGateway {
    let code = input.code.trim();
    if !valid_code(code) {
        errs.add(
            "code",
            "网关编码为 1 至 40 个字母、数字、“-”或“_”（用作 MQTT 用户名和主题）",
        );
    }
    let name = errs.check("name", required_text("网关名称", &input.name, 100));
    CheckedGateway {
        code: code.to_string(),
        name: name.unwrap_or_default(),
    }
}

/// A device-side record without an enterprise (a sensor or gateway of public monitored
/// objects) needs a region of at least street level: false (and the error added) when it lacks
/// one.
pub fn check_public_region(errs: &mut Errors, region_code: &str) -> bool {
    if region_code.len() < 6 {
        errs.add("region_code", "无企业时须指定所在区、街道、社区或网格");
        return false;
    }
    true
}

/// The audit summary of a gateway registered.
pub fn gateway_created_summary(name: &str, code: &str) -> String {
    format!("登记采集网关“{name}”（{code}）")
}

/// The audit summary of a gateway's new secret.
pub fn gateway_rotated_summary(code: &str) -> String {
    format!("重置采集网关“{code}”的密钥")
}

/// The audit summary of a gateway switched on or off.
pub fn gateway_active_summary(on: bool, code: &str) -> String {
    let verb = if on { "启用" } else { "停用" };
    format!("{verb}采集网关“{code}”")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_mqtt_safe() {
        let mut errs = Errors::default();
        let input = GatewayInput {
            code: " gw-01 ".into(),
            name: "一号网关".into(),
            enterprise_id: None,
            region_code: None,
        };
        assert_eq!(check_gateway(&mut errs, &input).code, "gw-01");
        assert!(errs.is_empty());
        check_gateway(
            &mut errs,
            &GatewayInput {
                code: "网关/1".into(),
                name: String::new(),
                ..input
            },
        );
        let fields: Vec<_> = errs.into_invalid().0.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["code", "name"]);
    }

    #[test]
    fn public_records_need_a_street() {
        let mut errs = Errors::default();
        assert!(!check_public_region(&mut errs, "3604"));
        assert!(check_public_region(&mut errs, "360403"));
        assert_eq!(gateway_active_summary(false, "gw"), "停用采集网关“gw”");
        assert_eq!(gateway_rotated_summary("gw"), "重置采集网关“gw”的密钥");
        assert_eq!(
            gateway_created_summary("网关", "gw"),
            "登记采集网关“网关”（gw）"
        );
    }
}
