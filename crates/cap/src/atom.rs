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

/// One entry of a feed another bureau publishes: where its CAP message is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    /// Atom `id` or RSS `guid` (else the link): what makes an entry the same on the next poll.
    pub id: String,
    /// Atom `updated` or RSS `pubDate`, as written; a changed value means a changed entry.
    pub updated: String,
    pub title: String,
    /// The CAP message's address as written (may be relative to the feed's).
    pub cap_href: String,
}

/// Reads an Atom (RFC 4287) or RSS 2.0 / 1.0 feed of CAP alerts with the same parser as CAP
/// itself (no DTD, no entities). An entry's CAP link is the one typed `application/cap+xml`
/// (link, RSS enclosure or Atom `content src`), else its alternate or only link; entries without
/// any are skipped.
pub fn read_feed(xml: &[u8]) -> Result<Vec<FeedEntry>, crate::CapError> {
    let root = crate::read::parse_tree(xml)?;
    let items: Vec<&crate::read::El> = match root.name.as_str() {
        "feed" => root.children.iter().filter(|c| c.name == "entry").collect(),
        "rss" => root
            .children
            .iter()
            .filter(|c| c.name == "channel")
            .flat_map(|c| c.children.iter().filter(|i| i.name == "item"))
            .collect(),
        "RDF" => root.children.iter().filter(|c| c.name == "item").collect(),
        other => {
            return Err(crate::CapError {
                code: "FEED_UNKNOWN",
                path: other.to_string(),
                message: format!("不是 Atom 或 RSS 订阅源（根元素为 <{other}>）"),
            });
        }
    };
    let mut out = Vec::new();
    for item in items {
        let text = |name: &str| {
            item.children
                .iter()
                .find(|c| c.name == name)
                .map(|c| c.text.trim().to_string())
        };
        let is_cap = |t: Option<&str>| t.is_some_and(|t| t.contains("cap+xml"));
        let links: Vec<&crate::read::El> = item
            .children
            .iter()
            .filter(|c| matches!(c.name.as_str(), "link" | "enclosure" | "content"))
            .collect();
        let href_of = |el: &crate::read::El| -> Option<String> {
            el.attr("href")
                .or(el.attr("url"))
                .or(el.attr("src"))
                .map(str::to_string)
                .or_else(|| (el.name == "link").then(|| el.text.trim().to_string()))
                .filter(|h| !h.is_empty())
        };
        let href = links
            .iter()
            .find(|l| is_cap(l.attr("type")))
            .and_then(|l| href_of(l))
            .or_else(|| {
                links
                    .iter()
                    .filter(|l| l.name == "link")
                    .find(|l| l.attr("rel").is_none_or(|r| r == "alternate"))
                    .and_then(|l| href_of(l))
            });
        let Some(cap_href) = href else { continue };
        let id = text("id")
            .or_else(|| text("guid"))
            .or_else(|| item.attr("about").map(str::to_string))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| cap_href.clone());
        out.push(FeedEntry {
            id,
            updated: text("updated")
                .or_else(|| text("pubDate"))
                .or_else(|| text("date"))
                .unwrap_or_default(),
            title: text("title").unwrap_or_default(),
            cap_href,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atom_entries_prefer_the_cap_link() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>urn:x</id><title>t</title>
 <entry><id>urn:a</id><updated>2026-07-01T08:00:00+08:00</updated><title>&#26292;&#38632;</title>
  <link rel="alternate" type="text/html" href="https://x/a.html"/>
  <link rel="alternate" type="application/cap+xml" href="a.xml?x=1&amp;y=2"/></entry>
 <entry><id>urn:b</id><link href="https://x/b.xml"/></entry>
 <entry><id>urn:c</id><title>no link</title></entry>
</feed>"#;
        let e = read_feed(xml).expect("feed");
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].cap_href, "a.xml?x=1&y=2");
        assert_eq!(e[0].title, "暴雨");
        assert_eq!(e[0].updated, "2026-07-01T08:00:00+08:00");
        assert_eq!(e[1].cap_href, "https://x/b.xml");
    }

    #[test]
    fn rss_items_use_the_enclosure_or_link_and_the_guid() {
        let xml = br#"<rss version="2.0"><channel><title>t</title>
 <item><title>a</title><link>https://x/a.html</link><guid>g1</guid>
  <enclosure url="https://x/a.cap" type="application/cap+xml" length="1"/><pubDate>Wed, 01 Jul 2026 08:00:00 +0800</pubDate></item>
 <item><title>b</title><link>https://x/b.cap</link></item>
</channel></rss>"#;
        let e = read_feed(xml).expect("feed");
        assert_eq!(e[0].cap_href, "https://x/a.cap");
        assert_eq!(e[0].id, "g1");
        assert_eq!(e[1].id, "https://x/b.cap");
    }

    #[test]
    fn the_real_feeds_of_the_cap_library_are_read() {
        let nws = read_feed(include_bytes!("../tests/data/weather.atom")).expect("nws");
        assert!(!nws.is_empty());
        assert!(nws.iter().all(|e| e.cap_href.contains("wwacapget.php?x=")));
        assert_eq!(nws[0].updated, "2012-08-29T16:29:00-04:00");
        let usgs = read_feed(include_bytes!("../tests/data/earthquake_index.atom")).expect("usgs");
        assert_eq!(usgs.len(), 1);
        // The typed CAP link wins over the HTML page.
        assert_eq!(
            usgs[0].cap_href,
            "http://earthquake.usgs.gov/earthquakes/catalogs/cap/us2010apcd"
        );
        assert_eq!(usgs[0].id, "urn:earthquake-usgs-gov:us:2010apcd");
    }

    #[test]
    fn a_feed_with_a_dtd_or_another_root_is_refused() {
        let xxe = br#"<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]><feed>&x;</feed>"#;
        assert_eq!(read_feed(xxe).unwrap_err().code, "XML_DTD_FORBIDDEN");
        assert_eq!(read_feed(b"<html/>").unwrap_err().code, "FEED_UNKNOWN");
    }
}
