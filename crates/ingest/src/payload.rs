//! The reading payload shared by HTTP bulk ingest and MQTT (docs/monitoring.md): one JSON object
//! or an array of them, `{"sensor": "LT-101", "ts": "2026-11-24T10:00:00+08:00", "value": 12.34,
//! "q": "good"}`. Bad input is refused as a whole with the index and field of each fault, so a
//! gateway never has half a batch stored.

use serde::Deserialize;
use yingji_core::kernel::validation::{Errors, Invalid};
use yingji_core::monitoring::alarm::Milli4;
use yingji_store::monitoring::ReadingIn;

/// The most readings one request or one MQTT message may carry.
pub const MAX_READINGS: usize = 5000;
/// Readings more than 5 minutes ahead of the server or older than 7 days are refused.
const FUTURE_MS: i64 = 5 * 60_000;
const PAST_MS: i64 = 7 * 86_400_000;

/// One reading. `ts` may be RFC 3339 with an offset, a zone-less local time (read as Beijing
/// time, +08:00) or epoch milliseconds; `value` a JSON number or a decimal string; `q` is
/// good (the default), bad or uncertain.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadingPayload {
    pub sensor: String,
    #[schema(schema_with = ts_schema)]
    pub ts: serde_json::Value,
    #[schema(schema_with = value_schema)]
    pub value: serde_json::Value,
    #[serde(default)]
    pub q: Option<String>,
}

/// `ts` in the document: RFC 3339 text or epoch milliseconds.
fn ts_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Integer]))
        .build()
}

/// `value` in the document: a JSON number or a decimal string.
fn value_schema() -> utoipa::openapi::schema::Object {
    use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Number, Type::String]))
        .build()
}

pub fn decode_reading(
    r: &ReadingPayload,
    now_ms: i64,
) -> Result<ReadingIn, (&'static str, String)> {
    let sensor = r.sensor.trim();
    if sensor.is_empty() || sensor.len() > 64 {
        return Err(("sensor", "监测点编码不能为空且不超过 64 个字符".into()));
    }
    // Whole numbers (most gauges' counts) need no text round trip.
    let whole = match &r.value {
        serde_json::Value::Number(n) => n.as_i64().and_then(|i| i.checked_mul(10_000)),
        _ => None,
    };
    let value = match whole {
        Some(v) if v.unsigned_abs() < 10_000 * 1_000_000_000_000 => Milli4(v),
        _ => {
            let value_text = match &r.value {
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::String(s) => s.clone(),
                _ => String::new(),
            };
            Milli4::parse(&value_text)
                .ok_or(("value", format!("监测值“{value_text}”不是有效数字")))?
        }
    };
    let at_ms = match &r.ts {
        serde_json::Value::Number(n) => n.as_i64(),
        serde_json::Value::String(s) => yingji_core::kernel::clock::parse_instant(s).ok(),
        _ => None,
    }
    .ok_or((
        "ts",
        "时间应为带时区的时间、北京时间或毫秒时间戳".to_string(),
    ))?;
    if at_ms > now_ms + FUTURE_MS || at_ms < now_ms - PAST_MS {
        return Err(("ts", "时间超出可接受范围（未来 5 分钟至过去 7 天）".into()));
    }
    let quality = r.q.as_deref().unwrap_or("good").to_ascii_lowercase();
    if !["good", "bad", "uncertain"].contains(&quality.as_str()) {
        return Err(("q", "数据质量应为 good、bad 或 uncertain".into()));
    }
    Ok(ReadingIn {
        sensor: sensor.to_string(),
        at_ms,
        value,
        quality,
    })
}

/// A whole batch, or every fault in it as `[i].field`.
pub fn decode_batch(batch: &[ReadingPayload], now_ms: i64) -> Result<Vec<ReadingIn>, Invalid> {
    if batch.len() > MAX_READINGS {
        return Err(Invalid::one(
            "readings",
            format!("每批至多 {MAX_READINGS} 条监测数据"),
        ));
    }
    let mut errs = Errors::default();
    let mut readings = Vec::with_capacity(batch.len());
    for (i, r) in batch.iter().enumerate() {
        match decode_reading(r, now_ms) {
            Ok(r) => readings.push(r),
            Err((field, msg)) => errs.add(&format!("[{i}].{field}"), msg),
        }
    }
    if errs.is_empty() {
        Ok(readings)
    } else {
        Err(errs.into_invalid())
    }
}

/// An MQTT message body: one reading or an array of them. The first character tells which, so
/// the body is parsed once (an untagged enum would buffer it and try each shape in turn).
pub fn decode_message(bytes: &[u8], now_ms: i64) -> Result<Vec<ReadingIn>, Invalid> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Invalid::one("payload", "消息不是 UTF-8 编码的 JSON"))?;
    let parsed = if text.trim_start().starts_with('[') {
        serde_json::from_str::<Vec<ReadingPayload>>(text)
    } else {
        serde_json::from_str::<ReadingPayload>(text).map(|r| vec![r])
    };
    match parsed {
        Ok(list) => decode_batch(&list, now_ms),
        Err(e) => Err(Invalid::one(
            "payload",
            format!("消息不是有效的监测数据 JSON（{e}）"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_000_000_000;

    #[test]
    fn one_reading_or_an_array() {
        let one = br#"{"sensor":"LT-1","ts":1795000000000,"value":1.5}"#;
        let r = decode_message(one, NOW).expect("one");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].value, Milli4(15_000));
        assert_eq!(r[0].quality, "good");
        let many = br#"[{"sensor":"LT-1","ts":"2026-11-18T19:06:40+08:00","value":"2","q":"BAD"},
                        {"sensor":"LT-2","ts":"2026-11-18 19:06:40","value":-3}]"#;
        let r = decode_message(many, NOW).expect("many");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].at_ms, r[1].at_ms, "zone-less time is Beijing time");
        assert_eq!(r[0].quality, "bad");
    }

    #[test]
    fn faults_name_index_and_field() {
        let bad = br#"[{"sensor":"A","ts":1795000000000,"value":1},
                       {"sensor":"B","ts":1795000000000,"value":"NaN"},
                       {"sensor":"","ts":9999999999999,"value":1}]"#;
        let e = decode_message(bad, NOW).expect_err("refused");
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["[1].value", "[2].sensor"]);
        for junk in [
            &b"\xff\xfe"[..],
            b"{",
            b"42",
            br#"{"sensor":"A"}"#,
            br#"{"x":1}"#,
        ] {
            let e = decode_message(junk, NOW).expect_err("junk");
            assert_eq!(e.0[0].field, "payload");
        }
        let e = decode_message(br#"{"sensor":"A","ts":1795000000000,"value":1e400}"#, NOW)
            .expect_err("inf");
        assert_eq!(e.0[0].field, "payload");
    }
}
