//! 每名代表联系选民: the voters a deputy keeps in touch with. A citizen follows a deputy from the deputy's QR code
//! (the scene names the deputy); the deputy sees their voters' issues first in the inbox and writes to them through
//! notifications.

pub mod follow;
pub mod followed;
pub mod list;
pub mod unfollow;
pub mod write;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A deputy the caller follows.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowedDeputy {
    pub deputy_id: Uuid,
    pub name: String,
    pub region_code: String,
    pub since: DateTime<Utc>,
}
