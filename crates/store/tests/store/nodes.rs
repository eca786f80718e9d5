//! Several nodes on one database (ADR 0027): two `Store` handles on the same database stand for
//! two `yingji serve` nodes. Timers fire once and outbox rows go to one sender at a time (on
//! PostgreSQL without queueing behind the other node's locked rows), a lease has one holder and
//! passes on after its ttl, and migrations started together apply once and refuse a changed
//! text.

use super::{Db, fresh, open};
use sqlx::Row;
use std::collections::HashSet;
use std::time::Duration;
use yingji_core::kernel::notify::Message;
use yingji_store::kernel::leases::{self, Lease};
use yingji_store::kernel::outbox::{self, Destination, LEASE_MS};
use yingji_store::kernel::timers::{self, Claim};
use yingji_store::migrate::{self, MIGRATIONS};
use yingji_store::{Backend, Sql, Store};

/// Runs a scenario with two nodes on one migrated database.
macro_rules! two_nodes {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = super::open(yingji_store::Backend::Sqlite)
                    .await
                    .expect("sqlite");
                super::with_two(db, super::$name).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match super::open(yingji_store::Backend::Postgres).await {
                    Some(db) => super::with_two(db, super::$name).await,
                    None => eprintln!("YINGJI_TEST_PG_URL not set: PostgreSQL variant skipped"),
                }
            }
        }
    };
}

/// Runs a scenario on a fresh, unmigrated database given by its URL.
macro_rules! fresh_db {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let (url, _dir) = super::fresh(yingji_store::Backend::Sqlite)
                    .await
                    .expect("sqlite");
                super::$name(&url).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match super::fresh(yingji_store::Backend::Postgres).await {
                    Some((url, _dir)) => super::$name(&url).await,
                    None => eprintln!("YINGJI_TEST_PG_URL not set: PostgreSQL variant skipped"),
                }
            }
        }
    };
}

async fn with_two<F, Fut>(db: Db, scenario: F)
where
    F: FnOnce(Store, Store) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let other = Store::connect(&db.url).await.expect("second node");
    scenario(db.store.clone(), other.clone()).await;
    other.close().await;
}

async fn insert_timer(store: &Store, id: &str, due_ms: i64) {
    let mut q = Sql::new(
        "INSERT INTO timers (id, kind, subject_id, due_ms, payload, fired_ms, attempts, last_error, created_ms) VALUES ",
    );
    q.values(vec![
        id.into(),
        "hazard.overdue".into(),
        format!("h-{id}").into(),
        due_ms.into(),
        r#"{"deadline":"2026-01-01"}"#.into(),
        None::<i64>.into(),
        0i64.into(),
        None::<String>.into(),
        0i64.into(),
    ]);
    store.execute(q).await.expect("insert timer");
}

/// One node's timer loop, as yingji-jobs runs it, with an effect that fails on a second firing
/// (a row keyed by the timer): claims and fires what is due; answers how many it fired.
async fn fire_due(store: Store, now_ms: i64) -> usize {
    let mut fired = 0;
    loop {
        let batch = timers::due(&store, now_ms, 50).await.expect("due");
        let mut progressed = false;
        for t in &batch {
            let mut tx = store.begin().await.expect("begin");
            match timers::claim(&mut tx, &t.id, now_ms).await.expect("claim") {
                Claim::Won => {
                    let mut effect = Sql::new("INSERT INTO sequences (scope, next) VALUES (");
                    effect.bind(format!("fired-{}", t.id)).push(", 1)");
                    effect.execute(&mut tx).await.expect("effect once");
                    tx.commit().await.expect("commit");
                    fired += 1;
                    progressed = true;
                }
                Claim::Taken => {
                    tx.rollback().await.expect("rollback");
                    progressed = true;
                }
                Claim::Busy => tx.rollback().await.expect("rollback"),
            }
        }
        if batch.is_empty() {
            return fired;
        }
        if !progressed {
            tokio::task::yield_now().await;
        }
    }
}

/// Two nodes racing over 40 due timers fire each exactly once between them.
async fn timers_fire_once_across_two_nodes(a: Store, b: Store) {
    for k in 0..40 {
        insert_timer(&a, &format!("t{k:02}"), 1000 + k).await;
    }
    let (x, y) = tokio::join!(
        tokio::spawn(fire_due(a.clone(), 5000)),
        tokio::spawn(fire_due(b.clone(), 5000))
    );
    assert_eq!(x.expect("node a") + y.expect("node b"), 40);
    let once = a
        .fetch_i64(Sql::new(
            "SELECT COUNT(*) FROM timers WHERE fired_ms IS NOT NULL AND attempts = 1",
        ))
        .await
        .expect("count");
    assert_eq!(once, 40);
    let effects = a
        .fetch_i64(Sql::new(
            "SELECT COUNT(*) FROM sequences WHERE scope LIKE 'fired-%'",
        ))
        .await
        .expect("effects");
    assert_eq!(effects, 40);
}
two_nodes!(timers_fire_once_across_two_nodes);

