use crate::app::error::AppResult;
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::handlers::qrcode::{send, CodeQuery, CodeResponses};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::identity::SceneTarget;
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
    let code = crate::app::codes::draw(&state, &auth, SceneTarget::Deputy(*id), width).await?;
    Ok(send(code))
}
