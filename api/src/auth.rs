//! Tokens, sessions and the limits on signing in.

pub mod client_ip;
pub mod jwt;
pub mod session;
pub mod sign_in_limit;
