//! Turning an upload into a photo fit to keep: the type is read from the bytes (never the file name), the size in
//! pixels is checked before decoding, the picture is turned upright by its EXIF orientation and re-encoded as a
//! fresh JPEG — which drops every piece of metadata the camera wrote (GPS position, device, owner) — and a
//! thumbnail is made beside it.

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use std::io::Cursor;

/// What the bytes say they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
    Heic,
}

/// Reads the format from the first bytes.
#[must_use]
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(Format::Jpeg);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(Format::Png);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        return Some(Format::WebP);
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        let brand = &bytes[8..12];
        if [b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"]
            .iter()
            .any(|b| brand == *b)
        {
            return Some(Format::Heic);
        }
    }
    None
}

/// Why an upload is not a photo we keep.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("not a JPEG, PNG, WebP or HEIC picture")]
    NotAPicture,
    #[error("{width}×{height} pixels is more than {max} allowed")]
    TooManyPixels { width: u32, height: u32, max: u64 },
    #[error("the picture could not be read: {0}")]
    Unreadable(String),
}

/// A photo ready to store.
#[derive(Debug, Clone)]
pub struct Processed {
    pub jpeg: Vec<u8>,
    pub thumbnail: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The longest side of a thumbnail, in pixels.
pub const THUMBNAIL_SIDE: u32 = 320;

/// The longest side of a kept photo, in pixels: enough to read a problem (a crack, a sign, a number plate) on any
/// screen, and a 12-megapixel phone picture kept at a third of its bytes or less — across a province, the difference
/// between terabytes and hundreds of gigabytes a year.
pub const KEPT_SIDE: u32 = 2048;

/// Checks, decodes, turns upright and re-encodes. CPU-bound: run it off the async threads.
///
/// # Errors
/// `PhotoError` naming what is wrong with the upload.
pub fn process(bytes: &[u8], max_pixels: u64) -> Result<Processed, PhotoError> {
    let format = match sniff(bytes).ok_or(PhotoError::NotAPicture)? {
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Png => ImageFormat::Png,
        Format::WebP => ImageFormat::WebP,
        Format::Heic => return finish(&heic::decode(bytes, max_pixels)?),
    };
    let unreadable = |e: image::ImageError| PhotoError::Unreadable(e.to_string());
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(max_pixels.saturating_mul(4).max(64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let (width, height) = decoder.dimensions();
    within(width, height, max_pixels)?;
    let orientation = decoder.orientation().map_err(unreadable)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    picture.apply_orientation(orientation);
    finish(&picture)
}

/// Checks the pixel count before anything is decoded.
fn within(width: u32, height: u32, max_pixels: u64) -> Result<(), PhotoError> {
    if u64::from(width) * u64::from(height) > max_pixels {
        return Err(PhotoError::TooManyPixels {
            width,
            height,
            max: max_pixels,
        });
    }
    Ok(())
}

/// The upright picture, encoded twice: no larger than `KEPT_SIDE`, and as a thumbnail.
fn finish(picture: &DynamicImage) -> Result<Processed, PhotoError> {
    let thumbnail = encode(&picture.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE), 80)?;
    let kept;
    let picture = if picture.width().max(picture.height()) > KEPT_SIDE {
        // Catmull-Rom keeps edges (writing, cracks) sharp at a fraction of Lanczos's cost.
        kept = picture.resize(KEPT_SIDE, KEPT_SIDE, image::imageops::FilterType::CatmullRom);
        &kept
    } else {
        picture
    };
    let jpeg = encode(picture, 85)?;
    Ok(Processed {
        jpeg,
        thumbnail,
        width: picture.width(),
        height: picture.height(),
    })
}

/// HEIC, the iPhone's camera format, through the system's libheif (Debian's `libheif-dev`): no well-kept pure-Rust
/// HEVC decoder exists.
mod heic {
    use super::{within, PhotoError};
    use image::{DynamicImage, RgbImage};
    use libheif_rs::{ColorSpace, HeifContext, LibHeif, RgbChroma};

    /// Decodes the primary image. libheif applies the file's own rotation and mirroring (`irot`/`imir`) while
    /// decoding, so the result is upright; HEIC keeps its orientation there, not in EXIF.
    pub(super) fn decode(bytes: &[u8], max_pixels: u64) -> Result<DynamicImage, PhotoError> {
        let unreadable = |e: libheif_rs::HeifError| PhotoError::Unreadable(e.to_string());
        let context = HeifContext::read_from_bytes(bytes).map_err(unreadable)?;
        let handle = context.primary_image_handle().map_err(unreadable)?;
        within(handle.width(), handle.height(), max_pixels)?;
        let image = LibHeif::new()
            .decode(&handle, ColorSpace::Rgb(RgbChroma::Rgb), None)
            .map_err(unreadable)?;
        let plane = image
            .planes()
            .interleaved
            .ok_or_else(|| PhotoError::Unreadable("no interleaved RGB plane".to_owned()))?;
        let row = plane.width as usize * 3;
        let mut pixels = Vec::with_capacity(row * plane.height as usize);
        for line in plane.data.chunks(plane.stride).take(plane.height as usize) {
            pixels.extend_from_slice(
                line.get(..row)
                    .ok_or_else(|| PhotoError::Unreadable("a decoded row is shorter than the picture".to_owned()))?,
            );
        }
        RgbImage::from_raw(plane.width, plane.height, pixels)
            .map(DynamicImage::ImageRgb8)
            .ok_or_else(|| PhotoError::Unreadable("decoded pixels do not fill the picture".to_owned()))
    }
}

/// A fresh JPEG of the pixels alone: no EXIF, no XMP, no ICC comments carried over.
fn encode(picture: &DynamicImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&picture.to_rgb8())
        .map_err(|e| PhotoError::Unreadable(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};

    fn jpeg_with_exif() -> Vec<u8> {
        let img = RgbImage::from_pixel(64, 32, Rgb([200, 30, 30]));
        let mut plain = Vec::new();
        JpegEncoder::new_with_quality(&mut plain, 90)
            .encode_image(&img)
            .expect("encode");
        // Splice an APP1 Exif segment right after SOI, holding a marker string we can look for.
        let payload = b"Exif\0\0GPS-SECRET-30.04N-121.15E";
        let len = u16::try_from(payload.len() + 2).expect("fits");
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(payload);
        out.extend_from_slice(&plain[2..]);
        out
    }

    #[test]
    fn metadata_does_not_survive_and_the_type_comes_from_the_bytes() {
        let upload = jpeg_with_exif();
        assert!(upload.windows(10).any(|w| w == b"GPS-SECRET"));
        let photo = process(&upload, 40_000_000).expect("a picture");
        assert!(!photo.jpeg.windows(10).any(|w| w == b"GPS-SECRET"));
        assert_eq!((photo.width, photo.height), (64, 32));
        assert_eq!(sniff(&photo.thumbnail), Some(Format::Jpeg));
        assert_eq!(process(b"GIF89a....", 40_000_000).err(), Some(PhotoError::NotAPicture));
        assert!(matches!(process(&upload, 100), Err(PhotoError::TooManyPixels { .. })));
    }

    #[test]
    fn a_big_photo_is_kept_no_larger_than_needed_and_keeps_its_shape() {
        let big = RgbImage::from_pixel(4000, 3000, Rgb([20, 120, 40]));
        let mut upload = Vec::new();
        JpegEncoder::new_with_quality(&mut upload, 90)
            .encode_image(&big)
            .expect("encode");
        let photo = process(&upload, 40_000_000).expect("a picture");
        assert_eq!((photo.width, photo.height), (KEPT_SIDE, 1536));
        let kept = image::load_from_memory(&photo.jpeg).expect("jpeg");
        assert_eq!((kept.width(), kept.height()), (KEPT_SIDE, 1536));
    }

    #[test]
    fn heic_is_decoded_upright_into_a_jpeg() {
        let upload = include_bytes!("../../tests/fixtures/red-blue.heic");
        assert_eq!(sniff(upload), Some(Format::Heic));
        let photo = process(upload, 40_000_000).expect("a HEIC picture");
        assert_eq!((photo.width, photo.height), (96, 48));
        let decoded = image::load_from_memory(&photo.jpeg).expect("jpeg").to_rgb8();
        // The left half is red and the right half blue; HEVC at low quality moves colours a little.
        let left = decoded.get_pixel(10, 24);
        let right = decoded.get_pixel(86, 24);
        assert!(left[0] > 150 && left[2] < 110, "left {left:?}");
        assert!(right[2] > 150 && right[0] < 110, "right {right:?}");
        assert!(matches!(
            process(upload, 96 * 48 - 1),
            Err(PhotoError::TooManyPixels { .. })
        ));
        let mut truncated = upload.to_vec();
        truncated.truncate(200);
        assert!(matches!(
            process(&truncated, 40_000_000),
            Err(PhotoError::Unreadable(_))
        ));
    }
}
