//! `yingji bench-draw`: issue 21's draw figure. A 双随机 draw over a pool of 100,000 enterprises
//! (1,000 on the 重点 list, 1,000 already inspected) with 2,000 inspectors (each with five 回避),
//! 5 % drawn in teams of two; then the record written (JSON + SHA-256) and a 复核 (parse + re-run).
//! Baseline in the same run: sorting and de-duplicating the pool's ids, which any draw must do.
//! Each figure is the median of 7 runs.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};
use yingji_core::enforcement::draw::{Quota, Rounding};
use yingji_core::enforcement::draw_record::{DrawRecord, RecordedInspector};
use yingji_demo::Rng;

#[derive(clap::Args)]
pub struct DrawBenchArgs {
    #[arg(long, default_value_t = 100_000)]
    pub enterprises: usize,
    #[arg(long, default_value_t = 2_000)]
    pub inspectors: usize,
}

fn record(args: &DrawBenchArgs) -> DrawRecord {
    let mut rng = Rng::new(21);
    let pool: Vec<String> = (0..args.enterprises)
        .map(|i| {
            format!(
                "0190a0b2-{:04x}-7000-8000-{:012x}",
                i % 65_536,
                rng.next_u64() >> 16
            )
        })
        .collect();
    let mut excluded = BTreeMap::new();
    for id in pool.iter().step_by(50) {
        let why = if excluded.len() % 2 == 0 {
            "major_hazard"
        } else {
            "inspected_this_year"
        };
        excluded.insert(id.clone(), vec![why.to_string()]);
    }
    let inspectors = (0..args.inspectors)
        .map(|i| RecordedInspector {
            id: format!("u{i:06}"),
            name: format!("执法人员{i}"),
            cert_no: format!("36040320{i:06}"),
            cert_valid_until: if i % 40 == 0 {
                "2025-12-31"
            } else {
                "2028-12-31"
            }
            .into(),
            conflicts: (0..5)
                .map(|_| rng.pick(&pool).clone())
                .collect::<BTreeSet<_>>(),
        })
        .collect();
    DrawRecord {
        seed: "42".into(),
        on: "2026-12-03".into(),
        quota: Quota::Ratio {
            basis_points: 500,
            rounding: Rounding::Ceil,
        }
        .into(),
        team_size: 2,
        pool,
        excluded,
        inspectors,
    }
}

fn median(mut f: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..7)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    times[3]
}

pub fn run(args: DrawBenchArgs) -> anyhow::Result<()> {
    let rec = record(&args);
    let base = median(|| {
        let set: BTreeSet<&String> = rec.pool.iter().collect();
        std::hint::black_box(set.len());
    });
    let mut picked = 0;
    let draw = median(|| picked = rec.run().map(|d| d.picks.len()).unwrap_or(0));
    let json = rec.to_json();
    let write = median(|| {
        std::hint::black_box(DrawRecord::sha256_of(&rec.to_json()));
    });
    let verify = median(|| {
        let back = DrawRecord::from_json(&json).ok();
        std::hint::black_box(back.and_then(|r| r.run().ok()).map(|d| d.picks.len()));
    });
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "\npool {} enterprises, {} inspectors, {} drawn in teams of 2; record {:.1} MB",
        args.enterprises,
        args.inspectors,
        picked,
        json.len() as f64 / 1e6
    );
    println!("{:<48} {:>10} {:>8}", "measurement", "ms (p50)", "vs base");
    for (name, d) in [
        ("baseline: sort and de-duplicate the pool", base),
        ("draw (enterprises and teams)", draw),
        ("record: JSON + SHA-256", write),
        ("复核: parse the record and draw again", verify),
    ] {
        println!(
            "{name:<48} {:>10.1} {:>7.1}x",
            ms(d),
            ms(d) / ms(base).max(1e-9)
        );
    }
    Ok(())
}
