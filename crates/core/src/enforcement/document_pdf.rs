//! A 执法文书 as a printed form: the layout model (authority, title, number, parties, sections,
//! closing wording, signature blocks, seal position) and its A4 PDF, rendered by a pure function
//! with the shipped font (Noto Serif CJK SC, subset; ADR 0025) embedded and subset again per PDF.

use std::collections::BTreeMap;

use krilla::Document;
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke, StrokeDash};
use krilla::text::{Font, TextDirection};

use super::document::{Kind, PARTY_KEYS};

/// The shipped font: Noto Serif CJK SC Regular, subset to GB2312, ASCII and CJK punctuation
/// (SIL Open Font License 1.1, crates/core/fonts/OFL.txt).
pub static FONT: &[u8] = include_bytes!("../../fonts/NotoSerifSC-Subset.otf");

/// A document laid out as its printed form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The issuing authority (浔阳区应急管理局), above the title and at the seal.
    pub authority: String,
    pub title: String,
    pub number: String,
    /// 第2版，更正〔…〕号 on a corrected document.
    pub version_note: Option<String>,
    /// (label, value): 当事人, 地址, 法定代表人.
    pub parties: Vec<(String, String)>,
    /// (label, text) in the kind's order.
    pub sections: Vec<(String, String)>,
    pub closing: Option<String>,
    pub signatures: Vec<String>,
    /// The seal (印章) at the foot, right, over the authority and the date.
    pub seal: bool,
    /// 2026年12月3日.
    pub date: String,
}

/// What a layout is made from.
pub struct LayoutInput<'a> {
    pub kind: &'a Kind,
    pub authority: &'a str,
    pub number: &'a str,
    pub version: i64,
    /// The version a correction corrects (第1版).
    pub corrects: Option<&'a str>,
    pub fields: &'a BTreeMap<String, String>,
    pub day: jiff::civil::Date,
}

/// The layout of a checked document: the parties block, then the kind's sections in order
/// (empty optional ones left out), the closing wording with the deadline filled in.
pub fn layout(i: &LayoutInput<'_>) -> Layout {
    let value = |k: &str| i.fields.get(k).cloned().unwrap_or_default();
    let mut parties = vec![];
    let mut sections = vec![];
    for f in i.kind.fields {
        let v = value(f.key);
        if PARTY_KEYS.contains(&f.key) {
            parties.push((f.label.to_string(), v));
        } else if !v.is_empty() {
            let v = if f.date { chinese_date_text(&v) } else { v };
            sections.push((f.label.to_string(), v));
        }
    }
    let deadline = chinese_date_text(&value("deadline"));
    let closing = Some(i.kind.closing.replace("{deadline}", &deadline)).filter(|c| !c.is_empty());
    let version_note = (i.version > 1).then(|| match i.corrects {
        Some(n) => format!("第{}版，更正{n}", i.version),
        None => format!("第{}版", i.version),
    });
    Layout {
        authority: i.authority.to_string(),
        title: i.kind.title.to_string(),
        number: i.number.to_string(),
        version_note,
        parties,
        sections,
        closing,
        signatures: i.kind.signatures.iter().map(|s| s.to_string()).collect(),
        seal: i.kind.seal,
        date: chinese_date(i.day),
    }
}

/// The SHA-256 of a PDF, in hex, as stored and audited.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// 2026年12月3日.
pub fn chinese_date(d: jiff::civil::Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

fn chinese_date_text(s: &str) -> String {
    s.parse::<jiff::civil::Date>()
        .map(chinese_date)
        .unwrap_or_else(|_| s.to_string())
}

const W: f32 = 595.28;
const H: f32 = 841.89;
const LEFT: f32 = 79.0;
const RIGHT: f32 = W - 68.0;
const TOP: f32 = 72.0;
const BOTTOM: f32 = H - 80.0;
const BODY: f32 = 12.0;
const LEADING: f32 = 22.0;

enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        dash: bool,
    },
    Circle {
        cx: f32,
        cy: f32,
        r: f32,
    },
}

/// Widths of text in the shipped font.
struct Metrics<'a>(ttf_parser::Face<'a>);

