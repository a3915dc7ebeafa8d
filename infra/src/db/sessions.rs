//! Sessions and their refresh tokens. A session is one sign-in; its refresh tokens form a family in which each
//! token is used once. A token used twice means it was stolen (or replayed): the whole family is revoked.

use super::schema::{refresh_tokens, sessions};
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::organisation::user::SessionEnd;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub method: String,
    pub created_at: DateTime<Utc>,
    pub refreshed_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_why: Option<String>,
}

/// Why a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revoked {
    Logout,
    Reuse,
    Erased,
    /// A change to the account (password, phone, disabling) ended it.
    Changed(domain::organisation::user::SessionEnd),
    /// An administrator signed the account out.
    EndedByAdministrator,
}

impl Revoked {
    fn as_str(self) -> &'static str {
        match self {
            Revoked::Logout => "logout",
            Revoked::Reuse => "reuse",
            Revoked::Erased => "erased",
            Revoked::Changed(SessionEnd::PasswordChanged) => "password_changed",
            Revoked::Changed(SessionEnd::PhoneChanged) => "phone_changed",
            Revoked::Changed(SessionEnd::Disabled) => "disabled",
            Revoked::EndedByAdministrator => "ended_by_administrator",
        }
    }
}

/// Starts a session for `user` with its first refresh token (stored by `hash`), in one transaction.
pub async fn start(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    method: &str,
    hash: &[u8],
    expires_at: DateTime<Utc>,
) -> Result<Uuid, DbError> {
    let id = Uuid::now_v7();
    conn.transaction(async |conn| {
        diesel::insert_into(sessions::table)
            .values((
                sessions::id.eq(id),
                sessions::user_id.eq(user),
                sessions::method.eq(method),
            ))
            .execute(conn)
            .await?;
        insert_token(conn, id, hash, expires_at).await
    })
    .await?;
    Ok(id)
}

async fn insert_token(
    conn: &mut AsyncPgConnection,
    session: Uuid,
    hash: &[u8],
    expires_at: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::hash.eq(hash),
            refresh_tokens::session_id.eq(session),
            refresh_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// What presenting a refresh token came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// The token was current: it is now used, and `new` is the session's next one.
    Rotated { session: Uuid, user: Uuid },
    /// The token had been used before: the session is now revoked, with every token in it.
    Reused { session: Uuid, user: Uuid },
    /// No such token, or its session has ended, or it expired.
    Refused,
}

/// A presented token's session, owner, session end, expiry and use.
type Presented = (Uuid, Uuid, Option<DateTime<Utc>>, DateTime<Utc>, Option<DateTime<Utc>>);

/// Uses the refresh token stored under `old` and stores `new` as its successor, atomically: of two requests with
/// one token, one rotates and the other finds it used (and so revokes the family).
pub async fn rotate(
    conn: &mut AsyncPgConnection,
    old: &[u8],
    new: &[u8],
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<Rotation, DbError> {
    conn.transaction(async |conn| {
        let found: Option<Presented> = refresh_tokens::table
            .inner_join(sessions::table)
            .filter(refresh_tokens::hash.eq(old))
            .select((
                sessions::id,
                sessions::user_id,
                sessions::revoked_at,
                refresh_tokens::expires_at,
                refresh_tokens::used_at,
            ))
            .for_update()
            .first(conn)
            .await
            .optional()?;
        let Some((session, user, revoked_at, expires, used_at)) = found else {
            return Ok(Rotation::Refused);
        };
        if revoked_at.is_some() {
            return Ok(Rotation::Refused);
        }
        if used_at.is_some() {
            revoke(conn, user, session, Revoked::Reuse).await?;
            return Ok(Rotation::Reused { session, user });
        }
        if expires <= now {
            return Ok(Rotation::Refused);
        }
        diesel::update(refresh_tokens::table.find(old))
            .set(refresh_tokens::used_at.eq(now))
            .execute(conn)
            .await?;
        diesel::update(sessions::table.find(session))
            .set(sessions::refreshed_at.eq(now))
            .execute(conn)
            .await?;
        insert_token(conn, session, new, expires_at).await?;
        Ok(Rotation::Rotated { session, user })
    })
    .await
}

/// The session and account a refresh token (stored by `hash`) belongs to, whether or not it is still usable: a
/// spent or expired token still names the session it came from, which is what signing out needs.
pub async fn of_refresh_token(conn: &mut AsyncPgConnection, hash: &[u8]) -> Result<Option<(Uuid, Uuid)>, DbError> {
    Ok(refresh_tokens::table
        .inner_join(sessions::table)
        .filter(refresh_tokens::hash.eq(hash))
        .select((sessions::id, sessions::user_id))
        .first(conn)
        .await
        .optional()?)
}

/// Ends one session of `user` (a no-op when it has ended already or is someone else's).
pub async fn revoke(conn: &mut AsyncPgConnection, user: Uuid, session: Uuid, why: Revoked) -> Result<(), DbError> {
    diesel::update(
        sessions::table
            .find(session)
            .filter(sessions::user_id.eq(user))
            .filter(sessions::revoked_at.is_null()),
    )
    .set((
        sessions::revoked_at.eq(diesel::dsl::now),
        sessions::revoked_why.eq(why.as_str()),
    ))
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends every session of `user`; returns how many were open.
pub async fn revoke_all(conn: &mut AsyncPgConnection, user: Uuid, why: Revoked) -> Result<usize, DbError> {
    Ok(diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user))
            .filter(sessions::revoked_at.is_null()),
    )
    .set((
        sessions::revoked_at.eq(diesel::dsl::now),
        sessions::revoked_why.eq(why.as_str()),
    ))
    .execute(conn)
    .await?)
}

/// Is `session` open and `user`'s? Access tokens carry their session, so this is what makes logout immediate.
pub async fn is_open(conn: &mut AsyncPgConnection, user: Uuid, session: Uuid) -> Result<bool, DbError> {
    let open: Option<Uuid> = sessions::table
        .find(session)
        .filter(sessions::user_id.eq(user))
        .filter(sessions::revoked_at.is_null())
        .select(sessions::id)
        .first(conn)
        .await
        .optional()?;
    Ok(open.is_some())
}

/// Every session of `user`, newest first (for their data export).
pub async fn of_user(conn: &mut AsyncPgConnection, user: Uuid) -> Result<Vec<SessionRow>, DbError> {
    Ok(sessions::table
        .filter(sessions::user_id.eq(user))
        .order(sessions::created_at.desc())
        .select(SessionRow::as_select())
        .load(conn)
        .await?)
}

/// Forgets refresh tokens that expired before `cutoff`; their sessions stay as a record.
pub async fn purge_expired_tokens(conn: &mut AsyncPgConnection, cutoff: DateTime<Utc>) -> Result<usize, DbError> {
    Ok(
        diesel::delete(refresh_tokens::table.filter(refresh_tokens::expires_at.lt(cutoff)))
            .execute(conn)
            .await?,
    )
}
