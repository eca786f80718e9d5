//! Tree → Alert, with the rules: the checking context that collects errors, the sequence check,
//! required, enumerated and date-time elements, and the small readers of the tree they share.

use super::values::parse_datetime;
use super::{El, ReadOptions, err};
use crate::*;

pub(super) struct Cx {
    pub(super) errors: Vec<CapError>,
    pub(super) opts: ReadOptions,
}

impl Cx {
    pub(super) fn add(&mut self, code: &'static str, path: &str, message: impl Into<String>) {
        self.errors.push(err(code, path, message));
    }

    /// Checks the children's names, order and repetition against the element's sequence.
    pub(super) fn sequence(&mut self, el: &El, path: &str, seq: &[(&str, bool)]) {
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

    pub(super) fn required(&mut self, el: &El, p: &str, name: &str) -> Option<String> {
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

    pub(super) fn enumerated(
        &mut self,
        el: &El,
        p: &str,
        name: &str,
        allowed: &[&str],
    ) -> Option<String> {
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

    pub(super) fn enum_value(
        &mut self,
        c: &El,
        path: &str,
        name: &str,
        allowed: &[&str],
    ) -> Option<String> {
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

    pub(super) fn datetime_required(&mut self, el: &El, p: &str, name: &str) -> Option<DateTime> {
        let t = self.required(el, p, name)?;
        self.datetime(&t, &format!("{p}/{name}"), name)
    }

    pub(super) fn datetime_optional(&mut self, el: &El, p: &str, name: &str) -> Option<DateTime> {
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

pub(super) fn child<'a>(el: &'a El, name: &str) -> Option<&'a El> {
    el.children.iter().find(|c| c.name == name)
}

pub(super) fn children<'a>(el: &'a El, name: &'a str) -> impl Iterator<Item = &'a El> + 'a {
    el.children.iter().filter(move |c| c.name == name)
}

pub(super) fn trimmed(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// An element's text, trimmed; empty or absent is None (`<note/>` says nothing).
pub(super) fn text_of(el: &El, name: &str) -> Option<String> {
    child(el, name).and_then(|c| trimmed(&c.text))
}

pub(super) fn is_absolute_uri(s: &str) -> bool {
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
