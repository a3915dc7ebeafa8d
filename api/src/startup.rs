//! Building and running the HTTP server.

use crate::app::error::{AppError, ErrorCode};
use crate::auth::jwt::Jwt;
use crate::extract::json::BodyLimit;
use crate::extract::params::path_config;
use crate::idempotency::idempotent_creates;
use crate::metrics::Metrics;
use crate::middleware::observe;
use crate::openapi::ApiDoc;
use crate::routes::Routes;
use crate::state::AppState;
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::ResponseError;
use actix_web::{web, App, HttpRequest, HttpServer};
use infra::config::Config;
use std::net::TcpListener;
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

/// The shared state, built from configuration. Connects lazily: a database or Redis that is down at start-up
/// shows in `/readyz`, not as a crash.
///
/// # Errors
/// When a URL cannot be used at all.
pub fn state(config: Config) -> anyhow::Result<AppState> {
    state_with_clock(config, infra::clock::Clock::system())
}

/// The state with a clock of the caller's (tests hold a manual one).
///
/// # Errors
/// As `state`.
pub fn state_with_clock(config: Config, clock: infra::clock::Clock) -> anyhow::Result<AppState> {
    let db = infra::db::pool::build(&config.database_url, config.database_pool_size)?;
    let replica = match &config.database_read {
        Some(read) => Some(Arc::new(infra::db::replica::Replica::new(
            &read.url,
            config.database_pool_size,
            read.max_lag,
        )?)),
        None => None,
    };
    let redis = infra::redis::Redis::new(&config.redis_url, &config.redis_prefix)?;
    let jwt = Jwt::new(&config.jwt_secret, config.access_token_ttl);
    let redis = Arc::new(redis);
    let wechat = match &config.wechat {
        Some(wechat) => Some(Arc::new(infra::wechat::WeChatClient::new(
            wechat,
            &config.wechat_api_base,
            redis.clone(),
        )?)),
        None => None,
    };
    let sms = match &config.sms {
        Some(sms) => Some(Arc::new(infra::sms::Sms::new(sms.clone())?)),
        None => None,
    };
    let store = infra::storage::PhotoStore::from_config(&config.storage)?;
    let webhooks = Arc::new(infra::webhook::Webhooks::new(config.webhook_destinations.clone()));
    Ok(AppState {
        webhooks,
        clock,
        store,
        config: Arc::new(config),
        db,
        replica,
        redis,
        wechat,
        sms,
        jwt: Arc::new(jwt),
        metrics: Arc::new(Metrics::new()?),
        local_counts: Arc::default(),
        reference: Arc::default(),
    })
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Binds the configured address (port 0 picks a free one) and prepares the server.
    ///
    /// # Errors
    /// When the address cannot be bound.
    pub fn build(state: AppState) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(state.config.bind)
            .map_err(|e| anyhow::anyhow!("MINSHENG_BIND: cannot listen on {}: {e}", state.config.bind))?;
        let port = listener.local_addr()?.port();
        let body_limit = state.config.body_limit;
        let workers = state.config.http_workers;
        let data = web::Data::new(state);
        let server = HttpServer::new(move || {
            let (app, mut api) = App::new()
                .into_utoipa_app()
                .openapi(ApiDoc::openapi())
                .app_data(data.clone())
                .app_data(web::Data::new(BodyLimit(body_limit)))
                .app_data(path_config())
                .app_data(web::PayloadConfig::new(body_limit))
                .configure(crate::routes::configure)
                .split_for_parts();
            crate::openapi::complete(&mut api);
            let routes = web::Data::new(Routes::from_openapi(&api));
            let console = data.config.clone();
            app.app_data(routes)
                .configure(|cfg| crate::console::configure(cfg, &console))
                .service(web::redirect("/docs", "/docs/"))
                .service(
                    SwaggerUi::new("/docs/{_:.*}")
                        .url("/api-docs/openapi.json", api)
                        // The default validator badge loads from an outside host; the docs must work offline. A
                        // pasted bearer token lives in the page only: kept in localStorage it would outlive the
                        // visit on a shared office PC and be readable by any script of this origin.
                        .config(
                            SwaggerConfig::default()
                                .validator_url("none")
                                .persist_authorization(false),
                        ),
                )
                .default_service(web::to(no_route))
                .wrap(from_fn(idempotent_creates))
                .wrap(from_fn(crate::write_limit::limit_writes))
                .wrap(from_fn(crate::extract::auth::identify))
                .wrap(from_fn(observe))
        })
        .workers(workers)
        .disable_signals()
        .shutdown_timeout(10)
        .listen(listener)?
        .run();
        Ok(Self { port, server })
    }

    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the server is stopped.
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    #[must_use]
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }
}

/// No route matched. A path that exists with other methods answers 405 and lists them in `Allow`; anything else, 404.
async fn no_route(req: HttpRequest, routes: web::Data<Routes>) -> actix_web::HttpResponse {
    let allowed = routes.methods_for(req.path());
    if allowed.is_empty() {
        return AppError::new(
            ErrorCode::NotFound,
            format!("no route for {} {}", req.method(), req.path()),
        )
        .error_response();
    }
    let mut res = AppError::new(
        ErrorCode::MethodNotAllowed,
        format!(
            "{} is not allowed on {}; use {}",
            req.method(),
            req.path(),
            allowed.join(", ")
        ),
    )
    .error_response();
    if let Ok(v) = actix_web::http::header::HeaderValue::from_str(&allowed.join(", ")) {
        res.headers_mut().insert(actix_web::http::header::ALLOW, v);
    }
    res
}
