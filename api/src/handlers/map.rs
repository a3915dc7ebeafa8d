//! What a map in a client draws on: the deployment's tile server, if it names one.

use crate::state::AppState;
use actix_web::{get, web};
use serde::Serialize;
use utoipa::ToSchema;

/// The tile server maps load from. Without one (`tiles` null) a client draws points on a plain background: a
/// government intranet may have no tile server at all, and nothing is ever loaded from a host the deployment did
/// not name.
#[derive(Debug, Serialize, ToSchema)]
pub struct MapSettings {
    pub tiles: Option<Tiles>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Tiles {
    /// An XYZ template: `{z}`, `{x}`, `{y}`, and `{s}` for one of `subdomains`.
    #[schema(example = "https://t{s}.tianditu.gov.cn/DataServer?T=vec_w&x={x}&y={y}&l={z}&tk=…")]
    pub template: String,
    pub subdomains: Vec<String>,
    /// What the map must credit.
    pub attribution: Option<String>,
}

/// The tile server maps load from (no sign-in needed).
#[utoipa::path(tag = "operations", responses((status = 200, body = MapSettings)))]
#[get("/map")]
pub async fn settings(state: web::Data<AppState>) -> web::Json<MapSettings> {
    web::Json(MapSettings {
        tiles: state.config.map_tiles.as_ref().map(|t| Tiles {
            template: t.template.clone(),
            subdomains: t.subdomains.clone(),
            attribution: t.attribution.clone(),
        }),
    })
}
