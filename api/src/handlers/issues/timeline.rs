use super::TimelineEvent;
use crate::app::error::AppResult;
use crate::app::issues::load::timeline_beside;
use crate::app::issues::view::event_view;
use crate::extract::Reader;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::role::Role;
use uuid::Uuid;

/// Every event the caller may see, oldest first.
#[utoipa::path(
    tag = "issues",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<TimelineEvent>),
    )
)]
#[get("/issues/{id}/timeline")]
pub async fn timeline(state: web::Data<AppState>, reader: Reader, id: web::Path<Uuid>) -> AppResult<HttpResponse> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    // The caller is read beside the issue and its events: one wait on the database.
    let (admitted, loaded, rows) = timeline_beside(&conn, reader.holder(), *id).await?;
    let actor = &admitted.actor;
    let sees_internal = loaded.relations.sees_internal();
    let hide_reporter = !loaded.relations.sees_reporter(loaded.row.anonymous);
    let sees_citizens = loaded.relations.sees_other_citizens();
    let mut actors: Vec<Uuid> = rows.iter().filter_map(|r| r.actor_id).collect();
    actors.sort();
    actors.dedup();
    let people = infra::db::users::people(&mut conn, &actors).await?;
    let events: Vec<TimelineEvent> = rows
        .into_iter()
        .filter(|r| sees_internal || !r.internal)
        .map(|r| {
            let masked = (hide_reporter && r.actor_id == Some(loaded.row.reporter_id))
                || (!sees_citizens
                    && r.actor_role.as_deref() == Some(Role::Citizen.as_str())
                    && r.actor_id != Some(actor.user_id));
            event_view(actor, r, &people, masked)
        })
        .collect();
    Ok(HttpResponse::Ok().json(events))
}
