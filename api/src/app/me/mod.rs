//! What the caller does to their own account: bind the phone WeChat confirmed, keep saved filters, erase it all —
//! and export everything held about them.

pub mod export;

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::people::{profile, Me};
use crate::app::{commit, transaction, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use domain::identity::ERASED_CITIZEN_NAME;
use domain::organisation::user::Phone;
use domain::permission::may_erase_self;
use domain::saved_filter::{FilterName, FilterQuery, Screen, MOST};
use infra::db::saved_filters::FilterRow;
use infra::db::sessions::Revoked;
use infra::wechat::WeChatError;

/// A citizen binds the phone number they confirmed in WeChat (`code`, from the mini-program's phone button), for
/// call-backs (回访); done, their profile.
///
/// # Errors
/// 503 when WeChat is not configured; `validation_failed` on `code` when WeChat does not know it or the number is not
/// a mainland mobile; 409 when another account holds the number.
pub async fn bind_phone<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    code: &str,
    answer: impl FnOnce(Me) -> AppResult<K> + Send,
) -> AppResult<K> {
    domain::permission::may_bind_phone(&caller.actor)?;
    let code = domain::text::bounded("code", code, 1, 128)?;
    let wechat = state.wechat.as_ref().ok_or_else(|| {
        AppError::new(
            ErrorCode::WeChatNotConfigured,
            "WeChat is not configured on this server, so a phone number cannot be confirmed through it",
        )
    })?;
    let phone = wechat.phone_number(&code).await.map_err(|e| match e {
        WeChatError::InvalidCode { .. } => AppError::rule(
            "code",
            "invalid_phone_code",
            "WeChat does not recognise this code (each works once, for five minutes); ask for the number again",
        ),
        other => AppError::from(other),
    })?;
    if phone.country_code != "86" {
        return Err(AppError::rule(
            "code",
            "not_mainland",
            "only mainland mobile numbers can be called back",
        ));
    }
    let phone = Phone::parse(&phone.number).map_err(|e| e.at("code"))?;
    let (user, now, phone) = (caller.actor.user_id, state.clock.now(), &phone);
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let answer = commit(
        &mut conn,
        |conn| {
            async move {
                infra::db::users::bind_phone(conn, user, phone.as_str(), now).await?;
                profile(conn, user).await
            }
            .scope_boxed()
        },
        answer,
    )
    .await?;
    tracing::info!(user_id = %user, "a citizen bound a phone number");
    Ok(answer)
}

/// A citizen erases their account: the openid, unionid, phone and name go and every session ends at once; what they
/// reported stays on the record, no longer pointing at anyone.
///
/// # Errors
/// 403 for anyone but a citizen (other accounts are disabled by an administrator).
pub async fn erase(state: &AppState, caller: &Caller) -> AppResult<()> {
    may_erase_self(&caller.actor)?;
    let user = caller.actor.user_id;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    transaction(&mut conn, |conn| {
        async move {
            infra::db::users::erase(conn, user, ERASED_CITIZEN_NAME).await?;
            infra::db::notifications::forget(conn, user).await?;
            infra::db::project_comments::forget(conn, user).await?;
            infra::db::voters::forget(conn, user).await?;
            infra::db::scenes::forget_scans(conn, user).await?;
            infra::db::sessions::revoke_all(conn, user, Revoked::Erased).await?;
            // Their issues stay (the record of what was reported and done), but no longer point at anyone.
            Ok(infra::db::issues::anonymise_reporter(conn, user).await?)
        }
        .scope_boxed()
    })
    .await?;
    tracing::info!(user_id = %user, "citizen erased their account");
    Ok(())
}

/// Saves a filter of a list under a name of the caller's (at most `MOST`; a name once per screen).
///
/// # Errors
/// `validation_failed` on `name` or a parameter the list does not take, or when `MOST` are kept; 409 on `name` when
/// one of that name is kept for the screen.
pub async fn save_filter<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    screen: Screen,
    name: &str,
    query: std::collections::BTreeMap<String, String>,
    answer: impl FnOnce(FilterRow) -> AppResult<K> + Send,
) -> AppResult<K> {
    let name = FilterName::parse(name)?;
    let query = FilterQuery::parse(screen, query)?;
    let value = serde_json::to_value(query.as_map()).map_err(AppError::internal)?;
    let (user, name, value) = (caller.actor.user_id, &name, &value);
    let mut conn = infra::db::pool::conn(&state.db).await?;
    commit(
        &mut conn,
        |conn| {
            async move {
                infra::db::saved_filters::insert(conn, user, screen.as_str(), name.as_str(), value, MOST)
                    .await
                    .map_err(|e| match e {
                        infra::db::DbError::Duplicate(_) => AppError::new(
                            ErrorCode::AlreadyExists,
                            "a filter of this name is kept for this list already",
                        )
                        .with_field("name"),
                        e => AppError::from(e),
                    })?
                    .ok_or_else(|| {
                        AppError::rule("name", "too_many", format!("at most {MOST} filters; remove one first"))
                    })
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}

/// Removes one of the caller's saved filters; another person's is not found.
///
/// # Errors
/// 404 for no such filter of the caller's.
pub async fn remove_filter(state: &AppState, caller: &Caller, id: uuid::Uuid) -> AppResult<()> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    if infra::db::saved_filters::delete(&mut conn, caller.actor.user_id, id).await? {
        Ok(())
    } else {
        Err(AppError::not_found("saved filter"))
    }
}

/// The caller's saved filters, by screen then name.
///
/// # Errors
/// PostgreSQL failing.
pub async fn filters(state: &AppState, caller: &Caller) -> AppResult<Vec<FilterRow>> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    Ok(infra::db::saved_filters::of(&mut conn, caller.actor.user_id).await?)
}

/// The caller's own profile.
///
/// # Errors
/// 404 when the account is gone (erased while the token still lived).
pub async fn me(state: &AppState, caller: &Caller) -> AppResult<Me> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    profile(&mut conn, caller.actor.user_id).await
}
