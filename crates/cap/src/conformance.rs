//! The conformance suite: google/cap-library's samples (tests/data, Apache-2.0) read as the
//! README there says they should be, round trips, and every written alert checked by `xmllint`
//! against the OASIS schema.

use crate::*;

fn sample(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

const VALID: [&str; 7] = [
    "australia.cap",
    "canada.cap",
    "earthquake-iso8859-1.cap",
    "wcatwc-warning.cap",
    "earthquake.cap",
    "no_optional_fields.cap",
    "weather.cap",
];

fn codes(errors: &[CapError]) -> Vec<(&'static str, String)> {
    errors.iter().map(|e| (e.code, e.path.clone())).collect()
}

#[test]
fn every_valid_sample_is_accepted() {
    for name in VALID {
        let a = read(&sample(name)).unwrap_or_else(|e| panic!("{name}: {e:#?}"));
        assert!(!a.identifier.is_empty(), "{name}");
    }
    let a = read(&sample("earthquake-iso8859-1.cap")).unwrap();
    assert_eq!(a.version, Version::V12);
    let a = read(&sample("weather.cap")).unwrap();
    assert_eq!(a.version, Version::V11);
    // CAP's "lat,lon" is kept as it is in Point and swapped only for GeoJSON.
    let a = read(&sample("canada.cap")).unwrap();
    let polygon = &a.infos[0].areas[0].polygons[0];
    assert_eq!(
        polygon.points[0],
        Point {
            lat: 42.3481,
            lon: -82.9314
        }
    );
    assert_eq!(polygon.lon_lat()[0], [-82.9314, 42.3481]);
}

#[test]
fn the_invalid_samples_are_refused_with_their_errors() {
    let e = read(&sample("invalid.cap")).unwrap_err();
    assert!(
        codes(&e).contains(&("MISSING_REQUIRED_ELEMENT", "alert/scope".into())),
        "{e:#?}"
    );

    let e = read(&sample("canada_errors.cap")).unwrap_err();
    assert!(e.iter().any(|x| x.path == "alert/references"), "{e:#?}");

    let e = read(&sample("noaa_errors.cap")).unwrap_err();
    let c = codes(&e);
    assert!(
        c.contains(&("INVALID_REFERENCES", "alert/references".into())),
        "{e:#?}"
    );
    for f in ["urgency", "severity", "certainty"] {
        assert!(
            c.contains(&("MISSING_REQUIRED_ELEMENT", format!("alert/info[0]/{f}"))),
            "{f}: {e:#?}"
        );
    }
    assert!(
        c.contains(&(
            "MISSING_REQUIRED_ELEMENT",
            "alert/info[0]/eventCode[0]/value".into()
        )),
        "{e:#?}"
    );
    assert!(e.iter().all(|x| !x.message.is_empty()));
}

#[test]
fn the_xxe_sample_is_refused_before_anything_is_resolved() {
    let e = read(&sample("xee.cap")).unwrap_err();
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].code, "XML_DTD_FORBIDDEN");
    // An entity without a DTD is refused too, and so is XInclude's element (unknown to CAP).
    let e = read(br#"<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>a&xxe;</identifier></alert>"#).unwrap_err();
    assert_eq!(e[0].code, "XML_ENTITY_FORBIDDEN");
}

#[test]
fn bad_input_is_named() {
    for (xml, code) in [
        (&b""[..], "XML_MALFORMED"),
        (
            b"<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\"><identifier>x</identifier>",
            "XML_MALFORMED",
        ),
        (b"<foo/>", "NOT_CAP"),
        (b"<alert xmlns=\"urn:x\"/>", "UNSUPPORTED_VERSION"),
    ] {
        let e = read(xml).unwrap_err();
        assert_eq!(e[0].code, code, "{e:#?}");
    }
    let big = vec![b' '; 5 * 1024 * 1024];
    assert_eq!(read(&big).unwrap_err()[0].code, "MESSAGE_TOO_LARGE");
    let mut deep = String::from("<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.2\">");
    for _ in 0..40 {
        deep.push_str("<a>");
    }
    assert!(read(deep.as_bytes()).is_err());
    // expires before effective, a swapped polygon, an unknown element, out of order.
    let xml = ours()
        .replace(
            "<expires>2026-07-01T22:00:00+08:00</expires>",
            "<expires>2026-07-01T09:00:00+08:00</expires>",
        )
        .replace("29.70,115.95 29.70,116.00", "115.95,29.70 116.00,29.70")
        .replace("<urgency>", "<color>red</color><urgency>");
    let e = read(xml.as_bytes()).unwrap_err();
    let c: Vec<&str> = e.iter().map(|x| x.code).collect();
    assert!(c.contains(&"EFFECTIVE_NOT_AFTER_EXPIRES"), "{e:#?}");
    assert!(c.contains(&"INVALID_POLYGON"), "{e:#?}");
    assert!(c.contains(&"UNSUPPORTED_ELEMENT"), "{e:#?}");
    let xml = ours().replace(
        "<status>Actual</status>\n  <msgType>Alert</msgType>",
        "<msgType>Alert</msgType>\n  <status>Actual</status>",
    );
    assert!(
        read(xml.as_bytes())
            .unwrap_err()
            .iter()
            .any(|x| x.code == "INVALID_SEQUENCE")
    );
}

