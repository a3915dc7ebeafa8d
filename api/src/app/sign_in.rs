//! Signing a citizen in, whichever way they came — WeChat's `code2session` in the mini-program, a texted code on the
//! phone pages — as one command: the account (found, or made for a first visit), the code they scanned, and the
//! session all happen, or none does.

use super::scenes::{remember, Scanned};
use crate::app::error::{AppError, AppResult};
use crate::auth::session::{self, Method, Tokens};
use crate::state::AppState;
use domain::organisation::user::Phone;
use infra::db::{AsyncConnection, PgConn};

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
