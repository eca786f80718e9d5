//! The `<info>` element and what it holds: valueName/value pairs, `<resource>` and `<area>`.

use super::check::{child, children, is_absolute_uri, text_of};
use super::values::{parse_circle, parse_polygon};
use super::{Cx, El};
use crate::*;

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
    pub(super) fn info(&mut self, el: &El, p: &str, version: Version) -> Option<Info> {
        self.sequence(el, p, INFO_SEQ);
        let categories = self.categories(el, p);
        let event = self.required(el, p, "event");
        let response_types = self.enum_list(el, p, "responseType", &RESPONSE_TYPES);
        let urgency = self.enumerated(el, p, "urgency", &URGENCIES);
        let severity = self.enumerated(el, p, "severity", &SEVERITIES);
        let certainty = self.certainty(el, p, version);
        let event_codes = self.pairs(el, p, "eventCode");
        let parameters = self.pairs(el, p, "parameter");
        let effective = self.datetime_optional(el, p, "effective");
        let onset = self.datetime_optional(el, p, "onset");
        let expires = self.datetime_optional(el, p, "expires");
        self.check_expires(p, effective.as_ref(), expires.as_ref());
        let web = text_of(el, "web");
        self.check_web(p, web.as_deref());
        self.check_language(el, p);
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

    /// The `<category>` elements, at least one (unless those present were refused already).
    fn categories(&mut self, el: &El, p: &str) -> Vec<String> {
        let categories = self.enum_list(el, p, "category", &CATEGORIES);
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
        categories
    }

    /// The valid values of a repeatable enumerated element (`category`, `responseType`).
    fn enum_list(&mut self, el: &El, p: &str, name: &str, allowed: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        for (i, c) in children(el, name).enumerate() {
            if let Some(v) = self.enum_value(c, &format!("{p}/{name}[{i}]"), name, allowed) {
                out.push(v);
            }
        }
        out
    }

    fn certainty(&mut self, el: &El, p: &str, version: Version) -> Option<String> {
        match child(el, "certainty").map(|c| c.text.trim()) {
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
        }
    }

    fn check_expires(&mut self, p: &str, effective: Option<&DateTime>, expires: Option<&DateTime>) {
        if let (Some(e), Some(x)) = (effective, expires)
            && x.epoch_ms < e.epoch_ms
        {
            self.add(
                "EFFECTIVE_NOT_AFTER_EXPIRES",
                &format!("{p}/expires"),
                format!("失效时间 {} 早于生效时间 {}", x.text, e.text),
            );
        }
    }

    fn check_web(&mut self, p: &str, web: Option<&str>) {
        if let Some(w) = web
            && !is_absolute_uri(w)
        {
            self.add(
                "INVALID_WEB",
                &format!("{p}/web"),
                format!("<web> 应为绝对网址：“{w}”"),
            );
        }
    }

    /// An RFC 3066 language tag: subtags of 1–8 letters or digits, joined by hyphens.
    fn check_language(&mut self, el: &El, p: &str) {
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
}
