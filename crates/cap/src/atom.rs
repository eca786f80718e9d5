//! The Atom feed (RFC 4287) of published alerts: one entry per alert, linking to its CAP XML.

use crate::Alert;
use std::fmt::Write as _;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `alerts` newest first; `cap_url` gives each alert's CAP address; `updated` is the feed's time
/// (CAP time text).
pub fn feed(title: &str, self_url: &str, updated: &str, alerts: &[(&Alert, String)]) -> String {
    let mut o = String::new();
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(o, "  <id>{}</id>", esc(self_url));
    let _ = writeln!(o, "  <title>{}</title>", esc(title));
    let _ = writeln!(o, "  <updated>{}</updated>", esc(updated));
    let _ = writeln!(o, "  <link rel=\"self\" href=\"{}\"/>", esc(self_url));
    for (a, url) in alerts {
        let info = a.infos.first();
        let headline = info
            .and_then(|i| i.headline.clone())
            .or_else(|| info.map(|i| i.event.clone()))
            .unwrap_or_default();
        o.push_str("  <entry>\n");
        let _ = writeln!(o, "    <id>{}</id>", esc(&a.identifier));
        let _ = writeln!(o, "    <title>{}</title>", esc(&headline));
        let _ = writeln!(o, "    <updated>{}</updated>", esc(&a.sent.text));
        let _ = writeln!(
            o,
            "    <author><name>{}</name></author>",
            esc(info
                .and_then(|i| i.sender_name.as_deref())
                .unwrap_or(&a.sender))
        );
        let _ = writeln!(
            o,
            "    <link rel=\"alternate\" type=\"application/cap+xml\" href=\"{}\"/>",
            esc(url)
        );
        if let Some(d) = info.and_then(|i| i.description.as_deref()) {
            let _ = writeln!(o, "    <summary>{}</summary>", esc(d));
        }
        o.push_str("  </entry>\n");
    }
    o.push_str("</feed>\n");
    o
}
