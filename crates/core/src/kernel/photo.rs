//! Photos: the display version and the thumbnail made from an uploaded JPEG/PNG/WebP, the
//! original kept as it came. The declared size is checked before anything is decoded, so a
//! small file that claims a huge picture (a decompression bomb) is refused without the memory
//! it asks for. EXIF orientation is applied; the derived versions are JPEG without metadata
//! (no GPS position or camera serial leaves through them).

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};
use std::io::Cursor;

/// The longest side of the display version, in pixels.
pub const DISPLAY_PX: u32 = 1600;
/// The longest side of the thumbnail, in pixels.
pub const THUMB_PX: u32 = 320;
/// The longest side an uploaded picture may declare.
pub const MAX_SIDE: u32 = 12_000;
/// The pixels an uploaded picture may declare (a 50-megapixel phone photo fits).
pub const MAX_PIXELS: u64 = 50_000_000;
/// The decoder's own allocation cap, a second line behind the two limits above.
const MAX_ALLOC: u64 = 400 * 1024 * 1024;

/// Which version of an attachment is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Size {
    /// The file as uploaded.
    Original,
    /// At most 1600 px on the longest side (JPEG).
    Display,
    /// At most 320 px on the longest side (JPEG).
    Thumb,
}

/// The two versions made from one picture, and the picture's size after orientation.
#[derive(Debug, Clone)]
pub struct Derived {
    pub width: u32,
    pub height: u32,
    pub display: Vec<u8>,
    pub thumb: Vec<u8>,
}

/// The MIME type of the derived versions.
pub const DERIVED_MIME: &str = "image/jpeg";

/// Whether attachments of this (sniffed) type get a display version and a thumbnail.
pub fn is_picture(mime: &str) -> bool {
    format_of(mime).is_some()
}

fn format_of(mime: &str) -> Option<ImageFormat> {
    match mime {
        "image/jpeg" => Some(ImageFormat::Jpeg),
        "image/png" => Some(ImageFormat::Png),
        "image/webp" => Some(ImageFormat::WebP),
        _ => None,
    }
}

/// The refusal of a picture whose declared size is over the limits, or `None`.
pub fn size_refusal(filename: &str, width: u32, height: u32) -> Option<String> {
    let pixels = u64::from(width) * u64::from(height);
    (width.max(height) > MAX_SIDE || pixels > MAX_PIXELS || width == 0 || height == 0).then(|| {
        format!(
            "图片“{filename}”尺寸为 {width}×{height} 像素，超过上限（最长边 {MAX_SIDE} 像素、总计 {} 万像素），请缩小后再上传",
            MAX_PIXELS / 10_000
        )
    })
}

/// The wording when an attachment that is not a picture is asked for in a smaller size.
pub fn no_smaller_size(filename: &str) -> String {
    format!("附件“{filename}”不是图片，没有缩略图和显示版本，请下载原件（size=original）")
}

fn unreadable(filename: &str) -> String {
    format!("图片“{filename}”无法读取（文件已损坏或格式不完整），请重新拍摄或导出后再上传")
}

/// Decodes a picture of a sniffed `mime` (within the limits), turns it upright and makes the
/// display version and the thumbnail. The error is the Chinese message for the `file` field.
pub fn derive(filename: &str, mime: &str, bytes: &[u8]) -> Result<Derived, String> {
    let format = format_of(mime).ok_or_else(|| no_smaller_size(filename))?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| unreadable(filename))?;
    let (w, h) = decoder.dimensions();
    if let Some(refusal) = size_refusal(filename, w, h) {
        return Err(refusal);
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|_| unreadable(filename))?;
    picture.apply_orientation(orientation);
    let display = fit(&picture, DISPLAY_PX, false);
    let thumb = fit(&display, THUMB_PX, true);
    Ok(Derived {
        width: picture.width(),
        height: picture.height(),
        display: jpeg(&display, 82).map_err(|_| unreadable(filename))?,
        thumb: jpeg(&thumb, 78).map_err(|_| unreadable(filename))?,
    })
}

/// The picture scaled down to at most `side` on its longest side (never up).
fn fit(picture: &DynamicImage, side: u32, fast: bool) -> DynamicImage {
    if picture.width().max(picture.height()) <= side {
        return picture.clone();
    }
    if fast {
        picture.thumbnail(side, side)
    } else {
        picture.resize(side, side, image::imageops::FilterType::Triangle)
    }
}

/// JPEG bytes of the picture; transparent parts are laid on white.
fn jpeg(picture: &DynamicImage, quality: u8) -> image::ImageResult<Vec<u8>> {
    let rgb: RgbImage = if picture.color().has_alpha() {
        let rgba = picture.to_rgba8();
        RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
            let p = rgba.get_pixel(x, y).0;
            let a = u16::from(p[3]);
            let on_white = |c: u8| ((u16::from(c) * a + 255 * (255 - a)) / 255) as u8;
            image::Rgb([on_white(p[0]), on_white(p[1]), on_white(p[2])])
        })
    } else {
        picture.to_rgb8()
    };
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality).encode_image(&rgb)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_fn(width, height, |x, y| {
            image::Rgba([
                (x % 256) as u8,
                (y % 256) as u8,
                90,
                if x < 4 { 0 } else { 255 },
            ])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgba8(img)
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .expect("png");
        out
    }

    fn dims(jpeg: &[u8]) -> (u32, u32) {
        let d = image::load_from_memory_with_format(jpeg, ImageFormat::Jpeg).expect("jpeg");
        (d.width(), d.height())
    }

    #[test]
    fn makes_display_and_thumbnail_never_larger() {
        let d = derive("大.png", "image/png", &png(2000, 1000)).expect("derive");
        assert_eq!((d.width, d.height), (2000, 1000));
        assert_eq!(dims(&d.display), (1600, 800));
        assert_eq!(dims(&d.thumb), (320, 160));
        let d = derive("小.png", "image/png", &png(200, 100)).expect("derive");
        assert_eq!(dims(&d.display), (200, 100));
        assert_eq!(dims(&d.thumb), (200, 100));
    }

    #[test]
    fn refuses_bombs_and_garbage_with_chinese_messages() {
        assert!(size_refusal("a.png", 12_000, 4_000).is_none());
        assert!(
            size_refusal("a.png", 100_000, 100_000)
                .expect("refused")
                .contains("超过上限")
        );
        assert!(size_refusal("a.png", 8_000, 8_000).is_some());
        let e = derive("坏.png", "image/png", b"\x89PNG\r\n\x1a\nrest").unwrap_err();
        assert!(e.contains("无法读取"), "{e}");
        assert!(
            derive("a.pdf", "application/pdf", b"%PDF-1.7")
                .unwrap_err()
                .contains("不是图片")
        );
        assert!(is_picture("image/webp") && !is_picture("application/pdf"));
    }
}
