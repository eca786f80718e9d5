//! Reading CAP: XML into a small element tree (no DTD, no entities beyond XML's five and
//! character references), then the tree into an [`Alert`] with every rule checked.

use crate::*;
use quick_xml::Reader;
use quick_xml::events::Event;

#[derive(Debug, Clone, Copy)]
pub struct ReadOptions {
    /// Points allowed in one polygon (a longer one is refused, not simplified).
    pub max_polygon_points: usize,
    /// Largest message accepted, in bytes.
    pub max_bytes: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            max_polygon_points: 10_000,
            max_bytes: 4 * 1024 * 1024,
        }
    }
}

pub fn read(xml: &[u8]) -> Result<Alert, Vec<CapError>> {
    read_with(xml, ReadOptions::default())
}

pub fn read_with(xml: &[u8], opts: ReadOptions) -> Result<Alert, Vec<CapError>> {
    if xml.len() > opts.max_bytes {
        return Err(vec![err(
            "MESSAGE_TOO_LARGE",
            "alert",
            format!("消息过大：{} 字节，上限 {} 字节", xml.len(), opts.max_bytes),
        )]);
    }
    let root = parse_tree(xml).map_err(|e| vec![e])?;
    let mut cx = Cx {
        errors: Vec::new(),
        opts,
    };
    let alert = cx.alert(&root);
    match alert {
        Some(a) if cx.errors.is_empty() => Ok(a),
        _ => Err(cx.errors),
    }
}

fn err(code: &'static str, path: &str, message: impl Into<String>) -> CapError {
    CapError {
        code,
        path: path.to_string(),
        message: message.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// XML → tree

#[derive(Debug, Default)]
pub(crate) struct El {
    pub(crate) name: String,
    xmlns: Option<String>,
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
    let bad = |m: String| err("XML_MALFORMED", "", format!("XML 格式错误：{m}"));
    loop {
        let ev = reader
            .read_event_into(&mut buf)
            .map_err(|e| bad(e.to_string()))?;
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
                return Err(bad(format!("元素嵌套超过 {MAX_DEPTH} 层")));
            }
            Event::Start(e) => {
                stack.push(element(&e)?);
            }
            Event::Empty(e) => {
                let el = element(&e)?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => return Ok(el),
                }
            }
            Event::End(_) => {
                let el = stack.pop().ok_or_else(|| bad("多余的结束标签".into()))?;
                match stack.last_mut() {
                    Some(parent) => parent.children.push(el),
                    None => return Ok(el),
                }
            }
            // The reader decodes the document's encoding (ISO-8859-1 …) into UTF-8 itself.
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t);
                }
            }
            Event::GeneralRef(r) => {
                let ch = r.resolve_char_ref().map_err(|e| bad(e.to_string()))?;
                let text = match ch {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.to_string();
                        match quick_xml::escape::resolve_predefined_entity(&name) {
                            Some(s) => s.to_string(),
                            None => {
                                return Err(err(
                                    "XML_ENTITY_FORBIDDEN",
                                    "",
                                    format!(
                                        "拒绝未定义的实体引用 &{name};（CAP 消息只能使用 XML 预定义实体）"
                                    ),
                                ));
                            }
                        }
                    }
                };
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&text);
                }
            }
            Event::Eof => return Err(bad("消息不完整或为空".into())),
            // Declarations, comments and processing instructions (a stylesheet link is never
            // followed) carry nothing of the alert.
            _ => {}
        }
        buf.clear();
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
        let bad = |x: String| err("XML_MALFORMED", "", format!("XML 格式错误：{x}"));
        let a = a.map_err(|x| bad(x.to_string()))?;
        if a.key.as_ref() == binding {
            xmlns = Some(a.value.trim().to_string());
        }
        // Only the predefined entities and character references resolve in attribute values.
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|x| bad(x.to_string()))?;
        attrs.push((a.key.local_name().as_ref().to_string(), value.into_owned()));
    }
    Ok(El {
        name,
        xmlns,
        attrs,
        ..Default::default()
    })
}

// ---------------------------------------------------------------------------------------------
// Tree → Alert, with the rules

