//! 底图: the base map's description and its tiles (ADR 0022). Console pages ask under /api/v1
//! (a session), the public pages (/warnings/public) under /api/public; both read the same file.
//! Nothing here reaches the internet: an online source is only described, the browser loads it.

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::Caller;
use crate::routes::kernel::api::basemap::{Basemap, BasemapLayer};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use tokio::sync::OnceCell;
use yingji_core::kernel::basemap::{BasemapSettings, DATUM, TileCoord, online_layers};
use yingji_store::kernel::tiles::TileFile;

/// The configured base map, with the tile file opened on first use (and its error kept).
#[derive(Default)]
pub struct BasemapState {
    pub settings: BasemapSettings,
    file: OnceCell<Result<Arc<TileFile>, String>>,
}

impl BasemapState {
    pub fn new(settings: BasemapSettings) -> Self {
        Self {
            settings,
            file: OnceCell::new(),
        }
    }

    /// The tile file, if one is configured; an unreadable one is logged once and answers none.
    pub async fn file(&self) -> Option<Arc<TileFile>> {
        let path = self.settings.tiles.as_ref()?;
        let opened = self
            .file
            .get_or_init(|| async {
                let r = TileFile::open(path).await.map(Arc::new);
                if let Err(e) = &r {
                    tracing::error!(error = %e, "base-map tile file unusable");
                }
                r
            })
            .await;
        opened.as_ref().ok().cloned()
    }
}

async fn describe(app: &AppState, prefix: &str) -> Basemap {
    let settings = &app.basemap.settings;
    if let Some((layers, attribution, max_zoom)) = online_layers(&settings.online) {
        return Basemap {
            source: "online".into(),
            kind: "raster".into(),
            format: "png".into(),
            layers: layers
                .into_iter()
                .map(|l| BasemapLayer {
                    id: l.id.into(),
                    tiles: l.tiles,
                })
                .collect(),
            min_zoom: 1,
            max_zoom,
            bounds: None,
            name: String::new(),
            attribution,
            vector_layers: vec![],
            datum: DATUM.as_str().into(),
        };
    }
    match app.basemap.file().await {
        Some(f) => Basemap {
            source: "file".into(),
            kind: f.meta.kind.as_str().into(),
            format: f.meta.format.clone(),
            layers: vec![BasemapLayer {
                id: "base".into(),
                tiles: vec![format!("{prefix}/map/tiles/{{z}}/{{x}}/{{y}}")],
            }],
            min_zoom: f.meta.min_zoom,
            max_zoom: f.meta.max_zoom,
            bounds: f.meta.bounds,
            name: f.meta.name.clone(),
            attribution: f.meta.attribution.clone(),
            vector_layers: f.meta.vector_layers.clone(),
            datum: DATUM.as_str().into(),
        },
        None => Basemap {
            source: "none".into(),
            kind: "none".into(),
            format: String::new(),
            layers: vec![],
            min_zoom: 0,
            max_zoom: 0,
            bounds: None,
            name: String::new(),
            attribution: String::new(),
            vector_layers: vec![],
            datum: DATUM.as_str().into(),
        },
    }
}

async fn tile(app: &AppState, z: &str, x: &str, y: &str) -> ApiResult<Response> {
    let c = TileCoord::parse(z, x, y).map_err(ApiError::bad_request)?;
    let Some(file) = app.basemap.file().await else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "未配置底图瓦片文件",
        ));
    };
    let t = file.tile(c).await.map_err(ApiError::internal)?;
    let Some(t) = t else {
        // No tile there: MapLibre draws nothing (vector) or the parent tile (raster).
        let mut res =
            ApiError::new(StatusCode::NOT_FOUND, "not_found", "此处没有底图瓦片").into_response();
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=3600"),
        );
        return Ok(res);
    };
    let mut res = t.data.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(file.meta.media_type),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    if let Some(enc) = t.encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(enc));
    }
    Ok(res)
}

/// 底图: where the base map comes from (the tile file, 天地图 or the bureau's GIS) and what it is.
#[utoipa::path(get, path = "/api/v1/map/basemap", tag = "一张图", responses((status = 200, body = Basemap)))]
pub async fn basemap(State(app): State<AppState>, _caller: Caller) -> Json<Basemap> {
    Json(describe(&app, "/api/v1").await)
}

/// 底图瓦片 z/x/y (XYZ) from the configured file; 404 where it has none.
#[utoipa::path(get, path = "/api/v1/map/tiles/{z}/{x}/{y}", tag = "一张图", params(("z" = String, Path), ("x" = String, Path), ("y" = String, Path)), responses((status = 200, description = "The tile as stored (gzip'd MVT with Content-Encoding: gzip).", content(("application/vnd.mapbox-vector-tile"), ("image/png"), ("image/jpeg"), ("image/webp"))), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn tiles(
    State(app): State<AppState>,
    _caller: Caller,
    Path((z, x, y)): Path<(String, String, String)>,
) -> ApiResult<Response> {
    tile(&app, &z, &x, &y).await
}

/// The public pages' base map (no session).
#[utoipa::path(get, path = "/api/public/map/basemap", tag = "公众", responses((status = 200, body = Basemap)))]
pub async fn public_basemap(State(app): State<AppState>) -> Json<Basemap> {
    Json(describe(&app, "/api/public").await)
}

/// The public pages' base-map tiles (no session).
#[utoipa::path(get, path = "/api/public/map/tiles/{z}/{x}/{y}", tag = "公众", params(("z" = String, Path), ("x" = String, Path), ("y" = String, Path)), responses((status = 200, description = "The tile as stored (gzip'd MVT with Content-Encoding: gzip).", content(("application/vnd.mapbox-vector-tile"), ("image/png"), ("image/jpeg"), ("image/webp"))), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn public_tiles(
    State(app): State<AppState>,
    Path((z, x, y)): Path<(String, String, String)>,
) -> ApiResult<Response> {
    tile(&app, &z, &x, &y).await
}
