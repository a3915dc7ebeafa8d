//! Signing a citizen in, whichever way they came — WeChat's `code2session` in the mini-program, a texted code on the
//! phone pages — as one command: the account (found, or made for a first visit), the code they scanned, and the
//! session all happen, or none does. And the rest of signing in and out: staff's passwords, texting a code, renewing
//! tokens, ending sessions.

use super::scenes::{remember, Scanned};
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::people::{profile, Me};
use crate::auth::session::{self, Method, SignOut, Tokens};
use crate::auth::sign_in_limit;
use crate::counters;
use crate::state::AppState;
use domain::identity::LoginCode;
use domain::organisation::user::Phone;
use infra::db::sms_codes::Presented;
use infra::db::{AsyncConnection, PgConn};
use rand::Rng;
use sha2::{Digest, Sha256};
use std::time::Duration;

/// What a new citizen is called until they say otherwise (WeChat no longer hands out nicknames).
const WECHAT_NAME: &str = "微信用户";

/// Who vouches for the person signing in.
pub enum Citizen<'a> {
    /// WeChat's identity of them.
    WeChat { openid: &'a str, unionid: Option<&'a str> },
    /// A phone that took a texted code: the account holding the number, whichever way it was made.
    Phone(&'a Phone),
}

/// A citizen signed in.
pub struct SignedIn {
    pub tokens: Tokens,
    /// A first visit made the account.
    pub created: bool,
}

/// Signs the citizen in; `None` when the phone belongs to an account that is not a citizen's (staff, deputies and
/// handlers sign in with a password), which the caller answers as a wrong code, saying nothing of who holds it.
///
/// # Errors
/// `account_disabled`, and the database's.
pub async fn citizen(
    state: &AppState,
    conn: &mut PgConn,
    who: Citizen<'_>,
    scanned: Option<&Scanned>,
) -> AppResult<Option<SignedIn>> {
    conn.transaction(async |conn| {
        let ((account, created), method) = match who {
            Citizen::WeChat { openid, unionid } => (
                infra::db::users::citizen_by_openid(conn, openid, unionid, WECHAT_NAME).await?,
                Method::WeChat,
            ),
            Citizen::Phone(phone) => {
                let last_four = &phone.as_str()[phone.as_str().len() - 4..];
                let found =
                    infra::db::users::citizen_by_phone(conn, phone.as_str(), &format!("市民{last_four}")).await?;
                (found, Method::Sms)
            }
        };
        if account.role != "citizen" {
            return Ok(None);
        }
        if !account.enabled {
            return Err(AppError::account_disabled());
        }
        remember(conn, account.id, scanned, state.clock.now()).await?;
        let tokens = session::start(state, conn, account.id, &account.role, method).await?;
        Ok(Some(SignedIn { tokens, created }))
    })
    .await
}

/// Someone signed in: their tokens, and who they are as `/me` shows it.
pub struct Signed {
    pub tokens: Tokens,
    pub user: Me,
}

async fn signed(conn: &mut PgConn, tokens: Tokens) -> AppResult<Signed> {
    let user = profile(conn, tokens.user).await?;
    Ok(Signed { tokens, user })
}

/// Deputies, handlers, staff and admins sign in with phone and password. A wrong phone and a wrong password answer
/// the same, in the same time; wrong attempts are limited per phone and all attempts per client `address`.
///
/// # Errors
/// `invalid_credentials`, `account_disabled`, 429 from the sign-in limit.
pub async fn with_password(state: &AppState, phone: &str, password: String, address: &str) -> AppResult<Signed> {
    let phone = Phone::parse(phone).ok();
    let attempt = sign_in_limit::begin(state, phone.as_ref().map_or("", Phone::as_str), address).await?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let account = match &phone {
        Some(phone) => infra::db::users::find_by_phone(&mut conn, phone.as_str()).await?,
        None => None,
    };
    let stored = account.as_ref().and_then(|a| a.password_hash.clone());
    let matches = tokio::task::spawn_blocking(move || infra::password::verify(&password, stored.as_deref()))
        .await
        .map_err(AppError::internal)?;
    let Some(account) = account.filter(|_| matches) else {
        attempt.failed(state).await;
        return Err(AppError::new(
            ErrorCode::InvalidCredentials,
            "phone or password is wrong",
        ));
    };
    if !account.enabled {
        return Err(AppError::account_disabled());
    }
    let tokens = session::start(state, &mut conn, account.id, &account.role, Method::Password).await?;
    tracing::info!(user_id = %account.id, "signed in with password");
    signed(&mut conn, tokens).await
}

