//! Authoring warnings: create, approve, publish, cancel (the CAP message built by `ingest::build_alert`).

use super::{MAX_POINTS, Warning, bbox, build_alert, get, polygons_of_regions};
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Actor, Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use yingji_cap::Point;
use yingji_core::kernel::geo::{self, Ring};
use yingji_core::kernel::role::Scope;
use yingji_core::kernel::validation::optional_text;
use yingji_core::warning::{self as rules, Step};

use yingji_core::warning::authoring::{self as words, Superseded, check_warning};
pub use yingji_core::warning::authoring::{StepInput, WarningInput};

/// GeoJSON Polygon/MultiPolygon (lon, lat) with its holes, every ring checked as CAP polygons
/// are: closed, ≥ 4 points, in range, not crossing itself, at most MAX_POINTS; coordinates the
/// wrong way round are named. A polygon's holes must lie inside its outer ring, apart from one
/// another (`geo::check_holes`); the polygons of a MultiPolygon are a union.
pub(crate) fn polygons_of_geojson(v: &serde_json::Value) -> Result<Vec<geo::Polygon>, String> {
    let polys: Vec<&serde_json::Value> = match v["type"].as_str() {
        Some("Polygon") => vec![&v["coordinates"]],
        Some("MultiPolygon") => v["coordinates"]
            .as_array()
            .map(|a| a.iter().collect())
            .unwrap_or_default(),
        _ => return Err("区域应为 GeoJSON Polygon 或 MultiPolygon".into()),
    };
    let mut out = Vec::new();
    for (i, p) in polys.iter().enumerate() {
        let Some(rings) = p
            .as_array()
            .filter(|a| a.first().is_some_and(|r| r.is_array()))
        else {
            return Err(format!("第{}个多边形没有坐标", i + 1));
        };
        let mut polygon: geo::Polygon = Vec::with_capacity(rings.len());
        for (k, r) in rings.iter().enumerate() {
            // The outer ring is named by its polygon alone, as before holes were kept.
            let which = if k == 0 {
                format!("第{}个多边形", i + 1)
            } else {
                format!("第{}个多边形的第{k}个内环（洞）", i + 1)
            };
            let Some(coords) = r.as_array() else {
                return Err(format!("{which}没有坐标"));
            };
            let mut ring: Ring = Vec::with_capacity(coords.len());
            for c in coords {
                let (Some(lon), Some(lat)) = (
                    c.get(0).and_then(|x| x.as_f64()),
                    c.get(1).and_then(|x| x.as_f64()),
                ) else {
                    return Err(format!("{which}的坐标应为 [经度, 纬度] 数值"));
                };
                if (3.0..=54.0).contains(&lon) && (73.0..=136.0).contains(&lat) {
                    return Err(format!(
                        "坐标 [{lon}, {lat}] 的经纬度可能颠倒：GeoJSON 顺序为 [经度, 纬度]"
                    ));
                }
                if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
                    return Err(format!("坐标 [{lon}, {lat}] 超出经纬度范围"));
                }
                ring.push([lon, lat]);
            }
            let points: Vec<Point> = ring
                .iter()
                .map(|c| Point {
                    lat: c[1],
                    lon: c[0],
                })
                .collect();
            yingji_cap::check_ring(&points, MAX_POINTS)
                .map_err(|(_, m)| format!("{which}：{m}"))?;
            polygon.push(ring);
        }
        geo::check_holes(&polygon).map_err(|m| format!("第{}个多边形：{m}", i + 1))?;
        out.push(polygon);
    }
    if out.is_empty() {
        return Err("区域不能为空".into());
    }
    Ok(out)
}

pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &WarningInput,
) -> StoreResult<Warning> {
    if !yingji_core::warning::access::may_author_warnings(ctx.role) {
        return Err(StoreError::Forbidden(words::MAY_NOT_AUTHOR.into()));
    }
    let drawn = input.area.as_ref().map(polygons_of_geojson);
    let (superseded, supersedes) = match input.supersedes.as_deref() {
        Some(id) => match get(store, &ctx.scope, id, now_ms).await {
            Ok(w) if w.status == "published" && w.msg_type != "Cancel" => {
                (Superseded::Updatable, Some(w))
            }
            Ok(_) => (Superseded::NotUpdatable, None),
            Err(StoreError::NotFound) => (Superseded::Missing, None),
            Err(e) => return Err(e),
        },
        None => (Superseded::None, None),
    };
    let c = check_warning(input, now_ms, drawn, superseded)?;
    if let Some(code) = input
        .region_codes
        .iter()
        .find(|c| !ctx.scope.covers_region(c))
    {
        return Err(StoreError::Forbidden(words::region_out_of_scope(code)));
    }
    let (mut polygons, names) = polygons_of_regions(store, &input.region_codes).await?;
    polygons.extend(c.drawn);
    let district = crate::directory::regions::district_of_scope(store, &ctx.scope).await?;
    let (bureau, sender) = publisher(store, &district).await?;
    let event_label = rules::event_label(&input.event_code);
    let headline = c
        .headline
        .unwrap_or_else(|| words::default_headline(&bureau, &input.event_code, input.level));
    let area_desc = c
        .area_desc
        .unwrap_or_else(|| words::default_area_desc(&names));
    let b = bbox(&polygons);
    let id = new_id();
    let mut tx = store.begin().await?;
    let mut q = Sql::new(
        "INSERT INTO warnings (id, identifier, sender, sent_ms, msg_type, cap_status, origin, status, event_code, event_text, level, headline, description, instruction, sender_name, area_desc, area, region_codes, min_lon, min_lat, max_lon, max_lat, effective_ms, expires_ms, district_code, supersedes, author, author_id, created_ms, updated_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        // Drafts get their GB/T 35965.1 identifier when published; until then a unique placeholder.
        format!("draft-{id}").into(),
        sender.into(),
        None::<i64>.into(),
        if supersedes.is_some() {
            "Update"
        } else {
            "Alert"
        }
        .into(),
        "Actual".into(),
        "authored".into(),
        "draft".into(),
        input.event_code.clone().into(),
        event_label.into(),
        input.level.into(),
        headline.clone().into(),
        c.description.into(),
        c.instruction.into(),
        bureau.into(),
        area_desc.into(),
        serde_json::to_string(&polygons).unwrap_or_default().into(),
        yingji_core::directory::enterprise::join_codes(&input.region_codes).into(),
        b.min_lon.into(),
        b.min_lat.into(),
        b.max_lon.into(),
        b.max_lat.into(),
        c.effective_ms.into(),
        c.expires_ms.into(),
        district.into(),
        supersedes.as_ref().map(|w| w.id.clone()).into(),
        ctx.display_name.clone().into(),
        Some(ctx.user_id.clone()).into(),
        now_ms.into(),
        now_ms.into(),
    ]);
    q.execute(&mut tx).await?;
    log(
        &mut tx,
        &ctx.actor,
        now_ms,
        "warning.create",
        &id,
        words::created_summary(&headline),
    )
    .await?;
    tx.commit().await?;
    get(store, &ctx.scope, &id, now_ms).await
}

/// The district's issuing bureau and CAP sender, by its rule `warning.publisher` (default: the
/// district's name + 应急管理局, `yjj.{code}@yingji`).
pub(super) async fn publisher(store: &Store, district: &str) -> StoreResult<(String, String)> {
    let p = crate::prevention::rules::current(store, district)
        .await?
        .rules
        .warning
        .publisher;
    let name = crate::directory::regions::get(store, &Scope::All, district)
        .await
        .map(|r| r.name)
        .unwrap_or_else(|_| district.to_string());
    Ok((p.name_for(&name), p.sender_for(district)))
}

pub(super) async fn log(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    action: &str,
    id: &str,
    summary: String,
) -> StoreResult<()> {
    audit::append(
        tx,
        now_ms,
        actor,
        Change::of(action, "warning", id, summary),
    )
    .await?;
    Ok(())
}