struct Cx {
    errors: Vec<CapError>,
    opts: ReadOptions,
}

const ALERT_SEQ: &[(&str, bool)] = &[
    // (element, repeatable)
    ("identifier", false),
    ("sender", false),
    ("password", false),
    ("sent", false),
    ("status", false),
    ("msgType", false),
    ("source", false),
    ("scope", false),
    ("restriction", false),
    ("addresses", false),
    ("code", true),
    ("note", false),
    ("references", false),
    ("incidents", false),
    ("info", true),
    ("Signature", true),
];
const INFO_SEQ: &[(&str, bool)] = &[
    ("language", false),
    ("category", true),
    ("event", false),
    ("responseType", true),
    ("urgency", false),
    ("severity", false),
    ("certainty", false),
    ("audience", false),
    ("eventCode", true),
    ("effective", false),
    ("onset", false),
    ("expires", false),
    ("senderName", false),
    ("headline", false),
    ("description", false),
    ("instruction", false),
    ("web", false),
    ("contact", false),
    ("parameter", true),
    ("resource", true),
    ("area", true),
];
const RESOURCE_SEQ: &[(&str, bool)] = &[
    ("resourceDesc", false),
    ("mimeType", false),
    ("size", false),
    ("uri", false),
    ("derefUri", false),
    ("digest", false),
];
const AREA_SEQ: &[(&str, bool)] = &[
    ("areaDesc", false),
    ("polygon", true),
    ("circle", true),
    ("geocode", true),
    ("altitude", false),
    ("ceiling", false),
];
const PAIR_SEQ: &[(&str, bool)] = &[("valueName", false), ("value", false)];

impl Cx {
    fn add(&mut self, code: &'static str, path: &str, message: impl Into<String>) {
        self.errors.push(err(code, path, message));
    }

    /// Checks the children's names, order and repetition against the element's sequence.
    fn sequence(&mut self, el: &El, path: &str, seq: &[(&str, bool)]) {
        let mut last = 0usize;
        let mut seen = vec![0usize; seq.len()];
        for c in &el.children {
            match seq.iter().position(|(n, _)| *n == c.name) {
                None => self.add(
                    "UNSUPPORTED_ELEMENT",
                    &format!("{path}/{}", c.name),
                    format!("不支持的元素 <{}>（位于 {path}）", c.name),
                ),
                Some(i) => {
                    if i < last {
                        self.add(
                            "INVALID_SEQUENCE",
                            &format!("{path}/{}", c.name),
                            format!(
                                "元素 <{}> 的位置不对：CAP 规定的顺序中它应在 <{}> 之前",
                                c.name, seq[last].0
                            ),
                        );
                    }
                    seen[i] += 1;
                    if seen[i] == 2 && !seq[i].1 {
                        self.add(
                            "DUPLICATE_ELEMENT",
                            &format!("{path}/{}", c.name),
                            format!("元素 <{}> 只能出现一次", c.name),
                        );
                    }
                    last = last.max(i);
                }
            }
        }
    }

