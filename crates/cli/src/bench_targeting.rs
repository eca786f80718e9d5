//! `yingji bench-targeting`: issue 5's targeting figure. 1,000,000 protected objects spread over a
//! 1° × 1° box, a 2,000-vertex warning polygon (a star) over about a quarter of it, and the objects
//! of the kinds a rainstorm concerns found inside — through yingji's cell index and prepared
//! point-in-polygon on SQLite, beside PostGIS (`ST_Contains` with a GiST index on the same points)
//! when `--compare-database-url` names a PostgreSQL with the postgis extension. Best of three runs.

use std::time::{Duration, Instant};
use yingji_core::kernel::clock::{Clock, SystemClock};
use yingji_core::kernel::geo::Ring;
use yingji_core::resources::cell_of;
use yingji_demo::Rng;
use yingji_store::{Sql, Store, Val};

#[derive(clap::Args)]
pub struct TargetingBenchArgs {
    #[arg(long, default_value_t = 1_000_000)]
    pub objects: usize,
    #[arg(long, default_value_t = 2_000)]
    pub vertices: usize,
    /// PostgreSQL with PostGIS for the baseline (a scratch table is created and dropped).
    #[arg(long)]
    pub compare_database_url: Option<String>,
}

const KINDS: [&str; 14] = [
    "dangerous_house",
    "geohazard",
    "waterlogging",
    "school",
    "nursing_home",
    "hospital",
    "construction",
    "deep_pit",
    "tower_crane",
    "billboard",
    "crowded_place",
    "hazchem_enterprise",
    "outdoor_work",
    "special_person",
];
const CENTRE: (f64, f64) = (116.0, 29.7);

fn polygon(vertices: usize) -> Ring {
    let mut ring: Ring = (0..vertices)
        .map(|i| {
            let a = i as f64 / vertices as f64 * std::f64::consts::TAU;
            let r = if i % 2 == 0 { 0.32 } else { 0.26 };
            [CENTRE.0 + r * a.cos(), CENTRE.1 + r * a.sin()]
        })
        .collect();
    ring.push(ring[0]);
    ring
}

fn points(n: usize) -> Vec<(String, &'static str, f64, f64)> {
    let mut rng = Rng::new(5);
    (0..n)
        .map(|i| {
            (
                format!("o{i:07}"),
                KINDS[i % KINDS.len()],
                CENTRE.0 - 0.5 + rng.unit(),
                CENTRE.1 - 0.5 + rng.unit(),
            )
        })
        .collect()
}

