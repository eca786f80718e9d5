//! `yingji bench-census`: issue 23's import figure. A census GeoJSON of N 承灾体 (default
//! 1,000,000; every census object kind, points spread over the demo district, a grid each, one
//! extra attribute) imported through `app::disasters::census::import` — the function the route
//! calls: the file read feature by feature, each row checked, written in batches of
//! multi-row VALUES by census code, the per-row report kept — once new and once again (every row
//! an update). Beside it, measured in the same run, the baseline: a plain bulk INSERT of the
//! same rows (values prepared beforehand, the same batches, one transaction). On SQLite and, with
//! `--compare-database-url`, on PostgreSQL (a scratch database: the demo is loaded when empty;
//! the rows are deleted afterwards).

use std::time::Instant;
use yingji_app::disasters::census::{Source, import};
use yingji_core::disasters::census::{District, kinds};
use yingji_core::kernel::clock::{Clock, SystemClock};
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::resources::cell_of;
use yingji_demo::Rng;
use yingji_store::kernel::Ctx;
use yingji_store::resources::registers::ImportMode;
use yingji_store::{Actor, Sql, Store, Val};

#[derive(clap::Args)]
pub struct CensusBenchArgs {
    /// 承灾体 rows in the file.
    #[arg(long, default_value_t = 1_000_000)]
    pub rows: usize,
    /// A scratch PostgreSQL database to run the same beside SQLite.
    #[arg(long)]
    pub compare_database_url: Option<String>,
}

const COLUMNS: &str = "id, kind, name, address, lon, lat, cell, region_code, district_code, street_code, responsible_name, responsible_phone, responsible_type, personal, created_ms, updated_ms, census_code, census_attributes";

fn admin() -> Ctx {
    Ctx {
        actor: Actor::system("bench"),
        user_id: String::new(),
        display_name: "bench".into(),
        role: Role::Admin,
        scope: Scope::All,
    }
}

/// One generated row: code, kind, label, point, grid.
struct Row {
    code: String,
    kind: &'static str,
    label: &'static str,
    at: [f64; 2],
    grid: String,
}

fn rows(n: usize, district: &District) -> Vec<Row> {
    let object_kinds: Vec<(&str, &str)> = kinds()
        .filter(|(c, _)| !["team", "shelter", "warehouse"].contains(c))
        .collect();
    let mut grids: Vec<&String> = district.regions.iter().filter(|c| c.len() == 15).collect();
    grids.sort();
    let b = district.bounds.expect("the demo district has a boundary");
    let mut rng = Rng::new(23);
    const M: f64 = 1e-5;
    (0..n)
        .map(|i| {
            let (kind, label) = object_kinds[i % object_kinds.len()];
            Row {
                code: format!("PC{i:08}"),
                kind,
                label,
                // A margin: the file writes six decimals, which may round past an edge.
                at: [
                    b.min_lon + M + (b.max_lon - b.min_lon - 2.0 * M) * rng.unit(),
                    b.min_lat + M + (b.max_lat - b.min_lat - 2.0 * M) * rng.unit(),
                ],
                grid: grids[i % grids.len()].clone(),
            }
        })
        .collect()
}

/// The census GeoJSON of the rows, written directly (the same text serde would write).
fn geojson(rows: &[Row], suffix: &str) -> Vec<u8> {
    use std::fmt::Write;
    let mut s = String::with_capacity(rows.len() * 360 + 64);
    s.push_str("{\"type\":\"FeatureCollection\",\"features\":[\n");
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            s.push_str(",\n");
        }
        let _ = write!(
            s,
            "{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{:.6},{:.6}]}},\"properties\":{{\"普查编码\":\"{}\",\"类型\":\"{}\",\"名称\":\"普查{}{}{}\",\"地址\":\"示例村{}号\",\"区划代码\":\"{}\",\"责任人\":\"张三\",\"责任人电话\":\"139{:08}\",\"结构\":\"砖混\"}}}}",
            r.at[0],
            r.at[1],
            r.code,
            r.label,
            r.label,
            i,
            suffix,
            i % 500,
            r.grid,
            i
        );
    }
    s.push_str("\n]}\n");
    s.into_bytes()
}

