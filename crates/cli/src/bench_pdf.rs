//! `yingji bench-pdf`: issue 21's document figure. A 行政处罚决定书 laid out and rendered to PDF
//! with the shipped font (subset per document) and its SHA-256 taken, as issuing does; also a long
//! one (three pages) and every kind once. Baseline in the same run: the form's head alone (the
//! font parsed, subset and embedded, one page written), which every document pays.
//! Each figure is the median of 7 runs.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use yingji_core::enforcement::document::{KINDS, Kind, kind};
use yingji_core::enforcement::document_pdf::{Layout, LayoutInput, layout, render, sha256_hex};
use yingji_core::kernel::clock::today;

#[derive(clap::Args)]
pub struct PdfBenchArgs {
    /// Paragraphs of facts in the long document.
    #[arg(long, default_value_t = 40)]
    pub paragraphs: usize,
}

const FACT: &str = "经查，该公司于2026年11月在未办理有限空间作业审批、未进行通风检测的情况下，安排两名作业人员进入污水池进行清理作业，现场未配备气体检测报警仪器和应急救援装备，违反了《中华人民共和国安全生产法》第四十三条的规定。";

fn fields(paragraphs: usize) -> BTreeMap<String, String> {
    let facts = vec![FACT; paragraphs].join("\n");
    [
        ("party", "浔阳鑫源化工有限公司"),
        ("address", "浔阳区滨兴工业园区鑫源路18号"),
        ("legal_rep", "王建国"),
        ("facts", facts.as_str()),
        (
            "basis",
            "《中华人民共和国安全生产法》第一百零一条第（五）项",
        ),
        ("decision", "处人民币伍万元整（¥50,000.00）罚款。"),
        ("payment", "自收到本决定书之日起十五日内缴至指定银行。"),
        ("place", "本局执法大队询问室"),
        ("time", "2026年12月3日10时"),
        ("case_source", "监督检查发现"),
        ("original_number", "〔2026〕浔应急责改〔0012〕号"),
        ("deadline", "2026-12-31"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

fn layout_of(k: &Kind, f: &BTreeMap<String, String>) -> Layout {
    layout(&LayoutInput {
        kind: k,
        authority: "浔阳区应急管理局",
        number: "〔2026〕浔应急罚决〔0012〕号",
        version: 1,
        corrects: None,
        fields: f,
        day: today(1_796_256_000_000),
    })
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

fn issue(l: &Layout) -> usize {
    let pdf = render(l).unwrap_or_default();
    std::hint::black_box(sha256_hex(&pdf));
    pdf.len()
}

pub fn run(args: PdfBenchArgs) -> anyhow::Result<()> {
    let decision = kind("penalty_decision").ok_or_else(|| anyhow::anyhow!("kind"))?;
    let one = layout_of(decision, &fields(3));
    let long = layout_of(decision, &fields(args.paragraphs));
    let head = Layout {
        parties: vec![],
        sections: vec![],
        closing: None,
        signatures: vec![],
        seal: false,
        ..one.clone()
    };
    let mut sizes = [0usize; 3];
    let base = median(|| sizes[0] = issue(&head));
    let page = median(|| sizes[1] = issue(&one));
    let pages = median(|| sizes[2] = issue(&long));
    let every: Vec<Layout> = KINDS.iter().map(|k| layout_of(k, &fields(3))).collect();
    let all = median(|| {
        for l in &every {
            issue(l);
        }
    });
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("\n行政处罚决定书 as PDF (A4, Noto Serif SC subset embedded per document) + SHA-256");
    println!(
        "{:<52} {:>10} {:>8} {:>9}",
        "measurement", "ms (p50)", "vs base", "PDF KiB"
    );
    let kib = |n: usize| n as f64 / 1024.0;
    for (name, d, size) in [
        (
            "baseline: the form's head alone (font subset, 1 page)",
            base,
            kib(sizes[0]),
        ),
        ("行政处罚决定书, one page", page, kib(sizes[1])),
        ("行政处罚决定书, long (several pages)", pages, kib(sizes[2])),
        ("all 9 kinds, one page each (total)", all, f64::NAN),
    ] {
        println!(
            "{name:<52} {:>10.1} {:>7.1}x {:>9.1}",
            ms(d),
            ms(d) / ms(base).max(1e-9),
            size
        );
    }
    Ok(())
}
