//! Upload checks: the type is decided by the file's first bytes, not by its name or the
//! client's Content-Type, and only photos and PDF documents are accepted.

pub const ALLOWED: &[(&str, &str)] = &[
    ("image/jpeg", "JPEG 图片"),
    ("image/png", "PNG 图片"),
    ("image/webp", "WebP 图片"),
    ("application/pdf", "PDF 文档"),
];

/// The MIME type the bytes really are, if it is one we accept.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// Checks an upload; the error is the Chinese message for the `file` field.
pub fn check(filename: &str, bytes: &[u8], max_bytes: usize) -> Result<&'static str, String> {
    if bytes.is_empty() {
        return Err("附件为空".into());
    }
    if bytes.len() > max_bytes {
        return Err(format!(
            "附件“{filename}”大小 {:.1} MB，超过上限 {} MB",
            bytes.len() as f64 / 1048576.0,
            max_bytes / 1048576
        ));
    }
    sniff(bytes).ok_or_else(|| {
        format!("附件“{filename}”的类型不允许，只接受 JPEG、PNG、WebP 图片和 PDF 文档")
    })
}

/// A safe display name: path parts and control characters removed, at most 100 characters.
pub fn clean_filename(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let s: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':'))
        .take(100)
        .collect();
    if s.trim().is_empty() {
        "附件".into()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(sniff(b"MZ\x90\x00 exe"), None);
        assert_eq!(sniff(b"<svg onload=alert(1)>"), None);
    }

    #[test]
    fn size_and_type_messages() {
        assert!(check("a.png", &[0xFF, 0xD8, 0xFF, 0], 10).is_ok());
        assert!(
            check("a.png", &[0xFF; 20], 10)
                .unwrap_err()
                .contains("超过上限")
        );
        assert!(
            check("a.exe", b"MZ....", 10)
                .unwrap_err()
                .contains("类型不允许")
        );
        assert_eq!(clean_filename("../../etc/pass\u{0}wd"), "passwd");
        assert_eq!(clean_filename("C:\\x\\照片.jpg"), "照片.jpg");
    }
}
