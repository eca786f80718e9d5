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
