//! What a use case answers when it does not do what it was asked: the app's own error, with a stable code, the field
//! at fault and what went wrong inside. It knows nothing of HTTP: `crate::problem`, at the edge, makes each one an
//! RFC 9457 `application/problem+json` answer (`ErrorCode::status` is the number it answers with).
//!
//! Clients switch on `code`; `detail` is for people; `field` names the input at fault. Unexpected failures become an
//! opaque 500 whose cause chain goes to the log, never to the client.

use domain::{Denied, Invalid};
use infra::db::DbError;
use serde::Serialize;
use std::fmt;
use utoipa::ToSchema;

/// Every failure the API can answer with. The string form is the stable `code`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidJson,
    InvalidBody,
    InvalidQuery,
    InvalidPath,
    InvalidHeader,
    ValidationFailed,
    IdempotencyKeyReused,
    Unauthenticated,
    InvalidToken,
    InvalidCredentials,
    AccountDisabled,
    InvalidRefreshToken,
    RefreshTokenReused,
    InvalidLoginCode,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    AlreadyExists,
    Conflict,
    RequestInProgress,
    PayloadTooLarge,
    UnsupportedMediaType,
    RateLimited,
    ServiceUnavailable,
    WeChatNotConfigured,
    WeChatUnavailable,
    WeChatRefused,
    WeChatUserRisky,
    SmsNotConfigured,
    WrongState,
    ContentRisky,
    DailyLimitReached,
    InternalError,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 33] = [
        ErrorCode::InvalidJson,
        ErrorCode::InvalidBody,
        ErrorCode::InvalidQuery,
        ErrorCode::InvalidPath,
        ErrorCode::InvalidHeader,
        ErrorCode::ValidationFailed,
        ErrorCode::IdempotencyKeyReused,
        ErrorCode::Unauthenticated,
        ErrorCode::InvalidToken,
        ErrorCode::InvalidCredentials,
        ErrorCode::AccountDisabled,
        ErrorCode::InvalidRefreshToken,
        ErrorCode::RefreshTokenReused,
        ErrorCode::InvalidLoginCode,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::AlreadyExists,
        ErrorCode::Conflict,
        ErrorCode::RequestInProgress,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::RateLimited,
        ErrorCode::ServiceUnavailable,
        ErrorCode::WeChatNotConfigured,
        ErrorCode::WeChatUnavailable,
        ErrorCode::WeChatRefused,
        ErrorCode::WeChatUserRisky,
        ErrorCode::SmsNotConfigured,
        ErrorCode::WrongState,
        ErrorCode::ContentRisky,
        ErrorCode::DailyLimitReached,
        ErrorCode::InternalError,
    ];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::InvalidBody => "invalid_body",
            ErrorCode::InvalidQuery => "invalid_query",
            ErrorCode::InvalidPath => "invalid_path",
            ErrorCode::InvalidHeader => "invalid_header",
            ErrorCode::IdempotencyKeyReused => "idempotency_key_reused",
            ErrorCode::RequestInProgress => "request_in_progress",
            ErrorCode::ValidationFailed => "validation_failed",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::AccountDisabled => "account_disabled",
            ErrorCode::InvalidRefreshToken => "invalid_refresh_token",
            ErrorCode::RefreshTokenReused => "refresh_token_reused",
            ErrorCode::InvalidLoginCode => "invalid_login_code",
            ErrorCode::WeChatNotConfigured => "wechat_not_configured",
            ErrorCode::WeChatUnavailable => "wechat_unavailable",
            ErrorCode::WeChatRefused => "wechat_refused",
            ErrorCode::WeChatUserRisky => "wechat_user_risky",
            ErrorCode::SmsNotConfigured => "sms_not_configured",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::NotFound => "not_found",
            ErrorCode::MethodNotAllowed => "method_not_allowed",
            ErrorCode::AlreadyExists => "already_exists",
            ErrorCode::Conflict => "conflict",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::ServiceUnavailable => "service_unavailable",
            ErrorCode::WrongState => "wrong_state",
            ErrorCode::ContentRisky => "content_risky",
            ErrorCode::DailyLimitReached => "daily_limit_reached",
            ErrorCode::InternalError => "internal_error",
        }
    }

    #[must_use]
    /// The HTTP status it answers with, at the edge.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::InvalidJson
            | ErrorCode::InvalidBody
            | ErrorCode::InvalidQuery
            | ErrorCode::InvalidPath
            | ErrorCode::InvalidHeader => 400,
            ErrorCode::ValidationFailed | ErrorCode::IdempotencyKeyReused | ErrorCode::ContentRisky => 422,
            ErrorCode::Unauthenticated
            | ErrorCode::InvalidToken
            | ErrorCode::InvalidCredentials
            | ErrorCode::AccountDisabled
            | ErrorCode::InvalidRefreshToken
            | ErrorCode::RefreshTokenReused
            | ErrorCode::InvalidLoginCode => 401,
            ErrorCode::Forbidden | ErrorCode::WeChatUserRisky => 403,
            ErrorCode::NotFound => 404,
            ErrorCode::MethodNotAllowed => 405,
            ErrorCode::AlreadyExists | ErrorCode::Conflict | ErrorCode::RequestInProgress | ErrorCode::WrongState => {
                409
            }
            ErrorCode::PayloadTooLarge => 413,
            ErrorCode::UnsupportedMediaType => 415,
            ErrorCode::RateLimited | ErrorCode::DailyLimitReached => 429,
            ErrorCode::ServiceUnavailable
            | ErrorCode::WeChatNotConfigured
            | ErrorCode::WeChatUnavailable
            | ErrorCode::SmsNotConfigured => 503,
            ErrorCode::WeChatRefused => 502,
            ErrorCode::InternalError => 500,
        }
    }

    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "The body is not valid JSON",
            ErrorCode::InvalidBody => "The body does not have the expected shape",
            ErrorCode::InvalidQuery => "The query string does not have the expected shape",
            ErrorCode::InvalidPath => "The path does not have the expected shape",
            ErrorCode::InvalidHeader => "A header does not have the expected shape",
            ErrorCode::IdempotencyKeyReused => "The Idempotency-Key was used for another request",
            ErrorCode::RequestInProgress => "The first request with this key is still being answered",
            ErrorCode::ValidationFailed => "A value breaks a rule",
            ErrorCode::Unauthenticated => "Sign-in required",
            ErrorCode::InvalidToken => "The access token is invalid or expired",
            ErrorCode::InvalidCredentials => "Phone or password is wrong",
            ErrorCode::AccountDisabled => "The account is disabled",
            ErrorCode::InvalidRefreshToken => "The refresh token is invalid, expired or revoked",
            ErrorCode::RefreshTokenReused => "The refresh token was used before; its session is revoked",
            ErrorCode::InvalidLoginCode => "WeChat refused the login code",
            ErrorCode::WeChatNotConfigured => "WeChat is not configured on this server",
            ErrorCode::WeChatUnavailable => "WeChat is not answering",
            ErrorCode::WeChatRefused => "WeChat refused the request",
            ErrorCode::WeChatUserRisky => "WeChat holds this user to be at risk",
            ErrorCode::SmsNotConfigured => "Text messages are not configured",
            ErrorCode::Forbidden => "Not allowed",
            ErrorCode::NotFound => "Not found",
            ErrorCode::MethodNotAllowed => "Method not allowed",
            ErrorCode::AlreadyExists => "Already exists",
            ErrorCode::Conflict => "Conflicts with the current state",
            ErrorCode::PayloadTooLarge => "The body is too large",
            ErrorCode::UnsupportedMediaType => "Unsupported media type",
            ErrorCode::RateLimited => "Too many requests",
            ErrorCode::ServiceUnavailable => "Temporarily unavailable",
            ErrorCode::WrongState => "The issue is not in a state where this can be done",
            ErrorCode::ContentRisky => "The text was refused by the content check",
            ErrorCode::DailyLimitReached => "The daily limit is reached",
            ErrorCode::InternalError => "Internal error",
        }
    }

    /// The problem `type` URI; stable across deployments.
    #[must_use]
    pub fn type_uri(self) -> String {
        format!("urn:minsheng:problem:{}", self.as_str())
    }
}

