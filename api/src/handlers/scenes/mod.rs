//! What a scanned QR code points to, for anyone: a station or a deputy, as much as a visitor needs to decide to report.

pub mod get;
pub mod wechat_link;

pub use crate::app::scenes::*;
