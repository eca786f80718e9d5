//! What an API token may do: it expires, and it may be limited to reading or to some resources
//! (the first path segment under `/api/v1/`). A token never does more than its owner's role.

/// Days a token lives when the request names none, and at most.
pub const DEFAULT_DAYS: i64 = 90;
pub const MAX_DAYS: i64 = 365;
const DAY_MS: i64 = 86_400_000;

/// The resources a token can be limited to, with their Chinese names.
pub const RESOURCES: &[(&str, &str)] = &[
    ("enterprises", "企业"),
    ("regions", "区划"),
    ("map", "地图"),
    ("risk-points", "风险点"),
    ("hazards", "隐患"),
    ("hazard-criteria", "隐患判定标准"),
    ("major-hazards", "重大危险源"),
    ("sensors", "传感器"),
    ("readings", "监测数据上报"),
    ("alarms", "报警"),
    ("gateways", "采集网关"),
    ("incidents", "突发事件"),
    ("plans", "预案"),
    ("teams", "救援队伍"),
    ("experts", "专家"),
    ("warehouses", "储备库"),
    ("stock", "物资"),
    ("shelters", "避难场所"),
    ("allocation-orders", "调拨单"),
    ("resources", "资源检索"),
    ("warnings", "预警"),
    ("protected-objects", "承灾体"),
    ("work-orders", "响应工单"),
    ("duty", "值班值守"),
];

/// A token's limits, checked when it is created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenLimits {
    pub expires_ms: i64,
    pub read_only: bool,
    pub resources: Vec<String>,
}

/// Parses the requested limits: days in 1..=365 (default 90), known resources only.
pub fn limits(
    now_ms: i64,
    days: Option<i64>,
    read_only: bool,
    resources: &[String],
) -> Result<TokenLimits, (&'static str, String)> {
    let days = days.unwrap_or(DEFAULT_DAYS);
    if !(1..=MAX_DAYS).contains(&days) {
        return Err(("expires_in_days", format!("有效期应为1至{MAX_DAYS}天")));
    }
    let mut out: Vec<String> = Vec::new();
    for (i, r) in resources.iter().enumerate() {
        let r = r.trim();
        if !RESOURCES.iter().any(|(k, _)| *k == r) {
            let shown: String = r.chars().take(30).collect();
            return Err(("resources", format!("第{}项资源“{shown}”不存在", i + 1)));
        }
        if !out.iter().any(|x| x == r) {
            out.push(r.to_string());
        }
    }
    Ok(TokenLimits {
        expires_ms: now_ms + days * DAY_MS,
        read_only,
        resources: out,
    })
}

/// Tokens created before expiries existed live a year from creation.
pub fn effective_expiry(created_ms: i64, expires_ms: Option<i64>) -> i64 {
    expires_ms.unwrap_or(created_ms + MAX_DAYS * DAY_MS)
}

/// Whether a token with these limits may make this request; the Chinese reason when not.
pub fn permits(
    read_only: bool,
    resources: &[String],
    method: &str,
    path: &str,
) -> Result<(), String> {
    let reading = matches!(method, "GET" | "HEAD" | "OPTIONS");
    if read_only && !reading {
        return Err("该API令牌为只读令牌，不能修改数据".into());
    }
    if resources.is_empty() {
        return Ok(());
    }
    let segment = path
        .strip_prefix("/api/v1/")
        .and_then(|p| p.split('/').next())
        .unwrap_or("");
    // Every token may ask who it is.
    if segment == "auth" && reading {
        return Ok(());
    }
    if resources.iter().any(|r| r == segment) {
        Ok(())
    } else {
        Err(format!("该API令牌仅限访问：{}", names(resources)))
    }
}

fn names(resources: &[String]) -> String {
    resources
        .iter()
        .map(|r| {
            RESOURCES
                .iter()
                .find(|(k, _)| k == r)
                .map_or(r.as_str(), |(_, n)| n)
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// 令牌名称: required, at most 60 characters.
pub fn check_name(name: &str) -> Result<String, crate::kernel::validation::Invalid> {
    crate::kernel::validation::required_text("令牌名称", name, 60)
        .map_err(|m| crate::kernel::validation::Invalid::one("name", m))
}

/// Audit summary of a new API token.
pub fn created_summary(name: &str) -> String {
    format!("创建API令牌“{name}”")
}

/// Audit summary of a revoked API token.
pub const REVOKED_SUMMARY: &str = "吊销API令牌";

#[cfg(test)]
mod tests {
    #[test]
    fn name_and_wording() {
        assert_eq!(super::check_name(" 报表 ").unwrap(), "报表");
        assert_eq!(
            super::check_name(" ").unwrap_err().summary(),
            "令牌名称不能为空"
        );
        assert_eq!(super::created_summary("报表"), "创建API令牌“报表”");
    }

    use super::*;

    #[test]
    fn limits_are_checked() {
        let l = limits(0, None, false, &[]).unwrap();
        assert_eq!(l.expires_ms, DEFAULT_DAYS * DAY_MS);
        assert_eq!(
            limits(0, Some(0), false, &[]).unwrap_err().0,
            "expires_in_days"
        );
        assert_eq!(
            limits(0, Some(366), false, &[]).unwrap_err().0,
            "expires_in_days"
        );
        assert_eq!(
            limits(0, Some(1), false, &["users".into()]).unwrap_err().0,
            "resources"
        );
        let l = limits(0, Some(1), true, &["readings".into(), "readings".into()]).unwrap();
        assert_eq!(l.resources, vec!["readings".to_string()]);
    }

    #[test]
    fn requests_are_checked() {
        let only = vec!["readings".to_string()];
        assert!(permits(false, &only, "POST", "/api/v1/readings").is_ok());
        assert!(permits(false, &only, "GET", "/api/v1/hazards").is_err());
        assert!(permits(false, &only, "GET", "/api/v1/auth/me").is_ok());
        assert!(permits(true, &[], "GET", "/api/v1/hazards").is_ok());
        assert!(
            permits(true, &[], "POST", "/api/v1/hazards")
                .unwrap_err()
                .contains("只读")
        );
        assert_eq!(effective_expiry(5, None), 5 + MAX_DAYS * DAY_MS);
    }
}
