//! The store's own test binary: SQL behaviour the API tests reach only indirectly — numbers
//! handed out once under races, a timer claimed by one node, LIKE patterns that escape their
//! wildcards, migrations that apply once; and, in `nodes`, what several nodes on one database
//! share: claims, leases, migrations under a lock (ADR 0027). Each scenario runs on SQLite, and
//! on PostgreSQL when YINGJI_TEST_PG_URL is set.

mod nodes;

use sqlx::Row;
use std::sync::atomic::{AtomicUsize, Ordering};
use yingji_store::{Backend, Sql, Store};

static DB_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A migrated, empty database; the temporary directory lives as long as the test.
struct Db {
    store: Store,
    /// For a second handle on the same database (another node).
    url: String,
    _dir: tempfile::TempDir,
}

/// A new, empty database (not migrated): its URL and the directory it lives in; `None` for
/// PostgreSQL when YINGJI_TEST_PG_URL is not set.
async fn fresh(backend: Backend) -> Option<(String, tempfile::TempDir)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = match backend {
        Backend::Sqlite => format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display()),
        Backend::Postgres => {
            let base = std::env::var("YINGJI_TEST_PG_URL")
                .ok()
                .filter(|u| !u.is_empty())?;
            let name = format!(
                "yj_store_{}_{}",
                std::process::id(),
                DB_COUNTER.fetch_add(1, Ordering::SeqCst)
            );
            let admin = Store::connect(&base).await.expect("connect");
            admin
                .execute(Sql::new(&format!("DROP DATABASE IF EXISTS {name}")))
                .await
                .expect("drop");
            admin
                .execute(Sql::new(&format!("CREATE DATABASE {name}")))
                .await
                .expect("create");
            admin.close().await;
            let (head, _) = base.rsplit_once('/').expect("database URL has a path");
            format!("{head}/{name}")
        }
    };
    Some((url, dir))
}

async fn open(backend: Backend) -> Option<Db> {
    let (url, dir) = fresh(backend).await?;
    let store = Store::connect(&url).await.expect("connect");
    let applied = yingji_store::migrate::run(&store, 0)
        .await
        .expect("migrate");
    assert!(!applied.is_empty());
    // Migrations apply once.
    assert!(
        yingji_store::migrate::run(&store, 1)
            .await
            .expect("again")
            .is_empty()
    );
    Some(Db {
        store,
        url,
        _dir: dir,
    })
}

macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let db = super::open(yingji_store::Backend::Sqlite)
                    .await
                    .expect("sqlite");
                super::$name(&db.store).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                match super::open(yingji_store::Backend::Postgres).await {
                    Some(db) => super::$name(&db.store).await,
                    None => eprintln!("YINGJI_TEST_PG_URL not set: PostgreSQL variant skipped"),
                }
            }
        }
    };
}

/// Eight writers racing for numbers of one sequence get 1…8, each once.
async fn sequences_hand_out_each_number_once(store: &Store) {
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = store.begin().await.expect("begin");
            let n = yingji_store::kernel::sequences::next_in_sequence(&mut tx, "T-2026")
                .await
                .expect("next");
            tx.commit().await.expect("commit");
            n
        }));
    }
    let mut got = Vec::new();
    for t in tasks {
        got.push(t.await.expect("task"));
    }
    got.sort_unstable();
    assert_eq!(got, (1..=8).collect::<Vec<i64>>());
    // Another name starts again at 1.
    let mut tx = store.begin().await.expect("begin");
    let n = yingji_store::kernel::sequences::next_in_sequence(&mut tx, "U-2026")
        .await
        .expect("next");
    tx.commit().await.expect("commit");
    assert_eq!(n, 1);
}
both!(sequences_hand_out_each_number_once);

