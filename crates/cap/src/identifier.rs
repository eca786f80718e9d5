//! GB/T 35965.1-2018 annex A identifiers: `ZZZZZZDDDUUUXX_YYYYMMDDhhmmss_N` — the 6-digit
//! administrative code (GB/T 2260), a 3-digit organisation code (GB/T 4657), a 3-digit unit code
//! (default 000), a 2-digit extension (default 00), the entry time in Beijing time and a sequence
//! digit 0–9 for messages of one unit in the same second.

/// The identifier, or a message naming the part that does not fit.
pub fn build(
    region: &str,
    organisation: &str,
    unit: &str,
    extension: &str,
    epoch_ms: i64,
    sequence: u8,
) -> Result<String, String> {
    let digits = |s: &str, n: usize, label: &str| {
        if s.len() == n && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(())
        } else {
            Err(format!("{label}应为{n}位数字：“{s}”"))
        }
    };
    digits(region, 6, "行政区划代码")?;
    digits(organisation, 3, "机构代码")?;
    digits(unit, 3, "单位代码")?;
    digits(extension, 2, "扩展码")?;
    if sequence > 9 {
        return Err("同一秒内的序号应为 0–9".into());
    }
    let ts = jiff::Timestamp::from_millisecond(epoch_ms).map_err(|e| e.to_string())?;
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").map_err(|e| e.to_string())?;
    let local = ts.to_zoned_datetime(tz);
    Ok(format!(
        "{region}{organisation}{unit}{extension}_{}_{sequence}",
        local.strftime("%Y%m%d%H%M%S")
    ))
}

/// Whether a string has the annex A shape (31 characters).
pub fn is_valid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 31
        && b[..14].iter().all(u8::is_ascii_digit)
        && b[14] == b'_'
        && b[15..29].iter().all(u8::is_ascii_digit)
        && b[29] == b'_'
        && b[30].is_ascii_digit()
}

/// CAP time text in Beijing time: `2026-07-01T10:00:00+08:00`.
pub fn beijing_time(epoch_ms: i64) -> String {
    let ts = jiff::Timestamp::from_millisecond(epoch_ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap_or(jiff::tz::TimeZone::UTC);
    ts.to_zoned_datetime(tz)
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annex_a_shape() {
        // 2026-07-01T10:00:00+08:00
        let id = build("360403", "000", "000", "00", 1_782_871_200_000, 0).unwrap();
        assert_eq!(id, "36040300000000_20260701100000_0");
        assert!(is_valid(&id));
        assert!(
            build("36040", "000", "000", "00", 0, 0)
                .unwrap_err()
                .contains("行政区划代码")
        );
        assert!(build("360403", "000", "000", "00", 0, 10).is_err());
        assert!(!is_valid("36040300000000-20260701100000-0"));
        assert_eq!(beijing_time(1_782_871_200_000), "2026-07-01T10:00:00+08:00");
    }
}
