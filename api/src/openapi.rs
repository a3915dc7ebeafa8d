//! The OpenAPI document: metadata here, paths from `routes::configure`.

use crate::error::{FieldError, Problem};
use actix_web::App;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "minsheng 民声",
        // Pinned so that releases do not churn the published document; raise it when the contract changes.
        version = "0.1.0",
        description = "Citizens and people's deputies report local problems; staff route them to agencies; deadlines are \
supervised; reporters rate the result (报、议、督、评).\n\nErrors are RFC 9457 `application/problem+json` documents with a \
stable `code`. Lists take `limit` (1–100) and an opaque `cursor`, and answer `{items, next_cursor}`. Times are RFC 3339.",
        license(name = "Apache-2.0"),
    ),
    modifiers(&BearerAuth),
    components(schemas(Problem, FieldError)),
    tags(
        (name = "operations", description = "Health, readiness, metrics"),
        (name = "auth", description = "Sign-in (WeChat for citizens, password for everyone else), refresh, sign-out. \
Access tokens are short-lived JWTs; refresh tokens are opaque, work once, and a reused one ends its session."),
        (name = "me", description = "The caller's own account: profile, export of everything held, erasure"),
        (name = "scenes", description = "What a scanned QR code leads to; no sign-in needed"),
        (name = "deputies", description = "Deputies as people reach them"),
        (name = "regions", description = "The region tree"),
        (name = "categories", description = "Issue categories"),
        (name = "stations", description = "Deputy liaison stations"),
        (name = "agencies", description = "Agencies that handle issues"),
        (name = "users", description = "Accounts"),
        (name = "photos", description = "Photos for reports: uploaded first, re-encoded without metadata"),
        (name = "issues", description = "报: reports, lists, the detail with `allowed_actions`, the hash-chained timeline, \
duplicate hints and the inbox"),
        (name = "issue commands", description = "议 转办 办理 评: every step of the loop. A command in the wrong state \
answers 409 `wrong_state` with the issue's `state` and the caller's `allowed_actions`."),
        (name = "routing", description = "Routing rules (category × region → agencies) and deadline policies"),
        (name = "supervision", description = "督: the working-day calendar and open deadlines with their three-colour \
warning (green on track, yellow close, red overdue). Supervision commands (urge, key supervision, site visits, \
follow-ups) are issue commands."),
        (name = "statistics", description = "评: figures for a region and period (reply, solve, on-time and \
satisfaction rates, each defined in `/api/v1/stats/overview`), breakdowns, trends, hot spots and 民情专报 bulletins"),
        (name = "public", description = "结果网上评: the public results, readable without signing in; reporters, \
phones, exact places and internal comments are never included"),
        (name = "notifications", description = "In-app notifications, citizens' WeChat subscriptions, agency \
webhooks (signed: `X-Minsheng-Signature: sha256=HMAC(secret, timestamp + \".\" + body)`) and the delivery queue's \
dead letters"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The whole document, as `/api-docs/openapi.json` serves it.
#[must_use]
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::routes::configure)
        .split_for_parts();
    api
}

/// The document as the checked-in `openapi/openapi.json` holds it: pretty JSON with a final newline.
///
/// # Errors
/// Only if serialisation fails.
pub fn document_json() -> anyhow::Result<String> {
    Ok(format!("{}\n", serde_json::to_string_pretty(&document())?))
}
