//! `GET /scenes/{scene}/wechat-link`: a way into the mini-program for someone who scanned a plain QR code with a
//! phone camera, or opened the scene's page in a browser.

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Duration, Utc};
use domain::identity::Scene;
use infra::wechat::OpenLinks;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How long WeChat is asked to keep a link (its most), and how long before its end a cached one is made anew.
const LINK_DAYS: u32 = 30;
const RENEW_BEFORE: Duration = Duration::days(1);

/// Ways into the mini-program at this scene from outside WeChat.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WeChatLink {
    /// A URL Link (`https://wxaurl.cn/…`): opens the mini-program from any phone browser, through WeChat's own page.
    #[schema(example = "https://wxaurl.cn/Kt9Dhx3mTqb")]
    pub url_link: String,
    /// A URL Scheme (`weixin://dl/business/?t=…`): a phone browser hands it to the WeChat app directly.
    #[schema(example = "weixin://dl/business/?t=XTSkBZlzqmn")]
    pub scheme: String,
    /// Both stop working then; ask again after it for new ones.
    pub expires_at: DateTime<Utc>,
}

/// Ways into the mini-program at this scene (no sign-in needed): a URL Link and a URL Scheme that open the page the
/// QR codes open, with this scene. WeChat makes them (`/wxa/generate_urllink`, `/wxa/generatescheme`) for 30 days;
/// every instance shares them through Redis until a day before they end. Without WeChat settings the answer is a 503
/// `wechat_not_configured`: the page then tells the person to scan the code with WeChat.
#[utoipa::path(
    tag = "scenes",
    params(("scene" = String, Path, description = "The scene a QR code carries", example = "k7mq2xw9adf3hn4rtp8e")),
    responses(
        (status = 200, body = WeChatLink),
        (status = 404, description = "No such scene", body = crate::problem::Problem, content_type = "application/problem+json"),
        (status = 503, description = "WeChat is not configured or not answering", body = crate::problem::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/scenes/{scene}/wechat-link")]
pub async fn wechat_link(state: web::Data<AppState>, scene: web::Path<String>) -> AppResult<HttpResponse> {
    let scene = Scene::parse(&scene).map_err(|_| AppError::not_found("scene"))?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    super::live(&mut conn, &scene)
        .await?
        .ok_or_else(|| AppError::not_found("scene"))?;
    drop(conn);
    let wechat = state.wechat.as_ref().ok_or_else(|| {
        AppError::new(
            ErrorCode::WeChatNotConfigured,
            "this server has no WeChat mini-program configured; scan the QR code with WeChat to open it",
        )
    })?;
    let key = format!("wechat-link:{}", scene.as_str());
    // WeChat's links end by WeChat's clock: the wall clock, not the service's business clock.
    let now = Utc::now();
    let cached = state
        .redis
        .get_with_ttl(&key)
        .await
        .ok()
        .flatten()
        .and_then(|(json, _)| serde_json::from_str::<WeChatLink>(&json).ok())
        .filter(|link| link.expires_at - RENEW_BEFORE > now);
    let link = match cached {
        Some(link) => link,
        None => {
            let OpenLinks { url_link, scheme } = wechat.open_links(scene.as_str(), LINK_DAYS).await?;
            let link = WeChatLink {
                url_link,
                scheme,
                expires_at: now + Duration::days(i64::from(LINK_DAYS)),
            };
            let keep = u64::try_from((link.expires_at - RENEW_BEFORE - now).num_seconds()).unwrap_or(0);
            match serde_json::to_string(&link) {
                Ok(json) => {
                    if let Err(why) = state.redis.set_ex(&key, &json, keep).await {
                        tracing::warn!(%why, "could not cache the WeChat links; the next visitor asks WeChat again");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "could not cache the WeChat links"),
            }
            link
        }
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .json(link))
}
