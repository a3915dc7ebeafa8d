use crate::app::error::{AppError, AppResult};
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{delete, web, HttpResponse};
use domain::permission::AdminScope;
use domain::role::Role;
use infra::db::sessions::Revoked;
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
    let scope = AdminScope::of(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let user = crate::app::accounts::in_reach(&mut conn, &scope, *id).await?;
    let role: Role = user.row.role.parse().map_err(AppError::internal)?;
    scope.may_end_sessions(role)?;
    let ended = infra::db::sessions::revoke_all(&mut conn, user.row.id, Revoked::EndedByAdministrator).await?;
    tracing::info!(user_id = %user.row.id, by = %auth.actor.user_id, ended, "sessions ended by an administrator");
    Ok(HttpResponse::NoContent().finish())
}
