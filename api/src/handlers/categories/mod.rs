//! Categories of issues: one list for the whole service, at most two levels deep, which each region offers or not
//! and names as it will within its subtree (`/regions/{code}/categories`), and adds to with its own.

pub mod areas;
pub mod create;
pub mod get;
pub mod list;
pub mod update;

use chrono::{DateTime, Utc};
use infra::db::categories::CategoryRow;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Category {
    #[schema(example = "road")]
    pub code: String,
    #[schema(example = "道路交通")]
    pub name: String,
    pub parent_code: Option<String>,
    /// The region whose own the category is, offered only within its subtree; none: everyone's.
    pub region_code: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<CategoryRow> for Category {
    fn from(r: CategoryRow) -> Self {
        Self {
            code: r.code,
            name: r.name,
            parent_code: r.parent_code,
            region_code: r.region_code,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}
