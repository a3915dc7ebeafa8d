//! Categories of issues: one list for the whole service, at most two levels deep.

pub mod create;
pub mod get;
pub mod list;
pub mod update;

use crate::error::{ApiError, ApiResult, ErrorCode};
use chrono::{DateTime, Utc};
use domain::organisation::category::CategoryCode;
use infra::db::categories::CategoryRow;
use infra::db::PgConn;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct Category {
    #[schema(example = "road")]
    pub code: String,
    #[schema(example = "道路交通")]
    pub name: String,
    pub parent_code: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<CategoryRow> for Category {
    fn from(r: CategoryRow) -> Self {
        Self {
            code: r.code,
            name: r.name,
            parent_code: r.parent_code,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// Checks that `parent` may hold `child`: it exists, is top-level, and is not the child itself (two levels keep the tree acyclic).
async fn check_parent(conn: &mut PgConn, child: &str, parent: &str) -> ApiResult<String> {
    let parent = CategoryCode::parse(parent).map_err(|e| e.at("parent_code"))?;
    let row = infra::db::categories::find(conn, parent.as_str())
        .await?
        .ok_or_else(|| ApiError::not_found("parent category").with_field("parent_code"))?;
    if row.parent_code.is_some() || row.code == child {
        return Err(ApiError::new(
            ErrorCode::ValidationFailed,
            "categories are two levels deep: the parent must be a top-level category",
        )
        .with_field("parent_code"));
    }
    Ok(row.code)
}
