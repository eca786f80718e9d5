//! 统一社会信用代码 (unified social credit code), GB 32100-2015.
//!
//! 18 characters from a 31-symbol alphabet (digits and capital letters without I, O, Z, S, V):
//! registration authority (1), organisation type (1), administrative division (6, digits),
//! organisation code (9), check character (1). The check character is
//! `31 - (Σ value(cᵢ)·3ⁱ mod 31) mod 31` over the first 17 characters.

use serde::{Deserialize, Serialize};

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uscc(String);

fn value_of(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|p| p as u32)
}

/// The check character for the first 17 characters, or None if one of them is not allowed.
pub fn check_char(first17: &str) -> Option<char> {
    let b = first17.as_bytes();
    if b.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (i, &c) in b.iter().enumerate() {
        sum += value_of(c)? * WEIGHTS[i];
    }
    let check = (31 - sum % 31) % 31;
    Some(ALPHABET[check as usize] as char)
}

impl Uscc {
    /// Accepts surrounding spaces and lower case (as typed or pasted), stores upper case.
    pub fn parse(input: &str) -> Result<Self, String> {
        let s: String = input.trim().to_ascii_uppercase();
        if s.is_empty() {
            return Err("统一社会信用代码不能为空".into());
        }
        if s.chars().count() != 18 {
            return Err(format!(
                "统一社会信用代码应为18位，当前为{}位",
                s.chars().count()
            ));
        }
        if let Some((i, c)) = s
            .char_indices()
            .find(|(_, c)| !c.is_ascii() || value_of(*c as u8).is_none())
        {
            let pos = s[..i].chars().count() + 1;
            return Err(format!(
                "统一社会信用代码第{pos}位字符“{c}”不允许（不使用I、O、Z、S、V）"
            ));
        }
        if !s.as_bytes()[2..8].iter().all(u8::is_ascii_digit) {
            return Err("统一社会信用代码第3至8位应为行政区划代码（数字）".into());
        }
        let expected = check_char(&s[..17]).ok_or("统一社会信用代码包含不允许的字符")?;
        if s.as_bytes()[17] as char != expected {
            return Err("统一社会信用代码校验位错误，请核对后重新输入".into());
        }
        Ok(Self(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Uscc {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}

impl From<Uscc> for String {
    fn from(u: Uscc) -> String {
        u.0
    }
}

impl std::fmt::Display for Uscc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_valid_codes() {
        // Published examples of valid codes (check character computed by GB 32100).
        for code in [
            "91350100M000100Y43",
            "91110000600037341L",
            "911100001000044477",
        ] {
            assert!(Uscc::parse(code).is_ok(), "{code}");
        }
        assert_eq!(
            Uscc::parse(" 91350100m000100y43 ").unwrap().as_str(),
            "91350100M000100Y43"
        );
    }

    #[test]
    fn rejects_wrong_check_character() {
        let e = Uscc::parse("91350100M000100Y44").unwrap_err();
        assert!(e.contains("校验位"), "{e}");
    }

    #[test]
    fn rejects_length_and_alphabet() {
        assert!(Uscc::parse("9135010").unwrap_err().contains("18位"));
        assert!(
            Uscc::parse("91350100M00010OY43")
                .unwrap_err()
                .contains("第15位")
        );
        assert!(Uscc::parse("").unwrap_err().contains("不能为空"));
        assert!(Uscc::parse("91AB0100M000100Y43").is_err());
    }

    fn alphabet_char() -> impl Strategy<Value = char> {
        (0usize..31).prop_map(|i| ALPHABET[i] as char)
    }

    proptest! {
        #[test]
        fn any_string_never_panics(s in "\\PC{0,40}") {
            let _ = Uscc::parse(&s);
        }

        #[test]
        fn completing_with_check_char_is_valid(
            head in proptest::collection::vec(alphabet_char(), 2),
            region in "[0-9]{6}",
            org in proptest::collection::vec(alphabet_char(), 9),
        ) {
            let first17: String = head.iter().collect::<String>() + &region + &org.iter().collect::<String>();
            let c = check_char(&first17).unwrap();
            let code = format!("{first17}{c}");
            prop_assert!(Uscc::parse(&code).is_ok());
            // Any single-character change of the check character is detected.
            for other in ALPHABET.iter().map(|&b| b as char).filter(|&o| o != c) {
                let changed = format!("{first17}{other}");
                prop_assert!(Uscc::parse(&changed).is_err());
            }
        }
    }
}