async fn load(
    store: &Store,
    pts: &[(String, &'static str, f64, f64)],
    postgis: bool,
) -> anyhow::Result<()> {
    let now = SystemClock.now_ms();
    for chunk in pts.chunks(1000) {
        let mut tx = store.begin().await?;
        let mut q = if postgis {
            Sql::new("INSERT INTO bench_targets (id, kind, geom) VALUES ")
        } else {
            Sql::new(
                "INSERT INTO protected_objects (id, kind, name, address, lon, lat, cell, region_code, district_code, street_code, responsible_name, responsible_phone, personal, created_ms, updated_ms) VALUES ",
            )
        };
        for (i, (id, kind, lon, lat)) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            if postgis {
                q.push("(")
                    .bind(id.as_str())
                    .push(", ")
                    .bind(*kind)
                    .push(", ST_SetSRID(ST_MakePoint(")
                    .bind(*lon)
                    .push(", ")
                    .bind(*lat)
                    .push("), 4326))");
            } else {
                q.values(vec![
                    id.clone().into(),
                    (*kind).into(),
                    "".into(),
                    "".into(),
                    (*lon).into(),
                    (*lat).into(),
                    cell_of(*lon, *lat).into(),
                    "360403001001001".into(),
                    "360403".into(),
                    "360403001".into(),
                    "".into(),
                    "".into(),
                    Val::I64(0),
                    now.into(),
                    now.into(),
                ]);
            }
        }
        if !postgis {
            q.anonymous_placeholders();
        }
        q.execute(&mut tx).await?;
        tx.commit().await?;
    }
    store.optimize().await?;
    Ok(())
}

fn best(times: &[Duration]) -> Duration {
    times.iter().min().copied().unwrap_or_default()
}

pub async fn run(args: TargetingBenchArgs) -> anyhow::Result<()> {
    let kinds: Vec<String> =
        yingji_core::warning::target::TargetingConfig::default().kinds_for("rainstorm");
    let ring = polygon(args.vertices);
    let pts = points(args.objects);
    let dir = tempfile::tempdir()?;
    let (found, ours) = ours(dir.path(), &pts, &ring, &kinds).await?;
    println!(
        "\n{:<44} {:>10} {:>10}",
        "measurement", "objects", "ms (best of 3)"
    );
    println!(
        "{:<44} {:>10} {:>10.1}",
        "yingji: cell index + prepared polygon (SQLite)",
        found,
        ours.as_secs_f64() * 1000.0
    );
    let Some(pg) = &args.compare_database_url else {
        println!("（未给出 --compare-database-url：跳过 PostGIS 基线）");
        return Ok(());
    };
    postgis(pg, &pts, &ring, &kinds, ours).await
}

/// yingji's targeting on SQLite: the objects found and the best of three runs.
async fn ours(
    dir: &std::path::Path,
    pts: &[(String, &'static str, f64, f64)],
    ring: &Ring,
    kinds: &[String],
) -> anyhow::Result<(usize, Duration)> {
    let url = format!("sqlite://{}?mode=rwc", dir.join("bench.db").display());
    let store = Store::connect(&url).await?;
    yingji_store::migrate::run(&store, SystemClock.now_ms()).await?;
    // The objects' table refers to users only by an optional column: no region rows are needed.
    println!("载入承灾体 {} 个（SQLite）…", pts.len());
    let t = Instant::now();
    load(&store, pts, false).await?;
    println!("用时 {:.1} 秒", t.elapsed().as_secs_f64());
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let mut tx = store.begin().await?;
        found = yingji_store::warning::targeting::objects_inside(
            &mut tx,
            std::slice::from_ref(ring),
            kinds,
            "360403",
        )
        .await?
        .len();
        tx.commit().await?;
        times.push(t.elapsed());
    }
    Ok((found, best(&times)))
}

/// The baseline: the same points in PostGIS (`ST_Contains` with a GiST index), printed beside
/// `ours`; skipped when the database has no PostGIS.
async fn postgis(
    url: &str,
    pts: &[(String, &'static str, f64, f64)],
    ring: &Ring,
    kinds: &[String],
    ours: Duration,
) -> anyhow::Result<()> {
    let pg = Store::connect(url).await?;
    if let Err(e) = pg
        .execute(Sql::new("CREATE EXTENSION IF NOT EXISTS postgis"))
        .await
    {
        println!("（PostGIS 不可用：{e}；跳过基线）");
        return Ok(());
    }
    pg.execute(Sql::new("DROP TABLE IF EXISTS bench_targets"))
        .await?;
    pg.execute(Sql::new("CREATE TABLE bench_targets (id TEXT PRIMARY KEY, kind TEXT NOT NULL, geom geometry(Point, 4326) NOT NULL)")).await?;
    println!("载入同样的点到 PostGIS…");
    load(&pg, pts, true).await?;
    pg.execute(Sql::new(
        "CREATE INDEX bench_targets_geom ON bench_targets USING GIST (geom)",
    ))
    .await?;
    pg.execute(Sql::new("VACUUM (ANALYZE) bench_targets"))
        .await?;
    let wkt = format!(
        "POLYGON(({}))",
        ring.iter()
            .map(|p| format!("{} {}", p[0], p[1]))
            .collect::<Vec<_>>()
            .join(",")
    );
    let mut times = Vec::new();
    let mut pg_found = 0;
    for _ in 0..3 {
        let t = Instant::now();
        let mut q = Sql::new("SELECT COUNT(*) FROM bench_targets WHERE kind IN ");
        q.bind_list(kinds.iter().map(String::as_str))
            .push_bind(" AND ST_Contains(ST_GeomFromText(", wkt.clone())
            .push(", 4326), geom)");
        pg_found = pg.fetch_i64(q).await?;
        times.push(t.elapsed());
    }
    let theirs = best(&times);
    println!(
        "{:<44} {:>10} {:>10.1}",
        "baseline: PostGIS ST_Contains + GiST",
        pg_found,
        theirs.as_secs_f64() * 1000.0
    );
    println!(
        "ratio yingji / PostGIS: {:.2}x",
        ours.as_secs_f64() / theirs.as_secs_f64().max(1e-9)
    );
    pg.execute(Sql::new("DROP TABLE bench_targets")).await?;
    Ok(())
}
