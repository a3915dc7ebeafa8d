//! The OpenAPI document: metadata here, paths from `routes::configure`.

use crate::app::error::FieldError;
use crate::problem::Problem;
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
    components(schemas(Problem, FieldError, crate::handlers::qrcode::Png)),
    tags(
        (name = "operations", description = "Health, readiness, metrics"),
        (name = "auth", description = "Sign-in (WeChat for citizens, password for everyone else), refresh, sign-out. \
Access tokens are short-lived JWTs; refresh tokens are opaque, work once, and a reused one ends its session."),
        (name = "me", description = "The caller's own account: profile, export of everything held, erasure"),
        (name = "scenes", description = "What a scanned QR code leads to; no sign-in needed"),
        (name = "deputies", description = "Deputies as people reach them: their QR codes, and the voters who follow \
them (每名代表联系选民) — citizens follow a deputy, the deputy sees their voters' open issues first in the inbox and \
writes to them through notifications"),
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
        (name = "exports", description = "The lists clerks work from as Excel sheets, with the lists' own filters and masking"),
        (name = "templates", description = "知识库: reply, decline and comment templates per region, agency and category, filled in for an issue"),
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
        (name = "ballots", description = "民生实事项目代表票决制: ballots of candidate livelihood projects. A deputy on \
the roster checks in with a blinded voting token (RFC 9474 blind RSA, RSABSSA-SHA384-PSS-Deterministic, with the \
ballot's `public_key`), unblinds the signature, and casts the paper without signing in; the receipt shows the paper \
was counted. Closing tallies once and publishes the results; the elected projects' milestones become deadlines."),
        (name = "proposals", description = "点单: rounds of proposals for a year's livelihood projects (征集) that staff \
open in their region; citizens and deputies propose and support (附议) while a round is open; anyone reads the rounds \
and what they gathered, proposers never named; staff fold duplicates together (their backers follow) or say why one \
is not taken, and the proposer is told."),
        (name = "projects", description = "码上监督: elected livelihood projects under supervision. Milestones are \
deadlines with the three-colour warning; the responsible agency's handlers report progress with photos (a report may \
complete a milestone); deputies and staff record inspections; projects rank by progress (动态排序: share of \
milestones done, then fewer overdue, then percent reported). Each has a QR code leading to its public page, where \
citizens comment and rate it 1–5 stars (星级评价)."),
        (name = "performance", description = "代表履职考核: a deputy's performance (points, 记工分) under the region's \
scheme — aspects of items, each counted from what the platform recorded (issues reported, issues supervised to \
closure, reception days, suggestions converted, ballots taken part in, ratings received, project inspections) or \
entered by staff with its source, 100 points in all (default: 3 aspects, 11 items); 三维联评 combines the \
self-review, the voters' ratings and the group assessment with the scheme's weights; a yearly ranking for staff."),
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
        // /metrics: the operator's MINSHENG_METRICS_TOKEN, when one is set.
        components.add_security_scheme(
            "metrics",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The whole document, as `/api-docs/openapi.json` serves it.
#[must_use]
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::routes::configure)
        .split_for_parts();
    complete(&mut api);
    api
}

/// Adds to every operation the problem answers the framework gives whatever the handler does, where the handler's
/// annotation does not name them already: 400 for a malformed query, path or body; 401 and 403 where a token is
/// needed; 404 for a path naming something, and for a signed-in list filtered by region, agency or station; 409 and
/// 422 from `Idempotency-Key`; 413 and 415 for bodies; 422 for a rule a body or query breaks; 429 for a write past the account's limit; 503 when
/// PostgreSQL is unavailable. Generated clients then know every status they can meet.
pub fn complete(api: &mut utoipa::openapi::OpenApi) {
    answer_every_problem(api);
    unique_operation_ids(api);
    pages_name_their_items(api);
}

/// utoipa inlines a generic's type parameter (juhaku/utoipa#1586): `Page_Station.items` would repeat the whole
/// `Station` schema, and a generated client would see an anonymous item type that screens must cast. Each
/// `Page_X` whose `X` is a component refers to it instead.
fn pages_name_their_items(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::schema::{ArrayItems, Schema};
    use utoipa::openapi::{Ref, RefOr};
    let Some(components) = api.components.as_mut() else {
        return;
    };
    let named: std::collections::BTreeSet<String> = components.schemas.keys().cloned().collect();
    for (name, schema) in &mut components.schemas {
        let Some(item) = name.strip_prefix("Page_").filter(|item| named.contains(*item)) else {
            continue;
        };
        let RefOr::T(Schema::Object(page)) = schema else {
            continue;
        };
        if let Some(RefOr::T(Schema::Array(items))) = page.properties.get_mut("items") {
            items.items = ArrayItems::RefOrSchema(Box::new(RefOr::Ref(Ref::from_schema_name(item))));
        }
    }
}

