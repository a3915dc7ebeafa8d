//! The security headers every answer carries, set in one place (`middleware::observe`, the outermost layer) so that
//! no answer goes without them: the API's, the console's and the docs' pages, and the refusals the router or the
//! static-file service make on their own.
//!
//! - `X-Content-Type-Options: nosniff`: a browser never takes a photo or a JSON answer for a page.
//! - A Content-Security-Policy fitting what answers: the console's pages (`console::content_security_policy`), the
//!   docs' (Swagger UI: its own scripts, and the inline styles its components set), and for everything else — JSON,
//!   pictures, CSV — a policy that lets nothing run or load.
//! - No framing anywhere (`frame-ancestors 'none'`, `X-Frame-Options: DENY`), no referrer sent onward.
//! - `Strict-Transport-Security` whenever the service is published over https (`MINSHENG_PUBLIC_URL`).
//! - `Cache-Control: no-store` on every API answer that does not say otherwise: answers carry personal data
//!   (the caller, accounts, issues, the inbox, notifications, bulletins), and no cache between the service and the
//!   person may keep them. The few that may be kept (a scene's public card, a QR picture, a photo in the browser's own
//!   cache) set their own.

use actix_web::body::BoxBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use infra::config::Config;

/// The policy of answers that are not pages: nothing in them may run, load or be framed.
const API_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Swagger UI runs its own scripts only; its components set inline styles, and its icons are `data:` images.
const DOCS_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// A year, with subdomains: once a deployment is on https it stays there.
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Sets the security headers on `res`, by the path it answers.
pub fn secure(res: &mut ServiceResponse<BoxBody>, config: &Config) {
    let path = res.request().path().to_owned();
    let policy = if crate::console::is_app_page(&path) {
        crate::console::content_security_policy(config)
    } else if path == "/docs" || path.starts_with("/docs/") {
        DOCS_POLICY.to_owned()
    } else {
        API_POLICY.to_owned()
    };
    let headers = res.headers_mut();
    let mut set = |name: HeaderName, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    };
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::CONTENT_SECURITY_POLICY, &policy);
    set(header::X_FRAME_OPTIONS, "DENY");
    set(header::REFERRER_POLICY, "no-referrer");
    if config.public_url.starts_with("https://") {
        set(header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    if path.starts_with("/api/") && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}