/// A node that dies in the middle of firing (its transaction never commits) loses nothing: the
/// timer is still due and the other node fires it. On PostgreSQL the other node, claiming while
/// the first still holds the row, is told `Busy` at once instead of waiting for the lock.
async fn a_node_dying_mid_firing_loses_no_timer(a: Store, b: Store) {
    insert_timer(&a, "t1", 1000).await;
    let mut dying = a.begin().await.expect("begin");
    assert_eq!(
        timers::claim(&mut dying, "t1", 2000).await.expect("claim"),
        Claim::Won
    );
    if a.backend == Backend::Postgres {
        let mut tx = b.begin().await.expect("begin");
        let claimed =
            tokio::time::timeout(Duration::from_secs(30), timers::claim(&mut tx, "t1", 2001))
                .await
                .expect("the claim skips the locked row instead of queueing behind it");
        assert_eq!(claimed.expect("claim"), Claim::Busy);
        tx.rollback().await.expect("rollback");
    }
    drop(dying); // the node dies: its transaction rolls back
    assert_eq!(fire_due(b.clone(), 3000).await, 1);
    // And once fired, it is taken for everyone.
    let mut tx = a.begin().await.expect("begin");
    assert_eq!(
        timers::claim(&mut tx, "t1", 4000).await.expect("claim"),
        Claim::Taken
    );
    tx.rollback().await.expect("rollback");
}
two_nodes!(a_node_dying_mid_firing_loses_no_timer);

async fn enqueue(store: &Store, n: usize) {
    // A phone destination is sealed with the data key a node loads at start (ADR 0032).
    if yingji_store::kernel::keys::installed().is_none() {
        let ring = yingji_core::kernel::gm::KeyRing::parse(&format!(
            "audit ta1 {}; data td1 {}; index ti1 {}",
            "1".repeat(64),
            "2".repeat(32),
            "3".repeat(64)
        ))
        .expect("test keys");
        yingji_store::kernel::keys::install(ring);
    }
    let mut tx = store.begin().await.expect("begin");
    for k in 0..n {
        let msg = Message {
            event: "alarm.escalate".into(),
            title: format!("叫应 {k}"),
            body: "测试".into(),
            link: "/alarms".into(),
            subject_id: format!("a{k}"),
        };
        let to = Destination::Phone {
            number: "13800000000",
            person: "值班员",
        };
        outbox::enqueue(&mut tx, 1000, to, &msg)
            .await
            .expect("enqueue");
    }
    tx.commit().await.expect("commit");
}

/// One node's sender: claims batches until nothing is due; answers the ids it was given.
async fn claim_all(store: Store, now_ms: i64) -> Vec<String> {
    let mut got = Vec::new();
    loop {
        let batch = outbox::claim_due(&store, now_ms, 7).await.expect("claim");
        if batch.is_empty() {
            return got;
        }
        got.extend(batch.into_iter().map(|c| c.id));
    }
}

/// Two senders claiming 60 due messages get each once between them; a message whose sender died
/// (lease not recorded) comes back when the lease lapses, as its next attempt.
async fn outbox_rows_go_to_one_sender_at_a_time(a: Store, b: Store) {
    enqueue(&a, 60).await;
    let (x, y) = tokio::join!(
        tokio::spawn(claim_all(a.clone(), 2000)),
        tokio::spawn(claim_all(b.clone(), 2000))
    );
    let mut all = x.expect("node a");
    all.extend(y.expect("node b"));
    let distinct: HashSet<&String> = all.iter().collect();
    assert_eq!(all.len(), 60, "every message claimed once");
    assert_eq!(distinct.len(), 60);
    // Nobody records an outcome (both senders died): nothing is due within the lease…
    assert!(
        outbox::claim_due(&b, 2000 + LEASE_MS - 1, 100)
            .await
            .expect("claim")
            .is_empty()
    );
    // …and everything once it has lapsed, as the second attempt.
    let again = outbox::claim_due(&b, 2000 + LEASE_MS, 100)
        .await
        .expect("claim");
    assert_eq!(again.len(), 60);
    assert!(again.iter().all(|c| c.attempt == 2));
    // The first sender's late answer does not overwrite the second attempt's.
    let first = &again[0].id;
    let late = outbox::Outcome::Failed("迟到的结果".into());
    outbox::record(&a, (first, 1), 2000 + LEASE_MS + 5, late)
        .await
        .expect("late record");
    let status = |store: Store, id: String, status: &'static str| async move {
        let mut q = yingji_store::Sql::new("SELECT COUNT(*) FROM outbox WHERE id = ");
        q.bind(id).push_bind(" AND status = ", status);
        store.fetch_i64(q).await.expect("status") == 1
    };
    assert!(status(b.clone(), first.clone(), "sending").await);
    outbox::record(&b, (first, 2), 2000 + LEASE_MS + 6, outbox::Outcome::Sent)
        .await
        .expect("record");
    assert!(status(b.clone(), first.clone(), "sent").await);
}
two_nodes!(outbox_rows_go_to_one_sender_at_a_time);

