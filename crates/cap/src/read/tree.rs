//! XML → tree: the document decoded to UTF-8 and read into a small element tree, refusing any
//! DTD and deep nesting.

use super::err;
use crate::*;
use quick_xml::Reader;
use quick_xml::events::Event;

#[derive(Debug, Default)]
pub(crate) struct El {
    pub(crate) name: String,
    pub(super) xmlns: Option<String>,
    /// Attributes by local name (the feed reader needs `href`, `type`, `rel`).
    pub(crate) attrs: Vec<(String, String)>,
    pub(crate) text: String,
    pub(crate) children: Vec<El>,
}

impl El {
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

const MAX_DEPTH: usize = 16;

/// The document as UTF-8: a BOM or the declaration's `encoding` (ISO-8859-1, GB18030 …) decides;
/// undeclared documents must be valid UTF-8.
fn to_utf8(xml: &[u8]) -> Result<std::borrow::Cow<'_, str>, CapError> {
    let bad = |m: String| err("XML_MALFORMED", "", format!("XML 编码错误：{m}"));
    let declared = || {
        let head = &xml[..xml.len().min(200)];
        let head = std::str::from_utf8(head)
            .unwrap_or_else(|e| std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""));
        let decl = head.strip_prefix("<?xml")?.split("?>").next()?;
        let at = decl.find("encoding")?;
        let rest = decl[at + 8..].trim_start().strip_prefix('=')?.trim_start();
        let quote = rest.chars().next()?;
        let value = rest[1..].split(quote).next()?;
        encoding_rs::Encoding::for_label(value.trim().as_bytes())
    };
    let encoding = match encoding_rs::Encoding::for_bom(xml) {
        Some((e, _)) => e,
        None => declared().unwrap_or(encoding_rs::UTF_8),
    };
    if encoding == encoding_rs::UTF_8 {
        let body = xml.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(xml);
        return std::str::from_utf8(body)
            .map(std::borrow::Cow::Borrowed)
            .map_err(|e| bad(format!("不是有效的 UTF-8（第 {} 字节）", e.valid_up_to())));
    }
    let (text, _, had_errors) = encoding.decode(xml);
    if had_errors {
        return Err(bad(format!("不是有效的 {} 文本", encoding.name())));
    }
    Ok(text)
}

pub(crate) fn parse_tree(xml: &[u8]) -> Result<El, CapError> {
    let text = to_utf8(xml)?;
    let mut reader = Reader::from_str(&text);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<El> = Vec::new();
    let mut buf = Vec::new();
    loop {
        let ev = reader.read_event_into(&mut buf).map_err(malformed)?;
        match ev {
            Event::DocType(_) => {
                return Err(err(
                    "XML_DTD_FORBIDDEN",
                    "",
                    "拒绝含 DOCTYPE 声明的消息：为防止外部实体注入（XXE），CAP 消息不得包含 DTD 或实体定义",
                ));
            }
            Event::Start(e) | Event::Empty(e) if stack.len() >= MAX_DEPTH => {
                let _ = e;
                return Err(malformed(format!("元素嵌套超过 {MAX_DEPTH} 层")));
            }
            Event::Start(e) => {
                stack.push(element(&e)?);
            }
            Event::Empty(e) => {
                if let Some(root) = attach(&mut stack, element(&e)?) {
                    return Ok(root);
                }
            }
            Event::End(_) => {
                let el = stack.pop().ok_or_else(|| malformed("多余的结束标签"))?;
                if let Some(root) = attach(&mut stack, el) {
                    return Ok(root);
                }
            }
            // The reader decodes the document's encoding (ISO-8859-1 …) into UTF-8 itself.
            Event::Text(t) => push_text(&mut stack, &t.xml10_content()),
            Event::CData(t) => push_text(&mut stack, &t),
            Event::GeneralRef(r) => push_text(&mut stack, &resolve_ref(&r)?),
            Event::Eof => return Err(malformed("消息不完整或为空")),
            // Declarations, comments and processing instructions (a stylesheet link is never
            // followed) carry nothing of the alert.
            _ => {}
        }
        buf.clear();
    }
}

fn malformed(m: impl std::fmt::Display) -> CapError {
    err("XML_MALFORMED", "", format!("XML 格式错误：{m}"))
}

/// Adds a finished element to its parent; the root, when there is none.
fn attach(stack: &mut [El], el: El) -> Option<El> {
    match stack.last_mut() {
        Some(parent) => {
            parent.children.push(el);
            None
        }
        None => Some(el),
    }
}

/// Text goes to the element being read (text outside the root is ignored).
fn push_text(stack: &mut [El], text: &str) {
    if let Some(top) = stack.last_mut() {
        top.text.push_str(text);
    }
}

/// A reference's text: a character reference or one of XML's five entities; any other entity
/// is refused.
fn resolve_ref(r: &quick_xml::events::BytesRef) -> Result<String, CapError> {
    if let Some(c) = r.resolve_char_ref().map_err(malformed)? {
        return Ok(c.to_string());
    }
    let name = r.to_string();
    match quick_xml::escape::resolve_predefined_entity(&name) {
        Some(s) => Ok(s.to_string()),
        None => Err(err(
            "XML_ENTITY_FORBIDDEN",
            "",
            format!("拒绝未定义的实体引用 &{name};（CAP 消息只能使用 XML 预定义实体）"),
        )),
    }
}

fn element(e: &quick_xml::events::BytesStart) -> Result<El, CapError> {
    let name = e.local_name().as_ref().to_string();
    // The namespace that binds this element's prefix (`<cap:alert xmlns:cap=…>`) or the default one.
    let qname = e.name();
    let binding = match qname.as_ref().split_once(':') {
        Some((prefix, _)) => format!("xmlns:{prefix}"),
        None => "xmlns".to_string(),
    };
    let mut xmlns = None;
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(malformed)?;
        if a.key.as_ref() == binding {
            xmlns = Some(a.value.trim().to_string());
        }
        // Only the predefined entities and character references resolve in attribute values.
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(malformed)?;
        attrs.push((a.key.local_name().as_ref().to_string(), value.into_owned()));
    }
    Ok(El {
        name,
        xmlns,
        attrs,
        ..Default::default()
    })
}
