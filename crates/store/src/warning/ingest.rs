//! CAP in and out: building the CAP alert of a warning and ingesting CAP messages from feeds and uploads.

use super::{MAX_POINTS, Warning, bbox, get, log, polygons_of_regions};
use crate::{Actor, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use yingji_cap::{Alert, Area, Info, NameValue, Point, Polygon, Reference};
use yingji_core::kernel::geo::{self, Ring};
use yingji_core::kernel::role::Scope;
use yingji_core::warning::{self as rules};

pub(super) fn category_of(event_code: &str) -> &'static str {
    match event_code {
        "geological" => "Geo",
        "forest_fire" => "Fire",
        "flood" => "Env",
        "other" => "Other",
        _ => "Met",
    }
}

/// The CAP message for a warning (Alert, Update or Cancel), with its GB/T 35965.1 identifier.
pub(super) async fn build_alert(
    tx: &mut Tx,
    w: &Warning,
    now_ms: i64,
    previous: Option<&Warning>,
    msg_type: &str,
) -> StoreResult<(String, Alert)> {
    let mut q = Sql::new("SELECT district_code FROM warnings WHERE id = ");
    q.bind(w.id.as_str());
    let district: String = q.fetch_one(tx).await?.try_get(0)?;
    let p = crate::prevention::rules::current_tx(tx, &district)
        .await?
        .rules
        .warning
        .publisher;
    let second = yingji_cap::identifier::beijing_time(now_ms);
    let n =
        crate::kernel::sequences::next_in_sequence(tx, &format!("CAP-{district}-{second}")).await?;
    let identifier = yingji_cap::identifier::build(
        &district,
        &p.organisation_code,
        &p.unit_code,
        "00",
        now_ms,
        ((n - 1) % 10) as u8,
    )
    .map_err(|m| StoreError::invalid("identifier", m))?;
    let text_time = |ms: i64| yingji_cap::DateTime {
        text: yingji_cap::identifier::beijing_time(ms),
        epoch_ms: ms / 1000 * 1000,
    };
    // CAP 1.2 has no holes (a <polygon> is one ring; several make a union): the outer rings are
    // published, so a hole of the area is warned by the message though not targeted here.
    let rings: Vec<Ring> =
        serde_json::from_value::<Vec<geo::Polygon>>(w.area["coordinates"].clone())
            .unwrap_or_default()
            .into_iter()
            .filter_map(|p| p.into_iter().next())
            .collect();
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
    let alert = Alert {
        version: yingji_cap::Version::V12,
        identifier: identifier.clone(),
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
        infos: vec![Info {
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
            areas: vec![Area {
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
            }],
        }],
    };
    Ok((identifier, alert))
}

#[derive(Debug, Clone, Serialize)]
pub struct Ingested {
    /// false when the same message (sender + identifier) had been taken in before.
    pub created: bool,
    pub warning: Warning,
    /// Earlier warnings this message updated or cancelled.
    pub superseded: Vec<String>,
}

