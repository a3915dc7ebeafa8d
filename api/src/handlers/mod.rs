//! One folder per resource, one file per operation.

pub mod agencies;
pub mod auth;
pub mod categories;
pub mod health;
pub mod me;
pub mod regions;
pub mod stations;
pub mod users;

use crate::error::{ApiError, ApiResult};
use domain::organisation::region::RegionCode;
use domain::permission::AdminScope;
use infra::db::PgConn;
use serde::{Deserialize, Deserializer};

/// For PATCH bodies: tells a field that is absent (`None`, leave it) from one sent as `null` (`Some(None)`, clear it).
pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// The region path a list is limited to: the one asked for with `?region=` (which must lie in the caller's scope),
/// else the caller's whole scope (`None` for admins: everywhere).
pub async fn list_prefix(
    conn: &mut PgConn,
    scope: &AdminScope,
    region: Option<&str>,
) -> ApiResult<Option<String>> {
    let Some(code) = region else {
        return Ok(scope.path_prefix().map(str::to_owned));
    };
    let code = RegionCode::parse(code).map_err(|e| ApiError::from(e.at("region")))?;
    let row = infra::db::regions::find(conn, code.as_str())
        .await?
        .ok_or_else(|| ApiError::not_found("region"))?;
    scope.may_see(&row.path())?;
    Ok(Some(row.path))
}