/// One complaint about one field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldError {
    /// The field, as the client named it (`location.latitude`, `station_ids[1]`).
    pub field: String,
    /// A stable rule code (`too_long`, `required`, `outside_china`).
    pub code: String,
    pub message: String,
}

/// An error a use case (or a handler) returns; `crate::problem` makes it a problem document.
pub struct AppError {
    pub code: ErrorCode,
    pub detail: String,
    pub field: Option<String>,
    pub errors: Vec<FieldError>,
    pub retry_after: Option<u64>,
    /// For `wrong_state`: the state and the actions allowed in it.
    pub state: Option<Box<(String, Vec<String>)>>,
    /// What went wrong inside, for the log only.
    pub source: Option<anyhow::Error>,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    #[must_use]
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self {
            code,
            detail: detail.into(),
            field: None,
            errors: Vec::new(),
            retry_after: None,
            state: None,
            source: None,
        }
    }

    #[must_use]
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    #[must_use]
    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("no such {what}"))
    }

    /// The account is disabled (or erased): refused at sign-in, refresh and on every request.
    #[must_use]
    pub fn account_disabled() -> Self {
        Self::new(ErrorCode::AccountDisabled, "this account has been disabled")
    }

    #[must_use]
    pub fn internal(source: impl Into<anyhow::Error>) -> Self {
        let mut e = Self::new(
            ErrorCode::InternalError,
            "something went wrong on our side; it has been logged",
        );
        e.source = Some(source.into());
        e
    }

    #[must_use]
    pub fn unavailable(what: &str, source: Option<anyhow::Error>) -> Self {
        let mut e = Self::new(
            ErrorCode::ServiceUnavailable,
            format!("{what} is not answering; try again shortly"),
        );
        e.retry_after = Some(2);
        e.source = source;
        e
    }

    /// A broken rule (422 `validation_failed`) at `field`, with its own `code` in `errors[]`.
    #[must_use]
    pub fn rule(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        Invalid::new(field, code, message).into()
    }
}

