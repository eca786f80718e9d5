//! `yingji bench`: latency of the enterprise list and map-layer endpoints, measured against a
//! baseline (the health endpoint, same server, same run). Figures go to docs/benchmarks.md.

use crate::config::Config;

#[derive(clap::Args)]
pub struct BenchArgs {
    /// Requests per endpoint.
    #[arg(long, default_value_t = 400)]
    pub requests: usize,
}

pub async fn run(_args: BenchArgs, _cfg: &Config) -> anyhow::Result<()> {
    anyhow::bail!("尚未实现")
}
