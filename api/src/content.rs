//! WeChat's content check of what citizens write (`msg_sec_check` v2), run before anything is stored. A risky text is
//! refused with a clear problem; when WeChat cannot be asked, the text is kept and marked for a person to review, so
//! an outage never stops a report.

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;
use domain::permission::Actor;
use domain::role::Role;
use infra::wechat::{TextScene, Verdict};

/// What the check allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    /// Passed, or not a citizen's text, or WeChat is not configured.
    Clean,
    /// Keep it, but a person should look.
    NeedsReview,
}

/// Checks `text` written by `actor` (citizens only) and names `field` when it is refused.
pub async fn check(state: &AppState, actor: &Actor, text: &str, scene: TextScene, field: &str) -> AppResult<Checked> {
    let Some(wechat) = &state.wechat else {
        return Ok(Checked::Clean);
    };
    if actor.role != Role::Citizen {
        return Ok(Checked::Clean);
    }
    let openid = {
        let mut conn = infra::db::pool::conn(&state.db).await?;
        infra::db::users::find(&mut conn, actor.user_id)
            .await?
            .and_then(|u| u.row.openid)
    };
    let Some(openid) = openid else {
        return Ok(Checked::NeedsReview);
    };
    match wechat.check_text(&openid, text, scene).await {
        Ok(Verdict::Pass) => Ok(Checked::Clean),
        Ok(Verdict::Review) => Ok(Checked::NeedsReview),
        Ok(Verdict::Risky { label }) => {
            tracing::info!(label, "WeChat's content check refused a text");
            Err(AppError::new(
                ErrorCode::ContentRisky,
                "WeChat's content check refused this text; please reword it",
            )
            .with_field(field))
        }
        Err(e) => {
            tracing::warn!(error = %e, "WeChat's content check could not be run; the text waits for review");
            Ok(Checked::NeedsReview)
        }
    }
}