    fn alert(&mut self, root: &El) -> Option<Alert> {
        if root.name != "alert" {
            self.add(
                "NOT_CAP",
                "",
                format!("根元素应为 <alert>，实际为 <{}>", root.name),
            );
            return None;
        }
        let version = match root.xmlns.as_deref() {
            Some(NS_12) => Version::V12,
            Some(NS_11) => Version::V11,
            other => {
                self.add(
                    "UNSUPPORTED_VERSION",
                    "alert",
                    format!(
                        "不支持的命名空间“{}”：应为 CAP 1.2（{NS_12}）或 1.1",
                        other.unwrap_or("")
                    ),
                );
                return None;
            }
        };
        let p = "alert";
        self.sequence(root, p, ALERT_SEQ);
        if child(root, "password").is_some() {
            self.add(
                "DEPRECATED_PASSWORD",
                "alert/password",
                "CAP 1.2 已废止 <password> 元素",
            );
        }
        let identifier = self.required(root, p, "identifier");
        let sender = self.required(root, p, "sender");
        for (field, v) in [("identifier", &identifier), ("sender", &sender)] {
            if let Some(v) = v
                && v.chars()
                    .any(|c| c.is_whitespace() || c == ',' || c == '<' || c == '&')
            {
                self.add(
                    if field == "identifier" {
                        "INVALID_IDENTIFIER"
                    } else {
                        "INVALID_SENDER"
                    },
                    &format!("alert/{field}"),
                    format!("<{field}> 不能包含空格、逗号、< 或 &：“{v}”"),
                );
            }
        }
        let sent = self.datetime_required(root, p, "sent");
        let status = self.enumerated(root, p, "status", &STATUSES);
        let msg_type = self.enumerated(root, p, "msgType", &MSG_TYPES);
        let scope = self.enumerated(root, p, "scope", &SCOPES);
        let restriction = text_of(root, "restriction");
        let addresses = text_of(root, "addresses");
        match scope.as_deref() {
            Some("Restricted") if restriction.is_none() => self.add(
                "RESTRICTION_SCOPE_MISMATCH",
                "alert/restriction",
                "scope 为 Restricted 时须填写 <restriction>",
            ),
            Some(s) if s != "Restricted" && restriction.is_some() => self.add(
                "RESTRICTION_SCOPE_MISMATCH",
                "alert/restriction",
                "只有 scope 为 Restricted 时才能填写 <restriction>",
            ),
            Some("Private") if addresses.is_none() => self.add(
                "ADDRESSES_REQUIRED",
                "alert/addresses",
                "scope 为 Private 时须填写 <addresses>",
            ),
            _ => {}
        }
        let references = self.references(
            root,
            identifier.as_deref(),
            sender.as_deref(),
            sent.as_ref(),
        );
        if matches!(
            msg_type.as_deref(),
            Some("Update" | "Cancel" | "Ack" | "Error")
        ) && references.is_empty()
            && !self.errors.iter().any(|e| e.code == "INVALID_REFERENCES")
        {
            self.add(
                "UPDATE_OR_CANCEL_MUST_REFERENCE",
                "alert/references",
                format!(
                    "msgType 为 {} 的消息须在 <references> 中引用先前的消息",
                    msg_type.as_deref().unwrap_or("")
                ),
            );
        }
        let infos: Vec<Info> = children(root, "info")
            .enumerate()
            .filter_map(|(i, el)| self.info(el, &format!("alert/info[{i}]"), version))
            .collect();
        Some(Alert {
            version,
            identifier: identifier?,
            sender: sender?,
            sent: sent?,
            status: status?,
            msg_type: msg_type?,
            source: text_of(root, "source"),
            scope: scope?,
            restriction,
            addresses,
            codes: children(root, "code")
                .filter_map(|c| trimmed(&c.text))
                .collect(),
            note: text_of(root, "note"),
            references,
            incidents: text_of(root, "incidents"),
            infos,
        })
    }

    fn references(
        &mut self,
        root: &El,
        identifier: Option<&str>,
        sender: Option<&str>,
        sent: Option<&DateTime>,
    ) -> Vec<Reference> {
        let Some(el) = child(root, "references") else {
            return Vec::new();
        };
        let text = el.text.trim();
        if text.is_empty() {
            self.add(
                "INVALID_REFERENCES",
                "alert/references",
                "<references> 不能为空：应为以空格分隔的“发送者,标识符,发送时间”",
            );
            return Vec::new();
        }
        let mut out = Vec::new();
        for (i, triplet) in text.split_whitespace().enumerate() {
            let parts: Vec<&str> = triplet.split(',').collect();
            let path = format!("alert/references[{i}]");
            if parts.len() != 3 || parts.iter().any(|p| p.is_empty()) {
                self.add(
                    "INVALID_REFERENCES",
                    &path,
                    format!("引用“{triplet}”格式不正确：应为“发送者,标识符,发送时间”"),
                );
                continue;
            }
            let r = Reference {
                sender: parts[0].into(),
                identifier: parts[1].into(),
                sent: parts[2].into(),
            };
            match parse_datetime(&r.sent) {
                Err(m) => self.add("INVALID_REFERENCES", &path, format!("引用的发送时间{m}")),
                Ok(t) if sent.is_some_and(|s| t.epoch_ms > s.epoch_ms) => self.add(
                    "POSTDATED_REFERENCE",
                    &path,
                    format!("引用的消息（{}）发送时间晚于本消息", r.sent),
                ),
                Ok(_) => {}
            }
            if Some(r.identifier.as_str()) == identifier && Some(r.sender.as_str()) == sender {
                self.add("CIRCULAR_REFERENCE", &path, "消息不能引用自身");
            }
            out.push(r);
        }
        out
    }

