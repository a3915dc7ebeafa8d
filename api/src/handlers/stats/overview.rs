use crate::app::error::AppResult;
use crate::app::stats::{CohortQuery, Overview};
use crate::extract::{AuthUser, Query};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};

/// The figures of the issues reported in a period, as they stand now: reported, accepted, declined, merged, routed,
/// replied (A/B/C), solved on the spot and later, converted, closed, overdue now, reopened; the reply, solve, on-time
/// and satisfaction rates; and the working days to sign and to reply (average, 90th percentile).
///
/// Definitions: **reply rate** (答复率) = issues with a reply standing ÷ issues routed to an agency; **solve rate**
/// (解决率) = issues replied A ÷ (reported − declined − merged); **on-time rate** (按期办结率) = issues signed and
/// replied within every deadline ÷ issues replied or with a sign or reply deadline passed unmet; **satisfaction rate** (满意率) = issues
/// the reporter rated satisfied or basically satisfied ÷ issues the reporter rated. **Solved on the spot** (当场落实)
/// = replied A by a first reply on the day of the report. Times count working days from the first routing.
///
/// Staff read their region's subtree (another region: 403), deputies their stations' issues and their own, handlers
/// the issues their agency leads, admins everything. Citizens read `/api/v1/public/issues`.
#[utoipa::path(tag = "statistics", security(("bearer" = [])), params(CohortQuery),
    responses(
        (status = 200, body = Overview),
    ))]
#[get("/stats/overview")]
pub async fn overview(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: Query<CohortQuery>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(crate::app::stats::overview(&state, &auth, &query).await?))
}
