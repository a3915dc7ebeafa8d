//! Government agencies that handle routed issues.

pub mod create;
pub mod get;
pub mod list;
pub mod update;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct Agency {
    pub id: Uuid,
    pub region_code: String,
    #[schema(example = "余姚市住房和城乡建设局")]
    pub name: String,
    /// Codes of the categories it handles.
    pub category_codes: Vec<String>,
    pub enabled: bool,
    /// The handler told when the agency's deadlines are overdue (督办联系人).
    pub contact_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<infra::db::agencies::Agency> for Agency {
    fn from(a: infra::db::agencies::Agency) -> Self {
        let r = a.row;
        Self {
            id: r.id,
            region_code: r.region_code,
            name: r.name,
            category_codes: a.categories,
            enabled: r.enabled,
            contact_id: r.contact_id,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}
