//! What waits for the caller, by reason, per role (the sections are the domain's, `domain::issue::inbox`): staff triage and decide extensions, handlers sign and reply,
//! reporters rate, deputies see their voters' open issues first and take up their stations' new issues; overdue work
//! shows for staff and handlers, and what was urged for handlers.

use crate::app::error::AppResult;
use crate::app::issues::inbox::Inbox;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};

/// What waits for the caller now.
#[utoipa::path(
    tag = "issues",
    security(("bearer" = [])),
    responses((status = 200, body = Inbox))
)]
#[get("/inbox")]
pub async fn inbox(state: web::Data<AppState>, auth: AuthUser) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(crate::app::issues::inbox::inbox(&state, &auth).await?))
}
