//! The client's address, for per-address limits.

use actix_web::HttpRequest;

/// The address the request came from: the TCP peer, or — when the service is told it sits behind a proxy that appends
/// to `X-Forwarded-For` — the last address there (the one the proxy saw; earlier entries are the client's word).
#[must_use]
pub fn client_ip(req: &HttpRequest, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for {
        let forwarded = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| v.parse::<std::net::IpAddr>().is_ok());
        if let Some(ip) = forwarded {
            return ip.to_owned();
        }
    }
    req.peer_addr()
        .map_or_else(|| "unknown".to_owned(), |a| a.ip().to_string())
}