/// A 暴雨橙色预警 as the district would publish it.
fn ours() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="{NS_12}">
  <identifier>36040300000000_20260701100000_0</identifier>
  <sender>360403.yjj@yingji</sender>
  <sent>2026-07-01T10:00:00+08:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>zh-CN</language>
    <category>Met</category>
    <event>暴雨</event>
    <responseType>Prepare</responseType>
    <urgency>Expected</urgency>
    <severity>Severe</severity>
    <certainty>Likely</certainty>
    <eventCode>
      <valueName>GB/T 35965.1:level</valueName>
      <value>橙色</value>
    </eventCode>
    <effective>2026-07-01T10:00:00+08:00</effective>
    <expires>2026-07-01T22:00:00+08:00</expires>
    <senderName>浔阳区应急管理局</senderName>
    <headline>浔阳区发布暴雨橙色预警</headline>
    <description>预计未来6小时内将出现50毫米以上降雨 &amp; 局地短时强降水</description>
    <instruction>低洼易涝区域人员及时转移</instruction>
    <area>
      <areaDesc>甘棠街道、湓浦街道</areaDesc>
      <polygon>29.70,115.95 29.70,116.00 29.75,116.00 29.75,115.95 29.70,115.95</polygon>
      <geocode>
        <valueName>GB/T 2260</valueName>
        <value>360403</value>
      </geocode>
    </area>
  </info>
</alert>
"#
    )
}

fn normalised(mut a: Alert) -> Alert {
    a.version = Version::V12;
    a
}

#[test]
fn read_write_read_gives_the_same_alert() {
    let mut all: Vec<(String, Vec<u8>)> =
        VALID.iter().map(|n| (n.to_string(), sample(n))).collect();
    all.push(("ours".into(), ours().into_bytes()));
    for (name, bytes) in all {
        let a = read(&bytes).unwrap_or_else(|e| panic!("{name}: {e:#?}"));
        let xml = write(&a);
        let b = read(xml.as_bytes()).unwrap_or_else(|e| panic!("{name} re-read: {e:#?}\n{xml}"));
        assert_eq!(normalised(a), normalised(b), "{name}");
    }
    let a = read(ours().as_bytes()).unwrap();
    assert_eq!(
        a.infos[0].description.as_deref(),
        Some("预计未来6小时内将出现50毫米以上降雨 & 局地短时强降水")
    );
}

/// Every alert the writer produces validates against the OASIS schema (`xmllint`, from Debian's
/// libxml2-utils, which `.ci/run` installs; without it the test says so, and fails in CI).
#[test]
fn written_alerts_validate_against_the_schema() {
    let xsd = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cap12.xsd");
    if std::process::Command::new("xmllint")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var("CI").is_err(),
            "xmllint is required in CI (libxml2-utils)"
        );
        eprintln!("xmllint not installed: schema check skipped");
        return;
    }
    let dir = std::env::temp_dir().join(format!("yingji-cap-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut all: Vec<(String, Vec<u8>)> =
        VALID.iter().map(|n| (n.to_string(), sample(n))).collect();
    all.push(("ours".into(), ours().into_bytes()));
    for (name, bytes) in all {
        let xml = write(&read(&bytes).unwrap());
        let file = dir.join(format!("{name}.xml"));
        std::fs::write(&file, &xml).unwrap();
        let out = std::process::Command::new("xmllint")
            .args(["--noout", "--nonet", "--schema"])
            .arg(&xsd)
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}\n{xml}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
