use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::handlers::qrcode::{draw, CodeQuery, CodeResponses};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::identity::SceneTarget;
use domain::permission::may_draw_station_code;
use uuid::Uuid;

/// The station's QR code, as a PNG (staff of its region, admins, its deputies).
///
/// A WeChat mini-program code when WeChat is configured, else a plain QR code of `{MINSHENG_PUBLIC_URL}/s/{scene}`.
/// The `X-Minsheng-Scene` header names the scene it carries.
#[utoipa::path(
    tag = "stations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), CodeQuery),
    responses(CodeResponses)
)]
#[get("/stations/{id}/qrcode")]
pub async fn qrcode(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    q: Query<CodeQuery>,
) -> AppResult<HttpResponse> {
    let width = q.width()?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (row, path) = infra::db::stations::find(&mut conn, *id)
        .await?
        .ok_or_else(|| AppError::not_found("station"))?;
    may_draw_station_code(&auth.actor, row.id, &path)?;
    if !row.enabled {
        return Err(AppError::new(
            ErrorCode::Conflict,
            "the station is disabled; its code would lead nowhere",
        ));
    }
    draw(&state, &mut conn, SceneTarget::Station(row.id), width).await
}