    fn info(&mut self, el: &El, p: &str, version: Version) -> Option<Info> {
        self.sequence(el, p, INFO_SEQ);
        let mut categories = Vec::new();
        for (i, c) in children(el, "category").enumerate() {
            if let Some(v) =
                self.enum_value(c, &format!("{p}/category[{i}]"), "category", &CATEGORIES)
            {
                categories.push(v)
            }
        }
        if categories.is_empty()
            && !self
                .errors
                .iter()
                .any(|e| e.path.starts_with(&format!("{p}/category")))
        {
            self.add(
                "MISSING_REQUIRED_ELEMENT",
                &format!("{p}/category"),
                "缺少必填元素 <category>",
            );
        }
        let event = self.required(el, p, "event");
        let mut response_types = Vec::new();
        for (i, c) in children(el, "responseType").enumerate() {
            if let Some(v) = self.enum_value(
                c,
                &format!("{p}/responseType[{i}]"),
                "responseType",
                &RESPONSE_TYPES,
            ) {
                response_types.push(v);
            }
        }
        let urgency = self.enumerated(el, p, "urgency", &URGENCIES);
        let severity = self.enumerated(el, p, "severity", &SEVERITIES);
        let certainty = match child(el, "certainty").map(|c| c.text.trim()) {
            // CAP 1.1 allowed "Very Likely"; 1.2 deprecates it.
            Some("Very Likely") if version == Version::V11 => Some("Likely".to_string()),
            Some("Very Likely") => {
                self.add(
                    "CERTAINTY_VERY_LIKELY_DEPRECATED",
                    &format!("{p}/certainty"),
                    "CAP 1.2 已不再使用 certainty 值 Very Likely，请改为 Likely",
                );
                None
            }
            _ => self.enumerated(el, p, "certainty", &CERTAINTIES),
        };
        let event_codes = self.pairs(el, p, "eventCode");
        let parameters = self.pairs(el, p, "parameter");
        let effective = self.datetime_optional(el, p, "effective");
        let onset = self.datetime_optional(el, p, "onset");
        let expires = self.datetime_optional(el, p, "expires");
        if let (Some(e), Some(x)) = (&effective, &expires)
            && x.epoch_ms < e.epoch_ms
        {
            self.add(
                "EFFECTIVE_NOT_AFTER_EXPIRES",
                &format!("{p}/expires"),
                format!("失效时间 {} 早于生效时间 {}", x.text, e.text),
            );
        }
        let web = text_of(el, "web");
        if let Some(w) = &web
            && !is_absolute_uri(w)
        {
            self.add(
                "INVALID_WEB",
                &format!("{p}/web"),
                format!("<web> 应为绝对网址：“{w}”"),
            );
        }
        if let Some(language) = text_of(el, "language") {
            let ok = language.len() <= 35
                && language.split('-').all(|s| {
                    !s.is_empty() && s.len() <= 8 && s.chars().all(|c| c.is_ascii_alphanumeric())
                });
            if !ok {
                self.add(
                    "INVALID_LANGUAGE",
                    &format!("{p}/language"),
                    format!("语言代码“{language}”不正确，应如 zh-CN"),
                );
            }
        }
        let resources = children(el, "resource")
            .enumerate()
            .filter_map(|(i, r)| self.resource(r, &format!("{p}/resource[{i}]")))
            .collect();
        let areas = children(el, "area")
            .enumerate()
            .filter_map(|(i, a)| self.area(a, &format!("{p}/area[{i}]")))
            .collect();
        Some(Info {
            language: text_of(el, "language"),
            categories,
            event: event?,
            response_types,
            urgency: urgency?,
            severity: severity?,
            certainty: certainty?,
            audience: text_of(el, "audience"),
            event_codes,
            effective,
            onset,
            expires,
            sender_name: text_of(el, "senderName"),
            headline: text_of(el, "headline"),
            description: text_of(el, "description"),
            instruction: text_of(el, "instruction"),
            web,
            contact: text_of(el, "contact"),
            parameters,
            resources,
            areas,
        })
    }