/// 提交审核 / 审核发布 (another person) / 退回 / 解除.
pub async fn act(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &StepInput,
) -> StoreResult<Warning> {
    let step = Step::parse(&input.action).map_err(|m| StoreError::invalid("action", m))?;
    let allowed = match step {
        Step::Submit => yingji_core::warning::access::may_author_warnings(ctx.role),
        _ => yingji_core::warning::access::may_approve_warnings(ctx.role),
    };
    if !allowed {
        return Err(StoreError::Forbidden(words::may_not_step(step)));
    }
    let note = optional_text("说明", input.note.as_deref().unwrap_or(""), 500)
        .map_err(|m| StoreError::invalid("note", m))?;
    let w = get(store, &ctx.scope, id, now_ms).await?;
    let mut q = Sql::new("SELECT author_id FROM warnings WHERE id = ");
    q.bind(id);
    let author_id: Option<String> = store
        .fetch_optional(q)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?
        .flatten();
    let by_author = author_id.as_deref() == Some(ctx.user_id.as_str());
    let next =
        rules::next(&w.status, step, by_author).map_err(|m| StoreError::conflict("action", m))?;
    let mut tx = store.begin().await?;
    match step {
        Step::Approve => {
            if w.expires_ms <= now_ms {
                return Err(StoreError::conflict(
                    "expires_at",
                    "预警已过失效时间，请修改后重新提交",
                ));
            }
            let previous = match &w.supersedes {
                Some(p) => Some(get(store, &ctx.scope, p, now_ms).await?),
                None => None,
            };
            let (identifier, alert) =
                build_alert(&mut tx, &w, now_ms, previous.as_ref(), &w.msg_type).await?;
            let xml = yingji_cap::write(&alert);
            let mut u = Sql::new("UPDATE warnings SET status = 'published', identifier = ");
            u.bind(identifier)
                .push_bind(", sent_ms = ", now_ms)
                .push_bind(", cap_xml = ", xml)
                .push_bind(", approver = ", ctx.display_name.clone())
                .push_bind(", approved_ms = ", now_ms)
                .push_bind(", updated_ms = ", now_ms)
                .push_bind(" WHERE status = 'pending' AND id = ", id);
            if u.execute(&mut tx).await? == 0 {
                return Err(StoreError::conflict("action", "预警刚刚被他人处理，请刷新"));
            }
            if let Some(p) = previous {
                let mut s = Sql::new("UPDATE warnings SET status = 'superseded', updated_ms = ");
                s.bind(now_ms)
                    .push_bind(" WHERE status = 'published' AND id = ", p.id);
                s.execute(&mut tx).await?;
            }
            crate::warning::targeting::apply(&mut tx, now_ms, id).await?;
        }
        Step::Cancel => {
            // 解除 is a CAP Cancel message of its own, referencing the warning.
            let (identifier, alert) = build_alert(&mut tx, &w, now_ms, Some(&w), "Cancel").await?;
            let xml = yingji_cap::write(&alert);
            let cid = new_id();
            let mut ins = Sql::new(
                "INSERT INTO warnings (id, identifier, sender, sent_ms, msg_type, cap_status, origin, status, event_code, event_text, level, headline, description, instruction, sender_name, area_desc, area, region_codes, min_lon, min_lat, max_lon, max_lat, effective_ms, expires_ms, district_code, cap_xml, supersedes, author, author_id, approver, approved_ms, note, created_ms, updated_ms) \
                 SELECT ",
            );
            ins.bind(cid.clone())
                .push(", ")
                .bind(identifier)
                .push(", sender, ")
                .bind(now_ms)
                .push(", 'Cancel', cap_status, origin, 'published', event_code, event_text, level, ")
                .bind(words::cancel_headline(&w.headline))
                .push(", description, instruction, sender_name, area_desc, area, region_codes, min_lon, min_lat, max_lon, max_lat, effective_ms, expires_ms, district_code, ")
                .bind(xml)
                .push(", id, ")
                .bind(ctx.display_name.clone())
                .push(", ")
                .bind(ctx.user_id.clone())
                .push(", ")
                .bind(ctx.display_name.clone())
                .push(", ")
                .bind(now_ms)
                .push(", ")
                .bind(note.clone())
                .push(", ")
                .bind(now_ms)
                .push(", ")
                .bind(now_ms)
                .push_bind(" FROM warnings WHERE id = ", id);
            ins.execute(&mut tx).await?;
            let mut u = Sql::new("UPDATE warnings SET status = 'cancelled', updated_ms = ");
            u.bind(now_ms)
                .push_bind(" WHERE status = 'published' AND id = ", id);
            if u.execute(&mut tx).await? == 0 {
                return Err(StoreError::conflict("action", "预警刚刚被他人处理，请刷新"));
            }
            crate::warning::targeting::apply(&mut tx, now_ms, &cid).await?;
        }
        Step::Submit | Step::Reject => {
            let mut u = Sql::new("UPDATE warnings SET status = ");
            u.bind(next)
                .push_bind(", note = ", note.clone())
                .push_bind(", updated_ms = ", now_ms)
                .push_bind(" WHERE id = ", id)
                .push_bind(" AND status = ", w.status.clone());
            if u.execute(&mut tx).await? == 0 {
                return Err(StoreError::conflict("action", "预警刚刚被他人处理，请刷新"));
            }
        }
    }
    log(
        &mut tx,
        &ctx.actor,
        now_ms,
        &format!("warning.{}", input.action),
        id,
        words::step_summary(step, &w.headline),
    )
    .await?;
    tx.commit().await?;
    get(store, &ctx.scope, id, now_ms).await
}