/// Two nodes claiming the same due timer: one fires it, the other finds it taken.
async fn a_timer_is_claimed_once(store: &Store) {
    let mut q = Sql::new(
        "INSERT INTO timers (id, kind, subject_id, due_ms, payload, fired_ms, attempts, last_error, created_ms) VALUES ",
    );
    q.values(vec![
        "t1".into(),
        "hazard.overdue".into(),
        "h1".into(),
        1000i64.into(),
        "{}".into(),
        None::<i64>.into(),
        0i64.into(),
        None::<String>.into(),
        0i64.into(),
    ]);
    store.execute(q).await.expect("insert");
    let mut tasks = Vec::new();
    for node in 0..2i64 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut tx = store.begin().await.expect("begin");
            let won = yingji_store::kernel::timers::claim(&mut tx, "t1", 2000 + node)
                .await
                .expect("claim");
            tx.commit().await.expect("commit");
            won == yingji_store::kernel::timers::Claim::Won
        }));
    }
    let mut wins = 0;
    for t in tasks {
        wins += t.await.expect("task") as i32;
    }
    assert_eq!(wins, 1);
    let r = store
        .fetch_optional(Sql::new("SELECT attempts FROM timers WHERE id = 't1'"))
        .await
        .expect("read")
        .expect("row");
    assert_eq!(r.try_get::<i64, _>(0).expect("attempts"), 1);
}
both!(a_timer_is_claimed_once);

/// `like_contains` escapes % and _ so that a search for them finds only themselves.
async fn like_patterns_escape_their_wildcards(store: &Store) {
    for name in ["a%b", "axb", "a_b", "ayb", r"a\b"] {
        let mut q = Sql::new("INSERT INTO sequences (scope, next) VALUES (");
        q.bind(name).push(", 1)");
        store.execute(q).await.expect("insert");
    }
    let find = |needle: &'static str| async move {
        let mut q = Sql::new("SELECT scope FROM sequences WHERE scope LIKE ");
        q.bind(yingji_store::db::like_contains(needle))
            .push(" ESCAPE '\\' ORDER BY scope");
        store
            .fetch_all(q)
            .await
            .expect("select")
            .iter()
            .map(|r| r.try_get::<String, _>(0).expect("scope"))
            .collect::<Vec<_>>()
    };
    assert_eq!(find("%").await, vec!["a%b"]);
    assert_eq!(find("_").await, vec!["a_b"]);
    assert_eq!(find(r"\").await, vec![r"a\b"]);
    assert_eq!(find("a").await.len(), 5);
}
both!(like_patterns_escape_their_wildcards);

#[test]
fn placeholders_become_anonymous_for_sqlite() {
    let mut q = Sql::new("SELECT 1 WHERE a = ");
    q.bind(1i64).push(" AND b IN ").bind_list(["x", "y"]);
    assert_eq!(q.text, "SELECT 1 WHERE a = $1 AND b IN ($2, $3)");
    q.anonymous_placeholders();
    assert_eq!(q.text, "SELECT 1 WHERE a = ? AND b IN (?, ?)");
    assert_eq!(q.args.len(), 3);
}

/// The dialect helpers: an insert that skips existing keys, with many placeholders, runs the
/// same on both backends (the readings writer depends on it).
async fn inserts_ignoring_existing_keys(store: &Store) {
    let backend = store.backend;
    let insert = |names: &[&str]| {
        let mut q = Sql::insert_ignoring(backend, "sequences (scope, next)");
        for (k, n) in names.iter().enumerate() {
            if k > 0 {
                q.push(", ");
            }
            q.values(vec![(*n).into(), (k as i64 + 1).into()]);
        }
        q.ignore_conflicts(backend, "(scope)")
            .many_placeholders(backend);
        q
    };
    assert_eq!(store.execute(insert(&["a", "b"])).await.expect("first"), 2);
    // One new key and one taken: the taken one is skipped, not an error, and keeps its value.
    assert_eq!(store.execute(insert(&["b", "c"])).await.expect("again"), 1);
    let rows = store
        .fetch_all(Sql::new("SELECT scope, next FROM sequences ORDER BY scope"))
        .await
        .expect("select");
    let got: Vec<(String, i64)> = rows
        .iter()
        .map(|r| (r.try_get(0).expect("scope"), r.try_get(1).expect("next")))
        .collect();
    assert_eq!(got, vec![("a".into(), 1), ("b".into(), 2), ("c".into(), 2)]);
}
both!(inserts_ignoring_existing_keys);
