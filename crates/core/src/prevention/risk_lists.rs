//! 风险三清单 of one enterprise: 风险点清单, 管控措施清单 and 应急处置清单, each a sheet with its
//! name, header row and one row per risk point (numbered from 1).

/// One sheet of the lists: its name, the header row and the rows.
pub type ListSheet = (&'static str, Vec<&'static str>, Vec<Vec<String>>);

/// What one risk point shows in the lists, as the register reads it.
#[derive(Debug, Clone, Copy)]
pub struct RiskListEntry<'a> {
    pub name: &'a str,
    pub location: &'a str,
    pub hazard_factors: &'a str,
    pub accident_types: &'a [String],
    /// `lec` or `ls`.
    pub method: &'a str,
    /// The assessment's inputs as stored (`{"l": "6", "e": "6", "c": "15"}`, `{"l": 4, "s": 5}`).
    pub inputs: &'a serde_json::Value,
    pub score: &'a str,
    pub level_label: &'a str,
    pub control_level_label: &'a str,
    pub control_measures: &'a str,
    pub emergency_measures: &'a str,
    pub responsible_name: &'a str,
    pub responsible_phone: Option<&'a str>,
    pub review_date: Option<&'a str>,
}

/// The three sheets, in the order 风险点清单, 管控措施清单, 应急处置清单.
pub fn risk_lists(points: &[RiskListEntry]) -> Vec<ListSheet> {
    vec![
        (
            "风险点清单",
            vec![
                "序号",
                "风险点",
                "位置",
                "危险有害因素",
                "可能导致的事故类型",
                "评价方法及结果",
                "风险等级",
                "管控层级",
                "责任人",
            ],
            numbered(points, risk_row),
        ),
        (
            "管控措施清单",
            vec![
                "序号",
                "风险点",
                "风险等级",
                "管控措施",
                "管控层级",
                "责任人",
                "联系电话",
                "下次评估日期",
            ],
            numbered(points, control_row),
        ),
        (
            "应急处置清单",
            vec![
                "序号",
                "风险点",
                "可能导致的事故类型",
                "应急处置措施",
                "责任人",
                "联系电话",
            ],
            numbered(points, emergency_row),
        ),
    ]
}

/// The assessment as the 风险点清单 shows it: `LEC：L=6 E=6 C=15 D=540` or `LS：L=4 S=5 R=20`.
pub fn assessment_text(method: &str, inputs: &serde_json::Value, score: &str) -> String {
    let i = inputs;
    if method == "lec" {
        format!(
            "LEC：L={} E={} C={} D={}",
            i["l"].as_str().unwrap_or(""),
            i["e"].as_str().unwrap_or(""),
            i["c"].as_str().unwrap_or(""),
            score
        )
    } else {
        format!("LS：L={} S={} R={}", i["l"], i["s"], score)
    }
}

/// One row per point, each led by its number (序号) from 1.
fn numbered(points: &[RiskListEntry], row: fn(&RiskListEntry) -> Vec<String>) -> Vec<Vec<String>> {
    points
        .iter()
        .enumerate()
        .map(|(n, p)| {
            let mut r = vec![(n + 1).to_string()];
            r.extend(row(p));
            r
        })
        .collect()
}

fn risk_row(p: &RiskListEntry) -> Vec<String> {
    vec![
        p.name.to_string(),
        p.location.to_string(),
        p.hazard_factors.to_string(),
        p.accident_types.join("、"),
        assessment_text(p.method, p.inputs, p.score),
        p.level_label.to_string(),
        p.control_level_label.to_string(),
        p.responsible_name.to_string(),
    ]
}

fn control_row(p: &RiskListEntry) -> Vec<String> {
    vec![
        p.name.to_string(),
        p.level_label.to_string(),
        p.control_measures.to_string(),
        p.control_level_label.to_string(),
        p.responsible_name.to_string(),
        p.responsible_phone.unwrap_or_default().to_string(),
        p.review_date.unwrap_or_default().to_string(),
    ]
}

fn emergency_row(p: &RiskListEntry) -> Vec<String> {
    vec![
        p.name.to_string(),
        p.accident_types.join("、"),
        p.emergency_measures.to_string(),
        p.responsible_name.to_string(),
        p.responsible_phone.unwrap_or_default().to_string(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_point_is_a_numbered_row_of_each_list() {
        let types = vec!["中毒和窒息".to_string(), "火灾".to_string()];
        let lec = json!({"l": "6", "e": "6", "c": "15"});
        let ls = json!({"l": 4, "s": 5});
        let first = RiskListEntry {
            name: "液氨储罐区",
            location: "厂区东侧",
            hazard_factors: "液氨泄漏",
            accident_types: &types,
            method: "lec",
            inputs: &lec,
            score: "540",
            level_label: "重大风险",
            control_level_label: "公司级",
            control_measures: "双人巡检",
            emergency_measures: "疏散下风向人员",
            responsible_name: "张三",
            responsible_phone: Some("13800000000"),
            review_date: Some("2026-07-01"),
        };
        let second = RiskListEntry {
            method: "ls",
            inputs: &ls,
            score: "20",
            responsible_phone: None,
            review_date: None,
            ..first
        };
        let sheets = risk_lists(&[first, second]);
        let names: Vec<_> = sheets.iter().map(|s| s.0).collect();
        assert_eq!(names, ["风险点清单", "管控措施清单", "应急处置清单"]);
        for (_, headers, rows) in &sheets {
            assert_eq!(headers[0], "序号");
            assert!(rows.iter().all(|r| r.len() == headers.len()));
        }
        assert_eq!(
            sheets[0].2[0],
            [
                "1",
                "液氨储罐区",
                "厂区东侧",
                "液氨泄漏",
                "中毒和窒息、火灾",
                "LEC：L=6 E=6 C=15 D=540",
                "重大风险",
                "公司级",
                "张三"
            ]
        );
        assert_eq!(sheets[0].2[1][0], "2");
        assert_eq!(sheets[0].2[1][5], "LS：L=4 S=5 R=20");
        assert_eq!(
            sheets[1].2[1],
            [
                "2",
                "液氨储罐区",
                "重大风险",
                "双人巡检",
                "公司级",
                "张三",
                "",
                ""
            ]
        );
        assert_eq!(
            sheets[2].2[0],
            [
                "1",
                "液氨储罐区",
                "中毒和窒息、火灾",
                "疏散下风向人员",
                "张三",
                "13800000000"
            ]
        );
    }
}