impl Metrics<'_> {
    fn width(&self, text: &str, size: f32) -> f32 {
        let upem = f32::from(self.0.units_per_em());
        let units: f32 = text
            .chars()
            .map(|c| {
                self.0
                    .glyph_index(c)
                    .and_then(|g| self.0.glyph_hor_advance(g))
                    .map_or(upem, f32::from)
            })
            .sum();
        units / upem * size
    }

    /// Breaks a paragraph into lines of at most `width`; punctuation that may not begin a line
    /// (，。、；：？！）」》) stays at the end of the line before.
    fn wrap(&self, text: &str, size: f32, first: f32, width: f32) -> Vec<String> {
        let mut lines = vec![];
        let mut line = String::new();
        let mut room = width - first;
        for c in text.chars() {
            let w = self.width(c.encode_utf8(&mut [0; 4]), size);
            let closing = "，。、；：？！）」》”’,.;:?!)".contains(c);
            if room < w && !line.is_empty() && !closing {
                lines.push(std::mem::take(&mut line));
                room = width;
            }
            line.push(c);
            room -= w;
        }
        lines.push(line);
        lines
    }
}

/// Places the layout on pages; y runs down from the top of the page to the baseline.
struct Pager<'a> {
    m: Metrics<'a>,
    pages: Vec<Vec<Op>>,
    y: f32,
}

impl Pager<'_> {
    fn room(&mut self, h: f32) {
        if self.y + h > BOTTOM {
            self.pages.push(vec![]);
            self.y = TOP;
        }
    }
    fn op(&mut self, op: Op) {
        if let Some(p) = self.pages.last_mut() {
            p.push(op);
        }
    }
    fn text(&mut self, x: f32, size: f32, text: &str) {
        let y = self.y;
        self.op(Op::Text {
            x,
            y,
            size,
            text: text.to_string(),
        });
    }
    fn centred(&mut self, size: f32, text: &str) {
        let x = (LEFT + RIGHT - self.m.width(text, size)) / 2.0;
        self.text(x, size, text);
    }
    fn right(&mut self, size: f32, text: &str) {
        let x = RIGHT - self.m.width(text, size);
        self.text(x, size, text);
    }
    /// A label and its text: the first line after the label, the rest from the left margin.
    fn paragraph(&mut self, label: &str, text: &str, indent: f32) {
        let label = if label.is_empty() {
            String::new()
        } else {
            format!("{label}：")
        };
        let mut first = LEFT + indent + self.m.width(&label, BODY);
        for (n, para) in text.split('\n').enumerate() {
            let start = if n == 0 { first - LEFT } else { BODY * 2.0 };
            let lines = self.m.wrap(para, BODY, start, RIGHT - LEFT);
            for (i, line) in lines.iter().enumerate() {
                self.room(LEADING);
                if n == 0 && i == 0 && !label.is_empty() {
                    self.text(LEFT + indent, BODY, &label);
                }
                let x = if i == 0 { LEFT + start } else { LEFT };
                self.text(x, BODY, line);
                self.y += LEADING;
            }
            first = LEFT;
        }
    }
}

/// The head of the form: authority, title, number, the rule under it.
fn head(p: &mut Pager<'_>, l: &Layout) {
    p.y = TOP + 10.0;
    p.centred(16.0, &l.authority);
    p.y += 40.0;
    let spaced: String = spaced_title(&l.title);
    p.centred(22.0, &spaced);
    p.y += 30.0;
    p.right(BODY, &l.number);
    if let Some(note) = &l.version_note {
        p.y += 18.0;
        p.right(10.5, &format!("（{note}）"));
    }
    p.y += 8.0;
    let y = p.y;
    p.op(Op::Line {
        x1: LEFT,
        y1: y,
        x2: RIGHT,
        y2: y,
        dash: false,
    });
    p.y += LEADING + 6.0;
}

/// A short title is spaced out as on the printed forms (立 案 审 批 表).
fn spaced_title(title: &str) -> String {
    if title.chars().count() <= 6 {
        title
            .chars()
            .map(String::from)
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        title.to_string()
    }
}

/// The parties: label, value, and a rule under the value as on a form to fill in.
fn parties(p: &mut Pager<'_>, l: &Layout) {
    for (label, value) in &l.parties {
        p.room(LEADING);
        let label = format!("{label}：");
        p.text(LEFT, BODY, &label);
        let x = LEFT + p.m.width(&label, BODY);
        p.text(x + 4.0, BODY, value);
        let y = p.y + 4.0;
        p.op(Op::Line {
            x1: x,
            y1: y,
            x2: RIGHT,
            y2: y,
            dash: false,
        });
        p.y += LEADING + 2.0;
    }
    p.y += 6.0;
}