    /// valueName/value pairs. An event code without a value says nothing about the event and is
    /// an error; a parameter or geocode may carry an empty value (australia.cap does).
    fn pairs(&mut self, el: &El, p: &str, name: &str) -> Vec<NameValue> {
        let value_required = name == "eventCode";
        let mut out = Vec::new();
        for (i, c) in children(el, name).enumerate() {
            let path = format!("{p}/{name}[{i}]");
            self.sequence(c, &path, PAIR_SEQ);
            let n = text_of(c, "valueName");
            let v = text_of(c, "value");
            match (n, v) {
                (Some(name_), Some(value)) => out.push(NameValue { name: name_, value }),
                (Some(name_), None) if !value_required && child(c, "value").is_some() => {
                    out.push(NameValue {
                        name: name_,
                        value: String::new(),
                    })
                }
                (None, _) => self.add(
                    "MISSING_REQUIRED_ELEMENT",
                    &format!("{path}/valueName"),
                    format!("<{name}> 缺少 <valueName>"),
                ),
                (Some(_), None) => self.add(
                    "MISSING_REQUIRED_ELEMENT",
                    &format!("{path}/value"),
                    format!("<{name}> 的 <value> 不能为空"),
                ),
            }
        }
        out
    }

    fn resource(&mut self, el: &El, p: &str) -> Option<Resource> {
        self.sequence(el, p, RESOURCE_SEQ);
        let desc = self.required(el, p, "resourceDesc");
        let mime = self.required(el, p, "mimeType");
        let size = match text_of(el, "size") {
            Some(s) => match s.parse::<i64>() {
                Ok(n) if n >= 0 => Some(n),
                _ => {
                    self.add(
                        "INVALID_RESOURCE_SIZE",
                        &format!("{p}/size"),
                        format!("<size> 应为非负整数：“{s}”"),
                    );
                    None
                }
            },
            None => None,
        };
        let uri = text_of(el, "uri");
        let deref = text_of(el, "derefUri");
        if let Some(u) = &uri
            && !is_absolute_uri(u)
            && deref.is_none()
        {
            self.add(
                "RELATIVE_URI_MISSING_DEREF_URI",
                &format!("{p}/uri"),
                "相对地址的资源须同时提供 <derefUri>",
            );
        }
        Some(Resource {
            desc: desc?,
            mime_type: mime?,
            size,
            uri,
            deref_uri: deref,
            digest: text_of(el, "digest"),
        })
    }

    fn area(&mut self, el: &El, p: &str) -> Option<Area> {
        self.sequence(el, p, AREA_SEQ);
        let desc = self.required(el, p, "areaDesc");
        let mut polygons = Vec::new();
        for (i, c) in children(el, "polygon").enumerate() {
            let path = format!("{p}/polygon[{i}]");
            match parse_polygon(&c.text, self.opts.max_polygon_points) {
                Ok(poly) => polygons.push(poly),
                Err((code, m)) => self.add(code, &path, m),
            }
        }
        let mut circles = Vec::new();
        for (i, c) in children(el, "circle").enumerate() {
            match parse_circle(&c.text) {
                Ok(circle) => circles.push(circle),
                Err(m) => self.add("INVALID_CIRCLE", &format!("{p}/circle[{i}]"), m),
            }
        }
        let geocodes = self.pairs(el, p, "geocode");
        let num = |cx: &mut Cx, name: &str| -> Option<f64> {
            let t = text_of(el, name)?;
            match t.parse::<f64>() {
                Ok(v) if v.is_finite() => Some(v),
                _ => {
                    cx.add(
                        "INVALID_AREA",
                        &format!("{p}/{name}"),
                        format!("<{name}> 应为数值：“{t}”"),
                    );
                    None
                }
            }
        };
        let altitude = num(self, "altitude");
        let ceiling = num(self, "ceiling");
        match (altitude, ceiling) {
            (None, Some(_)) => self.add(
                "INVALID_AREA",
                &format!("{p}/ceiling"),
                "有 <ceiling> 时须有 <altitude>",
            ),
            (Some(a), Some(c)) if a > c => self.add(
                "INVALID_ALTITUDE_CEILING_RANGE",
                &format!("{p}/ceiling"),
                format!("<altitude> {a} 高于 <ceiling> {c}"),
            ),
            _ => {}
        }
        Some(Area {
            desc: desc?,
            polygons,
            circles,
            geocodes,
            altitude,
            ceiling,
        })
    }

