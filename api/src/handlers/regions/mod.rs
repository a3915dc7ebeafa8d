//! The region tree.

pub mod create;
pub mod get;
pub mod list;
pub mod update;

use chrono::{DateTime, Utc};
use domain::organisation::region::RegionLevel;
use infra::db::regions::RegionRow;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Region {
    #[schema(example = "330281")]
    pub code: String,
    #[schema(example = "余姚市")]
    pub name: String,
    pub level: RegionLevel,
    pub parent_code: Option<String>,
    /// The letters issue numbers here start with (`YY-2026-000123`); regions without one take their parent's.
    #[schema(example = "YY")]
    pub issue_prefix: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<RegionRow> for Region {
    fn from(r: RegionRow) -> Self {
        Self {
            level: r.level.parse().unwrap_or(RegionLevel::Village),
            code: r.code,
            name: r.name,
            parent_code: r.parent_code,
            issue_prefix: r.issue_prefix,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}
