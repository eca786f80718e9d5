//! Text inside the XML: character and entity references, attributes, OOXML's `_xHHHH_`
//! escapes and rich text (`<si>`, `<is>`).

use super::super::limits::KEEP_CHARS;
use super::super::text::{Text, keep};
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;

/// Text content of an event inside an element whose text we collect.
pub(super) fn push_text(ev: &Event, out: &mut Text) {
    match ev {
        Event::Text(t) => out.push(&t.xml10_content()),
        Event::CData(t) => out.push(t),
        Event::GeneralRef(r) => match r.resolve_char_ref() {
            Ok(Some(c)) => out.push(c.encode_utf8(&mut [0; 4])),
            _ => match quick_xml::escape::resolve_predefined_entity(r) {
                Some(s) => out.push(s),
                None => {
                    out.push("&");
                    out.push(r);
                    out.push(";");
                }
            },
        },
        _ => {}
    }
}

/// The value of the attribute with this local name (`r:id` answers to "id"); references
/// and white space are resolved only where there are any.
pub(super) fn attr<'e>(e: &'e BytesStart, local: &str) -> Option<Cow<'e, str>> {
    let mut attrs = e.attributes();
    attrs.with_checks(false);
    for a in attrs.flatten() {
        if a.key.local_name().as_ref() == local {
            if !a.value.contains(['&', '\t', '\r', '\n']) {
                return Some(a.value);
            }
            return a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| Cow::Owned(v.into_owned()));
        }
    }
    None
}

/// OOXML escapes characters XML cannot hold as `_xHHHH_`.
fn unescape_ooxml(s: &str) -> Cow<'_, str> {
    if !s.contains("_x") {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("_x") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let decoded = tail
            .get(2..6)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .filter(|_| tail.as_bytes().get(6) == Some(&b'_'))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32);
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &tail[7..];
            }
            None => {
                out.push_str("_x");
                rest = &tail[2..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Text is collected up to this many characters before `_xHHHH_` escapes are undone
/// (seven characters each at most), then cut to `KEEP_CHARS`.
pub(super) const RAW_CHARS: usize = 7 * KEEP_CHARS;

pub(super) fn finish_text(t: &Text) -> String {
    keep(&unescape_ooxml(&t.s)).to_string()
}

/// A string item (`<si>`) or inline string (`<is>`): the text of its `<t>` elements, but
/// not of phonetic guides (`<rPh>`), each trimmed of XML white space unless it says
/// `xml:space="preserve"`, as Excel reads them.
pub(super) struct RichText {
    pub(super) out: Text,
    t: Text,
    in_t: bool,
    preserve: bool,
    phonetic: usize,
}

impl RichText {
    pub(super) fn new() -> Self {
        Self {
            out: Text::new(KEEP_CHARS),
            t: Text::new(RAW_CHARS),
            in_t: false,
            preserve: false,
            phonetic: 0,
        }
    }

    pub(super) fn clear(&mut self) {
        self.out.clear();
        self.t.clear();
        self.in_t = false;
        self.phonetic = 0;
    }

    /// Takes the events inside the string; false for others.
    pub(super) fn event(&mut self, ev: &Event) -> bool {
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let empty = matches!(ev, Event::Empty(_));
                match e.local_name().as_ref() {
                    "rPh" if !empty => self.phonetic += 1,
                    "t" if !empty && self.phonetic == 0 => {
                        self.in_t = true;
                        self.t.clear();
                        self.preserve = attr(e, "space").as_deref() == Some("preserve");
                    }
                    _ => return false,
                }
            }
            Event::End(e) => match e.local_name().as_ref() {
                "rPh" => self.phonetic = self.phonetic.saturating_sub(1),
                "t" if self.in_t => {
                    self.in_t = false;
                    let raw = if self.preserve {
                        self.t.s.as_str()
                    } else {
                        self.t.s.trim_matches([' ', '\t', '\r', '\n'])
                    };
                    self.out.push(&unescape_ooxml(raw));
                }
                _ => return false,
            },
            ev if self.in_t => push_text(ev, &mut self.t),
            _ => return false,
        }
        true
    }
}
