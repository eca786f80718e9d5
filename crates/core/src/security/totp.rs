//! TOTP (RFC 6238 over RFC 4226 HOTP): HMAC-SHA-1, 30-second steps, 6 digits, one step of
//! drift either way; a code is accepted once (the last used step is kept). Secrets travel as
//! RFC 4648 base32, as every authenticator app reads them.

use hmac::{KeyInit, Mac};

type HmacSha1 = hmac::Hmac<sha1::Sha1>;

pub const STEP_MS: i64 = 30_000;
pub const DIGITS: u32 = 6;
/// Bytes of a new secret (160 bits, as RFC 4226 recommends).
pub const SECRET_BYTES: usize = 20;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 without padding.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buf = (buf << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buf >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Decodes base32 (case, spaces and padding ignored); None on other characters.
pub fn base32_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buf, mut bits) = (0u32, 0u32);
    for c in s.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = ALPHABET
            .iter()
            .position(|&a| a as char == c.to_ascii_uppercase())? as u32;
        buf = (buf << 5) | v;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
        }
    }
    Some(out)
}

/// The HOTP value of `counter` with `digits` digits (RFC 4226 §5.3).
pub fn hotp(key: &[u8], counter: u64, digits: u32) -> u32 {
    let mut mac = HmacSha1::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let off = (h[h.len() - 1] & 0x0f) as usize;
    let bin = u32::from_be_bytes([h[off] & 0x7f, h[off + 1], h[off + 2], h[off + 3]]);
    bin % 10u32.pow(digits)
}

/// The code shown at `now_ms`, zero-padded.
pub fn code_at(key: &[u8], now_ms: i64) -> String {
    let step = now_ms.div_euclid(STEP_MS);
    format!(
        "{:0width$}",
        hotp(key, step as u64, DIGITS),
        width = DIGITS as usize
    )
}

/// The step `code` matches at `now_ms` (±1 step), when it is later than `last_step` (a code
/// is used once).
pub fn verify(key: &[u8], code: &str, now_ms: i64, last_step: Option<i64>) -> Option<i64> {
    let code = code.trim();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = now_ms.div_euclid(STEP_MS);
    (now - 1..=now + 1).find(|&step| {
        step >= 0
            && last_step.is_none_or(|l| step > l)
            && format!(
                "{:0width$}",
                hotp(key, step as u64, DIGITS),
                width = DIGITS as usize
            ) == code
    })
}

/// The `otpauth://` URI an authenticator app scans.
pub fn otpauth_uri(issuer: &str, account: &str, secret_b32: &str) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    format!(
        "otpauth://totp/{}:{}?secret={secret_b32}&issuer={}&algorithm=SHA1&digits={DIGITS}&period=30",
        enc(issuer),
        enc(account),
        enc(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B, SHA-1, 8 digits.
    #[test]
    fn rfc6238_vectors() {
        let key = b"12345678901234567890";
        for (t, want) in [
            (59u64, 94_287_082u32),
            (1_111_111_109, 7_081_804),
            (1_111_111_111, 14_050_471),
            (1_234_567_890, 89_005_924),
            (2_000_000_000, 69_279_037),
            (20_000_000_000, 65_353_130),
        ] {
            assert_eq!(hotp(key, t / 30, 8), want, "T={t}");
        }
        assert_eq!(code_at(key, 59_000), "287082");
    }

    #[test]
    fn drift_and_replay() {
        let key = b"12345678901234567890";
        let now = 1_111_111_111_000;
        let code = code_at(key, now);
        let step = now / STEP_MS;
        assert_eq!(verify(key, &code, now, None), Some(step));
        assert_eq!(verify(key, &code, now + STEP_MS, None), Some(step));
        assert_eq!(verify(key, &code, now + 2 * STEP_MS, None), None);
        assert_eq!(verify(key, &code, now, Some(step)), None);
        assert_eq!(verify(key, "12345", now, None), None);
    }

    #[test]
    fn base32() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(base32_decode("mzxw6ytboi======").unwrap(), b"foobar");
        assert_eq!(base32_decode("1"), None);
        let uri = otpauth_uri("应急", "zs", "ABC");
        assert!(uri.starts_with("otpauth://totp/%E5%BA%94%E6%80%A5:zs?secret=ABC"));
    }
}
