//! Writing CAP 1.2: elements in the schema's order, text escaped, empty optionals left out.

use crate::*;
use std::fmt::Write as _;

fn esc(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

fn el(out: &mut String, indent: usize, name: &str, value: &str) {
    for _ in 0..indent {
        out.push_str("  ");
    }
    let _ = write!(out, "<{name}>");
    esc(out, value);
    let _ = writeln!(out, "</{name}>");
}

fn opt(out: &mut String, indent: usize, name: &str, value: &Option<String>) {
    if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
        el(out, indent, name, v);
    }
}

fn pair(out: &mut String, indent: usize, name: &str, nv: &NameValue) {
    let pad = "  ".repeat(indent);
    let _ = writeln!(out, "{pad}<{name}>");
    el(out, indent + 1, "valueName", &nv.name);
    el(out, indent + 1, "value", &nv.value);
    let _ = writeln!(out, "{pad}</{name}>");
}

fn num(v: f64) -> String {
    // Shortest text that reads back as the same number.
    let s = format!("{v}");
    if s.contains('e') {
        format!("{v:.7}")
    } else {
        s
    }
}

/// The alert as CAP 1.2 XML (UTF-8), whatever version it was read as.
pub fn write(a: &Alert) -> String {
    let mut o = String::with_capacity(2048);
    o.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(o, "<alert xmlns=\"{NS_12}\">");
    el(&mut o, 1, "identifier", &a.identifier);
    el(&mut o, 1, "sender", &a.sender);
    el(&mut o, 1, "sent", &a.sent.text);
    el(&mut o, 1, "status", &a.status);
    el(&mut o, 1, "msgType", &a.msg_type);
    opt(&mut o, 1, "source", &a.source);
    el(&mut o, 1, "scope", &a.scope);
    opt(&mut o, 1, "restriction", &a.restriction);
    opt(&mut o, 1, "addresses", &a.addresses);
    for c in &a.codes {
        el(&mut o, 1, "code", c);
    }
    opt(&mut o, 1, "note", &a.note);
    if !a.references.is_empty() {
        let refs: Vec<String> = a
            .references
            .iter()
            .map(|r| format!("{},{},{}", r.sender, r.identifier, r.sent))
            .collect();
        el(&mut o, 1, "references", &refs.join(" "));
    }
    opt(&mut o, 1, "incidents", &a.incidents);
    for info in &a.infos {
        write_info(&mut o, info);
    }
    o.push_str("</alert>\n");
    o
}

fn write_info(o: &mut String, info: &Info) {
    o.push_str("  <info>\n");
    opt(o, 2, "language", &info.language);
    for c in &info.categories {
        el(o, 2, "category", c);
    }
    el(o, 2, "event", &info.event);
    for r in &info.response_types {
        el(o, 2, "responseType", r);
    }
    el(o, 2, "urgency", &info.urgency);
    el(o, 2, "severity", &info.severity);
    el(o, 2, "certainty", &info.certainty);
    opt(o, 2, "audience", &info.audience);
    for c in &info.event_codes {
        pair(o, 2, "eventCode", c);
    }
    for (name, t) in [
        ("effective", &info.effective),
        ("onset", &info.onset),
        ("expires", &info.expires),
    ] {
        if let Some(t) = t {
            el(o, 2, name, &t.text);
        }
    }
    opt(o, 2, "senderName", &info.sender_name);
    opt(o, 2, "headline", &info.headline);
    opt(o, 2, "description", &info.description);
    opt(o, 2, "instruction", &info.instruction);
    opt(o, 2, "web", &info.web);
    opt(o, 2, "contact", &info.contact);
    for p in &info.parameters {
        pair(o, 2, "parameter", p);
    }
    for r in &info.resources {
        write_resource(o, r);
    }
    for area in &info.areas {
        write_area(o, area);
    }
    o.push_str("  </info>\n");
}

fn write_resource(o: &mut String, r: &Resource) {
    o.push_str("    <resource>\n");
    el(o, 3, "resourceDesc", &r.desc);
    el(o, 3, "mimeType", &r.mime_type);
    if let Some(s) = r.size {
        el(o, 3, "size", &s.to_string());
    }
    opt(o, 3, "uri", &r.uri);
    opt(o, 3, "derefUri", &r.deref_uri);
    opt(o, 3, "digest", &r.digest);
    o.push_str("    </resource>\n");
}

fn write_area(o: &mut String, area: &Area) {
    o.push_str("    <area>\n");
    el(o, 3, "areaDesc", &area.desc);
    for p in &area.polygons {
        let text: Vec<String> = p
            .points
            .iter()
            .map(|pt| format!("{},{}", num(pt.lat), num(pt.lon)))
            .collect();
        el(o, 3, "polygon", &text.join(" "));
    }
    for c in &area.circles {
        let text = format!(
            "{},{} {}",
            num(c.centre.lat),
            num(c.centre.lon),
            num(c.radius_km)
        );
        el(o, 3, "circle", &text);
    }
    for g in &area.geocodes {
        pair(o, 3, "geocode", g);
    }
    if let Some(v) = area.altitude {
        el(o, 3, "altitude", &num(v));
    }
    if let Some(v) = area.ceiling {
        el(o, 3, "ceiling", &num(v));
    }
    o.push_str("    </area>\n");
}
