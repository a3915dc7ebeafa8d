//! 验单 — completion and acceptance: the responsible agency declares an elected project complete with a summary once
//! every milestone is done; staff over it accept it (验收) or return it with what is missing. Each step is on the
//! project's timeline, and the other side is told.

use super::timeline::record;
use super::{found, role_over};
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use domain::project::delivery::{AcceptanceNote, CompletionSummary, Delivery};
use domain::project::EventKind;
use infra::db::notifications::{Audience, NewNotification};
use infra::db::PgConn;
use serde_json::json;
use uuid::Uuid;

/// Where the project's delivery stands, locked, with its open milestones.
async fn locked(conn: &mut PgConn, project: Uuid) -> AppResult<(Delivery, u32)> {
    let (word, open) = infra::db::projects::lock_delivery(conn, project)
        .await?
        .ok_or_else(|| AppError::not_found("livelihood project"))?;
    let delivery = word
        .parse()
        .map_err(|_| AppError::internal(anyhow::anyhow!("a project's delivery is {word}")))?;
    Ok((delivery, u32::try_from(open).unwrap_or(u32::MAX)))
}

/// The agency's handler declares the project complete; staff over its region are told. Done: its new standing.
///
/// # Errors
/// 404 / 403 by role (the agency's handlers); 409 while milestones are open or once declared.
pub async fn complete<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    project: Uuid,
    summary: &CompletionSummary,
    answer: impl FnOnce(Delivery) -> AppResult<K> + Send,
) -> AppResult<K> {
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let supervised = found(&mut conn, project).await?;
    role_over(&caller.actor, &supervised)?.may_report_progress()?;
    let staff = crate::app::notify::staff_up_from(&mut conn, &super::region_of(&supervised)).await?;
    let (actor, title) = (&caller.actor, &supervised.project.title);
    commit(
        &mut conn,
        |conn| {
            async move {
                let (delivery, open) = locked(conn, project).await?;
                let next = delivery
                    .complete(open)
                    .map_err(|why| AppError::new(ErrorCode::Conflict, why))?;
                infra::db::projects::set_delivery(conn, project, next.as_str(), Some(summary.as_str()), now).await?;
                let note = format!("承办单位申报完成：{}", summary.as_str());
                let data = json!({ "from": delivery, "to": next });
                record(conn, project, EventKind::Completed, Some(actor), Some(&note), data, now).await?;
                let key = format!("project:{project}:completed:{}", now.timestamp_micros());
                let body = format!("{title}：{note}");
                let notice = NewNotification {
                    issue_id: None,
                    project_id: Some(project),
                    kind: "project_completed",
                    event_key: &key,
                    title: "民生实事项目申报完成，待验收",
                    body: &body,
                };
                let nearest = staff.first().map_or(&[][..], Vec::as_slice);
                infra::db::notifications::tell(conn, nearest, &notice, now).await?;
                Ok(next)
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}

/// Staff over the project accept it, or return it to its agency with what is missing (checked by
/// `domain::project::delivery::acceptance`); the agency's handlers are told. Done: its new standing.
///
/// # Errors
/// 404 / 403 by role (staff over it); 409 unless it is declared complete.
pub async fn accept<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    project: Uuid,
    (accepted, note): (bool, Option<AcceptanceNote>),
    answer: impl FnOnce(Delivery) -> AppResult<K> + Send,
) -> AppResult<K> {
    let now = state.clock.now();
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let supervised = found(&mut conn, project).await?;
    role_over(&caller.actor, &supervised)?.may_supervise("projects are accepted by staff over them")?;
    let (actor, supervised, note) = (&caller.actor, &supervised, &note);
    commit(
        &mut conn,
        |conn| {
            async move {
                let (delivery, _) = locked(conn, project).await?;
                let next = delivery
                    .accept(accepted)
                    .map_err(|why| AppError::new(ErrorCode::Conflict, why))?;
                let said = note.as_ref().map(AcceptanceNote::as_str);
                infra::db::projects::set_delivery(conn, project, next.as_str(), said, now).await?;
                let (kind, sentence, title) = if accepted {
                    (
                        EventKind::Accepted,
                        format!("验收通过{}", said.map(|s| format!("：{s}")).unwrap_or_default()),
                        "民生实事项目验收通过",
                    )
                } else {
                    (
                        EventKind::Returned,
                        format!("验收退回：{}", said.unwrap_or_default()),
                        "民生实事项目验收退回",
                    )
                };
                let data = json!({ "from": delivery, "to": next });
                record(conn, project, kind, Some(actor), Some(&sentence), data, now).await?;
                let key = format!("project:{project}:{}:{}", kind.as_str(), now.timestamp_micros());
                let body = format!("{}：{sentence}", supervised.project.title);
                let notice = NewNotification {
                    issue_id: None,
                    project_id: Some(project),
                    kind: "project_acceptance",
                    event_key: &key,
                    title,
                    body: &body,
                };
                let to = Audience {
                    handlers_of: &[supervised.project.agency_id],
                    ..Audience::default()
                };
                infra::db::notifications::notify(conn, &to, &notice, now).await?;
                Ok(next)
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}
