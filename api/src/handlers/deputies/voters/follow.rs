//! `PUT /me/deputies/{id}`: follow a deputy (citizens who scanned the deputy's card, i.e. signed in with its scene).

use super::FollowedDeputy;
use crate::app;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{put, web, HttpResponse};
use uuid::Uuid;

/// Follow a deputy (citizens who scanned the deputy's card, i.e. signed in with its scene): the caller becomes one
/// of the voters the deputy keeps in touch with, hears what the deputy writes to them and, after following for
/// `MINSHENG_VOTER_RATING_MIN_FOLLOW_DAYS`, may rate the deputy each year. Following again changes nothing; a
/// citizen who never scanned the card gets 403.
#[utoipa::path(operation_id = "follow_deputy", tag = "deputies", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The deputy, as their QR code's scene names them")),
    responses((status = 200, body = FollowedDeputy)))]
#[put("/me/deputies/{id}")]
pub async fn follow(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let (d, since) = app::voters::follow(&state, auth.caller(), *id).await?;
    Ok(HttpResponse::Ok().json(FollowedDeputy {
        deputy_id: d.id,
        name: d.name,
        region_code: d.region_code,
        since,
    }))
}
