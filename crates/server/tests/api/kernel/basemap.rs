//! 底图 (ADR 0022): tiles from the shipped demo MBTiles and from a PMTiles file made here, the
//! description for each configuration (file, 天地图, the bureau's GIS, none), refused coordinates,
//! and who may ask (console endpoints want a session; the public twins do not).

use crate::helpers::*;
use reqwest::StatusCode;
use std::io::Write;
use std::path::{Path, PathBuf};
use yingji_core::kernel::basemap::{BasemapSettings, OnlineSource};
use yingji_core::kernel::pmtiles::{Entry, encode_directory};
use yingji_server::ServerConfig;

fn shipped() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/basemap/demo-district.mbtiles")
}

async fn spawn(backend: Backend, basemap: BasemapSettings) -> TestApp {
    TestApp::spawn_with(
        backend,
        ServerConfig {
            demo: true,
            basemap,
            ..ServerConfig::default()
        },
    )
    .await
}

fn file(path: PathBuf) -> BasemapSettings {
    BasemapSettings {
        tiles: Some(path),
        online: OnlineSource::None,
    }
}

/// GET through the contract check; answers status, headers and the raw body.
async fn fetch(
    app: &TestApp,
    c: &reqwest::Client,
    path: &str,
) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let r = c.get(app.url(path)).send_checked().await.expect("request");
    let (s, h) = (r.status(), r.headers().clone());
    (s, h, r.bytes().await.expect("body").to_vec())
}

