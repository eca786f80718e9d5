//! 应急格 and 安监格: create, change and import overlay grids (inside their street, no overlap
//! with another active one of the same kind, checked in the writing transaction), their members,
//! and `locate`, the grids containing a point.

use yingji_core::directory::region::RegionLevel;
use yingji_core::grid::overlays::{
    self as rules, CheckedOverlay, NOT_A_MANAGER, OverlayInput, check_overlay, check_placement,
    may_be_member, may_manage,
};
use yingji_core::kernel::geo::{self, Polygon};
use yingji_core::kernel::role::{Role, Scope};
use yingji_core::kernel::validation::{FieldError, Invalid};
use yingji_store::grid::overlays::{self, GridRef, Overlay};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult, Tx, directory};

pub use yingji_store::grid::overlays::locate;

/// The street an overlay lies in: its name and boundary, after checking the caller may manage
/// its overlays.
struct Street {
    name: String,
    polygons: Option<Vec<Polygon>>,
}

async fn street_of(store: &Store, ctx: &Ctx, code: &str) -> StoreResult<Street> {
    let region = directory::regions::get(store, &ctx.scope, code)
        .await
        .ok()
        .filter(|r| r.level == RegionLevel::Street.as_str())
        .ok_or_else(|| StoreError::invalid("street_code", "所在街道不存在或不在您的管辖范围内"))?;
    if !may_manage(ctx.role, &ctx.scope, &region.code) {
        return Err(StoreError::Forbidden(NOT_A_MANAGER.into()));
    }
    let boundary = directory::regions::boundary(store, &Scope::All, &region.code).await?;
    Ok(Street {
        name: region.name,
        polygons: boundary.and_then(|b| geo::polygons_of_geometry(&b).ok()),
    })
}

/// Checks the placement and the code against what is stored, in the writing transaction.
async fn placed_in(
    tx: &mut Tx,
    c: &CheckedOverlay,
    street: &Street,
    except: Option<&str>,
) -> Result<(), StoreError> {
    if overlays::code_taken_in(tx, &c.code, except).await? {
        return Err(StoreError::conflict(
            "code",
            format!("网格编码“{}”已被使用", c.code),
        ));
    }
    let others = overlays::neighbours_in(tx, c.kind.as_str(), except).await?;
    check_placement(c, &street.name, street.polygons.as_deref(), &others)?;
    Ok(())
}

/// Creates an overlay grid (administrators, the bureau, street staff of its street).
pub async fn create(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    input: &OverlayInput,
) -> StoreResult<Overlay> {
    if !rules::manages_overlays(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_MANAGER.into()));
    }
    let c = check_overlay(input)?;
    let street = street_of(store, ctx, &c.street_code).await?;
    let mut tx = store.begin().await?;
    placed_in(&mut tx, &c, &street, None).await?;
    let id = overlays::save_in(&mut tx, ctx, now_ms, &c, None).await?;
    tx.commit().await?;
    overlays::get(store, ctx, &id).await
}

/// Changes an overlay grid (its street's managers; moving it to another street needs that
/// street too).
pub async fn update(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    input: &OverlayInput,
) -> StoreResult<Overlay> {
    let before = overlays::get(store, ctx, id).await?;
    if !may_manage(ctx.role, &ctx.scope, &before.street_code) {
        return Err(StoreError::Forbidden(NOT_A_MANAGER.into()));
    }
    let c = check_overlay(input)?;
    let street = street_of(store, ctx, &c.street_code).await?;
    let mut tx = store.begin().await?;
    placed_in(&mut tx, &c, &street, Some(&before.id)).await?;
    overlays::save_in(&mut tx, ctx, now_ms, &c, Some(&before)).await?;
    tx.commit().await?;
    overlays::get(store, ctx, id).await
}

/// At most this many features in one import.
pub const MAX_IMPORT: usize = 500;

fn feature_input(f: &serde_json::Value) -> OverlayInput {
    let p = &f["properties"];
    let text = |k: &str| match &p[k] {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => String::new(),
    };
    OverlayInput {
        code: text("code"),
        name: text("name"),
        kind: text("kind"),
        street_code: text("street_code"),
        boundary: f.get("geometry").filter(|g| !g.is_null()).cloned(),
        active: p["active"].as_bool(),
    }
}

