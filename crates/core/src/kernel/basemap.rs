//! The base map under every map page (ADR 0022): tiles from a file the bureau provides (MBTiles or
//! PMTiles, vector or raster), or an online source it configures (天地图 WMTS with its key, or its
//! own GIS). This module decides what is valid and says it in Chinese; reading the file is the
//! store's (`yingji_store::kernel::tiles`), the PMTiles layout is [`super::pmtiles`].

/// The highest zoom a tile request may name (MapLibre's limit is 24; tile files stop far below).
pub const MAX_ZOOM: u8 = 24;

/// The datum of every base map offered, and so of a point picked on one: the tile file (WGS84
/// sources such as OpenStreetMap), 天地图 and the bureau's GIS are CGCS2000 (within centimetres of
/// WGS84). GCJ-02 consumer maps are not offered as base maps (ADR 0022); should one ever be, its
/// datum is answered here and the console's location picker sends it with the point.
pub const DATUM: super::datum::Datum = super::datum::Datum::Cgcs2000;

/// A tile's address in the XYZ scheme (y from the north, as MapLibre asks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TileCoord {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

impl TileCoord {
    /// Reads `{z}/{x}/{y}` from a path; a `.pbf`/`.png`/`.jpg`/`.webp` suffix on y is allowed.
    pub fn parse(z: &str, x: &str, y: &str) -> Result<TileCoord, String> {
        let z: u8 = z
            .parse()
            .ok()
            .filter(|z| *z <= MAX_ZOOM)
            .ok_or_else(|| format!("瓦片坐标无效：缩放级别 z 应为 0–{MAX_ZOOM} 的整数"))?;
        let y = y.split_once('.').map_or(y, |(n, _)| n);
        let side = 1u64 << z;
        let coord = |name: &str, v: &str| {
            v.parse::<u64>()
                .ok()
                .filter(|v| *v < side)
                .map(|v| v as u32)
                .ok_or_else(|| {
                    format!(
                        "瓦片坐标无效：第 {z} 级的 {name} 应为 0–{} 的整数",
                        side - 1
                    )
                })
        };
        Ok(TileCoord {
            z,
            x: coord("x", x)?,
            y: coord("y", y)?,
        })
    }
}

/// What the tiles are: vector (MVT) or images.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TileKind {
    Vector,
    Raster,
}

impl TileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TileKind::Vector => "vector",
            TileKind::Raster => "raster",
        }
    }
}

/// A tile format: its name in MBTiles metadata, its kind and its media type.
pub fn tile_format(format: &str) -> Option<(TileKind, &'static str)> {
    match format.trim().to_ascii_lowercase().as_str() {
        "pbf" | "mvt" => Some((TileKind::Vector, "application/vnd.mapbox-vector-tile")),
        "png" => Some((TileKind::Raster, "image/png")),
        "jpg" | "jpeg" => Some((TileKind::Raster, "image/jpeg")),
        "webp" => Some((TileKind::Raster, "image/webp")),
        _ => None,
    }
}

/// An online base map: 天地图 (Web Mercator "w" tile matrix set, the bureau's key) or the
/// bureau's own GIS as an XYZ/WMTS URL template of raster tiles.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum OnlineSource {
    #[default]
    None,
    Tianditu {
        key: String,
        /// 影像 (img + cia) instead of 矢量 (vec + cva).
        imagery: bool,
    },
    Custom {
        url: String,
        attribution: String,
        max_zoom: u8,
    },
}

/// The base-map settings of the configuration file, checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BasemapSettings {
    /// The tile file to serve (MBTiles or PMTiles); none: no file.
    pub tiles: Option<std::path::PathBuf>,
    pub online: OnlineSource,
}

/// The `[map]` keys as written, before they are checked.
#[derive(Debug, Clone, Copy)]
pub struct OnlineKeys<'a> {
    pub online: &'a str,
    pub tianditu_key: &'a str,
    pub tianditu_layer: &'a str,
    pub url: &'a str,
    pub attribution: &'a str,
    pub max_zoom: u8,
}

