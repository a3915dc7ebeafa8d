use crate::app;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{delete, web, HttpResponse};
use uuid::Uuid;

/// Sign an account out everywhere: every session it has open ends at once, its access tokens are refused at their
/// next request and its refresh tokens refresh no more. For a lost phone or a person who left the post; whoever may
/// disable the account may do it. Answers 204 whether or not any session was open.
#[utoipa::path(
    operation_id = "end_user_sessions",
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 204, description = "No session of the account is open"),
    )
)]
#[delete("/users/{id}/sessions")]
pub async fn end(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    app::accounts::end_sessions(&state, auth.caller(), *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
