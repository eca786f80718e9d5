//! 准入负面清单: the district's catalogue (its versioned rules) checked against enterprises as
//! they are registered, changed and listed. A warning only: nothing is refused or stored.

use std::collections::HashMap;
use yingji_core::credit::admission::{self as rules, AdmissionConfig, AdmissionHit};
use yingji_store::directory::enterprises::Enterprise;
use yingji_store::prevention::rules as district_rules;
use yingji_store::{Store, StoreResult};

/// The catalogue of a district.
pub async fn config_of(store: &Store, district: &str) -> StoreResult<AdmissionConfig> {
    Ok(district_rules::current(store, district)
        .await?
        .rules
        .credit_admission)
}

fn district_of(e: &Enterprise) -> &str {
    e.grid_code.get(..6).unwrap_or(&e.grid_code)
}

/// The entries each enterprise matches (in the order given), each district's catalogue read once.
pub async fn hits(store: &Store, list: &[Enterprise]) -> StoreResult<Vec<Vec<AdmissionHit>>> {
    let mut configs: HashMap<String, AdmissionConfig> = HashMap::new();
    let mut out = Vec::with_capacity(list.len());
    for e in list {
        let d = district_of(e);
        if !configs.contains_key(d) {
            configs.insert(d.to_string(), config_of(store, d).await?);
        }
        let c = &configs[d];
        out.push(rules::check(
            c,
            &e.name,
            &e.industry_code,
            &e.categories,
            &e.flags,
        ));
    }
    Ok(out)
}

/// The entries one enterprise matches.
pub async fn hits_of(store: &Store, e: &Enterprise) -> StoreResult<Vec<AdmissionHit>> {
    Ok(hits(store, std::slice::from_ref(e))
        .await?
        .pop()
        .unwrap_or_default())
}

/// Marks the 一张图's enterprise points (`admission: true`) whose industry, category or process the
/// district's catalogue lists; each district's catalogue read once.
pub async fn flag_map_points(store: &Store, points: &mut serde_json::Value) -> StoreResult<()> {
    let mut configs: HashMap<String, AdmissionConfig> = HashMap::new();
    let Some(features) = points["features"].as_array_mut() else {
        return Ok(());
    };
    for f in features {
        let p = &mut f["properties"];
        let text = |k: &str| p[k].as_str().unwrap_or_default().to_string();
        let list = |k: &str| -> Vec<String> {
            p[k].as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        let grid = text("grid_code");
        let district = grid.get(..6).unwrap_or(&grid).to_string();
        if !configs.contains_key(&district) {
            configs.insert(district.clone(), config_of(store, &district).await?);
        }
        let c = &configs[&district];
        let flagged = !c.entries.is_empty()
            && !rules::check(
                c,
                &text("name"),
                &text("industry_code"),
                &list("categories"),
                &list("flags"),
            )
            .is_empty();
        p["admission"] = serde_json::Value::Bool(flagged);
    }
    Ok(())
}
