//! `GET /me/deputies`: the deputies the caller follows, earliest first.

use super::FollowedDeputy;
use crate::app::error::AppResult;
use crate::app::people::deputy;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::permission::may_keep_deputies;

/// The deputies the caller follows, earliest first.
#[utoipa::path(operation_id = "followed_deputies", tag = "deputies", security(("bearer" = [])),
    responses((status = 200, body = Vec<FollowedDeputy>)))]
#[get("/me/deputies")]
pub async fn followed(state: web::Data<AppState>, auth: AuthUser) -> AppResult<HttpResponse> {
    may_keep_deputies(&auth.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let links = infra::db::voters::followed_by(&mut conn, auth.actor.user_id).await?;
    let mut shown = Vec::with_capacity(links.len());
    for (id, since) in links {
        if let Ok(d) = deputy(&mut conn, id).await {
            shown.push(FollowedDeputy {
                deputy_id: d.id,
                name: d.name,
                region_code: d.region_code,
                since,
            });
        }
    }
    Ok(HttpResponse::Ok().json(shown))
}