async fn shipped_file_serves_vector_tiles(backend: Backend) {
    let app = spawn(backend, file(shipped())).await;
    let admin = app.login("admin").await;
    let (s, b) = app.get(&admin, "/api/v1/map/basemap").await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(b["source"], "file");
    assert_eq!(b["kind"], "vector");
    assert_eq!(b["format"], "pbf");
    assert_eq!(b["layers"][0]["tiles"][0], "/api/v1/map/tiles/{z}/{x}/{y}");
    assert!(b["attribution"].as_str().unwrap().contains("GSHHG"));
    assert!(
        b["vector_layers"]
            .as_array()
            .unwrap()
            .contains(&"water".into())
    );
    assert_eq!(
        (b["min_zoom"].as_u64(), b["max_zoom"].as_u64()),
        (Some(8), Some(14))
    );
    // 浔阳区 at zoom 11: gzip'd MVT, said so in Content-Encoding, cacheable.
    let (s, h, body) = fetch(&app, &admin, "/api/v1/map/tiles/11/1684/846").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h["content-type"], "application/vnd.mapbox-vector-tile");
    assert_eq!(h["content-encoding"], "gzip");
    assert!(h["cache-control"].to_str().unwrap().contains("max-age"));
    assert!(body.starts_with(&[0x1f, 0x8b]) && body.len() > 100);
    // Where the file has no tile (the other side of the world): 404.
    let (s, _, _) = fetch(&app, &admin, "/api/v1/map/tiles/11/0/0").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Coordinates that name no tile: 400 in Chinese, naming the coordinate.
    for (path, words) in [
        ("/api/v1/map/tiles/11/2048/0", "x 应为 0–2047"),
        ("/api/v1/map/tiles/3/0/8.pbf", "y 应为 0–7"),
        ("/api/v1/map/tiles/25/0/0", "缩放级别"),
        ("/api/v1/map/tiles/abc/0/0", "缩放级别"),
        ("/api/v1/map/tiles/2/-1/0", "x 应为"),
    ] {
        let (s, e) = app.get(&admin, path).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{path}");
        assert!(
            e["message"].as_str().unwrap().contains(words),
            "{path}: {e}"
        );
    }
    // Every role's session may read the base map; without one, only the public twins answer.
    let grid = app.login("grid").await;
    let (s, _, _) = fetch(&app, &grid, "/api/v1/map/tiles/11/1684/846").await;
    assert_eq!(s, StatusCode::OK);
    let anon = app.anonymous();
    let (s, _, _) = fetch(&app, &anon, "/api/v1/map/tiles/11/1684/846").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, _) = app.get(&anon, "/api/v1/map/basemap").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, b) = app.get(&anon, "/api/public/map/basemap").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        b["layers"][0]["tiles"][0],
        "/api/public/map/tiles/{z}/{x}/{y}"
    );
    let (s, h, _) = fetch(&app, &anon, "/api/public/map/tiles/11/1684/846").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h["content-encoding"], "gzip");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shipped_file_serves_vector_tiles_sqlite() {
    shipped_file_serves_vector_tiles(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shipped_file_serves_vector_tiles_postgres() {
    if std::env::var("YINGJI_TEST_PG_URL").is_ok_and(|u| !u.is_empty()) {
        shipped_file_serves_vector_tiles(Backend::Postgres).await;
    }
}

fn gzip(b: &[u8]) -> Vec<u8> {
    let mut g = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    g.write_all(b).unwrap();
    g.finish().unwrap()
}

/// A raster PMTiles v3 file: zoom 0 in the root directory, zoom 1 behind a leaf directory
/// (gzip'd, as planetiler writes them), two zoom-1 tiles sharing their bytes, one missing.
fn write_pmtiles(path: &Path) {
    let (t0, t1, t2) = (
        b"\x89PNG-z0".to_vec(),
        b"\x89PNG-z1-a".to_vec(),
        b"\x89PNG-z1-b".to_vec(),
    );
    let e = |tile_id, offset: usize, length: usize, run_length| Entry {
        tile_id,
        offset: offset as u64,
        length: length as u32,
        run_length,
    };
    // z1 ids: (0,0) 1, (0,1) 2, (1,1) 3, (1,0) 4.
    let leaf = gzip(&encode_directory(&[
        e(1, t0.len(), t1.len(), 1),
        e(2, t0.len() + t1.len(), t2.len(), 2),
    ]));
    let root = gzip(&encode_directory(&[
        e(0, 0, t0.len(), 1),
        e(1, 0, leaf.len(), 0),
    ]));
    let meta = gzip(r#"{"name":"测试影像","attribution":"© 测试局"}"#.as_bytes());
    let data = [t0, t1, t2].concat();
    let root_at = 127u64;
    let meta_at = root_at + root.len() as u64;
    let leaf_at = meta_at + meta.len() as u64;
    let data_at = leaf_at + leaf.len() as u64;
    let mut h = vec![0u8; 127];
    h[..7].copy_from_slice(b"PMTiles");
    h[7] = 3;
    let sections = [
        (root_at, root.len()),
        (meta_at, meta.len()),
        (leaf_at, leaf.len()),
        (data_at, data.len()),
    ];
    for (i, (at, len)) in sections.iter().enumerate() {
        h[8 + i * 16..16 + i * 16].copy_from_slice(&at.to_le_bytes());
        h[16 + i * 16..24 + i * 16].copy_from_slice(&(*len as u64).to_le_bytes());
    }
    h[97] = 2; // directories gzip'd
    h[98] = 1; // tiles not compressed
    h[99] = 2; // PNG
    h[100] = 0;
    h[101] = 1;
    for (i, deg) in [115.0f64, 29.0, 117.0, 30.5].iter().enumerate() {
        let e7 = (deg * 1e7) as i32;
        h[102 + i * 4..106 + i * 4].copy_from_slice(&e7.to_le_bytes());
    }
    std::fs::write(path, [h, root, meta, leaf, data].concat()).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pmtiles_file_serves_raster_tiles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("raster.pmtiles");
    write_pmtiles(&path);
    let app = spawn(Backend::Sqlite, file(path)).await;
    let admin = app.login("admin").await;
    let (_, b) = app.get(&admin, "/api/v1/map/basemap").await;
    assert_eq!(
        (b["source"].as_str(), b["kind"].as_str()),
        (Some("file"), Some("raster"))
    );
    assert_eq!(b["format"], "png");
    assert_eq!(b["attribution"], "© 测试局");
    assert_eq!(b["bounds"], serde_json::json!([115.0, 29.0, 117.0, 30.5]));
    for (path, want) in [
        ("/api/v1/map/tiles/0/0/0", Some(&b"\x89PNG-z0"[..])),
        ("/api/v1/map/tiles/1/0/0", Some(&b"\x89PNG-z1-a"[..])),
        ("/api/v1/map/tiles/1/0/1", Some(&b"\x89PNG-z1-b"[..])),
        ("/api/v1/map/tiles/1/1/1.png", Some(&b"\x89PNG-z1-b"[..])),
        ("/api/v1/map/tiles/1/1/0", None),
        ("/api/v1/map/tiles/2/0/0", None),
    ] {
        let (s, h, body) = fetch(&app, &admin, path).await;
        match want {
            Some(bytes) => {
                assert_eq!(s, StatusCode::OK, "{path}");
                assert_eq!(h["content-type"], "image/png");
                assert!(h.get("content-encoding").is_none());
                assert_eq!(body, bytes, "{path}");
            }
            None => assert_eq!(s, StatusCode::NOT_FOUND, "{path}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn online_sources_and_no_base_map_are_described() {
    let tianditu = BasemapSettings {
        tiles: Some(shipped()),
        online: OnlineSource::Tianditu {
            key: "abc123".into(),
            imagery: true,
        },
    };
    let app = spawn(Backend::Sqlite, tianditu).await;
    let admin = app.login("admin").await;
    let (_, b) = app.get(&admin, "/api/v1/map/basemap").await;
    assert_eq!(
        (b["source"].as_str(), b["kind"].as_str()),
        (Some("online"), Some("raster"))
    );
    let layers = b["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 2, "影像 and its 注记");
    assert!(layers[0]["tiles"][0].as_str().unwrap().contains("img_w"));
    assert!(layers[1]["tiles"][0].as_str().unwrap().contains("cia_w"));
    assert!(
        layers[0]["tiles"][0]
            .as_str()
            .unwrap()
            .contains("tk=abc123")
    );
    assert!(b["attribution"].as_str().unwrap().contains("天地图"));
    // The file is still served (a page may be opened where the internet is not reachable).
    let (s, _, _) = fetch(&app, &admin, "/api/v1/map/tiles/11/1684/846").await;
    assert_eq!(s, StatusCode::OK);

    let gis = BasemapSettings {
        tiles: None,
        online: OnlineSource::Custom {
            url: "https://gis.example.gov.cn/tiles/{z}/{x}/{y}.png".into(),
            attribution: "© 九江市自然资源局".into(),
            max_zoom: 19,
        },
    };
    let app = spawn(Backend::Sqlite, gis).await;
    let admin = app.login("admin").await;
    let (_, b) = app.get(&admin, "/api/v1/map/basemap").await;
    assert_eq!(b["source"], "online");
    assert_eq!(
        b["layers"][0]["tiles"][0],
        "https://gis.example.gov.cn/tiles/{z}/{x}/{y}.png"
    );
    assert_eq!(
        (b["max_zoom"].as_u64(), b["attribution"].as_str()),
        (Some(19), Some("© 九江市自然资源局"))
    );
    let (s, e) = app.get(&admin, "/api/v1/map/tiles/11/1684/846").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(e["message"], "未配置底图瓦片文件");

    // A file that is neither MBTiles nor PMTiles: no base map (and the error is logged).
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("junk.mbtiles");
    std::fs::write(&junk, "not a tile file").unwrap();
    let app = spawn(Backend::Sqlite, file(junk)).await;
    let admin = app.login("admin").await;
    let (_, b) = app.get(&admin, "/api/v1/map/basemap").await;
    assert_eq!(
        (b["source"].as_str(), b["kind"].as_str()),
        (Some("none"), Some("none"))
    );
    assert!(b["layers"].as_array().unwrap().is_empty());
}