/// PostgreSQL: a sender whose rows are locked by another node's claim in progress takes the
/// other due rows at once instead of waiting for that transaction.
async fn outbox_claims_skip_rows_another_node_is_claiming(a: Store, b: Store) {
    if a.backend != Backend::Postgres {
        return; // SQLite has one writer: claims cannot overlap.
    }
    enqueue(&a, 5).await;
    let mut other = a.begin().await.expect("begin");
    let locked = Sql::new("SELECT id FROM outbox ORDER BY next_ms, id LIMIT 2 FOR UPDATE")
        .fetch_all(&mut other)
        .await
        .expect("lock two");
    let locked: HashSet<String> = locked
        .iter()
        .map(|r| r.try_get::<String, _>(0).expect("id"))
        .collect();
    let got = tokio::time::timeout(Duration::from_secs(30), outbox::claim_due(&b, 2000, 10))
        .await
        .expect("the claim skips locked rows instead of queueing behind them")
        .expect("claim");
    assert_eq!(got.len(), 3);
    assert!(got.iter().all(|c| !locked.contains(&c.id)));
    other.rollback().await.expect("rollback");
    assert_eq!(
        outbox::claim_due(&b, 2000, 10).await.expect("claim").len(),
        2
    );
}
two_nodes!(outbox_claims_skip_rows_another_node_is_claiming);

/// A lease has one holder: taken when free, renewed by its holder, refused to others until it
/// lapses on the clock, then taken over (the holder "died"); released, it is free at once.
async fn a_lease_passes_on_after_its_ttl(a: Store, b: Store) {
    let ttl = 30_000;
    assert!(
        leases::try_lease(&a, "job", "node-a", 1000, ttl)
            .await
            .expect("take")
    );
    assert!(
        !leases::try_lease(&b, "job", "node-b", 2000, ttl)
            .await
            .expect("refused")
    );
    // The holder renews: until 5000 + ttl now.
    assert!(
        leases::try_lease(&a, "job", "node-a", 5000, ttl)
            .await
            .expect("renew")
    );
    assert_eq!(
        leases::holder(&b, "job").await.expect("holder"),
        Some(("node-a".into(), 5000 + ttl))
    );
    assert!(
        !leases::try_lease(&b, "job", "node-b", 5000 + ttl - 1, ttl)
            .await
            .expect("held")
    );
    // node-a stopped renewing (killed): node-b takes over once the lease has lapsed.
    assert!(
        leases::try_lease(&b, "job", "node-b", 5000 + ttl, ttl)
            .await
            .expect("take over")
    );
    assert!(
        !leases::try_lease(&a, "job", "node-a", 5000 + ttl + 1, ttl)
            .await
            .expect("lost")
    );
    // Another name is another lease.
    assert!(
        leases::try_lease(&a, "other", "node-a", 6000, ttl)
            .await
            .expect("other")
    );
    // Releasing someone else's lease does nothing; releasing one's own frees it.
    leases::release(&a, "job", "node-a").await.expect("release");
    assert!(
        !leases::try_lease(&a, "job", "node-a", 6000 + ttl, ttl)
            .await
            .expect("still b")
    );
    leases::release(&b, "job", "node-b").await.expect("release");
    assert!(
        leases::try_lease(&a, "job", "node-a", 6000 + ttl, ttl)
            .await
            .expect("free")
    );
    assert_eq!(leases::release_all(&a, "node-a").await.expect("all"), 2);
    assert_eq!(leases::holder(&a, "job").await.expect("holder"), None);
}
two_nodes!(a_lease_passes_on_after_its_ttl);

