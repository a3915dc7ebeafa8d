//! Deadline policies: how long each stage may take, for a region and/or a category. The most specific one applies;
//! without any, the service default (DOMAIN.md's typical policy).

pub mod list;
pub mod put;

use chrono::{DateTime, Utc};
use domain::issue::deadline::DeadlinePolicy;
use infra::db::routing::PolicyRow;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct Policy {
    /// Absent for the default.
    pub id: Option<Uuid>,
    pub region_code: Option<String>,
    pub category_code: Option<String>,
    pub policy: DeadlinePolicy,
    pub updated_at: Option<DateTime<Utc>>,
}

impl TryFrom<PolicyRow> for Policy {
    type Error = infra::db::DbError;
    fn try_from(r: PolicyRow) -> Result<Self, Self::Error> {
        Ok(Policy {
            policy: r.policy()?,
            id: Some(r.id),
            region_code: r.region_code,
            category_code: r.category_code,
            updated_at: Some(r.updated_at),
        })
    }
}