/// Operation ids come from handler names, which repeat across modules (`get`, `list`, `create`): a repeated one
/// is prefixed with its resource, the path's first segment after `/api/v1/` (`stations_get`, `users_list`), or with
/// every named segment where that still repeats (`auth_password_sign_in`, `auth_wechat_sign_in`).
fn unique_operation_ids(api: &mut utoipa::openapi::OpenApi) {
    fn counts<'a>(ids: impl Iterator<Item = &'a String>) -> std::collections::HashMap<&'a String, usize> {
        let mut seen = std::collections::HashMap::new();
        for id in ids {
            *seen.entry(id).or_default() += 1;
        }
        seen
    }
    let mut named: Vec<(String, String, String)> = Vec::new(); // (handler name, resource, all segments)
    for (path, item) in &api.paths.paths {
        let segments: Vec<String> = path
            .trim_start_matches("/api/v1/")
            .split('/')
            .filter(|s| !s.starts_with('{'))
            .map(|s| s.replace('-', "_"))
            .collect();
        for op in operations(item) {
            let id = op.operation_id.clone().unwrap_or_default();
            named.push((id, segments.first().cloned().unwrap_or_default(), segments.join("_")));
        }
    }
    let plain = counts(named.iter().map(|(id, _, _)| id));
    let with_resource: Vec<String> = named
        .iter()
        .map(|(id, resource, _)| {
            if plain[id] > 1 {
                format!("{resource}_{id}")
            } else {
                id.clone()
            }
        })
        .collect();
    let second = counts(with_resource.iter());
    let mut chosen = named
        .iter()
        .zip(&with_resource)
        .map(|((id, _, all), candidate)| {
            if second[candidate] > 1 {
                format!("{all}_{id}")
            } else {
                candidate.clone()
            }
        })
        .collect::<Vec<_>>()
        .into_iter();
    for item in api.paths.paths.values_mut() {
        for op in operations_mut(item) {
            op.operation_id = chosen.next();
        }
    }
}

fn operations(item: &utoipa::openapi::PathItem) -> impl Iterator<Item = &utoipa::openapi::path::Operation> {
    [&item.get, &item.post, &item.put, &item.patch, &item.delete]
        .into_iter()
        .flatten()
}

fn operations_mut(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        &mut item.get,
        &mut item.post,
        &mut item.put,
        &mut item.patch,
        &mut item.delete,
    ]
    .into_iter()
    .flatten()
}

fn answer_every_problem(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::{HttpMethod, ParameterIn};
    for (path, item) in &mut api.paths.paths {
        let operations = [
            (HttpMethod::Get, &mut item.get),
            (HttpMethod::Post, &mut item.post),
            (HttpMethod::Put, &mut item.put),
            (HttpMethod::Patch, &mut item.patch),
            (HttpMethod::Delete, &mut item.delete),
        ];
        for (method, op) in operations {
            let Some(op) = op.as_mut() else { continue };
            let params = op.parameters.as_deref().unwrap_or_default();
            let has_query = params.iter().any(|p| p.parameter_in == ParameterIn::Query);
            let has_path = path.contains('{');
            // A signed-in list's filter outside the caller's reach is a 404 (`app::reach::filters_in_reach`).
            let filters = params.iter().any(|p| {
                p.parameter_in == ParameterIn::Query && matches!(p.name.as_str(), "region" | "agency" | "station")
            });
            let has_body = op.request_body.is_some();
            let signed_in = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let idempotent = crate::idempotency::applies(&http_method(&method), path);
            let limited = signed_in && crate::write_limit::counts(&http_method(&method), path);
            let answers: [(bool, &str, &str); 10] = [
                (
                    has_query || has_path || has_body,
                    "400",
                    "The query, path or body is malformed",
                ),
                (signed_in, "401", "No valid access token"),
                (signed_in, "403", "The caller may not do this"),
                (
                    has_path || (signed_in && filters),
                    "404",
                    "Nothing by that name (or filter) within the caller's reach",
                ),
                (
                    idempotent,
                    "409",
                    "A request with this Idempotency-Key is still being answered",
                ),
                (has_body, "413", "The body is over the size limit"),
                (has_body, "415", "The body is not of the type this operation takes"),
                (
                    has_body || has_query || idempotent,
                    "422",
                    "The request breaks a rule; `errors` names the fields",
                ),
                (
                    limited,
                    "429",
                    "Too many changes from this account; retry after `Retry-After` seconds",
                ),
                (
                    path.starts_with("/api/"),
                    "503",
                    "PostgreSQL is unavailable; retry after `Retry-After` seconds",
                ),
            ];
            if idempotent {
                op.parameters.get_or_insert_with(Vec::new).push(idempotency_header());
            }
            for (applies, status, description) in answers {
                if applies && !op.responses.responses.contains_key(status) {
                    op.responses
                        .responses
                        .insert(status.to_owned(), problem_response(description).into());
                }
            }
        }
    }
}

fn http_method(method: &utoipa::openapi::path::HttpMethod) -> actix_web::http::Method {
    use actix_web::http::Method;
    use utoipa::openapi::path::HttpMethod;
    match method {
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Delete => Method::DELETE,
        _ => Method::GET,
    }
}

fn idempotency_header() -> utoipa::openapi::path::Parameter {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::{ObjectBuilder, Required, Type};
    ParameterBuilder::new()
        .name(domain::idempotency::IdempotencyKey::HEADER)
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(crate::idempotency::HEADER_DESCRIPTION))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(255)),
        ))
        .build()
}

fn problem_response(description: &str) -> utoipa::openapi::Response {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
}

/// The document as the checked-in `openapi/openapi.json` holds it: pretty JSON with a final newline.
///
/// # Errors
/// Only if serialisation fails.
pub fn document_json() -> anyhow::Result<String> {
    Ok(format!("{}\n", serde_json::to_string_pretty(&document())?))
}
