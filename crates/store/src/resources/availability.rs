//! Whether a team (在岗待命) or an expert (可调用) may be sent: the status a dispatch takes it out
//! of and a return brings it back to, with the incident it is out on.

use crate::{Sql, StoreResult, Tx};

/// The register table that keeps a resource's status, and its status when it may be sent.
fn register_of(resource_type: &str) -> (&'static str, &'static str) {
    if resource_type == "team" {
        ("teams", "standby")
    } else {
        ("experts", "available")
    }
}

/// 调派: the team or expert goes out to `incident_id` by compare-and-set from its available
/// status; false when someone sent it meanwhile (or it is not available).
pub async fn send_out_in(
    tx: &mut Tx,
    now_ms: i64,
    resource_type: &str,
    resource_id: &str,
    incident_id: &str,
) -> StoreResult<bool> {
    let (table, available) = register_of(resource_type);
    let mut u = Sql::new(&format!("UPDATE {table} SET status = "));
    u.bind("dispatched")
        .push_bind(", incident_id = ", incident_id)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", resource_id)
        .push_bind(" AND status = ", available);
    Ok(u.execute(tx).await? > 0)
}

/// 归队: the team or expert out on `incident_id` is available again.
pub async fn bring_back_in(
    tx: &mut Tx,
    now_ms: i64,
    resource_type: &str,
    resource_id: &str,
    incident_id: &str,
) -> StoreResult<()> {
    let (table, back) = register_of(resource_type);
    let mut r = Sql::new(&format!("UPDATE {table} SET status = "));
    r.bind(back)
        .push(", incident_id = NULL")
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE id = ", resource_id)
        .push_bind(" AND incident_id = ", incident_id);
    r.execute(tx).await?;
    Ok(())
}