/// Two nodes racing for a free lease, or for a lapsed one, never both get it.
async fn racing_nodes_never_both_hold_a_lease(a: Store, b: Store) {
    for round in 0..10i64 {
        // Each round starts after the previous holder's lease has lapsed.
        let now = 1000 + round * 10_000;
        let la = Lease {
            name: "race",
            holder: "node-a".into(),
            ttl_ms: 5_000,
        };
        let lb = Lease {
            holder: "node-b".into(),
            ..la.clone()
        };
        let (x, y) = tokio::join!(
            tokio::spawn({
                let a = a.clone();
                async move { la.take(&a, now).await }
            }),
            tokio::spawn({
                let b = b.clone();
                async move { lb.take(&b, now).await }
            })
        );
        let winners = x.expect("a") as u8 + y.expect("b") as u8;
        assert_eq!(winners, 1, "round {round}");
    }
}
two_nodes!(racing_nodes_never_both_hold_a_lease);

/// Two nodes starting together on an empty database: each migration is applied once (the
/// other node waits for the lock, then finds nothing to do) and both start.
/// PostgreSQL only: SQLite is one node, and two processes migrating one SQLite file wait on its
/// write lock only up to the busy timeout (a loaded machine made that flaky).
async fn nodes_starting_together_migrate_once(url: &str) {
    if !url.starts_with("postgres") {
        return;
    }
    let a = Store::connect(url).await.expect("node a");
    let b = Store::connect(url).await.expect("node b");
    let (x, y) = tokio::join!(
        tokio::spawn({
            let a = a.clone();
            async move { migrate::run(&a, 1).await }
        }),
        tokio::spawn({
            let b = b.clone();
            async move { migrate::run(&b, 2).await }
        })
    );
    let (x, y) = (
        x.expect("a").expect("migrate a"),
        y.expect("b").expect("migrate b"),
    );
    let mut all = x.clone();
    all.extend(&y);
    all.sort_unstable();
    let expected: Vec<i64> = MIGRATIONS.iter().map(|m| m.version).collect();
    assert_eq!(all, expected, "each migration applied once: {x:?} / {y:?}");
    let recorded = a
        .fetch_i64(Sql::new("SELECT COUNT(*) FROM schema_migrations"))
        .await
        .expect("count");
    assert_eq!(recorded, MIGRATIONS.len() as i64);
    a.close().await;
    b.close().await;
}
fresh_db!(nodes_starting_together_migrate_once);

/// Every applied migration has its text's checksum; one whose text changed since is refused at
/// start, naming it; rows from before checksums (NULL, or no column at all) are backfilled.
async fn a_changed_migration_is_refused(url: &str) {
    let store = Store::connect(url).await.expect("connect");
    migrate::run(&store, 1).await.expect("migrate");
    let m = MIGRATIONS.iter().find(|m| m.version == 12).expect("0012");
    let sum = |version: i64| {
        let store = store.clone();
        async move {
            let mut q = Sql::new("SELECT checksum FROM schema_migrations WHERE version = ");
            q.bind(version);
            let r = store.fetch_optional(q).await.expect("read").expect("row");
            r.try_get::<Option<String>, _>(0).expect("checksum")
        }
    };
    let text = m.text(store.backend);
    assert_eq!(sum(12).await, Some(migrate::checksum(text)));
    assert_eq!(migrate::checksum(text).len(), 64);
    // CRLF line ends are the same text.
    assert_eq!(
        migrate::checksum(&text.replace('\n', "\r\n")),
        migrate::checksum(text)
    );

    // The file was edited after it was applied (as the database sees it).
    store
        .execute(Sql::new(
            "UPDATE schema_migrations SET checksum = 'edited' WHERE version = 12",
        ))
        .await
        .expect("tamper");
    let err = migrate::run(&store, 2)
        .await
        .expect_err("refused")
        .to_string();
    assert!(err.contains("0012") && err.contains("warnings"), "{err}");
    assert!(err.contains("已应用的迁移不能修改"), "{err}");

    // A database from before checksums: the column is added and filled from the files.
    store
        .execute(Sql::new(
            "ALTER TABLE schema_migrations DROP COLUMN checksum",
        ))
        .await
        .expect("drop column");
    assert!(migrate::run(&store, 3).await.expect("upgrade").is_empty());
    for m in MIGRATIONS {
        assert_eq!(
            sum(m.version).await,
            Some(migrate::checksum(m.text(store.backend))),
            "{}",
            m.version
        );
    }
    // Runs on PostgreSQL hand no connection back to the pool holding the migration lock.
    if store.backend == Backend::Postgres {
        let held = store
            .fetch_i64(Sql::new(
                "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            ))
            .await
            .expect("locks");
        assert_eq!(held, 0);
    }
    store.close().await;
}
fresh_db!(a_changed_migration_is_refused);
