//! The performance scheme (记工分) in force in a region: read it, and admins replace it.

pub mod get;
pub mod put;

use crate::app::error::{AppError, AppResult};
use domain::performance::SchemeInput;
use infra::db::PgConn;
use serde::Serialize;
use utoipa::ToSchema;

/// The performance scheme in force in a region.
#[derive(Debug, Serialize, ToSchema)]
pub struct SchemeInForce {
    pub region_code: String,
    /// The region that set it (this one or one above); absent: the default, the seed's 3 aspects, 11 items,
    /// 100 points.
    pub defined_in: Option<String>,
    pub scheme: SchemeInput,
}

/// The region at `code`, or 404 (a malformed code names none, as for `GET /regions/{code}`).
async fn region(conn: &mut PgConn, code: &str) -> AppResult<infra::db::regions::RegionRow> {
    infra::db::regions::find(conn, code)
        .await?
        .ok_or_else(|| AppError::not_found("region"))
}
