//! Deputy liaison stations.

pub mod create;
pub mod get;
pub mod list;
pub mod qrcode;
pub mod receptions;
pub mod topics;
pub mod update;

pub use crate::app::stations::*;

use crate::app::error::AppResult;
use domain::organisation::station::ReceptionDay;

/// Reception days as a request sends them, checked, as stored.
fn reception_days_json(days: Vec<ReceptionDay>) -> AppResult<serde_json::Value> {
    let days = ReceptionDay::parse_all(days)?;
    serde_json::to_value(days).map_err(crate::app::error::AppError::internal)
}
