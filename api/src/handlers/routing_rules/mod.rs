//! Routing rules: for a category in a region, the agency that leads (and those that assist). Triage sees the rule of
//! the nearest region up the tree as a suggestion; staff may take it or choose another agency.

pub mod create;
pub mod list;
pub mod update;

use chrono::{DateTime, Utc};
use infra::db::routing::RuleRow;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct RoutingRule {
    pub id: Uuid,
    pub region_code: String,
    pub category_code: String,
    pub lead_agency_id: Uuid,
    pub co_agency_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<RuleRow> for RoutingRule {
    fn from(r: RuleRow) -> Self {
        RoutingRule {
            id: r.id,
            region_code: r.region_code,
            category_code: r.category_code,
            lead_agency_id: r.lead_agency_id,
            co_agency_ids: r.co_agency_ids,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}
