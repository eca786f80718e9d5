//! Sensors (监测点): the register input, its field checks with Chinese messages, and the wording
//! of its audit records and refusals.

use crate::kernel::validation::{Errors, required_text};
use crate::monitoring::alarm::{Milli4, SENSOR_KINDS, Thresholds};
use crate::prevention::hazard::label_of;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SensorInput {
    /// 位号 / 传感器编码, unique; gateways send it with each reading.
    pub code: String,
    pub name: String,
    pub kind: String,
    pub unit: String,
    #[serde(default)]
    pub enterprise_id: Option<String>,
    #[serde(default)]
    pub major_hazard_id: Option<String>,
    /// Grid or community of a public monitored object (易涝点, 桥梁 …) without an enterprise.
    #[serde(default)]
    pub region_code: Option<String>,
    pub object_name: String,
    #[serde(default)]
    pub threshold_ll: Option<String>,
    #[serde(default)]
    pub threshold_l: Option<String>,
    #[serde(default)]
    pub threshold_h: Option<String>,
    #[serde(default)]
    pub threshold_hh: Option<String>,
    #[serde(default)]
    pub hysteresis: Option<String>,
    /// Largest change per minute before a 变化速率 alarm (empty: not checked).
    #[serde(default)]
    pub rate_limit: Option<String>,
    /// Seconds without a reading before the sensor counts as offline.
    #[serde(default = "default_offline")]
    pub offline_after_s: i64,
    #[serde(default)]
    pub lon: Option<f64>,
    #[serde(default)]
    pub lat: Option<f64>,
}

fn default_offline() -> i64 {
    300
}

/// A sensor's fields as checked: trimmed texts and exact thresholds.
#[derive(Debug, Clone, Default)]
pub struct CheckedSensor {
    pub code: String,
    pub name: String,
    pub object_name: String,
    pub unit: String,
    pub thresholds: Thresholds,
    pub rate_limit: Option<Milli4>,
}

/// The refusal for a role that may not register or edit sensors.
pub const SENSOR_WRITE_DENIED: &str = "您的角色不能登记或修改监测点";
/// The refusal of an edit that changes a sensor's code.
pub const SENSOR_CODE_FIXED: &str =
    "监测点编码不能修改（网关按编码上报读数）；如需更换，请停用后登记新监测点";
/// The conflict of a new sensor whose code is registered already.
pub const SENSOR_CODE_TAKEN: &str = "该监测点编码已登记";
/// The error for a major hazard source that is unknown or of another enterprise.
pub const SENSOR_MAJOR_HAZARD_MISMATCH: &str = "重大危险源不存在或不属于该企业";

/// Checks a sensor's own fields (not its owner, which needs the directory), adding every
/// problem to `errs`; the result is meaningful only when `errs` stays empty.
pub fn check_sensor(errs: &mut Errors, input: &SensorInput) -> CheckedSensor {
    let code = errs.check("code", required_text("监测点编码", &input.code, 64));
    let name = errs.check("name", required_text("监测点名称", &input.name, 100));
    let object = errs.check(
        "object_name",
        required_text("监测对象", &input.object_name, 100),
    );
    let unit = errs.check("unit", required_text("计量单位", &input.unit, 20));
    if label_of(SENSOR_KINDS, &input.kind).is_none() {
        errs.add(
            "kind",
            "请选择监测类型（液位、温度、压力、可燃气体、有毒气体、水位、位移、雨量）",
        );
    }
    let mut num = |field: &str, label: &str, v: &Option<String>| -> Option<Milli4> {
        let s = v.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
        let m = Milli4::parse(s);
        if m.is_none() {
            errs.add(field, format!("{label}应为数字"));
        }
        m
    };
    let t = Thresholds {
        ll: num("threshold_ll", "低低报阈值", &input.threshold_ll),
        l: num("threshold_l", "低报阈值", &input.threshold_l),
        h: num("threshold_h", "高报阈值", &input.threshold_h),
        hh: num("threshold_hh", "高高报阈值", &input.threshold_hh),
        hysteresis: num("hysteresis", "回差", &input.hysteresis).unwrap_or_default(),
    };
    let rate_limit = num("rate_limit", "变化速率限值", &input.rate_limit);
    if rate_limit.is_some_and(|r| r.0 <= 0) {
        errs.add("rate_limit", "变化速率限值应大于 0");
    }
    if let Err((field, message)) = t.check() {
        errs.add(field, message);
    }
    if !(10..=86_400).contains(&input.offline_after_s) {
        errs.add("offline_after_s", "离线判定时间应为 10 至 86400 秒");
    }
    CheckedSensor {
        code: code.unwrap_or_default(),
        name: name.unwrap_or_default(),
        object_name: object.unwrap_or_default(),
        unit: unit.unwrap_or_default(),
        thresholds: t,
        rate_limit,
    }
}

/// The audit summary of a sensor registered (`created`) or edited.
pub fn sensor_saved_summary(created: bool, name: &str, code: &str) -> String {
    format!(
        "{}监测点“{name}”（{code}）",
        if created { "登记" } else { "修改" }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> SensorInput {
        serde_json::from_value(serde_json::json!({
            "code": " LT-101 ", "name": "储罐液位", "kind": "level", "unit": "m",
            "object_name": "1号储罐", "threshold_h": "8.5", "threshold_hh": "9"
        }))
        .unwrap()
    }

    #[test]
    fn a_valid_sensor_is_trimmed_and_parsed() {
        let mut errs = Errors::default();
        let c = check_sensor(&mut errs, &input());
        assert!(errs.is_empty());
        assert_eq!(c.code, "LT-101");
        assert_eq!(c.thresholds.h, Milli4::parse("8.5"));
    }

    #[test]
    fn every_bad_field_is_reported() {
        let mut i = input();
        i.name = " ".into();
        i.threshold_l = Some("abc".into());
        i.rate_limit = Some("0".into());
        i.offline_after_s = 5;
        let mut errs = Errors::default();
        check_sensor(&mut errs, &i);
        let fields: Vec<_> = errs.into_invalid().0.into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["name", "threshold_l", "rate_limit", "offline_after_s"]
        );
        assert_eq!(
            sensor_saved_summary(false, "液位", "LT"),
            "修改监测点“液位”（LT）"
        );
    }
}
