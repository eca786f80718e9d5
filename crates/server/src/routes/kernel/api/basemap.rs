//! The base map's description (ADR 0022), from which the console builds its map style.

use serde::Serialize;

/// One tile source of the base map: tile URL templates ({z}/{x}/{y}), bottom first.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct BasemapLayer {
    /// base, or labels (天地图's 注记 over its map).
    pub id: String,
    pub tiles: Vec<String>,
}

/// Where the base map comes from and what it is.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Basemap {
    /// file (the configured MBTiles/PMTiles), online (天地图 or the bureau's GIS) or none.
    pub source: String,
    /// vector, raster or none.
    pub kind: String,
    /// pbf, png, jpg or webp ("" for none; online sources: png).
    pub format: String,
    pub layers: Vec<BasemapLayer>,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// West, south, east, north (degrees, CGCS2000 ≈ WGS84), where the file says.
    pub bounds: Option<[f64; 4]>,
    pub name: String,
    /// The data's licence notice, shown in the map's attribution control.
    pub attribution: String,
    /// Vector files: the ids of their layers (the console styles the OpenMapTiles names).
    pub vector_layers: Vec<String>,
    /// The datum of the base map, and so of a point picked on it: `cgcs2000` (ADR 0022); a
    /// client posts it as the point's `datum`.
    pub datum: String,
}
