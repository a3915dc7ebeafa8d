use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::handlers::qrcode::{draw, CodeQuery, CodeResponses};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::identity::SceneTarget;
use domain::permission::may_draw_deputy_code;
use uuid::Uuid;

/// The deputy's QR code for their card, as a PNG (staff of their region, admins, the deputy).
///
/// A WeChat mini-program code when WeChat is configured, else a plain QR code of `{MINSHENG_PUBLIC_URL}/s/{scene}`.
/// The `X-Minsheng-Scene` header names the scene it carries.
#[utoipa::path(
    tag = "deputies",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The deputy's account id"), CodeQuery),
    responses(CodeResponses)
)]
#[get("/deputies/{id}/qrcode")]
pub async fn qrcode(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    q: Query<CodeQuery>,
) -> AppResult<HttpResponse> {
    let width = q.width()?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let deputy = infra::db::users::find(&mut conn, *id)
        .await?
        .filter(|u| u.row.role == "deputy")
        .ok_or_else(|| AppError::not_found("deputy"))?;
    let region = deputy
        .region_path
        .clone()
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a deputy without a region")))?;
    may_draw_deputy_code(&auth.actor, deputy.row.id, &region)?;
    if !deputy.row.enabled {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "the deputy's account is disabled; the code would lead nowhere",
        ));
    }
    draw(&state, &mut conn, SceneTarget::Deputy(deputy.row.id), width).await
}
