pub mod password;

use crate::handlers::users::User;
use serde::Serialize;
use utoipa::ToSchema;

/// What a sign-in answers, shaped like an OAuth 2 token response.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
    pub user: User,
}
