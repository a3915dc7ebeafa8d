//! `POST /issues/{id}/publish`: show a withheld issue in the public results again (staff of the issue's region).

use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::handlers::issues::command::{run, CommandErrors};
use crate::handlers::issues::IssueView;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::Command;
use uuid::Uuid;

/// Show a withheld issue in the public results again (staff of the issue's region).
#[utoipa::path(tag = "issue commands", security(("bearer" = [])),
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/publish")]
pub async fn publish(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    run(&state, &auth, *id, Command::Publish, None).await
}
