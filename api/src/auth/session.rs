//! Sessions as clients see them: a short-lived JWT access token that names its session, and an opaque refresh token
//! that is used once and replaced. Reusing a spent refresh token revokes the session (the token family).

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;
use chrono::Utc;
use infra::db::sessions::{self, Rotation};
use infra::db::PgConn;
use uuid::Uuid;

/// Refresh tokens start with this, so a leaked one is recognisable to secret scanners.
const REFRESH_PREFIX: &str = "msr_";

/// A new access token and the refresh token that succeeds it.
pub struct Tokens {
    pub access_token: String,
    pub expires_in: u64,
    pub refresh_token: String,
    pub refresh_token_expires_in: u64,
    pub user: Uuid,
}

/// Tokens are secrets: debug output shows none of them.
impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// How a session began.
#[derive(Debug, Clone, Copy)]
pub enum Method {
    Password,
    WeChat,
    /// A code texted to the phone (the phone web pages).
    Sms,
}

impl Method {
    fn as_str(self) -> &'static str {
        match self {
            Method::Password => "password",
            Method::WeChat => "wechat",
            Method::Sms => "sms",
        }
    }
}

/// Starts a session for `user` and hands out its first tokens.
pub async fn start(state: &AppState, conn: &mut PgConn, user: Uuid, role: &str, method: Method) -> AppResult<Tokens> {
    let (refresh_token, hash) = infra::random::token(REFRESH_PREFIX);
    // Sessions live by the wall clock, as the access tokens beside them do (jsonwebtoken checks `exp` against it),
    // not by `state.clock`, the time deadlines are judged by.
    let expires_at = Utc::now() + state.config.refresh_token_ttl;
    let session = sessions::start(conn, user, method.as_str(), &hash, expires_at).await?;
    tokens(state, user, role, session, refresh_token)
}

/// Trades a refresh token for new tokens.
///
/// # Errors
/// `invalid_refresh_token` for an unknown, expired or revoked token; `refresh_token_reused` when it was spent before
/// (the session is revoked now); `account_disabled` when the account was disabled since.
pub async fn refresh(state: &AppState, conn: &mut PgConn, presented: &str) -> AppResult<Tokens> {
    let (next, next_hash) = infra::random::token(REFRESH_PREFIX);
    let now = Utc::now();
    let rotation = sessions::rotate(
        conn,
        &infra::random::token_hash(presented),
        &next_hash,
        now + state.config.refresh_token_ttl,
        now,
    )
    .await?;
    let (session, user) = match rotation {
        Rotation::Rotated { session, user } => (session, user),
        Rotation::Reused { session, user } => {
            tracing::warn!(%session, user_id = %user, "a spent refresh token was presented; session revoked");
            return Err(AppError::new(
                ErrorCode::RefreshTokenReused,
                "this refresh token was used before, so the session has been ended; sign in again",
            )
            .with_field("refresh_token"));
        }
        Rotation::Refused => {
            return Err(AppError::new(
                ErrorCode::InvalidRefreshToken,
                "the refresh token is unknown, expired or revoked; sign in again",
            )
            .with_field("refresh_token"))
        }
    };
    let account = infra::db::users::find(conn, user)
        .await?
        .filter(|u| u.row.enabled)
        .ok_or_else(AppError::account_disabled)?;
    tokens(state, user, &account.row.role, session, next)
}

fn tokens(state: &AppState, user: Uuid, role: &str, session: Uuid, refresh_token: String) -> AppResult<Tokens> {
    Ok(Tokens {
        access_token: state.jwt.issue(user, role, session).map_err(AppError::internal)?,
        expires_in: state.jwt.ttl().as_secs(),
        refresh_token,
        refresh_token_expires_in: state.config.refresh_token_ttl.as_secs(),
        user,
    })
}

/// What signing out names: the access token's session and the refresh token's, either or both.
pub struct SignOut<'a> {
    /// The bearer token, expired or not.
    pub access_token: Option<&'a str>,
    /// The refresh token (a browser's cookie), spent or not.
    pub refresh_token: Option<&'a str>,
    /// End every session of the account(s), not only these.
    pub everywhere: bool,
}

/// Ends the sessions `what` names. Either token is enough: an access token that expired while the laptop slept still
/// names its session, and so does the refresh cookie a browser holds, so the person who clicks 退出 is signed out
/// whatever state the page was in.
///
/// # Errors
/// `unauthenticated` when neither token names a session of this service.
pub async fn sign_out(state: &AppState, conn: &mut PgConn, what: &SignOut<'_>) -> AppResult<()> {
    let mut named: Vec<(Uuid, Uuid)> = Vec::with_capacity(2);
    if let Some(claims) = what.access_token.and_then(|t| state.jwt.verify_ignoring_expiry(t).ok()) {
        named.push((claims.sub, claims.sid));
    }
    if let Some(token) = what.refresh_token {
        if let Some((session, user)) =
            sessions::of_refresh_token(conn, &infra::random::token_hash(token.trim())).await?
        {
            named.push((user, session));
        }
    }
    if named.is_empty() {
        return Err(AppError::new(
            ErrorCode::Unauthenticated,
            "nothing to sign out of: send the access token or the refresh cookie of a session",
        ));
    }
    for (user, session) in named {
        if what.everywhere {
            sessions::revoke_all(conn, user, sessions::Revoked::Logout).await?;
        } else {
            sessions::revoke(conn, user, session, sessions::Revoked::Logout).await?;
        }
        tracing::info!(user_id = %user, everywhere = what.everywhere, "signed out");
    }
    Ok(())
}
