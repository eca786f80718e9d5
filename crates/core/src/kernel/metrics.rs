//! The Prometheus text format of `GET /metrics` (docs/operations.md, 指标): label escaping, the
//! latency buckets, status classes and the refusal's wording. The counters live in the server.

/// Upper bounds (seconds) of the request-latency histogram's buckets.
pub const LATENCY_BOUNDS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Refused scrape: neither from this host nor with the configured token.
pub const REFUSED: &str =
    "仅本机或携带 server.metrics_token 令牌（Authorization: Bearer）的请求可读取运行指标";

/// `2xx`, `4xx`, … of an HTTP status.
pub fn status_class(status: u16) -> &'static str {
    match status / 100 {
        1 => "1xx",
        2 => "2xx",
        3 => "3xx",
        4 => "4xx",
        _ => "5xx",
    }
}

/// A label value as the text format wants it: `\`, `"` and line feeds escaped.
pub fn escape_label(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// `# HELP` and `# TYPE` lines of one metric family.
pub fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    use std::fmt::Write;
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// One sample line; `labels` are (name, unescaped value) pairs.
pub fn sample(out: &mut String, name: &str, labels: &[(&str, &str)], value: f64) {
    use std::fmt::Write;
    out.push_str(name);
    if !labels.is_empty() {
        out.push('{');
        for (i, (k, v)) in labels.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{k}=\"{}\"", escape_label(v));
        }
        out.push('}');
    }
    let _ = writeln!(out, " {value}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_text_format() {
        let mut s = String::new();
        family(&mut s, "x_total", "counter", "Things.");
        sample(
            &mut s,
            "x_total",
            &[("route", "/a/{id}"), ("q", "say \"hi\"\\\n")],
            3.0,
        );
        sample(&mut s, "y", &[], 0.25);
        assert_eq!(
            s,
            "# HELP x_total Things.\n# TYPE x_total counter\nx_total{route=\"/a/{id}\",q=\"say \\\"hi\\\"\\\\\\n\"} 3\ny 0.25\n"
        );
        assert_eq!(status_class(204), "2xx");
        assert_eq!(status_class(503), "5xx");
    }
}
