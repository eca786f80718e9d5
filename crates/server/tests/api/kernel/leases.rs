//! Singleton background work on several nodes (ADR 0027): a loop's round runs only on the node
//! that holds the loop's lease; a node killed while holding it hands over after its ttl on the
//! (injectable) clock. The idempotency-key pruning stands for the leased loops: its server loop
//! sleeps an hour between rounds, so it does not race the rounds run here.

use crate::both;
use crate::helpers::TestApp;
use yingji_core::kernel::clock::{Clock, SharedClock};
use yingji_store::Sql;
use yingji_store::kernel::leases;

const DAY: i64 = 86_400_000;

async fn old_key(app: &TestApp, key: &str) {
    let mut q = Sql::new(
        "INSERT INTO idempotency_keys (user_id, idem_key, kind, record_id, created_ms) VALUES ",
    );
    q.values(vec![
        "u-1".into(),
        key.into(),
        "patrol".into(),
        "p-1".into(),
        (app.clock.now_ms() - 30 * DAY).into(),
    ]);
    app.store.execute(q).await.expect("insert key");
}

/// The holder of `name` once the serving node's loop has run its first round (waits for the
/// round rather than for a time).
async fn held(app: &TestApp, name: &str) -> String {
    for _ in 0..600 {
        if let Some((holder, _)) = leases::holder(&app.store, name).await.expect("holder") {
            return holder;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the serving node never took the lease {name}");
}

async fn a_loop_without_the_lease_does_nothing(app: &TestApp) {
    let clock: SharedClock = app.clock.clone();
    let this_node = yingji_jobs::idempotency::lease("node-b");
    let ttl = this_node.ttl_ms;
    // The serving node's pruning loop has had its round and sleeps for an hour: the lease is
    // this test's to hand out. Node A holds it (it ran a round just now) and is then killed.
    held(app, this_node.name).await;
    let now = app.clock.now_ms();
    let mut q = Sql::new("DELETE FROM job_leases WHERE name = ");
    q.bind(yingji_jobs::idempotency::LEASE);
    app.store.execute(q).await.expect("clear");
    let taken = leases::try_lease(&app.store, this_node.name, "node-a", now, ttl).await;
    assert!(taken.expect("lease"));
    old_key(app, "k-0001").await;

    // Node B's round: the lease is A's, so B prunes nothing.
    let done = yingji_jobs::idempotency::round(&app.store, &clock, 7, &this_node).await;
    assert_eq!(done.expect("round"), None);
    assert_eq!(app.count("idempotency_keys").await, 1);
    app.clock.advance(ttl - 1);
    let done = yingji_jobs::idempotency::round(&app.store, &clock, 7, &this_node).await;
    assert_eq!(done.expect("round"), None, "A's lease has not lapsed yet");
    assert_eq!(app.count("idempotency_keys").await, 1);

    // A never renewed: once its lease has lapsed, B takes it over and prunes.
    app.clock.advance(1);
    let done = yingji_jobs::idempotency::round(&app.store, &clock, 7, &this_node).await;
    assert_eq!(done.expect("round"), Some(1));
    assert_eq!(app.count("idempotency_keys").await, 0);
    let holder = leases::holder(&app.store, this_node.name)
        .await
        .expect("holder");
    assert_eq!(holder, Some(("node-b".into(), app.clock.now_ms() + ttl)));

    // B keeps it from round to round; A, back (a new process, a new id), waits its turn.
    old_key(app, "k-0002").await;
    let node_a = yingji_jobs::idempotency::lease("node-a2");
    let done = yingji_jobs::idempotency::round(&app.store, &clock, 7, &node_a).await;
    assert_eq!(done.expect("round"), None);
    assert_eq!(app.count("idempotency_keys").await, 1);
    let done = yingji_jobs::idempotency::round(&app.store, &clock, 7, &this_node).await;
    assert_eq!(done.expect("round"), Some(1));
}
both!(a_loop_without_the_lease_does_nothing);

/// Node ids are new for every start and say which process holds a lease.
#[test]
fn node_ids_differ_per_start() {
    let (a, b) = (leases::node_id(), leases::node_id());
    assert_ne!(a, b);
    assert!(a.starts_with(&format!("{}-", std::process::id())));
}

/// A running node takes the leases of its loops at their first round, all as one holder (its
/// node id). Waits for the rounds rather than for a time.
async fn a_serving_node_holds_its_loops_leases(app: &TestApp) {
    let names = [
        yingji_jobs::feeds::LEASE,
        yingji_jobs::trends::LEASE,
        yingji_jobs::idempotency::LEASE,
    ];
    let mut holders = Vec::new();
    for name in names {
        holders.push(held(app, name).await);
    }
    assert_eq!(holders.len(), names.len(), "{holders:?}");
    assert!(holders.iter().all(|h| h == &holders[0]), "{holders:?}");
}
both!(a_serving_node_holds_its_loops_leases);
