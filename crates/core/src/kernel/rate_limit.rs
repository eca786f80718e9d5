//! Rate limits shared by every node: hits are counted per key in fixed one-minute windows in the
//! database (`rate_limits`), so N nodes behind a load balancer allow what one node allows. A
//! fixed window lets a client that times its bursts at a window's edge through up to twice the
//! limit within any 60 s; the per-pair login lock (ADR 0016) stays behind it.

/// The length of one counting window.
pub const WINDOW_MS: i64 = 60_000;

/// The start of the window `now_ms` falls in.
pub fn window_of(now_ms: i64) -> i64 {
    now_ms - now_ms.rem_euclid(WINDOW_MS)
}

/// Seconds until the window of `now_ms` ends (for `Retry-After`), at least 1.
pub fn retry_after_s(now_ms: i64) -> i64 {
    let left = window_of(now_ms) + WINDOW_MS - now_ms;
    ((left + 999) / 1000).max(1)
}

/// Windows that started before this are pruned (the current and the previous one are kept).
pub fn prune_before(now_ms: i64) -> i64 {
    window_of(now_ms) - WINDOW_MS
}

/// Whether the `hits`-th hit of a window (counting this one) goes over `per_minute`.
pub fn over_limit(hits: i64, per_minute: usize) -> bool {
    hits > i64::try_from(per_minute).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_waits() {
        assert_eq!(window_of(125_000), 120_000);
        assert_eq!(window_of(120_000), 120_000);
        assert_eq!(retry_after_s(120_000), 60);
        assert_eq!(retry_after_s(179_999), 1);
        assert_eq!(retry_after_s(150_500), 30);
        assert!(!over_limit(3, 3));
        assert!(over_limit(4, 3));
    }
}