/// The plain bulk INSERT of the same rows: values prepared, then timed.
async fn baseline(store: &Store, rows: &[Row], now: i64) -> anyhow::Result<f64> {
    let values: Vec<Vec<Val>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                format!("bench-{i}").into(),
                r.kind.into(),
                format!("普查{}{i}", r.label).into(),
                format!("示例村{}号", i % 500).into(),
                r.at[0].into(),
                r.at[1].into(),
                cell_of(r.at[0], r.at[1]).into(),
                r.grid.clone().into(),
                r.grid[..6].to_string().into(),
                r.grid[..9].to_string().into(),
                "张三".into(),
                format!("139{i:08}").into(),
                "grid_worker".into(),
                Val::I64(0),
                now.into(),
                now.into(),
                format!("PB{i:08}").into(),
                r#"{"结构":"砖混"}"#.into(),
            ]
        })
        .collect();
    let t = Instant::now();
    let mut tx = store.begin().await?;
    let mut values = values.into_iter().peekable();
    while values.peek().is_some() {
        let mut q = Sql::new(&format!(
            "INSERT INTO protected_objects ({COLUMNS}) VALUES "
        ));
        for (i, v) in values
            .by_ref()
            .take(yingji_store::disasters::census::BATCH)
            .enumerate()
        {
            if i > 0 {
                q.push(", ");
            }
            q.values(v);
        }
        q.many_placeholders(store.backend);
        q.execute(&mut tx).await?;
    }
    tx.commit().await?;
    Ok(t.elapsed().as_secs_f64())
}

async fn clean(store: &Store) -> anyhow::Result<()> {
    store
        .execute(Sql::new(
            "DELETE FROM protected_objects WHERE census_code LIKE 'PC%' OR census_code LIKE 'PB%'",
        ))
        .await?;
    Ok(())
}

/// One backend: (name, rows, new s, update s, baseline s).
async fn measure(name: &str, store: &Store, n: usize) -> anyhow::Result<[f64; 3]> {
    let now = SystemClock.now_ms();
    yingji_store::migrate::run(store, now).await?;
    if !yingji_demo::seed::is_loaded(store).await? {
        crate::load_demo(store, 42, yingji_demo::Scale::Small).await?;
    }
    clean(store).await?;
    let district = yingji_store::disasters::census::district(store, "360403").await?;
    let rows = rows(n, &district);
    let mut out = [0.0; 3];
    for (pass, suffix) in ["", "（更新）"].iter().enumerate() {
        let file = geojson(&rows, suffix);
        let mb = file.len() as f64 / 1e6;
        let t = Instant::now();
        let done = import(
            store,
            &admin(),
            now,
            Source::GeoJson(file),
            ImportMode::Strict,
        )
        .await?;
        out[pass] = t.elapsed().as_secs_f64();
        anyhow::ensure!(
            done.stored && done.errors.is_empty() && done.rows.len() == n,
            "{name}: {} errors, first {:?}",
            done.errors.len(),
            done.errors.first()
        );
        println!(
            "{name}: {} {n} rows ({mb:.0} MB): {:.1} s, created {}, updated {}",
            if pass == 0 { "import" } else { "re-import" },
            out[pass],
            done.created,
            done.updated
        );
    }
    clean(store).await?;
    out[2] = baseline(store, &rows, now).await?;
    println!("{name}: plain INSERT {n} rows: {:.1} s", out[2]);
    clean(store).await?;
    Ok(out)
}

pub async fn run(args: CensusBenchArgs) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let sqlite = Store::connect(&url).await?;
    let mut lines = vec![("SQLite", measure("SQLite", &sqlite, args.rows).await?)];
    if let Some(pg_url) = &args.compare_database_url {
        let pg = Store::connect(pg_url).await?;
        lines.push(("PostgreSQL", measure("PostgreSQL", &pg, args.rows).await?));
    } else {
        println!("（未给出 --compare-database-url：跳过 PostgreSQL）");
    }
    println!(
        "\n{:<10} {:>9} {:>14} {:>14} {:>14}",
        "backend", "rows", "import rows/s", "update rows/s", "plain rows/s"
    );
    let n = args.rows as f64;
    for (name, [new, upd, base]) in lines {
        println!(
            "{name:<10} {:>9} {:>14.0} {:>14.0} {:>14.0}",
            args.rows,
            n / new,
            n / upd,
            n / base
        );
    }
    println!(
        "（导入：GeoJSON 经 app::disasters::census::import，含逐行检查与逐行报告；基线：同样的行直接批量 INSERT）"
    );
    Ok(())
}