/// A citizen signs in from the mini-program with a `wx.login()` code, and the code they scanned (`scene`).
///
/// # Errors
/// 503 when WeChat is not configured; `validation_failed` on `code`; WeChat's refusals; `account_disabled`.
pub async fn with_wechat(state: &AppState, code: &str, scene: Option<&str>) -> AppResult<Signed> {
    let wechat = state.wechat.clone().ok_or_else(|| {
        AppError::new(
            ErrorCode::WeChatNotConfigured,
            "this server has no WeChat mini-program configured; staff sign in with a password",
        )
    })?;
    let code = LoginCode::parse(code)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let scanned = super::scenes::scanned(&mut conn, scene).await?;
    let who = wechat.code_to_session(code.as_str()).await?;
    let who = Citizen::WeChat {
        openid: &who.openid,
        unionid: who.unionid.as_deref(),
    };
    let SignedIn { tokens, created } = citizen(state, &mut conn, who, scanned.as_ref())
        .await?
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a WeChat identity held by an account not a citizen's")))?;
    tracing::info!(user_id = %tokens.user, created, with_scene = scanned.is_some(), "signed in with WeChat");
    signed(&mut conn, tokens).await
}

/// How long a texted code works, how soon another may be sent, and how many a phone and an address get.
pub const CODE_MINUTES: u32 = 5;
pub const RESEND_SECONDS: u64 = 60;
const PER_PHONE_A_DAY: u64 = 10;
const PER_ADDRESS_AN_HOUR: u64 = 20;
/// Wrong tries before a texted code stops working.
const TRIES: i32 = 5;

/// Where a phone's code and counters are kept: a hash, never the number.
fn phone_hash(phone: &Phone) -> Vec<u8> {
    Sha256::digest(format!("minsheng sms phone\0{}", phone.as_str()).as_bytes()).to_vec()
}

/// Where a code is kept: a hash bound to its phone.
fn code_hash(phone: &Phone, code: &str) -> Vec<u8> {
    Sha256::digest(format!("minsheng sms code\0{}\0{code}", phone.as_str()).as_bytes()).to_vec()
}

/// Text messages are not set up on this server.
fn sms_not_configured() -> AppError {
    AppError::new(
        ErrorCode::SmsNotConfigured,
        "this server sends no text messages; sign in from the WeChat mini-program",
    )
}

fn too_many(retry_after: u64, what: &str) -> AppError {
    let mut e = AppError::new(
        ErrorCode::RateLimited,
        format!("{what}; try again in {retry_after} seconds"),
    );
    e.retry_after = Some(retry_after.max(1));
    e
}

