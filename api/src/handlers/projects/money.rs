//! `POST /projects/{id}/money`: record money allocated (拨付) or spent (支出) on an elected project.

use crate::app;
use crate::app::error::AppResult;
use crate::app::projects::money::{NewEntry, SpendingEntry};
use crate::extract::{AuthUser, Json};
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use chrono::NaiveDate;
use domain::project::money::{amount, SpendingKind, SpendingNote};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordMoney {
    /// `allocated` (拨付) or `spent` (支出).
    pub kind: SpendingKind,
    /// The day the money moved; not in the future.
    pub on_date: NaiveDate,
    /// Whole yuan, more than none.
    #[schema(example = 1_200_000)]
    pub amount_yuan: i64,
    #[schema(example = "第一期工程款", max_length = 500)]
    pub note: String,
    /// A photo of its document (拨付文件, 发票) the caller uploaded through `POST /api/v1/photos`, not used elsewhere.
    pub photo_id: Option<Uuid>,
}

/// Record money allocated or spent on an elected project (its agency's handlers, staff over it). The project's pages
/// show the share of its budget spent beside the share done, flagged when spending runs far ahead of progress or far
/// behind it; the entry is on its timeline.
#[utoipa::path(operation_id = "record_project_money", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project")),
    request_body = RecordMoney,
    responses((status = 201, body = SpendingEntry)))]
#[post("/projects/{id}/money")]
pub async fn record(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<RecordMoney>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let entry = NewEntry {
        kind: body.kind,
        on_date: body.on_date,
        amount_yuan: amount(body.amount_yuan)?,
        note: SpendingNote::parse(&body.note)?,
        photo: body.photo_id,
    };
    let answer = app::projects::money::record_entry(&state, auth.caller(), *id, entry, |e| {
        Answer::json(&auth, StatusCode::CREATED, None, &e)
    })
    .await?;
    Ok(answer.respond())
}
