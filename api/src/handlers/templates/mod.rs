//! 知识库: reply, decline and comment templates kept for a region (and below), optionally for one agency and one
//! category, with placeholders an issue fills in. Staff keep their region's, admins anyone's; whoever works an issue
//! picks from the ones that fit it (`GET /issues/{id}/templates`).

pub mod create;
pub mod for_issue;
pub mod list;
pub mod remove;
pub mod update;

use chrono::{DateTime, Utc};
use domain::template::TemplateKind;
use infra::db::templates::TemplateRow;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct Template {
    pub id: Uuid,
    pub kind: TemplateKind,
    pub region_code: String,
    /// For this agency's handlers only; none: for every agency.
    pub agency_id: Option<Uuid>,
    /// For issues of this category only; none: for every category.
    pub category_code: Option<String>,
    pub title: String,
    /// With placeholders: {编号} {标题} {地点} {分类} {反映日期} {今天} {主办单位} {办理时限}.
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<TemplateRow> for Template {
    type Error = crate::app::error::AppError;
    fn try_from(r: TemplateRow) -> Result<Self, Self::Error> {
        Ok(Template {
            id: r.id,
            kind: r.kind.parse().map_err(crate::app::error::AppError::internal)?,
            region_code: r.region_code,
            agency_id: r.agency_id,
            category_code: r.category_code,
            title: r.title,
            body: r.body,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}