/// Imports a GeoJSON FeatureCollection of overlays (properties code, name, kind, street_code):
/// every feature is checked (its input, its street, its place against the stored overlays and the
/// features before it) and either all are stored or none; the errors name the feature
/// (`features[i].field`, “第 i+1 个…”).
// Long because: the per-feature report is gathered in one pass before anything is written.
pub async fn import(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    fc: &serde_json::Value,
) -> StoreResult<Vec<Overlay>> {
    if !rules::manages_overlays(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_MANAGER.into()));
    }
    let features = fc
        .get("features")
        .and_then(|f| f.as_array())
        .filter(|_| fc["type"] == "FeatureCollection")
        .ok_or_else(|| StoreError::invalid("features", "应为 GeoJSON FeatureCollection"))?;
    if features.is_empty() || features.len() > MAX_IMPORT {
        return Err(StoreError::invalid(
            "features",
            format!("一次导入 1 至 {MAX_IMPORT} 个网格"),
        ));
    }
    let mut errors: Vec<FieldError> = Vec::new();
    let mut checked: Vec<(usize, CheckedOverlay, Street)> = Vec::new();
    let name_of = |i: usize, f: &str, m: &str| {
        FieldError::new(
            format!("features[{i}].{f}"),
            format!("第{}个网格：{m}", i + 1),
        )
    };
    for (i, f) in features.iter().enumerate() {
        let c = match check_overlay(&feature_input(f)) {
            Ok(c) => c,
            Err(Invalid(es)) => {
                errors.extend(es.iter().map(|e| name_of(i, &e.field, &e.message)));
                continue;
            }
        };
        match street_of(store, ctx, &c.street_code).await {
            Ok(s) => checked.push((i, c, s)),
            Err(StoreError::Invalid(Invalid(es))) => {
                errors.extend(es.iter().map(|e| name_of(i, &e.field, &e.message)));
            }
            Err(StoreError::Forbidden(m)) => errors.push(name_of(i, "street_code", &m)),
            Err(e) => return Err(e),
        }
    }
    // The placements are checked (and written, then rolled back on any error) even after bad
    // input, so that the report names every bad feature at once.
    let mut tx = store.begin().await?;
    let mut ids = Vec::new();
    // Each good feature is written in the transaction, so the later ones are checked against it.
    for (i, c, street) in &checked {
        let i = *i;
        let result = placed_in(&mut tx, c, street, None).await;
        match result {
            Ok(()) => ids.push(overlays::save_in(&mut tx, ctx, now_ms, c, None).await?),
            Err(StoreError::Invalid(Invalid(es))) => {
                errors.extend(es.iter().map(|e| name_of(i, &e.field, &e.message)));
            }
            Err(StoreError::Conflict { field, message }) => {
                errors.push(name_of(i, &field, &message));
            }
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        tx.rollback().await?;
        return Err(Invalid(errors).into());
    }
    tx.commit().await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push(overlays::get(store, ctx, &id).await?);
    }
    Ok(out)
}

/// Adds or removes a member (a grid worker or street staff member of the overlay's street).
pub async fn set_member(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    id: &str,
    user_id: &str,
    add: bool,
) -> StoreResult<Overlay> {
    let o = overlays::get(store, ctx, id).await?;
    if !may_manage(ctx.role, &ctx.scope, &o.street_code) {
        return Err(StoreError::Forbidden(NOT_A_MANAGER.into()));
    }
    let user = overlays::candidate(store, user_id)
        .await?
        .ok_or_else(|| StoreError::invalid("user_id", "用户不存在"))?;
    if add {
        let fits = Role::parse(&user.role).is_ok_and(may_be_member)
            && user.active
            && user
                .region_code
                .as_deref()
                .is_some_and(|r| r.starts_with(&o.street_code));
        if !fits {
            return Err(StoreError::invalid(
                "user_id",
                format!("{}不是{}的网格员或街道人员", user.name, o.street_name),
            ));
        }
    }
    let mut tx = store.begin().await?;
    overlays::set_member_in(&mut tx, ctx, now_ms, &o, &user, add).await?;
    tx.commit().await?;
    overlays::get(store, ctx, id).await
}

/// The people who may become members of an overlay (its street's grid workers and staff), for
/// the overlay's managers.
pub async fn candidates(
    store: &Store,
    ctx: &Ctx,
    id: &str,
) -> StoreResult<Vec<overlays::Candidate>> {
    let o = overlays::get(store, ctx, id).await?;
    if !may_manage(ctx.role, &ctx.scope, &o.street_code) {
        return Err(StoreError::Forbidden(NOT_A_MANAGER.into()));
    }
    let roles: Vec<&str> = rules::MEMBER_ROLES.iter().map(|r| r.as_str()).collect();
    overlays::candidates(store, &o.street_code, &roles).await
}

/// The grids containing a point, as far as the caller may see them (the comprehensive grid in
/// their region; overlays they may read).
pub async fn locate_for(store: &Store, ctx: &Ctx, lon: f64, lat: f64) -> StoreResult<Vec<GridRef>> {
    if !rules::may_read(ctx.role) {
        return Err(StoreError::Forbidden(rules::NOT_A_READER.into()));
    }
    let prefix = ctx.scope.region_prefix().unwrap_or("");
    let found = locate(store, lon, lat).await?;
    let mut out = Vec::new();
    for g in found {
        let visible = match &g.id {
            None => g.code.starts_with(prefix) || prefix.starts_with(&g.code),
            Some(id) => overlays::get(store, ctx, id).await.is_ok(),
        };
        if visible {
            out.push(g);
        }
    }
    Ok(out)
}
