//! Reading CAP: XML into a small element tree (no DTD, no entities beyond XML's five and
//! character references), then the tree into an [`Alert`] with every rule checked.

mod tree;
pub(crate) use tree::{El, parse_tree};
mod check;
use check::Cx;
mod alert;
mod info;
mod values;
pub use values::check_ring;

use crate::*;

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