/// Writes the cause chain, so the log shows every layer of what failed.
impl fmt::Debug for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.detail)?;
        if let Some(source) = &self.source {
            write!(f, "\ncaused by: {source:?}")?;
        }
        Ok(())
    }
}

impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.detail)
    }
}

impl From<Invalid> for AppError {
    fn from(e: Invalid) -> Self {
        let mut err = AppError::new(ErrorCode::ValidationFailed, format!("{}: {}", e.field, e.message));
        err.field = Some(e.field.clone());
        err.errors = vec![FieldError {
            field: e.field,
            code: e.code.to_owned(),
            message: e.message,
        }];
        err
    }
}

impl From<Denied> for AppError {
    fn from(d: Denied) -> Self {
        match d {
            Denied::Hidden => AppError::new(ErrorCode::NotFound, "not found"),
            Denied::Forbidden(why) => AppError::new(ErrorCode::Forbidden, why),
        }
    }
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Unavailable(why) => AppError::unavailable("the database", Some(anyhow::anyhow!(why))),
            DbError::Duplicate(constraint) => {
                let (field, what) = duplicate_field(&constraint);
                AppError::new(ErrorCode::AlreadyExists, format!("{what} already exists")).with_field(field)
            }
            DbError::MissingReference(constraint) => AppError::new(
                ErrorCode::ValidationFailed,
                format!("a referenced record does not exist ({constraint})"),
            ),
            DbError::Query(e) => AppError::internal(e),
        }
    }
}

impl From<infra::wechat::WeChatError> for AppError {
    fn from(e: infra::wechat::WeChatError) -> Self {
        use infra::wechat::WeChatError as W;
        let mut err = match &e {
            W::InvalidCode { errcode: 40163 } => AppError::new(
                ErrorCode::InvalidLoginCode,
                "this login code was used already; call wx.login() again for a new one",
            )
            .with_field("code"),
            W::InvalidCode { .. } => AppError::new(
                ErrorCode::InvalidLoginCode,
                "WeChat does not recognise this login code; call wx.login() again for a new one",
            )
            .with_field("code"),
            W::RateLimited { .. } => {
                let mut err = AppError::new(
                    ErrorCode::RateLimited,
                    "WeChat is limiting our requests; try again shortly",
                );
                err.retry_after = Some(60);
                err
            }
            W::Busy | W::Unreachable(_) => {
                let mut err = AppError::new(
                    ErrorCode::WeChatUnavailable,
                    "WeChat is not answering; try again shortly",
                );
                err.retry_after = Some(5);
                err
            }
            W::RiskyUser => AppError::new(
                ErrorCode::WeChatUserRisky,
                "WeChat holds this WeChat account to be at high risk and refuses it sign-in to mini-programs \
                 (errcode 40226); the person can appeal to WeChat",
            ),
            W::Refused { .. } => AppError::new(
                ErrorCode::WeChatRefused,
                "WeChat refused the request; the service's WeChat settings need attention",
            ),
        };
        // What WeChat said goes to the log (errcode and errmsg hold no personal data), not to the client.
        tracing::warn!(error = %e, "WeChat call failed");
        err.source = Some(e.into());
        err
    }
}

/// Lets a command run its queries in one transaction whose closure answers `AppResult`.
impl From<infra::db::QueryError> for AppError {
    fn from(e: infra::db::QueryError) -> Self {
        AppError::from(DbError::from(e))
    }
}

/// Names the field behind a unique constraint, so a 409 says what to change.
fn duplicate_field(constraint: &str) -> (&'static str, &'static str) {
    match constraint {
        "regions_pkey" => ("code", "a region with this code"),
        "categories_pkey" => ("code", "a category with this code"),
        "stations_region_code_name_key" => ("name", "a station with this name in this region"),
        "agencies_region_code_name_key" => ("name", "an agency with this name in this region"),
        "regions_name_key" => ("name", "a region with this name beside it"),
        "categories_name_key" => ("name", "a category with this name beside it"),
        "users_phone_key" => ("phone", "an account with this phone"),
        _ => ("", "a record with these values"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_each_has_a_4xx_or_5xx_status() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.as_str()), "duplicate code {}", code.as_str());
            assert!(code.as_str().bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
            assert!((400..600).contains(&code.status()));
        }
    }
}
