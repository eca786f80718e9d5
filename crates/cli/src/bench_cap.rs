//! `yingji bench-cap`: CAP read + validate throughput on one core (issue 5's ≥ 10,000 messages/s),
//! beside the XML parser alone scanning the same messages (quick-xml events, nothing built or
//! checked). The messages are google/cap-library's valid samples and a district 暴雨橙色预警.

use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct CapBenchArgs {
    /// Seconds per measurement.
    #[arg(long, default_value_t = 3)]
    pub seconds: u64,
}

const SAMPLES: [(&str, &[u8]); 7] = [
    (
        "australia",
        include_bytes!("../../cap/tests/data/australia.cap"),
    ),
    ("canada", include_bytes!("../../cap/tests/data/canada.cap")),
    (
        "earthquake-iso8859-1",
        include_bytes!("../../cap/tests/data/earthquake-iso8859-1.cap"),
    ),
    (
        "wcatwc-warning",
        include_bytes!("../../cap/tests/data/wcatwc-warning.cap"),
    ),
    (
        "earthquake",
        include_bytes!("../../cap/tests/data/earthquake.cap"),
    ),
    (
        "no_optional_fields",
        include_bytes!("../../cap/tests/data/no_optional_fields.cap"),
    ),
    (
        "weather",
        include_bytes!("../../cap/tests/data/weather.cap"),
    ),
];

fn rate(seconds: u64, mut f: impl FnMut() -> usize) -> (f64, usize) {
    let until = Instant::now() + Duration::from_secs(seconds);
    let (mut n, mut sink) = (0usize, 0usize);
    let start = Instant::now();
    while Instant::now() < until {
        for _ in 0..100 {
            sink = sink.wrapping_add(f());
            n += 1;
        }
    }
    (n as f64 / start.elapsed().as_secs_f64(), sink)
}

pub fn run(args: CapBenchArgs) -> anyhow::Result<()> {
    // Every message written back by the writer first, so all are CAP 1.2 in UTF-8 as we serve them.
    let messages: Vec<(&str, String)> = SAMPLES
        .iter()
        .map(|(name, bytes)| {
            yingji_cap::read(bytes)
                .map(|a| (*name, yingji_cap::write(&a)))
                .map_err(|e| anyhow::anyhow!("{name}: {e:?}"))
        })
        .collect::<Result<_, _>>()?;
    let mean_bytes = messages.iter().map(|(_, m)| m.len()).sum::<usize>() / messages.len();
    println!(
        "CAP 读取与校验，单线程，{} 条样例消息轮流（平均 {mean_bytes} 字节），每项 {} 秒",
        messages.len(),
        args.seconds
    );
    let mut i = 0usize;
    let (base, _) = rate(args.seconds, || {
        i = (i + 1) % messages.len();
        yingji_cap::scan_events(&messages[i].1)
    });
    let mut j = 0usize;
    let (full, _) = rate(args.seconds, || {
        j = (j + 1) % messages.len();
        match yingji_cap::read(messages[j].1.as_bytes()) {
            Ok(a) => a.infos.len(),
            Err(e) => e.len(),
        }
    });
    println!("{:<34} {:>12}", "measurement", "messages/s");
    println!("{:<34} {:>12.0}", "baseline: quick-xml event scan", base);
    println!(
        "{:<34} {:>12.0}   ({:.2}x of baseline; target ≥ 10,000)",
        "read + validate (yingji-cap)",
        full,
        full / base
    );
    Ok(())
}
