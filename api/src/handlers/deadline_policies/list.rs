use super::Policy;
use crate::app::error::AppResult;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::issue::deadline::DeadlinePolicy;

/// Every deadline policy, the service default first (staff and admins).
#[utoipa::path(
    tag = "routing",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<Policy>),
    )
)]
#[get("/deadline-policies")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser) -> AppResult<HttpResponse> {
    let rows = crate::app::organisation::routing::policies(&state, &auth).await?;
    let mut all = vec![Policy {
        id: None,
        region_code: None,
        category_code: None,
        policy: DeadlinePolicy::default(),
        updated_at: None,
    }];
    for row in rows {
        let p = Policy::try_from(row)?;
        if p.region_code.is_none() && p.category_code.is_none() {
            all[0] = p;
        } else {
            all.push(p);
        }
    }
    Ok(HttpResponse::Ok().json(all))
}
