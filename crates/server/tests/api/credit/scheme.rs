//! 信用评价方案: the national default until a district saves its own; tiers that overlap or
//! leave a gap, bad colours and empty names refused in Chinese naming the tier, nothing stored;
//! only the administrator and the bureau's leaders change it; a new version is audited.

use crate::both;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::json;

async fn scheme_validated_and_versioned(app: &TestApp) {
    let admin = app.login("admin").await;
    let (s, v) = app.get(&admin, "/api/v1/credit/scheme?region=360403").await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["version"], 0);
    let tiers = v["scheme"]["tiers"].as_array().unwrap();
    let codes: Vec<&str> = tiers.iter().map(|t| t["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["A", "B", "C", "D"]);
    let before = (
        app.count("credit_schemes").await,
        app.count("audit_log").await,
    );
    let mut overlap = v["scheme"].clone();
    overlap["tiers"][1]["min_score"] = json!(70);
    let mut gap = v["scheme"].clone();
    gap["tiers"][2]["max_score"] = json!(70);
    let mut colour = v["scheme"].clone();
    colour["tiers"][0]["colour"] = json!("绿色");
    colour["tiers"][3]["name"] = json!("");
    let bad = [
        (
            overlap,
            "tiers[1].min_score",
            "等级“B”与等级“C”的分数区间重叠",
        ),
        (gap, "tiers[1].min_score", "等级“B”与等级“C”之间有空档"),
        (colour, "tiers[0].colour", "颜色应为 #RRGGBB"),
    ];
    for (scheme, field, words) in bad {
        let body = json!({"region": "360403", "scheme": scheme});
        let (s, e) = app.put(&admin, "/api/v1/credit/scheme", &body).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        let fields: Vec<&str> = e["details"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f["field"].as_str())
            .collect();
        assert!(fields.contains(&field), "{e}");
        assert!(e["message"].as_str().unwrap().contains(words), "{e}");
    }
    assert_eq!(
        (
            app.count("credit_schemes").await,
            app.count("audit_log").await
        ),
        before
    );
    // Departments, streets and enterprises may not change it.
    for who in ["yjj", "street", "enterprise"] {
        let c = app.login(who).await;
        let body = json!({"region": "360403", "scheme": v["scheme"]});
        let (s, _) = app.put(&c, "/api/v1/credit/scheme", &body).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{who}");
    }
    // A valid change is the next version, audited.
    let mut ok = v["scheme"].clone();
    ok["tiers"][3]["inspections_per_year"] = json!(6);
    let body = json!({"region": "360403", "scheme": ok, "note": "D 级加密检查"});
    let (s, saved) = app.put(&admin, "/api/v1/credit/scheme", &body).await;
    assert_eq!(s, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["scheme"]["tiers"][3]["inspections_per_year"], 6);
    let (_, audit) = app
        .get(
            &app.login("auditor").await,
            "/api/v1/audit?entity_type=credit_scheme",
        )
        .await;
    assert_eq!(
        audit["items"][0]["action_label"], "修改信用评价方案",
        "{audit}"
    );
}
both!(scheme_validated_and_versioned);
