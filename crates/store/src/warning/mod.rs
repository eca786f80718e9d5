//! 预警信息: warnings authored here (a second person approves), warnings taken in as CAP, and the
//! CAP messages and Atom feed we publish. Rules in `yingji_core::warning`; CAP in `yingji_cap`.

pub mod feeds;
pub mod targeting;

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::{Actor, Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_cap::{Alert, Area, Info, NameValue, Point, Polygon, Reference};
use yingji_core::kernel::geo::{self, BBox, Ring};
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::kernel::validation::{Errors, optional_text, required_text};
use yingji_core::warning::{self as rules, EVENT_TYPES, STATUSES, Step};

/// Polygon points accepted from the console or a CAP message.
pub const MAX_POINTS: usize = 10_000;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarningInput {
    /// rainstorm / gale / heat … (GET /api/v1/warnings/meta).
    pub event_code: String,
    /// 1 红 / 2 橙 / 3 黄 / 4 蓝.
    pub level: i64,
    #[serde(default)]
    pub headline: Option<String>,
    pub description: String,
    pub instruction: String,
    /// The area drawn on the map: a GeoJSON Polygon or MultiPolygon (lon, lat) …
    #[serde(default)]
    pub area: Option<serde_json::Value>,
    /// … or regions (streets, communities) whose boundaries make the area.
    #[serde(default)]
    pub region_codes: Vec<String>,
    #[serde(default)]
    pub area_desc: Option<String>,
    /// RFC 3339; defaults to now.
    #[serde(default)]
    pub effective_at: Option<String>,
    pub expires_at: String,
    /// The published warning this one updates (更新).
    #[serde(default)]
    pub supersedes: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Warning {
    pub id: String,
    pub identifier: String,
    pub sender: String,
    pub sent_ms: Option<i64>,
    /// Alert / Update / Cancel
    pub msg_type: String,
    /// CAP status: Actual, Exercise, Test …
    pub cap_status: String,
    /// authored / ingested
    pub origin: String,
    /// draft / pending / published / superseded / cancelled
    pub status: String,
    pub status_label: String,
    pub event_code: String,
    pub event_label: String,
    /// The event as the message named it.
    pub event_text: String,
    pub level: i64,
    pub colour: String,
    pub headline: String,
    pub description: String,
    pub instruction: String,
    pub sender_name: String,
    pub area_desc: String,
    /// GeoJSON MultiPolygon (lon, lat).
    pub area: serde_json::Value,
    pub region_codes: Vec<String>,
    pub effective_ms: i64,
    pub expires_ms: i64,
    pub supersedes: Option<String>,
    pub author: String,
    pub approver: Option<String>,
    pub approved_ms: Option<i64>,
    pub note: Option<String>,
    pub created_ms: i64,
    /// In force now (published, not cancelled, not expired, an actual message).
    pub current: bool,
}

fn label(list: &[(&str, &'static str)], code: &str) -> String {
    list.iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| l.to_string())
        .unwrap_or_default()
}

fn from_row(r: &AnyRow, now_ms: i64) -> StoreResult<Warning> {
    let status: String = r.try_get("status")?;
    let event_code: String = r.try_get("event_code")?;
    let level: i64 = r.try_get("level")?;
    let polygons = geo::stored_polygons(&r.try_get::<String, _>("area")?);
    let msg_type: String = r.try_get("msg_type")?;
    let cap_status: String = r.try_get("cap_status")?;
    let expires_ms: i64 = r.try_get("expires_ms")?;
    let current = status == "published"
        && msg_type != "Cancel"
        && cap_status == "Actual"
        && expires_ms > now_ms;
    Ok(Warning {
        id: r.try_get("id")?,
        identifier: r.try_get("identifier")?,
        sender: r.try_get("sender")?,
        sent_ms: r.try_get("sent_ms")?,
        msg_type,
        cap_status,
        origin: r.try_get("origin")?,
        status_label: if status == "published" && expires_ms <= now_ms {
            "已过期".into()
        } else {
            label(STATUSES, &status)
        },
        status,
        event_label: rules::event_label(&event_code).into(),
        event_code,
        event_text: r.try_get("event_text")?,
        level,
        colour: rules::level_colour(level).into(),
        headline: r.try_get("headline")?,
        description: r.try_get("description")?,
        instruction: r.try_get("instruction")?,
        sender_name: r.try_get("sender_name")?,
        area_desc: r.try_get("area_desc")?,
        area: multipolygon(&polygons),
        region_codes: yingji_core::directory::enterprise::split_codes(
            &r.try_get::<String, _>("region_codes")?,
        ),
        effective_ms: r.try_get("effective_ms")?,
        expires_ms,
        supersedes: r.try_get("supersedes")?,
        author: r.try_get("author")?,
        approver: r.try_get("approver")?,
        approved_ms: r.try_get("approved_ms")?,
        note: r.try_get("note")?,
        created_ms: r.try_get("created_ms")?,
        current,
    })
}

/// The area as GeoJSON: each polygon its outer ring, then its holes.
fn multipolygon(polygons: &[geo::Polygon]) -> serde_json::Value {
    serde_json::json!({
        "type": "MultiPolygon",
        "coordinates": polygons,
    })
}

fn push_scope(q: &mut Sql, scope: &Scope) {
    match scope {
        Scope::All => {}
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } => {
            q.push_bind(
                " AND w.district_code = ",
                prefix.get(..6).unwrap_or(prefix).to_string(),
            );
        }
        // Enterprises see warnings through the public page.
        Scope::Enterprise { .. } => {
            q.push(" AND 1 = 0");
        }
    }
}

fn may_author(role: Role) -> bool {
    matches!(
        role,
        Role::Admin | Role::Commander | Role::DutyOfficer | Role::DepartmentStaff
    )
}

fn may_approve(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Commander)
}

pub async fn get(store: &Store, scope: &Scope, id: &str, now_ms: i64) -> StoreResult<Warning> {
    let mut q = Sql::new("SELECT * FROM warnings w WHERE w.id = ");
    q.bind(id);
    push_scope(&mut q, scope);
    from_row(
        &store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?,
        now_ms,
    )
}

#[derive(Debug, Clone, Default)]
pub struct WarningFilter {
    pub status: Option<String>,
    pub current: Option<bool>,
    pub origin: Option<String>,
}

pub async fn list(
    store: &Store,
    scope: &Scope,
    f: &WarningFilter,
    page: Page,
    now_ms: i64,
) -> StoreResult<(Vec<Warning>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_scope(&mut w, scope);
    if let Some(s) = &f.status {
        w.push_bind(" AND w.status = ", s.as_str());
    }
    if let Some(o) = &f.origin {
        w.push_bind(" AND w.origin = ", o.as_str());
    }
    if f.current == Some(true) {
        push_current(&mut w, now_ms);
    }
    store
        .page_of(
            "SELECT COUNT(*) FROM warnings w",
            "SELECT * FROM warnings w",
            w,
            "w.created_ms DESC, w.id DESC",
            page,
            |r| from_row(r, now_ms),
        )
        .await
}

fn push_current(w: &mut Sql, now_ms: i64) {
    w.push(" AND w.status = 'published' AND w.msg_type <> 'Cancel' AND w.cap_status = 'Actual'")
        .push_bind(" AND w.expires_ms > ", now_ms);
}

/// The warnings in force now, for the public page (no login) and the map.
pub async fn current(store: &Store, now_ms: i64) -> StoreResult<Vec<Warning>> {
    let mut w = Sql::new("SELECT * FROM warnings w WHERE 1 = 1");
    push_current(&mut w, now_ms);
    w.push(" ORDER BY w.level, w.effective_ms DESC LIMIT 200");
    store
        .fetch_all(w)
        .await?
        .iter()
        .map(|r| from_row(r, now_ms))
        .collect()
}

/// Published messages (alerts, updates, cancellations), newest first, for the Atom feed.
pub async fn published(
    store: &Store,
    now_ms: i64,
    limit: i64,
) -> StoreResult<Vec<(Warning, String)>> {
    let mut w = Sql::new(
        "SELECT * FROM warnings w WHERE w.cap_xml IS NOT NULL AND w.status IN ('published', 'superseded', 'cancelled') ORDER BY w.sent_ms DESC, w.id DESC LIMIT ",
    );
    w.bind(limit);
    store
        .fetch_all(w)
        .await?
        .iter()
        .map(|r| Ok((from_row(r, now_ms)?, r.try_get::<String, _>("cap_xml")?)))
        .collect()
}

/// The CAP XML of a published message (served to anyone: warnings are public).
pub async fn cap_of(store: &Store, id: &str) -> StoreResult<String> {
    let mut q = Sql::new(
        "SELECT cap_xml FROM warnings w WHERE w.cap_xml IS NOT NULL AND w.status <> 'draft' AND w.status <> 'pending' AND w.id = ",
    );
    q.bind(id);
    let r = store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?;
    Ok(r.try_get(0)?)
}

// ---------------------------------------------------------------------------------------------
// Areas

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

/// The polygons of regions' boundaries (with their holes), rings closed.
async fn polygons_of_regions(
    store: &Store,
    codes: &[String],
) -> StoreResult<(Vec<geo::Polygon>, Vec<String>)> {
    let mut polygons = Vec::new();
    let mut names = Vec::new();
    for code in codes {
        let region = crate::directory::regions::get(store, &Scope::All, code)
            .await
            .map_err(|_| StoreError::invalid("region_codes", format!("区划“{code}”不存在")))?;
        names.push(region.name.clone());
        if let Some(b) = crate::directory::regions::boundary(store, &Scope::All, code).await? {
            for mut p in geo::polygons_of_geometry(&b).unwrap_or_default() {
                for r in &mut p {
                    if r.first() != r.last()
                        && let Some(f) = r.first().copied()
                    {
                        r.push(f);
                    }
                }
                polygons.push(p);
            }
        }
    }
    Ok((polygons, names))
}

fn bbox(polygons: &[geo::Polygon]) -> BBox {
    BBox::of(&polygons.concat()).unwrap_or(BBox {
        min_lon: 0.0,
        min_lat: 0.0,
        max_lon: 0.0,
        max_lat: 0.0,
    })
}

// ---------------------------------------------------------------------------------------------
// Authoring

pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &WarningInput,
) -> StoreResult<Warning> {
    if !may_author(ctx.role) {
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
async fn publisher(store: &Store, district: &str) -> StoreResult<(String, String)> {
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

async fn log(
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

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    /// submit (提交审核) / approve (审核发布) / reject (退回) / cancel (解除)
    pub action: String,
    #[serde(default)]
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
        Step::Submit => may_author(ctx.role),
        _ => may_approve(ctx.role),
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

fn category_of(event_code: &str) -> &'static str {
    match event_code {
        "geological" => "Geo",
        "forest_fire" => "Fire",
        "flood" => "Env",
        "other" => "Other",
        _ => "Met",
    }
}

/// The CAP message for a warning (Alert, Update or Cancel), with its GB/T 35965.1 identifier.
async fn build_alert(
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

// ---------------------------------------------------------------------------------------------
// Taking in CAP

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
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
        format!(
            "接收预警（{}）：{} {}",
            alert.msg_type,
            alert.sender,
            info.headline.clone().unwrap_or_else(|| info.event.clone())
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
fn circle_ring(c: Point, radius_km: f64) -> Ring {
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