/// Texts a six-digit sign-in code to a citizen's phone (the phone pages; the mini-program signs in with WeChat). A
/// phone held by an account not a citizen's is answered the same and texted nothing, saying nothing of who holds it.
///
/// # Errors
/// 503 when texts are not configured or the provider is not answering; `validation_failed` on `phone`; 429 for too
/// many codes from the `address` in an hour, to the phone in a day, or one sent a moment ago.
pub async fn text_code(state: &AppState, phone: &str, address: &str) -> AppResult<()> {
    let phone = Phone::parse(phone)?;
    let sms = state.sms.as_ref().ok_or_else(sms_not_configured)?;
    let hash = phone_hash(&phone);
    let hour = Duration::from_secs(3600);
    let (from_address, wait) = counters::hit(state, &format!("sms:ip:{address}"), hour, "sms").await;
    if from_address > PER_ADDRESS_AN_HOUR {
        return Err(too_many(wait, "too many codes asked from this address"));
    }
    let day = Duration::from_secs(86_400);
    let key = format!("sms:phone:{}", infra::encoding::hex(&hash));
    let (to_phone, wait) = counters::hit(state, &key, day, "sms").await;
    if to_phone > PER_PHONE_A_DAY {
        return Err(too_many(wait, "too many codes for this phone today"));
    }
    let code = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000));
    let now = chrono::Utc::now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let holder = infra::db::users::find_by_phone(&mut conn, phone.as_str()).await?;
    if holder.is_some_and(|u| u.role != "citizen") {
        return Ok(());
    }
    let kept = infra::db::sms_codes::keep(
        &mut conn,
        &hash,
        &code_hash(&phone, &code),
        now,
        now + chrono::Duration::minutes(i64::from(CODE_MINUTES)),
        now - chrono::Duration::seconds(i64::try_from(RESEND_SECONDS).unwrap_or(60)),
    )
    .await?;
    if !kept {
        return Err(too_many(RESEND_SECONDS, "a code was sent to this phone a moment ago"));
    }
    if let Err(e) = sms
        .send_code(phone.as_str(), &code, CODE_MINUTES, now.timestamp())
        .await
    {
        // Not sent: forget it, so the person may ask again at once.
        infra::db::sms_codes::forget(&mut conn, &hash).await?;
        tracing::warn!(error = %e, "a sign-in code could not be texted");
        return Err(match e {
            infra::sms::SmsError::NumberLimited(_) => too_many(3600, "the SMS provider limits texts to this phone"),
            _ => AppError::unavailable("the SMS provider", Some(e.into())),
        });
    }
    Ok(())
}

/// A citizen signs in on the phone pages with the code texted to them, and the code they scanned (`scene`).
///
/// # Errors
/// 503 when texts are not configured; `validation_failed` on `phone`; `invalid_login_code` on `code` for a wrong,
/// used, expired or over-tried one, or a phone not a citizen's; `account_disabled`.
pub async fn with_texted_code(state: &AppState, phone: &str, code: &str, scene: Option<&str>) -> AppResult<Signed> {
    if state.sms.is_none() {
        return Err(sms_not_configured());
    }
    let phone = Phone::parse(phone)?;
    let wrong = || {
        AppError::new(
            ErrorCode::InvalidLoginCode,
            "the code is wrong, used or expired; ask for a new one",
        )
        .with_field("code")
    };
    let code = code.trim();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Err(wrong());
    }
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let scanned = super::scenes::scanned(&mut conn, scene).await?;
    let (phone_key, code_key) = (phone_hash(&phone), code_hash(&phone, code));
    match infra::db::sms_codes::present(&mut conn, &phone_key, &code_key, chrono::Utc::now(), TRIES).await? {
        Presented::Right => {}
        Presented::Wrong => return Err(wrong()),
        Presented::Spent => {
            return Err(AppError::new(
                ErrorCode::InvalidLoginCode,
                "this code was tried too often and no longer works; ask for a new one",
            )
            .with_field("code"))
        }
    }
    let SignedIn { tokens, created } = citizen(state, &mut conn, Citizen::Phone(&phone), scanned.as_ref())
        .await?
        .ok_or_else(wrong)?;
    tracing::info!(user_id = %tokens.user, created, "signed in with a texted code");
    signed(&mut conn, tokens).await
}

/// Trades a refresh token for new tokens (each works once; a second use revokes its session).
///
/// # Errors
/// `invalid_refresh_token`, `refresh_token_reused`, `account_disabled`.
pub async fn renew(state: &AppState, refresh_token: &str) -> AppResult<Signed> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let tokens = session::refresh(state, &mut conn, refresh_token.trim()).await?;
    signed(&mut conn, tokens).await
}

/// Ends the session the tokens name (or every session of the account).
///
/// # Errors
/// As `session::sign_out`; PostgreSQL failing.
pub async fn sign_out(state: &AppState, what: &SignOut<'_>) -> AppResult<()> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    session::sign_out(state, &mut conn, what).await
}