/// The signature blocks, then the seal over the authority and the date at the right.
fn signatures(p: &mut Pager<'_>, l: &Layout) {
    p.y += 12.0;
    for s in &l.signatures {
        p.room(LEADING * 1.6);
        let label = format!("{s}：");
        p.text(LEFT, BODY, &label);
        let x = LEFT + p.m.width(&label, BODY);
        let y = p.y + 4.0;
        p.op(Op::Line {
            x1: x,
            y1: y,
            x2: x + 150.0,
            y2: y,
            dash: false,
        });
        p.right(BODY, "年    月    日");
        p.y += LEADING * 1.6;
    }
    p.room(110.0);
    p.y += 40.0;
    if l.seal {
        let cx = RIGHT - p.m.width(&l.authority, BODY) / 2.0;
        let cy = p.y + LEADING / 2.0 - 4.0;
        p.op(Op::Circle { cx, cy, r: 42.0 });
        p.right(BODY, &l.authority);
        p.y += LEADING;
        p.right(BODY, &l.date);
        p.y += LEADING;
        p.right(9.0, "（印章）");
    } else {
        p.right(BODY, &l.date);
    }
}

/// The pages of a layout, each a list of drawing operations.
fn place(l: &Layout, m: Metrics<'_>) -> Vec<Vec<Op>> {
    let mut p = Pager {
        m,
        pages: vec![vec![]],
        y: TOP,
    };
    head(&mut p, l);
    parties(&mut p, l);
    for (label, text) in &l.sections {
        p.paragraph(label, text, 0.0);
        p.y += 4.0;
    }
    if let Some(c) = &l.closing {
        p.y += 4.0;
        p.paragraph("", c, BODY * 2.0);
    }
    signatures(&mut p, l);
    p.pages
}

/// The PDF of a layout: A4, the shipped font embedded (subset to the glyphs used), black on
/// white, the seal's place a dashed circle, a page footer with the number and 第 n 页 共 N 页.
/// The same layout gives the same bytes.
pub fn render(l: &Layout) -> Result<Vec<u8>, String> {
    let face = ttf_parser::Face::parse(FONT, 0).map_err(|e| format!("字体无法读取：{e}"))?;
    let font = Font::new(FONT.into(), 0).ok_or("字体无法读取")?;
    let pages = place(l, Metrics(face));
    let total = pages.len();
    let mut doc = Document::new();
    doc.set_metadata(
        Metadata::new()
            .title(format!("{}{}", l.title, l.number))
            .creator("yingji".into()),
    );
    for (n, ops) in pages.iter().enumerate() {
        let mut page = doc.start_page_with(PageSettings::from_wh(W, H).ok_or("页面尺寸无效")?);
        let mut s = page.surface();
        let footer = format!("{}    第 {} 页 共 {} 页", l.number, n + 1, total);
        let footer_op = Op::Text {
            x: LEFT,
            y: H - 48.0,
            size: 9.0,
            text: footer,
        };
        for op in ops.iter().chain(std::iter::once(&footer_op)) {
            draw(&mut s, &font, op);
        }
        s.finish();
        page.finish();
    }
    doc.finish().map_err(|e| format!("PDF 生成失败：{e:?}"))
}

fn draw(s: &mut krilla::surface::Surface<'_>, font: &Font, op: &Op) {
    match op {
        Op::Text { x, y, size, text } => {
            s.set_stroke(None);
            s.set_fill(Some(Fill {
                paint: luma::Color::black().into(),
                ..Fill::default()
            }));
            let start = Point::from_xy(*x, *y);
            s.draw_text(start, font.clone(), *size, text, false, TextDirection::Auto);
        }
        Op::Line {
            x1,
            y1,
            x2,
            y2,
            dash,
        } => {
            let mut b = PathBuilder::new();
            b.move_to(*x1, *y1);
            b.line_to(*x2, *y2);
            stroke(s, b, if *dash { 0.5 } else { 0.6 }, *dash);
        }
        Op::Circle { cx, cy, r } => {
            let mut b = PathBuilder::new();
            let k = 0.552_284_8 * r;
            b.move_to(cx + r, *cy);
            b.cubic_to(cx + r, cy + k, cx + k, cy + r, *cx, cy + r);
            b.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, *cy);
            b.cubic_to(cx - r, cy - k, cx - k, cy - r, *cx, cy - r);
            b.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, *cy);
            b.close();
            stroke(s, b, 0.8, true);
        }
    }
}

fn stroke(s: &mut krilla::surface::Surface<'_>, b: PathBuilder, width: f32, dash: bool) {
    let Some(path) = b.finish() else { return };
    s.set_fill(None);
    s.set_stroke(Some(Stroke {
        paint: luma::Color::new(if dash { 128 } else { 0 }).into(),
        width,
        dash: dash.then(|| StrokeDash {
            array: vec![3.0, 3.0],
            offset: 0.0,
        }),
        ..Stroke::default()
    }));
    s.draw_path(&path);
}
