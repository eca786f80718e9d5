//! Personal data shown to those who may not see it in full: names and phone numbers masked.

/// A name with its middle masked: 张* / 张*丰 / 欧**娜.
pub fn mask_name(name: &str) -> String {
    let c: Vec<char> = name.trim().chars().collect();
    match c.len() {
        0 | 1 => c.iter().collect(),
        2 => format!("{}*", c[0]),
        n => format!("{}{}{}", c[0], "*".repeat(n - 2), c[n - 1]),
    }
}

/// A phone number with its middle masked: 138****5678, 0792-****567.
pub fn mask_phone(phone: &str) -> String {
    let c: Vec<char> = phone.trim().chars().collect();
    if c.len() <= 4 {
        return "*".repeat(c.len());
    }
    let keep_end = if c.len() >= 11 { 4 } else { 3 };
    let keep_start = (c.len() - keep_end).min(3);
    let stars = c.len() - keep_start - keep_end;
    format!(
        "{}{}{}",
        c[..keep_start].iter().collect::<String>(),
        "*".repeat(stars),
        c[c.len() - keep_end..].iter().collect::<String>()
    )
}

/// An audit snapshot with the phones under `fields` masked (the log is kept for years and read
/// by the auditor; the numbers themselves are sealed in their rows, ADR 0032). Other keys, and
/// fields that are absent or not text, stay as they are.
pub fn mask_phones_in(mut snapshot: serde_json::Value, fields: &[&str]) -> serde_json::Value {
    if let Some(o) = snapshot.as_object_mut() {
        for f in fields {
            if let Some(serde_json::Value::String(p)) = o.get(*f) {
                let masked = mask_phone(p);
                o.insert((*f).to_string(), masked.into());
            }
        }
    }
    snapshot
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳丽娜"), "欧**娜");
        assert_eq!(mask_phone("13812345678"), "138****5678");
        assert_eq!(mask_phone("0792-8123456"), "079*****3456");
        assert_eq!(mask_phone("110"), "***");
    }

    #[test]
    fn masks_snapshot_phones() {
        let v = serde_json::json!({"phone": "13812345678", "other": "13812345678", "none": null});
        let m = mask_phones_in(v, &["phone", "none", "absent"]);
        assert_eq!(
            m,
            serde_json::json!({"phone": "138****5678", "other": "13812345678", "none": null})
        );
    }
}