/// Takes in a CAP message from another bureau: read and checked by `yingji_cap`, stored once per
/// sender and identifier, and applied to the warnings it references (更新 → superseded, 解除 →
/// cancelled). `district` is the district it is taken in for.
pub async fn ingest(
    store: &Store,
    actor: &Actor,
    author: &str,
    district: &str,
    now_ms: i64,
    xml: &[u8],
) -> Result<Ingested, IngestError> {
    let alert = yingji_cap::read_with(
        xml,
        yingji_cap::ReadOptions {
            max_polygon_points: MAX_POINTS,
            ..Default::default()
        },
    )
    .map_err(IngestError::Cap)?;
    let mut q = Sql::new("SELECT id FROM warnings WHERE sender = ");
    q.bind(alert.sender.as_str())
        .push_bind(" AND identifier = ", alert.identifier.as_str());
    if let Some(r) = store.fetch_optional(q).await? {
        let id: String = r.try_get(0)?;
        return Ok(Ingested {
            created: false,
            warning: get(store, &Scope::All, &id, now_ms).await?,
            superseded: vec![],
        });
    }
    let Some(info) = alert.infos.first() else {
        return Err(IngestError::Cap(vec![yingji_cap::CapError {
            code: "INFO_IS_REQUIRED",
            path: "alert/info".into(),
            message: "消息没有 <info>：无法知道预警的事件、级别和区域".into(),
        }]));
    };
    let coded: Vec<(&str, &str)> = info
        .event_codes
        .iter()
        .chain(info.parameters.iter())
        .map(|nv| (nv.name.as_str(), nv.value.as_str()))
        .collect();
    let level = rules::level_of(&info.severity, &coded);
    let event_code = rules::event_of(&format!(
        "{} {}",
        info.event,
        info.headline.clone().unwrap_or_default()
    ));
    // Every <polygon> (one ring each) and circle of every <area> is a polygon of the union.
    let mut polygons: Vec<geo::Polygon> = Vec::new();
    let mut region_codes = Vec::new();
    for area in alert.infos.iter().flat_map(|i| i.areas.iter()) {
        polygons.extend(area.polygons.iter().map(|p| vec![p.lon_lat()]));
        // A circle of no radius encloses nothing to target.
        polygons.extend(
            area.circles
                .iter()
                .filter(|c| c.radius_km > 0.0)
                .map(|c| vec![circle_ring(c.centre, c.radius_km)]),
        );
        for g in &area.geocodes {
            if g.value.len() >= 6
                && g.value.len() <= 12
                && g.value.bytes().all(|b| b.is_ascii_digit())
            {
                region_codes.push(g.value.clone());
            }
        }
    }
    // Geocodes of regions we know add their boundaries.
    let known: Vec<String> = {
        let mut k = Vec::new();
        for c in &region_codes {
            if crate::directory::regions::get(store, &Scope::All, c)
                .await
                .is_ok()
            {
                k.push(c.clone());
            }
        }
        k
    };
    let (region_polygons, _) = polygons_of_regions(store, &known).await?;
    polygons.extend(region_polygons);
    let b = bbox(&polygons);
    let effective = info
        .effective
        .as_ref()
        .map(|d| d.epoch_ms)
        .unwrap_or(alert.sent.epoch_ms);
    let expires = info
        .expires
        .as_ref()
        .map(|d| d.epoch_ms)
        .unwrap_or(effective + 24 * 3_600_000);
    let id = new_id();
    let mut tx = store.begin().await?;
    let mut ins = Sql::new(
        "INSERT INTO warnings (id, identifier, sender, sent_ms, msg_type, cap_status, origin, status, event_code, event_text, level, headline, description, instruction, sender_name, area_desc, area, region_codes, min_lon, min_lat, max_lon, max_lat, effective_ms, expires_ms, district_code, cap_xml, author, created_ms, updated_ms) VALUES ",
    );
    let cap_xml = yingji_cap::write(&alert);
    ins.values(vec![
        id.clone().into(),
        alert.identifier.clone().into(),
        alert.sender.clone().into(),
        alert.sent.epoch_ms.into(),
        alert.msg_type.clone().into(),
        alert.status.clone().into(),
        "ingested".into(),
        "published".into(),
        event_code.into(),
        info.event.clone().into(),
        level.into(),
        info.headline
            .clone()
            .unwrap_or_else(|| info.event.clone())
            .into(),
        info.description.clone().unwrap_or_default().into(),
        info.instruction.clone().unwrap_or_default().into(),
        info.sender_name
            .clone()
            .unwrap_or_else(|| alert.sender.clone())
            .into(),
        info.areas
            .iter()
            .map(|a| a.desc.clone())
            .collect::<Vec<_>>()
            .join("；")
            .chars()
            .take(500)
            .collect::<String>()
            .into(),
        serde_json::to_string(&polygons).unwrap_or_default().into(),
        yingji_core::directory::enterprise::join_codes(&region_codes).into(),
        b.min_lon.into(),
        b.min_lat.into(),
        b.max_lon.into(),
        b.max_lat.into(),
        effective.into(),
        expires.into(),
        district.into(),
        cap_xml.into(),
        author.into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    ins.execute(&mut tx).await.map_err(|e| match e {
        StoreError::Db(ref d) if crate::resources::is_unique_violation(d) => IngestError::Store(
            StoreError::conflict("identifier", "同一消息正在被同时接收，请重试"),
        ),
        e => IngestError::Store(e),
    })?;
    let mut superseded: Vec<String> = Vec::new();
    if matches!(alert.msg_type.as_str(), "Update" | "Cancel") {
        let to = if alert.msg_type == "Cancel" {
            "cancelled"
        } else {
            "superseded"
        };
        for r in &alert.references {
            let mut u = Sql::new("UPDATE warnings SET status = ");
            u.bind(to)
                .push_bind(", updated_ms = ", now_ms)
                .push_bind(
                    " WHERE status = 'published' AND sender = ",
                    r.sender.as_str(),
                )
                .push_bind(" AND identifier = ", r.identifier.as_str())
                .push(" RETURNING id");
            for row in u.fetch_all(&mut tx).await? {
                superseded.push(row.try_get(0)?);
            }
        }
        if let Some(first) = superseded.first() {
            let mut s = Sql::new("UPDATE warnings SET supersedes = ");
            s.bind(first.clone()).push_bind(" WHERE id = ", id.as_str());
            s.execute(&mut tx).await?;
        }
    }
    crate::warning::targeting::apply(&mut tx, now_ms, &id).await?;
    log(
        &mut tx,
        actor,
        now_ms,
        "warning.ingest",
        &id,
        yingji_core::warning::authoring::ingested_summary(
            &alert.msg_type,
            &alert.sender,
            &info.headline.clone().unwrap_or_else(|| info.event.clone()),
        ),
    )
    .await?;
    tx.commit().await?;
    Ok(Ingested {
        created: true,
        warning: get(store, &Scope::All, &id, now_ms).await?,
        superseded,
    })
}

/// A CAP circle as a 32-sided ring (lon, lat), closed.
pub(super) fn circle_ring(c: Point, radius_km: f64) -> Ring {
    let dlat = radius_km / 111.195;
    let dlon = dlat / c.lat.to_radians().cos().max(0.01);
    let mut ring: Ring = (0..32)
        .map(|i| {
            let a = i as f64 / 32.0 * std::f64::consts::TAU;
            [c.lon + dlon * a.cos(), c.lat + dlat * a.sin()]
        })
        .collect();
    if let Some(f) = ring.first().copied() {
        ring.push(f);
    }
    ring
}

#[derive(Debug)]
pub enum IngestError {
    Cap(Vec<yingji_cap::CapError>),
    Store(StoreError),
}

impl From<StoreError> for IngestError {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl From<sqlx::Error> for IngestError {
    fn from(e: sqlx::Error) -> Self {
        Self::Store(StoreError::Db(e))
    }
}
