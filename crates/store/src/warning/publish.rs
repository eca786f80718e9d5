//! Authoring warnings: create, approve, publish, cancel (the CAP message built by `ingest::build_alert`).

use super::{MAX_POINTS, Warning, bbox, build_alert, get, polygons_of_regions};
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Actor, Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use yingji_cap::Point;
use yingji_core::kernel::geo::{self, Ring};
use yingji_core::kernel::role::Scope;
use yingji_core::kernel::validation::{Errors, optional_text, required_text};
use yingji_core::warning::{self as rules, EVENT_TYPES, Step};

#[derive(Debug, Clone)]
pub struct WarningInput {
    /// rainstorm / gale / heat … (GET /api/v1/warnings/meta).
    pub event_code: String,
    /// 1 红 / 2 橙 / 3 黄 / 4 蓝.
    pub level: i64,
    pub headline: Option<String>,
    pub description: String,
    pub instruction: String,
    /// The area drawn on the map: a GeoJSON Polygon or MultiPolygon (lon, lat) …
    pub area: Option<serde_json::Value>,
    /// … or regions (streets, communities) whose boundaries make the area.
    pub region_codes: Vec<String>,
    pub area_desc: Option<String>,
    /// RFC 3339; defaults to now.
    pub effective_at: Option<String>,
    pub expires_at: String,
    /// The published warning this one updates (更新).
    pub supersedes: Option<String>,
}

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
        return Err(StoreError::Forbidden("您没有起草预警的权限".into()));
    }
    let mut errs = Errors::default();
    if !EVENT_TYPES.iter().any(|(c, _)| *c == input.event_code) {
        errs.add("event_code", format!("预警类型“{}”无效", input.event_code));
    }
    if !(1..=4).contains(&input.level) {
        errs.add("level", "预警级别应为 1（红色）至 4（蓝色）");
    }
    let description = errs.check(
        "description",
        required_text("预警内容", &input.description, 4000),
    );
    let instruction = errs.check(
        "instruction",
        required_text("防御指南", &input.instruction, 4000),
    );
    let headline = errs
        .check(
            "headline",
            optional_text("标题", input.headline.as_deref().unwrap_or(""), 140),
        )
        .flatten();
    let area_desc = errs
        .check(
            "area_desc",
            optional_text("区域描述", input.area_desc.as_deref().unwrap_or(""), 200),
        )
        .flatten();
    let effective = match input
        .effective_at
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        Some(s) => errs.check(
            "effective_at",
            yingji_core::kernel::clock::parse_instant(s).map_err(|m| format!("生效时间{m}")),
        ),
        None => Some(now_ms),
    };
    let expires = errs.check(
        "expires_at",
        yingji_core::kernel::clock::parse_instant(&input.expires_at)
            .map_err(|m| format!("失效时间{m}")),
    );
    if let (Some(e), Some(x)) = (effective, expires) {
        if x <= e {
            errs.add("expires_at", "失效时间应晚于生效时间");
        } else if x <= now_ms {
            errs.add("expires_at", "失效时间已过");
        }
    }
    let drawn = match &input.area {
        Some(v) => match polygons_of_geojson(v) {
            Ok(r) => Some(r),
            Err(m) => {
                errs.add("area", m);
                None
            }
        },
        None => None,
    };
    if input.area.is_none() && input.region_codes.is_empty() {
        errs.add("area", "请在地图上绘制预警区域或选择区划");
    }
    let supersedes = match input.supersedes.as_deref() {
        Some(id) => match get(store, &ctx.scope, id, now_ms).await {
            Ok(w) if w.status == "published" && w.msg_type != "Cancel" => Some(w),
            Ok(_) => {
                errs.add("supersedes", "只能更新已发布、未解除的预警");
                None
            }
            Err(StoreError::NotFound) => {
                errs.add("supersedes", "要更新的预警不存在");
                None
            }
            Err(e) => return Err(e),
        },
        None => None,
    };
    if !errs.is_empty() {
        return Err(errs.into_invalid().into());
    }
    if let Some(code) = input
        .region_codes
        .iter()
        .find(|c| !ctx.scope.covers_region(c))
    {
        return Err(StoreError::Forbidden(format!(
            "区划“{code}”不在您的管辖范围内，不能对其发布预警"
        )));
    }
    let (mut polygons, names) = polygons_of_regions(store, &input.region_codes).await?;
    polygons.extend(drawn.unwrap_or_default());
    let district = crate::directory::regions::district_of_scope(store, &ctx.scope).await?;
    let (bureau, sender) = publisher(store, &district).await?;
    let event_label = rules::event_label(&input.event_code);
    let colour = rules::level_colour(input.level);
    let headline = headline.unwrap_or_else(|| format!("{bureau}发布{event_label}{colour}预警"));
    let area_desc = area_desc.unwrap_or_else(|| {
        if names.is_empty() {
            "地图绘制区域".into()
        } else {
            names.join("、")
        }
    });
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
        description.unwrap_or_default().into(),
        instruction.unwrap_or_default().into(),
        bureau.into(),
        area_desc.into(),
        serde_json::to_string(&polygons).unwrap_or_default().into(),
        yingji_core::directory::enterprise::join_codes(&input.region_codes).into(),
        b.min_lon.into(),
        b.min_lat.into(),
        b.max_lon.into(),
        b.max_lat.into(),
        effective.unwrap_or(now_ms).into(),
        expires.unwrap_or(now_ms).into(),
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
        format!("起草预警：{headline}"),
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

#[derive(Debug, Clone)]
pub struct StepInput {
    /// submit (提交审核) / approve (审核发布) / reject (退回) / cancel (解除)
    pub action: String,
    pub note: Option<String>,
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
        return Err(StoreError::Forbidden(format!(
            "您没有{}预警的权限",
            step.label()
        )));
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
                .bind(format!("解除：{}", w.headline))
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
        format!("{}预警：{}", step.label(), w.headline),
    )
    .await?;
    tx.commit().await?;
    get(store, &ctx.scope, id, now_ms).await
}