    fn required(&mut self, el: &El, p: &str, name: &str) -> Option<String> {
        let v = text_of(el, name);
        if v.is_none() {
            let present = child(el, name).is_some();
            self.add(
                "MISSING_REQUIRED_ELEMENT",
                &format!("{p}/{name}"),
                if present {
                    format!("必填元素 <{name}> 不能为空")
                } else {
                    format!("缺少必填元素 <{name}>")
                },
            );
        }
        v
    }

    fn enumerated(&mut self, el: &El, p: &str, name: &str, allowed: &[&str]) -> Option<String> {
        match child(el, name) {
            None => {
                self.add(
                    "MISSING_REQUIRED_ELEMENT",
                    &format!("{p}/{name}"),
                    format!("缺少必填元素 <{name}>"),
                );
                None
            }
            Some(c) => self.enum_value(c, &format!("{p}/{name}"), name, allowed),
        }
    }

    fn enum_value(&mut self, c: &El, path: &str, name: &str, allowed: &[&str]) -> Option<String> {
        let v = c.text.trim();
        if allowed.contains(&v) {
            return Some(v.to_string());
        }
        self.add(
            if v.is_empty() {
                "MISSING_REQUIRED_ELEMENT"
            } else {
                "INVALID_ENUM_VALUE"
            },
            path,
            if v.is_empty() {
                format!("<{name}> 不能为空，应为：{}", allowed.join("、"))
            } else {
                format!("<{name}> 的值“{v}”无效，应为：{}", allowed.join("、"))
            },
        );
        None
    }

    fn datetime_required(&mut self, el: &El, p: &str, name: &str) -> Option<DateTime> {
        let t = self.required(el, p, name)?;
        self.datetime(&t, &format!("{p}/{name}"), name)
    }

    fn datetime_optional(&mut self, el: &El, p: &str, name: &str) -> Option<DateTime> {
        let t = text_of(el, name)?;
        self.datetime(&t, &format!("{p}/{name}"), name)
    }

    fn datetime(&mut self, t: &str, path: &str, name: &str) -> Option<DateTime> {
        match parse_datetime(t) {
            Ok(d) => Some(d),
            Err(m) => {
                self.add("INVALID_DATE", path, format!("<{name}>{m}"));
                None
            }
        }
    }
}

fn child<'a>(el: &'a El, name: &str) -> Option<&'a El> {
    el.children.iter().find(|c| c.name == name)
}

fn children<'a>(el: &'a El, name: &'a str) -> impl Iterator<Item = &'a El> + 'a {
    el.children.iter().filter(move |c| c.name == name)
}

