use super::command::{run, CommandErrors};
use super::IssueView;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{post, web, HttpResponse};
use domain::issue::Command;
use uuid::Uuid;

/// 我也遇到: a citizen who has the same problem joins an open issue instead of reporting it again (citizens; not
/// their own reports; once). The issue is then theirs to follow: it is among their issues, they are told of its
/// progress as its reporter is, and they may rate its reply — the reporter's rating still decides. They read it as
/// the public does: the reporter unnamed and numbers in the words masked. Any open issue may be joined, so a
/// citizen finds it in `GET /issues/nearby` first; one whose words wait for review answers 404 until staff took it up.
#[utoipa::path(tag = "issue commands", security(("bearer" = [])),
    responses((status = 200, body = IssueView), CommandErrors))]
#[post("/issues/{id}/join")]
pub async fn join(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    run(&state, &auth, *id, Command::Join, None).await
}
