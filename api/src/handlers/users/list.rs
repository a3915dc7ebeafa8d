use super::User;
use crate::app::error::AppResult;
use crate::app::reach::list_prefix;
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::page::{self, Page};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use domain::permission::AdminScope;
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
    let scope = AdminScope::of(&auth.actor)?;
    let limit = page::limit(q.limit)?;
    let after = page::decode_uuid_cursor(q.cursor.as_deref())?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let prefix = list_prefix(&mut conn, &scope, q.region.as_deref()).await?;
    let filter = UserFilter {
        path_prefix: prefix.as_deref(),
        role: q.role.map(Role::as_str),
        agency: q.agency,
        station: q.station,
        after,
    };
    let rows = infra::db::users::list(&mut conn, &filter, limit.probe()).await?;
    Ok(HttpResponse::Ok().json(page::page(
        rows,
        limit,
        |u| u.row.id.to_string(),
        |u| User::view(u, &auth.actor),
    )))
}