/// Checks the online-source keys; the message names the key.
pub fn online_source(k: OnlineKeys<'_>) -> Result<OnlineSource, String> {
    match k.online.trim() {
        "" | "none" => Ok(OnlineSource::None),
        "tianditu" => {
            let key = k.tianditu_key.trim();
            if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric()) {
                return Err("map.tianditu_key 应为天地图开发者密钥（tk，字母和数字）".into());
            }
            let imagery = match k.tianditu_layer.trim() {
                "" | "vec" => false,
                "img" => true,
                other => {
                    return Err(format!(
                        "map.tianditu_layer 应为 vec（矢量）或 img（影像），而不是 {other}"
                    ));
                }
            };
            Ok(OnlineSource::Tianditu {
                key: key.to_string(),
                imagery,
            })
        }
        "url" => {
            let url = k.url.trim();
            let scheme = url.starts_with("https://") || url.starts_with("http://");
            let placeholders = ["{z}", "{x}", "{y}"].iter().all(|p| url.contains(p));
            if !scheme || !placeholders || url.contains(['"', '<', '>', ' ']) {
                return Err(
                    "map.url 应为 http(s) 瓦片地址模板，含 {z}、{x}、{y}，例如 https://gis.example.gov.cn/tiles/{z}/{x}/{y}.png"
                        .into(),
                );
            }
            if k.max_zoom == 0 || k.max_zoom > MAX_ZOOM {
                return Err(format!("map.max_zoom 应为 1–{MAX_ZOOM}"));
            }
            Ok(OnlineSource::Custom {
                url: url.to_string(),
                attribution: k.attribution.trim().to_string(),
                max_zoom: k.max_zoom,
            })
        }
        other => Err(format!(
            "map.online 应为空、tianditu 或 url，而不是 {other}"
        )),
    }
}

/// One raster layer of an online source: its id and tile URL templates (several hosts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnlineLayer {
    pub id: &'static str,
    pub tiles: Vec<String>,
}

/// 天地图's attribution, shown on the map whenever its tiles are.
pub const TIANDITU_ATTRIBUTION: &str =
    "© 天地图（国家地理信息公共服务平台），审图号以天地图网站为准";

/// The raster layers of an online source, bottom first (天地图: the map, then its 注记 labels),
/// with the attribution to show and the highest zoom.
pub fn online_layers(source: &OnlineSource) -> Option<(Vec<OnlineLayer>, String, u8)> {
    match source {
        OnlineSource::None => None,
        OnlineSource::Tianditu { key, imagery } => {
            let (base, labels) = if *imagery {
                ("img", "cia")
            } else {
                ("vec", "cva")
            };
            let layer = |id: &'static str, name: &str| {
                OnlineLayer {
                id,
                tiles: (0..8)
                    .map(|n| {
                        format!(
                            "https://t{n}.tianditu.gov.cn/{name}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={name}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
                        )
                    })
                    .collect(),
            }
            };
            Some((
                vec![layer("base", base), layer("labels", labels)],
                TIANDITU_ATTRIBUTION.to_string(),
                18,
            ))
        }
        OnlineSource::Custom {
            url,
            attribution,
            max_zoom,
        } => Some((
            vec![OnlineLayer {
                id: "base",
                tiles: vec![url.clone()],
            }],
            attribution.clone(),
            *max_zoom,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_are_checked_against_the_zoom() {
        assert_eq!(
            TileCoord::parse("3", "7", "7.pbf"),
            Ok(TileCoord { z: 3, x: 7, y: 7 })
        );
        assert!(
            TileCoord::parse("3", "8", "0")
                .unwrap_err()
                .contains("x 应为 0–7")
        );
        assert!(
            TileCoord::parse("25", "0", "0")
                .unwrap_err()
                .contains("缩放级别")
        );
        assert!(TileCoord::parse("2", "-1", "0").is_err());
        assert!(TileCoord::parse("2", "1", "abc").unwrap_err().contains("y"));
    }

    #[test]
    fn online_sources_are_checked() {
        let keys = |online, key, url| OnlineKeys {
            online,
            tianditu_key: key,
            tianditu_layer: "vec",
            url,
            attribution: "",
            max_zoom: 18,
        };
        assert_eq!(online_source(keys("", "", "")), Ok(OnlineSource::None));
        assert!(
            online_source(keys("tianditu", "", ""))
                .unwrap_err()
                .contains("tianditu_key")
        );
        let t = online_source(keys("tianditu", "abc123", "")).unwrap();
        let (layers, attribution, _) = online_layers(&t).unwrap();
        assert_eq!(layers.len(), 2);
        assert!(layers[0].tiles[0].contains("vec_w") && layers[1].tiles[0].contains("cva_w"));
        assert!(layers[0].tiles[0].contains("tk=abc123") && attribution.contains("天地图"));
        assert!(
            online_source(keys("url", "", "ftp://x/{z}"))
                .unwrap_err()
                .contains("map.url")
        );
        assert!(online_source(keys("url", "", "https://gis/{z}/{x}/{y}.png")).is_ok());
        assert!(
            online_source(keys("google", "", ""))
                .unwrap_err()
                .contains("map.online")
        );
    }
}
