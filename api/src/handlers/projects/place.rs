//! `PUT /projects/{id}/place`: where an elected project's work is.

use crate::app;
use crate::app::error::AppResult;
use crate::app::stations::Location;
use crate::extract::{AuthUser, Json};
use crate::state::AppState;
use actix_web::{put, web, HttpResponse};
use domain::issue::report::PlaceAddress;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutPlace {
    /// The point (WGS-84); leave out for the ballot's region as a whole.
    pub location: Option<Location>,
    #[schema(example = "凤山街道新建路 12 号", max_length = 200)]
    pub address: Option<String>,
}

/// Place an elected project (staff over it): a point on the map and an address, or neither for its region as a whole.
/// The console's map and the public page show it; the change is on the project's timeline.
#[utoipa::path(operation_id = "place_project", tag = "projects", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The project")),
    request_body = PutPlace,
    responses((status = 204, description = "Placed")))]
#[put("/projects/{id}/place")]
pub async fn place(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: Json<PutPlace>,
) -> AppResult<HttpResponse> {
    let body = body.0;
    let point = body.location.map(Location::parse).transpose()?;
    let address = body
        .address
        .as_deref()
        .map(|a| PlaceAddress::parse(a).map_err(|e| e.at("address")))
        .transpose()?;
    app::projects::place::set(&state, auth.caller(), *id, point, address).await?;
    Ok(HttpResponse::NoContent().finish())
}
