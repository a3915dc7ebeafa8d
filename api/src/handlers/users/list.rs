use super::User;
use crate::app::error::AppResult;
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::page::{self, Page};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::role::Role;
use infra::db::users::UserFilter;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListUsers {
    pub role: Option<Role>,
    /// Only accounts in this region's subtree.
    pub region: Option<String>,
    pub agency: Option<Uuid>,
    /// Only deputies serving at this station.
    pub station: Option<Uuid>,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// Accounts, oldest first. Staff see the accounts of their subtree.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    params(ListUsers),
    responses(
        (status = 200, body = Page<User>),
    )
)]
#[get("/users")]
pub async fn list(state: web::Data<AppState>, auth: AuthUser, q: Query<ListUsers>) -> AppResult<HttpResponse> {
    let limit = page::limit(q.limit)?;
    let after = page::decode_uuid_cursor(q.cursor.as_deref())?;
    let filter = UserFilter {
        role: q.role.map(Role::as_str),
        agency: q.agency,
        station: q.station,
        after,
        ..UserFilter::default()
    };
    let rows = crate::app::accounts::list(&state, &auth, q.region.as_deref(), filter, limit.probe()).await?;
    Ok(HttpResponse::Ok().json(page::page(
        rows,
        limit,
        |u| u.row.id.to_string(),
        |u| User::view(u, &auth.actor),
    )))
}
