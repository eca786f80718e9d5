//! The CAP 1.2 message of an authored warning (Alert, Update or Cancel), rendered here so that
//! the store receives its identifier and XML as text.

use yingji_cap::{Alert, Area, Info, NameValue, Point, Polygon, Reference};
use yingji_core::kernel::geo::{self, Ring};
use yingji_core::warning as rules;
use yingji_store::warning::Warning;
use yingji_store::warning::ingest::cap_number_in;
use yingji_store::{StoreError, StoreResult, Tx};

fn category_of(event_code: &str) -> &'static str {
    match event_code {
        "geological" => "Geo",
        "forest_fire" => "Fire",
        "flood" => "Env",
        "other" => "Other",
        _ => "Met",
    }
}

fn text_time(ms: i64) -> yingji_cap::DateTime {
    yingji_cap::DateTime {
        text: yingji_cap::identifier::beijing_time(ms),
        epoch_ms: ms / 1000 * 1000,
    }
}

/// The GB/T 35965.1 identifier and the CAP XML of warning `w`'s message of `msg_type` sent now,
/// referencing `previous` (the warning it updates or cancels) when that was sent.
pub async fn message_in(
    tx: &mut Tx,
    w: &Warning,
    now_ms: i64,
    previous: Option<&Warning>,
    msg_type: &str,
) -> StoreResult<(String, String)> {
    let second = yingji_cap::identifier::beijing_time(now_ms);
    let n = cap_number_in(tx, &w.id, &second).await?;
    let identifier = yingji_cap::identifier::build(
        &n.district,
        &n.organisation_code,
        &n.unit_code,
        "00",
        now_ms,
        ((n.n - 1) % 10) as u8,
    )
    .map_err(|m| StoreError::invalid("identifier", m))?;
    let alert = alert_of(w, &identifier, now_ms, previous, msg_type);
    Ok((identifier, yingji_cap::write(&alert)))
}

fn alert_of(
    w: &Warning,
    identifier: &str,
    now_ms: i64,
    previous: Option<&Warning>,
    msg_type: &str,
) -> Alert {
    let references = previous
        .filter(|p| p.sent_ms.is_some())
        .map(|p| {
            vec![Reference {
                sender: p.sender.clone(),
                identifier: p.identifier.clone(),
                sent: yingji_cap::identifier::beijing_time(p.sent_ms.unwrap_or(0)),
            }]
        })
        .unwrap_or_default();
    Alert {
        version: yingji_cap::Version::V12,
        identifier: identifier.to_string(),
        sender: w.sender.clone(),
        sent: text_time(now_ms),
        status: "Actual".into(),
        msg_type: msg_type.into(),
        source: None,
        scope: "Public".into(),
        restriction: None,
        addresses: None,
        codes: vec!["GB/T 35965.1-2018".into()],
        note: w.note.clone(),
        references,
        incidents: None,
        infos: vec![info_of(w, msg_type)],
    }
}

fn info_of(w: &Warning, msg_type: &str) -> Info {
    Info {
        language: Some("zh-CN".into()),
        categories: vec![category_of(&w.event_code).into()],
        event: w.event_label.clone(),
        response_types: vec![
            if msg_type == "Cancel" {
                "AllClear"
            } else if w.level <= 2 {
                "Prepare"
            } else {
                "Monitor"
            }
            .into(),
        ],
        urgency: if w.level == 1 {
            "Immediate"
        } else {
            "Expected"
        }
        .into(),
        severity: rules::level_severity(w.level).into(),
        certainty: "Likely".into(),
        audience: None,
        event_codes: vec![NameValue {
            name: "GB/T 35965.1:level".into(),
            value: w.colour.clone(),
        }],
        effective: Some(text_time(w.effective_ms)),
        onset: None,
        expires: Some(text_time(w.expires_ms)),
        sender_name: Some(w.sender_name.clone()),
        headline: Some(if msg_type == "Cancel" {
            format!("解除{}", w.headline)
        } else {
            w.headline.clone()
        }),
        description: Some(w.description.clone()),
        instruction: Some(w.instruction.clone()),
        web: None,
        contact: None,
        parameters: vec![],
        resources: vec![],
        areas: vec![area_of(w)],
    }
}

fn area_of(w: &Warning) -> Area {
    // CAP 1.2 has no holes (a <polygon> is one ring; several make a union): the outer rings are
    // published, so a hole of the area is warned by the message though not targeted here.
    let rings: Vec<Ring> =
        serde_json::from_value::<Vec<geo::Polygon>>(w.area["coordinates"].clone())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| p.into_iter().next())
            .collect();
    Area {
        desc: w.area_desc.chars().take(50).collect(),
        polygons: rings
            .iter()
            .map(|r| Polygon {
                points: r
                    .iter()
                    .map(|c| Point {
                        lat: c[1],
                        lon: c[0],
                    })
                    .collect(),
            })
            .collect(),
        circles: vec![],
        geocodes: w
            .region_codes
            .iter()
            .map(|c| NameValue {
                name: "GB/T 2260".into(),
                value: c.clone(),
            })
            .collect(),
        altitude: None,
        ceiling: None,
    }
}
