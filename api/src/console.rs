//! The web apps this binary serves: the console (`clients/console`, built by Vite into `dist/`) at `/console/`, with
//! `/` leading there; and the citizens' phone pages (`clients/citizen`, uni-app's H5 build) at `/m/`, with
//! `/s/{scene}` — what a station's, a deputy's or a project's plain QR code holds — leading to the scene's page.
//!
//! Their pages run only the scripts they came with: the Content-Security-Policy allows no inline script, no other
//! host's script, style or font, and connections only back to this service. Images may also come from the tile
//! server the deployment names (`MINSHENG_MAP_TILES`), and from `blob:` URLs the apps make of photos they fetched
//! with their token.

use crate::app::error::{AppError, ErrorCode};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, HttpResponse, ResponseError};
use infra::config::Config;
use std::path::Path;

pub const PATH: &str = "/console";
/// Where the citizens' phone pages are.
pub const CITIZEN_PATH: &str = "/m";
/// Where a plain QR code's scene leads.
pub const SCENE_PATH: &str = "/s";

/// Does `path` answer with one of the web apps' pages (and so with their policy)?
#[must_use]
pub fn is_app_page(path: &str) -> bool {
    path == "/"
        || [PATH, CITIZEN_PATH]
            .iter()
            .any(|app| path == *app || path.strip_prefix(app).is_some_and(|rest| rest.starts_with('/')))
}

/// The policy for the console's pages, with the tile server's origins when there is one.
#[must_use]
pub fn content_security_policy(config: &Config) -> String {
    let mut images = vec!["'self'", "blob:", "data:"];
    if let Some(tiles) = &config.map_tiles {
        images.extend(tiles.origins.iter().map(String::as_str));
    }
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src {}; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        images.join(" ")
    )
}

/// `/`, `/console` and `/console/…`; `/m`, `/m/…` and `/s/{scene}`. The security headers, the policy above among
/// them, are set for every answer by `headers::secure`; this sets how long a file may be kept, and compresses it.
pub fn configure(cfg: &mut web::ServiceConfig, config: &Config) {
    cfg.service(web::redirect("/", "/console/"))
        .service(web::redirect(PATH, "/console/"))
        .service(app(PATH, &config.console_dir, console_not_built))
        .service(web::redirect(CITIZEN_PATH, "/m/"))
        .service(app(CITIZEN_PATH, &config.citizen_dir, citizen_not_built))
        .service(web::resource("/s/{scene}").route(web::get().to(scene)));
}

/// One app's files under `path`, from `dir`; without a built app (an API-only deployment, or a checkout before its
/// first build) every page answers `not_built`.
fn app<F, R>(
    path: &str,
    dir: &Path,
    not_built: F,
) -> actix_web::Scope<
    impl actix_web::dev::ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
>
where
    F: actix_web::Handler<(), Output = R> + Clone + 'static,
    R: actix_web::Responder + 'static,
{
    // Compressed when the browser takes it (gzip): the scripts are text, several times smaller on the wire.
    let scope = web::scope(path)
        .wrap(from_fn(with_caching))
        .wrap(actix_web::middleware::Compress::default());
    if dir.is_dir() {
        let folder = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        scope.service(
            actix_files::Files::new("", dir)
                .index_file("index.html")
                .prefer_utf8(true)
                // A link in the folder must not lead outside it: only files whose real path lies inside are served.
                .path_filter(move |path, _| inside(&folder, path))
                .default_handler(web::to(not_built)),
        )
    } else {
        scope.default_service(web::to(not_built))
    }
}

/// `/s/{scene}`: the scene's page in the phone pages (hash routes: they work in every phone browser and in
/// WeChat's, with no server route per page). A scene that cannot be one answers 404 here rather than there.
async fn scene(path: web::Path<String>) -> HttpResponse {
    match domain::identity::Scene::parse(&path) {
        Ok(scene) => HttpResponse::Found()
            .insert_header((
                header::LOCATION,
                format!("{CITIZEN_PATH}/#/pages/scene/index?scene={}", scene.as_str()),
            ))
            .finish(),
        Err(_) => AppError::new(ErrorCode::NotFound, "no such scene: scan the code again").error_response(),
    }
}

/// Whether `path` (relative to the folder, as the request named it) is, with every link followed, inside `folder`.
/// A file that does not exist is left to the static-file service, which answers it with the not-built page.
fn inside(folder: &Path, path: &Path) -> bool {
    match folder.join(path).canonicalize() {
        Ok(real) => real.starts_with(folder),
        Err(_) => true,
    }
}

async fn with_caching(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // Vite names every asset by its content's hash: an asset never changes, the page that names them always may.
    let immutable = req.path().starts_with("/console/assets/") || req.path().starts_with("/m/assets/");
    let mut res = next.call(req).await?.map_into_boxed_body();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        }),
    );
    Ok(res)
}

async fn console_not_built() -> HttpResponse {
    AppError::new(
        ErrorCode::NotFound,
        "no such console file; when the console is not built at all, run scripts/run (or `npm run build` in \
         clients/console) or point MINSHENG_CONSOLE_DIR at its dist folder",
    )
    .error_response()
}

async fn citizen_not_built() -> HttpResponse {
    AppError::new(
        ErrorCode::NotFound,
        "no such page; when the citizens' pages are not built at all, run scripts/run (or `npm run build:h5` in \
         clients/citizen) or point MINSHENG_CITIZEN_DIR at its dist/build/h5 folder",
    )
    .error_response()
}
