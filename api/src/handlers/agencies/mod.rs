//! Government agencies that handle routed issues.

pub mod create;
pub mod get;
pub mod list;
pub mod update;

use crate::error::{ApiError, ApiResult, ErrorCode};
use chrono::{DateTime, Utc};
use domain::organisation::category::CategoryCode;
use infra::db::PgConn;
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

/// Parses the category codes and checks that each exists, naming the first that does not.
async fn check_categories(conn: &mut PgConn, codes: &[String]) -> ApiResult<Vec<String>> {
    if codes.len() > 50 {
        return Err(ApiError::new(ErrorCode::ValidationFailed, "at most 50 categories").with_field("category_codes"));
    }
    let mut parsed = Vec::with_capacity(codes.len());
    for (i, c) in codes.iter().enumerate() {
        let code = CategoryCode::parse(c).map_err(|e| e.at(format!("category_codes[{i}]")))?;
        parsed.push(code.as_str().to_owned());
    }
    let existing = infra::db::categories::existing(conn, &parsed).await?;
    if let Some((i, missing)) = parsed.iter().enumerate().find(|(_, c)| !existing.contains(c)) {
        return Err(
            ApiError::new(ErrorCode::ValidationFailed, format!("no category `{missing}`"))
                .with_field(format!("category_codes[{i}]")),
        );
    }
    parsed.sort();
    parsed.dedup();
    Ok(parsed)
}
