//! 防汛责任人公示牌: an object's duty persons as a printable A4 page, laid out and rendered with
//! the 执法文书 machinery (ADR 0025: the shipped Noto Serif CJK SC, subset per PDF).

use crate::enforcement::document_pdf::{Layout, chinese_date, render};

/// What a board shows.
pub struct Board<'a> {
    /// The district's bureau (浔阳区防汛抗旱指挥部 …).
    pub authority: &'a str,
    pub object_name: &'a str,
    pub kind_label: &'a str,
    pub address: &'a str,
    pub street_name: &'a str,
    /// (duty label, name, post, phone) in the board's order.
    pub persons: Vec<(String, String, String, String)>,
    pub day: jiff::civil::Date,
}

/// The board's layout: the object as the parties block, one line per duty person.
pub fn layout(b: &Board<'_>) -> Layout {
    Layout {
        authority: b.authority.to_string(),
        title: format!("{}防汛责任人公示牌", b.kind_label),
        number: String::new(),
        version_note: None,
        parties: vec![
            ("名称".into(), b.object_name.to_string()),
            ("位置".into(), b.address.to_string()),
            ("所属街道（乡镇）".into(), b.street_name.to_string()),
        ],
        sections: b
            .persons
            .iter()
            .map(|(duty, name, post, phone)| {
                let post = if post.is_empty() {
                    String::new()
                } else {
                    format!("（{post}）")
                };
                (duty.clone(), format!("{name}{post}  电话：{phone}"))
            })
            .collect(),
        closing: Some("发现险情请立即拨打上述责任人电话，或拨打 12345、119 报告。".into()),
        signatures: vec![],
        seal: false,
        date: chinese_date(b.day),
    }
}

/// The board as a PDF.
pub fn pdf(b: &Board<'_>) -> Result<Vec<u8>, String> {
    render(&layout(b))
}
