use crate::app::error::AppResult;
use crate::app::issues::load::timeline_beside;
use crate::extract::Reader;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::issue::timeline::{verify as check, StoredEvent, Verdict};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// Whether the timeline is as it was recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct Verification {
    pub intact: bool,
    /// How many events were checked.
    pub events: usize,
    /// The newest event's hash (hex) when intact: keep it to prove later that nothing before it changed.
    pub head: Option<String>,
    /// The first event that does not fit, when broken.
    pub first_broken_seq: Option<i32>,
    pub reason: Option<String>,
}

/// Recomputes the timeline's hash chain (internal events included) and says whether every event is as recorded.
#[utoipa::path(
    tag = "issues",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Verification),
    )
)]
#[get("/issues/{id}/timeline/verify")]
pub async fn verify(state: web::Data<AppState>, reader: Reader, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let conn = infra::db::pool::conn(&state.db).await?;
    // The caller is read beside the issue and its events: one wait on the database.
    let (_, loaded, rows) = timeline_beside(&conn, reader.holder(), *id).await?;
    let stored: Vec<StoredEvent<'_>> = rows
        .iter()
        .map(|r| StoredEvent {
            content: r.content(),
            prev_hash: &r.prev_hash,
            hash: &r.hash,
        })
        .collect();
    let answer = match check(&stored, loaded.row.last_seq) {
        Verdict::Intact { events, head } => Verification {
            intact: true,
            events,
            head: Some(infra::encoding::hex(&head)),
            first_broken_seq: None,
            reason: None,
        },
        Verdict::Broken { seq, reason } => Verification {
            intact: false,
            events: rows.len(),
            head: None,
            first_broken_seq: Some(seq),
            reason: Some(reason.to_owned()),
        },
    };
    Ok(HttpResponse::Ok().json(answer))
}