fn trimmed(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// An element's text, trimmed; empty or absent is None (`<note/>` says nothing).
fn text_of(el: &El, name: &str) -> Option<String> {
    child(el, name).and_then(|c| trimmed(&c.text))
}

fn is_absolute_uri(s: &str) -> bool {
    match s.split_once(':') {
        Some((scheme, rest)) => {
            !scheme.is_empty()
                && scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !rest.is_empty()
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// `YYYY-MM-DDThh:mm:ss±hh:mm` exactly (the schema's pattern: no `Z`, no fractions).
pub(crate) fn parse_datetime(t: &str) -> Result<DateTime, String> {
    let b = t.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        r.into_iter()
            .all(|i| b.get(i).is_some_and(u8::is_ascii_digit))
    };
    let shape = b.len() == 25
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && (b[19] == b'+' || b[19] == b'-')
        && digits(20..22)
        && b[22] == b':'
        && digits(23..25);
    if !shape {
        return Err(format!(
            "时间“{t}”格式不正确：应为 2026-07-01T10:00:00+08:00（须带时区偏移，不用 Z）"
        ));
    }
    let ts: jiff::Timestamp = t
        .parse()
        .map_err(|_| format!("时间“{t}”不是有效的日期时间"))?;
    Ok(DateTime {
        text: t.to_string(),
        epoch_ms: ts.as_millisecond(),
    })
}

fn parse_point(s: &str) -> Result<Point, String> {
    let (a, b) = s
        .split_once(',')
        .ok_or_else(|| format!("坐标“{s}”应为“纬度,经度”"))?;
    let (lat, lon) = (
        a.trim()
            .parse::<f64>()
            .map_err(|_| format!("纬度“{a}”不是数值"))?,
        b.trim()
            .parse::<f64>()
            .map_err(|_| format!("经度“{b}”不是数值"))?,
    );
    if !lat.is_finite() || !lon.is_finite() {
        return Err(format!("坐标“{s}”不是有限数值"));
    }
    if !(-90.0..=90.0).contains(&lat) {
        // A Chinese longitude where the latitude should be: the pair is the wrong way round.
        if (73.0..=136.0).contains(&lat) && (3.0..=54.0).contains(&lon) {
            return Err(format!(
                "坐标“{s}”的经纬度可能颠倒：CAP 坐标顺序为“纬度,经度”（如 29.70,115.99）"
            ));
        }
        return Err(format!("纬度 {lat} 超出范围 -90 到 90"));
    }
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!("经度 {lon} 超出范围 -180 到 180"));
    }
    Ok(Point { lat, lon })
}

fn parse_polygon(text: &str, max_points: usize) -> Result<Polygon, (&'static str, String)> {
    let mut points = Vec::new();
    for (i, pair) in text.split_whitespace().enumerate() {
        if i >= max_points {
            return Err((
                "POLYGON_TOO_MANY_POINTS",
                format!("多边形顶点超过 {max_points} 个，请简化后再发送"),
            ));
        }
        points.push(parse_point(pair).map_err(|m| ("INVALID_POLYGON", m))?);
    }
    check_ring(&points, max_points)?;
    Ok(Polygon { points })
}

/// The rules of a CAP polygon on points already read: at least four, closed, at most
/// `max_points`, not crossing itself. Also used for polygons drawn in the console.
pub fn check_ring(points: &[Point], max_points: usize) -> Result<(), (&'static str, String)> {
    if points.len() > max_points {
        return Err((
            "POLYGON_TOO_MANY_POINTS",
            format!("多边形顶点超过 {max_points} 个，请简化后再发送"),
        ));
    }
    if points.len() < 4 {
        return Err((
            "INVALID_POLYGON",
            format!(
                "多边形至少需要 4 个坐标点（首尾相同），实际 {} 个",
                points.len()
            ),
        ));
    }
    if points.first() != points.last() {
        return Err((
            "INVALID_POLYGON",
            "多边形未闭合：第一个坐标点应与最后一个相同".into(),
        ));
    }
    if let Some((i, j)) = self_intersection(points) {
        return Err((
            "INVALID_POLYGON_SELF_INTERSECTION",
            format!("多边形自相交：第 {} 条边与第 {} 条边相交", i + 1, j + 1),
        ));
    }
    Ok(())
}

/// The first pair of non-adjacent edges that cross, if any (edges i: points[i] → points[i+1]).
fn self_intersection(p: &[Point]) -> Option<(usize, usize)> {
    let n = p.len() - 1; // edges of the closed ring
    let seg = |i: usize| (p[i], p[i + 1]);
    let orient = |a: Point, b: Point, c: Point| {
        let v = (b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon);
        if v > 0.0 {
            1
        } else if v < 0.0 {
            -1
        } else {
            0
        }
    };
    let on = |a: Point, b: Point, c: Point| {
        c.lon >= a.lon.min(b.lon)
            && c.lon <= a.lon.max(b.lon)
            && c.lat >= a.lat.min(b.lat)
            && c.lat <= a.lat.max(b.lat)
    };
    // Edges sorted by their left end let each one be compared only with those that overlap it in x.
    let mut order: Vec<usize> = (0..n).collect();
    let min_x = |i: usize| p[i].lon.min(p[i + 1].lon);
    let max_x = |i: usize| p[i].lon.max(p[i + 1].lon);
    order.sort_by(|&a, &b| min_x(a).total_cmp(&min_x(b)));
    for (k, &i) in order.iter().enumerate() {
        for &j in &order[k + 1..] {
            if min_x(j) > max_x(i) {
                break;
            }
            let (lo, hi) = (i.min(j), i.max(j));
            if hi == lo + 1 || (lo == 0 && hi == n - 1) {
                continue; // neighbours share a point
            }
            let ((a, b), (c, d)) = (seg(i), seg(j));
            let (o1, o2, o3, o4) = (
                orient(a, b, c),
                orient(a, b, d),
                orient(c, d, a),
                orient(c, d, b),
            );
            let crosses = (o1 != o2 && o3 != o4)
                || (o1 == 0 && on(a, b, c))
                || (o2 == 0 && on(a, b, d))
                || (o3 == 0 && on(c, d, a))
                || (o4 == 0 && on(c, d, b));
            if crosses {
                return Some((lo, hi));
            }
        }
    }
    None
}

fn parse_circle(text: &str) -> Result<Circle, String> {
    let mut parts = text.split_whitespace();
    let (Some(c), Some(r), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(format!(
            "圆形区域“{}”应为“纬度,经度 半径（公里）”",
            text.trim()
        ));
    };
    let centre = parse_point(c)?;
    let radius_km: f64 = r.parse().map_err(|_| format!("半径“{r}”不是数值"))?;
    if !radius_km.is_finite() || radius_km < 0.0 {
        return Err(format!("半径 {r} 应为非负数"));
    }
    Ok(Circle { centre, radius_km })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_follow_the_schema_pattern() {
        assert_eq!(
            parse_datetime("2026-07-01T10:00:00+08:00")
                .unwrap()
                .epoch_ms,
            1_782_871_200_000
        );
        assert!(parse_datetime("2026-07-01T10:00:00Z").is_err());
        assert!(parse_datetime("2026-07-01T10:00:00.5+08:00").is_err());
        assert!(parse_datetime("2026-02-30T10:00:00+08:00").is_err());
    }

    #[test]
    fn polygons_closed_with_four_points_and_no_crossing() {
        let ok = parse_polygon("29.70,115.95 29.70,116.00 29.75,116.00 29.70,115.95", 100).unwrap();
        assert_eq!(ok.lon_lat()[1], [116.00, 29.70]);
        assert!(
            parse_polygon("29.70,115.95 29.70,116.00 29.70,115.95", 100)
                .unwrap_err()
                .1
                .contains("至少需要 4 个")
        );
        assert!(
            parse_polygon("29.70,115.95 29.70,116.00 29.75,116.00 29.71,115.95", 100)
                .unwrap_err()
                .1
                .contains("未闭合")
        );
        let bow = parse_polygon("0,0 0,1 1,0 1,1 0,0", 100).unwrap_err();
        assert_eq!(bow.0, "INVALID_POLYGON_SELF_INTERSECTION");
        let swapped =
            parse_polygon("115.95,29.70 116.00,29.70 116.00,29.75 115.95,29.70", 100).unwrap_err();
        assert!(swapped.1.contains("颠倒"), "{}", swapped.1);
        assert_eq!(
            parse_polygon("0,0 0,1 1,1 0,0", 3).unwrap_err().0,
            "POLYGON_TOO_MANY_POINTS"
        );
        assert!(parse_circle("29.7,116.0 5").is_ok());
        assert!(parse_circle("29.7,116.0").is_err());
        assert!(parse_circle("29.7,116.0 -1").is_err());
    }
}
