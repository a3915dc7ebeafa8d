//! Pictures of codes: plain QR codes drawn here, and WeChat's codes brought to PNG.

use image::{GrayImage, ImageFormat, Luma};
use qrcode::{EcLevel, QrCode};
use std::io::Cursor;

/// The four-module quiet zone the QR standard asks for around a code.
const QUIET: u32 = 4;

/// A PNG of a QR code for `text`, as close to `width` pixels square as whole modules allow (never smaller than
/// one pixel a module).
///
/// # Errors
/// When `text` is too long for a QR code.
pub fn plain_png(text: &str, width: u32) -> anyhow::Result<Vec<u8>> {
    // Level M survives a smudged print at a station's door without growing the code much.
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)?;
    let modules = u32::try_from(code.width())?;
    let side = modules + 2 * QUIET;
    let scale = (width / side).max(1);
    let colors = code.to_colors();
    let image = GrayImage::from_fn(side * scale, side * scale, |x, y| {
        let (mx, my) = (x / scale, y / scale);
        let dark = mx >= QUIET
            && my >= QUIET
            && mx < QUIET + modules
            && my < QUIET + modules
            && colors[((my - QUIET) * modules + (mx - QUIET)) as usize] == qrcode::Color::Dark;
        Luma([if dark { 0 } else { 255 }])
    });
    encode_png(&image.into())
}

/// `bytes` as PNG: passed through when they are PNG already, re-encoded when they are JPEG (WeChat's usual answer).
///
/// # Errors
/// When the bytes are not a picture of a known kind.
pub fn to_png(bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
    match image::guess_format(bytes)? {
        ImageFormat::Png => Ok(bytes.to_vec()),
        format => encode_png(&image::load_from_memory_with_format(bytes, format)?),
    }
}

fn encode_png(image: &image::DynamicImage) -> anyhow::Result<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, ImageFormat::Png)?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_code_is_a_png_near_the_width_asked_for() {
        let png = plain_png("https://minsheng.example.cn/s/abcdefghijkmnpqrstuvw", 430).expect("drawn");
        let image = image::load_from_memory_with_format(&png, ImageFormat::Png).expect("a PNG");
        assert_eq!(image.width(), image.height());
        assert!(image.width() <= 430 && image.width() > 300, "width {}", image.width());
    }

    #[test]
    fn jpeg_becomes_png_and_png_passes_through() {
        let gray = GrayImage::from_pixel(8, 8, Luma([128]));
        let mut jpeg = Cursor::new(Vec::new());
        gray.write_to(&mut jpeg, ImageFormat::Jpeg).expect("jpeg");
        let png = to_png(jpeg.get_ref()).expect("converted");
        assert_eq!(image::guess_format(&png).expect("known"), ImageFormat::Png);
        assert_eq!(to_png(&png).expect("same"), png);
        assert!(to_png(b"{\"errcode\":40001}").is_err());
    }
}
