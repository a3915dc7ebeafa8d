//! `GET /me/deputies`: the deputies the caller follows, earliest first.

use super::FollowedDeputy;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};

/// The deputies the caller follows, earliest first.
#[utoipa::path(operation_id = "followed_deputies", tag = "deputies", security(("bearer" = [])),
    responses((status = 200, body = Vec<FollowedDeputy>)))]
#[get("/me/deputies")]
pub async fn followed(state: web::Data<AppState>, auth: AuthUser) -> AppResult<HttpResponse> {
    let shown: Vec<FollowedDeputy> = crate::app::voters::followed(&state, &auth)
        .await?
        .into_iter()
        .map(|(d, since)| FollowedDeputy {
            deputy_id: d.id,
            name: d.name,
            region_code: d.region_code,
            since,
        })
        .collect();
    Ok(HttpResponse::Ok().json(shown))
}
