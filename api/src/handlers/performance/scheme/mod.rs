//! The performance scheme (记工分) in force in a region: read it, and admins replace it.

pub mod get;
pub mod put;

use domain::performance::SchemeInput;
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
