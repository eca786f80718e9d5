//! Photos: an uploaded JPEG or PNG keeps its original and gets a display version (≤1600 px) and a
//! thumbnail (≤320 px), each served only to those who see the record it belongs to; huge
//! declared sizes are refused before decoding; a PDF has no smaller versions; a photo stored
//! before versions existed gets them on its first request.

use crate::both;
use crate::helpers::TestApp;
use crate::kernel::scope_matrix::account;
use image::{DynamicImage, ImageFormat, RgbImage};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::io::Cursor;

/// A picture with a pattern (so the encoders have something to keep), encoded as `format`.
pub fn picture(width: u32, height: u32, format: ImageFormat) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x * 7 % 256) as u8,
            (y * 3 % 256) as u8,
            ((x + y) % 256) as u8,
        ])
    });
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut out), format)
        .expect("encode");
    out
}

/// A PNG whose header declares `width`×`height` with a few bytes of data (a decompression bomb).
fn declared_png(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(13u32.to_be_bytes());
    out.extend(&ihdr);
    out.extend(crc32(&ihdr).to_be_bytes());
    let idat = b"IDAT\x78\x9c\x03\x00\x00\x00\x00\x01";
    out.extend(8u32.to_be_bytes());
    out.extend(idat);
    out.extend(crc32(idat).to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for b in bytes {
        c ^= u32::from(*b);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

pub async fn upload(app: &TestApp, c: &Client, name: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
    let r = c
        .post(app.url(&format!("/api/v1/attachments?filename={name}")))
        .body(bytes)
        .send()
        .await
        .expect("upload");
    let s = r.status();
    (s, r.json().await.expect("json"))
}

/// (status, content type, bytes) of one version.
async fn fetch(app: &TestApp, c: &Client, id: &str, size: &str) -> (StatusCode, String, Vec<u8>) {
    let r = c
        .get(app.url(&format!("/api/v1/attachments/{id}?size={size}")))
        .send()
        .await
        .expect("get");
    let s = r.status();
    let ct = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (s, ct, r.bytes().await.expect("bytes").to_vec())
}

fn dims(jpeg: &[u8]) -> (u32, u32) {
    let d = image::load_from_memory_with_format(jpeg, ImageFormat::Jpeg).expect("a JPEG");
    (d.width(), d.height())
}

async fn photos_in_three_sizes(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let jpeg = picture(2400, 1200, ImageFormat::Jpeg);
    let (s, a) = upload(app, &ent, "现场.jpg", jpeg.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    assert_eq!(
        (a["width"].as_i64(), a["height"].as_i64()),
        (Some(2400), Some(1200))
    );
    let (s, png) = upload(app, &ent, "整改后.png", picture(500, 300, ImageFormat::Png)).await;
    assert_eq!(s, StatusCode::CREATED, "{png}");
    let (s, pdf) = upload(app, &ent, "方案.pdf", b"%PDF-1.7\n%%EOF".to_vec()).await;
    assert_eq!(s, StatusCode::CREATED, "{pdf}");
    let body = json!({"category": "site", "description": "通道堆放杂物", "attachments": [a["id"], png["id"], pdf["id"]]});
    let (s, h) = app.post(&ent, "/api/v1/hazards", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    let id = a["id"].as_str().expect("id");
    let (s, ct, b) = fetch(app, &ent, id, "thumb").await;
    assert_eq!((s, ct.as_str()), (StatusCode::OK, "image/jpeg"));
    assert_eq!(dims(&b), (320, 160));
    let (s, ct, b) = fetch(app, &ent, id, "display").await;
    assert_eq!((s, ct.as_str()), (StatusCode::OK, "image/jpeg"));
    assert_eq!(dims(&b), (1600, 800));
    let (s, ct, b) = fetch(app, &ent, id, "original").await;
    assert_eq!(
        (s, ct.as_str(), b == jpeg),
        (StatusCode::OK, "image/jpeg", true)
    );
    // A small PNG: never enlarged; its versions are JPEG, its original stays PNG.
    let pid = png["id"].as_str().expect("id");
    let (_, ct, b) = fetch(app, &ent, pid, "display").await;
    assert_eq!((ct.as_str(), dims(&b)), ("image/jpeg", (500, 300)));
    assert_eq!(dims(&fetch(app, &ent, pid, "thumb").await.2), (320, 192));
    assert_eq!(fetch(app, &ent, pid, "original").await.1, "image/png");
    // A PDF has no smaller versions: a clear message, and its original as it was.
    let did = pdf["id"].as_str().expect("id");
    let (s, _, b) = fetch(app, &ent, did, "thumb").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let e: Value = serde_json::from_slice(&b).expect("json");
    assert!(
        e["message"].as_str().unwrap_or("").contains("不是图片"),
        "{e}"
    );
    assert_eq!(fetch(app, &ent, did, "original").await.1, "application/pdf");
    let (s, _, _) = fetch(app, &ent, did, "huge").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}
both!(photos_in_three_sizes);

async fn bombs_and_broken_pictures_are_refused(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let before = app.count("attachments").await;
    let (s, e) = upload(app, &ent, "bomb.png", declared_png(100_000, 100_000)).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let m = e["message"].as_str().unwrap_or("");
    assert!(m.contains("100000×100000") && m.contains("超过上限"), "{e}");
    let (s, e) = upload(app, &ent, "坏.jpg", b"\xFF\xD8\xFF\xE0 not a jpeg".to_vec()).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert!(
        e["message"].as_str().unwrap_or("").contains("无法读取"),
        "{e}"
    );
    assert_eq!(app.count("attachments").await, before, "nothing stored");
}
both!(bombs_and_broken_pictures_are_refused);

/// Who sees a hazard's photo, in every size: those who see the hazard (checked on it), and the
/// uploader alone before it is linked.
async fn photo_scope_matrix(app: &TestApp) {
    let admin = app.login("admin").await;
    let ent = app.login("enterprise").await;
    let (_, me) = app.get(&ent, "/api/v1/auth/me").await;
    let eid = me["enterprise_id"]
        .as_str()
        .or_else(|| me["scope"]["enterprise_id"].as_str())
        .expect("enterprise");
    let (_, e) = app.get(&admin, &format!("/api/v1/enterprises/{eid}")).await;
    let street = e["grid_code"].as_str().expect("grid")[..9].to_string();
    let other_street = crate::helpers::source()
        .streets
        .iter()
        .map(|s| s.code.clone())
        .find(|c| *c != street)
        .expect("another street");
    for (name, region) in [("phsame", &street), ("phother", &other_street)] {
        account(app, &admin, json!({"username": name, "display_name": name, "role": "street_staff", "region_code": region})).await;
    }
    let (_, a) = upload(app, &ent, "隐患.jpg", picture(640, 480, ImageFormat::Jpeg)).await;
    let id = a["id"].as_str().expect("id").to_string();
    // Unlinked: the uploader only.
    assert_eq!(fetch(app, &ent, &id, "thumb").await.0, StatusCode::OK);
    assert_eq!(
        fetch(app, &admin, &id, "thumb").await.0,
        StatusCode::NOT_FOUND
    );
    let body = json!({"category": "site", "description": "配电箱未接地", "attachments": [id]});
    let (s, h) = app.post(&ent, "/api/v1/hazards", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{h}");
    let matrix = [
        ("enterprise", true),
        ("admin", true),
        ("commander", true),
        ("phsame", true),
        ("phother", false),
    ];
    for (who, sees) in matrix {
        let c = app.login(who).await;
        let hazard = app
            .get(
                &c,
                &format!("/api/v1/hazards/{}", h["id"].as_str().expect("id")),
            )
            .await
            .0;
        for size in ["thumb", "display", "original"] {
            let (s, _, _) = fetch(app, &c, &id, size).await;
            let want = if sees {
                StatusCode::OK
            } else {
                StatusCode::NOT_FOUND
            };
            assert_eq!(s, want, "{who} {size}");
            assert_eq!(
                hazard == StatusCode::OK,
                sees,
                "{who} sees the hazard as the photo"
            );
        }
    }
    assert_eq!(
        fetch(app, &app.anonymous(), &id, "thumb").await.0,
        StatusCode::UNAUTHORIZED
    );
}
both!(photo_scope_matrix);

/// A photo stored before versions existed (as migration 0018 leaves it) gets them on the first
/// request, and keeps them.
async fn older_photos_get_their_versions_on_first_request(app: &TestApp) {
    let ent = app.login("enterprise").await;
    let (_, a) = upload(app, &ent, "旧.png", picture(900, 600, ImageFormat::Png)).await;
    let id = a["id"].as_str().expect("id");
    let mut q = yingji_store::Sql::new(
        "UPDATE attachments SET display_data = NULL, thumb_data = NULL, width = NULL, height = NULL WHERE id = ",
    );
    q.bind(id);
    app.store.execute(q).await.expect("clear");
    let (s, ct, b) = fetch(app, &ent, id, "thumb").await;
    assert_eq!(
        (s, ct.as_str(), dims(&b)),
        (StatusCode::OK, "image/jpeg", (320, 213))
    );
    let mut q = yingji_store::Sql::new(
        "SELECT COUNT(*) FROM attachments WHERE thumb_data IS NOT NULL AND width = 900 AND id = ",
    );
    q.bind(id);
    assert_eq!(app.store.fetch_i64(q).await.expect("count"), 1);
    assert_eq!(dims(&fetch(app, &ent, id, "display").await.2), (900, 600));
}
both!(older_photos_get_their_versions_on_first_request);
