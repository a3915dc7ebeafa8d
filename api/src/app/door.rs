//! Who asks: the account and session a token names, read in one statement and judged here, so that a command (whose
//! caller the door reads before anything else) and a read (which reads its caller beside its own first statement, in
//! the same wait) admit alike. Checked on every request, so signing out and disabling an account take effect at once.

use crate::app::error::{AppError, AppResult, ErrorCode};
use domain::identity::SceneTarget;
use domain::permission::Actor;
use domain::role::Role;
use infra::db::PgConn;
use uuid::Uuid;

/// The holder of a verified token: the account and the session it names, not yet read. Kept together so that no
/// read can be handed one account's id with another's session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holder {
    pub user: Uuid,
    pub session: Uuid,
}

/// Who asks, as their account and session stand now: admitted at the door (a command's before anything else, a
/// read's beside its own first statement) and handed to every use case. The one word for who asks; `Holder` is only
/// what a token names before it is read, and `extract::AuthUser` / `extract::Reader` are how a handler receives them.
#[derive(Debug, Clone)]
pub struct Caller {
    pub actor: Actor,
    /// What the citizen last scanned (where their reports go).
    pub scene: Option<SceneTarget>,
    /// The reference data's version as the caller's statement read it (`infra::db::reference`).
    pub reference_version: i64,
}

/// Reads the token's holder, their account and session, and admits them. Takes the connection shared, so that a read
/// can send its own statement before this one answers.
pub async fn admitted(conn: &PgConn, holder: Holder) -> AppResult<Caller> {
    admit(
        holder.user,
        infra::db::users::caller(conn, holder.user, holder.session).await?,
    )
}

/// Judges what [`infra::db::users::caller`] found for the account `user`.
///
/// # Errors
/// `invalid_token` when the account is gone or the session ended, `account_disabled` when it is disabled.
pub fn admit(user: Uuid, found: Option<infra::db::users::CallerRow>) -> AppResult<Caller> {
    let caller = found.ok_or_else(|| {
        AppError::new(
            ErrorCode::InvalidToken,
            "the account behind this token no longer exists",
        )
    })?;
    // Disabling also ends the sessions; the account's state is the clearer answer. An erased account is gone for
    // good: its tokens are simply invalid.
    if !caller.enabled && !caller.erased {
        return Err(AppError::account_disabled());
    }
    if !caller.session_open {
        return Err(AppError::new(
            ErrorCode::InvalidToken,
            "this session has ended (signed out, or its refresh token was reused); sign in again",
        ));
    }
    if !caller.enabled {
        return Err(AppError::account_disabled());
    }
    let role: Role = caller.role.parse().map_err(AppError::internal)?;
    Ok(Caller {
        actor: Actor {
            user_id: user,
            role,
            region: caller.region_path(),
            agency: caller.agency_id,
            stations: caller.stations.clone(),
        },
        scene: caller.scene(),
        reference_version: caller.reference_version,
    })
}
