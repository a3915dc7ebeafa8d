//! The console (`clients/console`, built by Vite into `dist/`) at `/console/`, with `/` leading there.
//!
//! Its pages run only the scripts they came with: the Content-Security-Policy allows no inline script, no other
//! host's script, style or font, and connections only back to this service. Images may also come from the tile
//! server the deployment names (`MINSHENG_MAP_TILES`), and from `blob:` URLs the console makes of photos it fetched
//! with its token.

use crate::error::{ApiError, ErrorCode};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{from_fn, Next};
use actix_web::{web, HttpResponse, ResponseError};
use infra::config::Config;
use std::path::Path;

pub const PATH: &str = "/console";

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

/// `/`, `/console` and `/console/…`. The security headers, the policy above among them, are set for every answer
/// by `headers::secure`; this sets how long a file may be kept.
pub fn configure(cfg: &mut web::ServiceConfig, config: &Config) {
    let mut scope = web::scope(PATH).wrap(from_fn(with_caching));
    // Without a built console (an API-only deployment, or a checkout before its first build) every page says so.
    scope = if config.console_dir.is_dir() {
        let folder = config
            .console_dir
            .canonicalize()
            .unwrap_or_else(|_| config.console_dir.clone());
        scope.service(
            actix_files::Files::new("", config.console_dir.clone())
                .index_file("index.html")
                .prefer_utf8(true)
                // A link in the folder must not lead outside it: only files whose real path lies inside are served.
                .path_filter(move |path, _| inside(&folder, path))
                .default_handler(web::to(not_built)),
        )
    } else {
        scope.default_service(web::to(not_built))
    };
    cfg.service(web::redirect("/", "/console/"))
        .service(web::redirect(PATH, "/console/"))
        .service(scope);
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
    let immutable = req.path().starts_with("/console/assets/");
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

async fn not_built() -> HttpResponse {
    ApiError::new(
        ErrorCode::NotFound,
        "no such console file; when the console is not built at all, run scripts/run (or `npm run build` in \
         clients/console) or point MINSHENG_CONSOLE_DIR at its dist folder",
    )
    .error_response()
}
