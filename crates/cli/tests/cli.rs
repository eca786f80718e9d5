//! The `yingji` binary as an operator uses it.

use std::process::Command;

fn yingji(dir: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_yingji"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("RUST_LOG", "warn")
        .env_remove("YINGJI_SERVER__DATABASE_URL")
        .output()
        .expect("run yingji");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn config_default_lists_every_key() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = yingji(dir.path(), &["config", "default"]);
    assert!(ok);
    for key in [
        "listen",
        "data_dir",
        "database_url",
        "demo",
        "login_max_failures",
        "login_per_minute",
        "level",
    ] {
        assert!(out.contains(&format!("{key} =")), "{key} missing");
    }
}

#[test]
fn demo_users_and_audit_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = yingji(dir.path(), &["migrate"]);
    assert!(ok, "{out}");
    let (ok, out) = yingji(dir.path(), &["demo", "--seed", "7"]);
    assert!(ok, "{out}");
    assert!(out.contains("企业400家"), "{out}");
    let (ok, out) = yingji(dir.path(), &["demo"]);
    assert!(!ok && out.contains("已有区划数据"), "{out}");
    let (ok, out) = yingji(
        dir.path(),
        &[
            "user",
            "add",
            "--username",
            "ops",
            "--role",
            "duty_officer",
            "--region",
            "360403",
        ],
    );
    assert!(ok, "{out}");
    assert!(out.contains("初始密码"), "{out}");
    let (ok, out) = yingji(
        dir.path(),
        &["user", "add", "--username", "bad", "--role", "street_staff"],
    );
    assert!(!ok && out.contains("所属区划"), "{out}");
    let (ok, out) = yingji(
        dir.path(),
        &[
            "user",
            "passwd",
            "--username",
            "ops",
            "--password",
            "Another2026",
        ],
    );
    assert!(ok, "{out}");
    let (ok, out) = yingji(dir.path(), &["audit", "verify"]);
    assert!(ok && out.contains("审计链完整"), "{out}");

    // Tamper with one record behind the application's back.
    let url = format!("sqlite://{}", dir.path().join("yingji.db").display());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = yingji_store::Store::connect(&url).await.unwrap();
        let mut q =
            yingji_store::Sql::new("UPDATE audit_log SET actor_name = 'intruder' WHERE seq = ");
        q.bind(4i64);
        store.execute(q).await.unwrap();
        store.close().await;
    });
    let (ok, out) = yingji(dir.path(), &["audit", "verify"]);
    assert!(!ok, "{out}");
    assert!(out.contains("第4条记录"), "{out}");
}

#[test]
fn bad_database_url_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = yingji(dir.path(), &["--database-url", "mysql://x", "migrate"]);
    assert!(!ok);
    assert!(out.contains("sqlite: 或 postgres://"), "{out}");
}

#[test]
fn first_start_creates_an_admin_who_must_change_the_password() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_yingji"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = String::new();
    while let Some(Ok(line)) = lines.next() {
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("已启动") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        seen.contains("已创建初始管理员 admin") && seen.contains("首次登录后须修改"),
        "{seen}"
    );
    assert!(!seen.contains("演示账号"), "{seen}");
}
