//! What a command leaves behind besides the new state and its event: the rows only some commands write. It runs
//! inside the command's transaction, after the domain accepted the command, and answers the event's data.

use super::load::visible_issue;
use crate::app::error::{AppError, AppResult, ErrorCode};
use chrono::{DateTime, Utc};
use domain::issue::deadline::{Span, Stage, Unit};
use domain::issue::warning::Timing;
use domain::issue::{Action, Command, Relations, ReplyCategory, Status, Transition};
use domain::organisation::region::RegionLevel;
use domain::permission::Actor;
use infra::db::deadlines::DeadlineRow;
use infra::db::extensions::NewExtension;
use infra::db::issues::IssueRow;
use infra::db::reference::Reference;
use infra::db::PgConn;
use serde_json::{json, Value};
use uuid::Uuid;

/// What a command's own writes see.
pub struct Context<'a> {
    pub row: &'a IssueRow,
    /// The issue's open deadlines, read with its lock, soonest first.
    pub deadlines: &'a [DeadlineRow],
    /// The calendar, policies and rules the command is judged by.
    pub reference: &'a Reference,
    pub transition: &'a Transition,
    pub relations: Relations,
    pub actor: &'a Actor,
    pub now: DateTime<Utc>,
    pub config: &'a infra::config::Config,
}

/// Writes what `command` leaves besides its state and event, and answers the event's data.
pub async fn apply(conn: &mut PgConn, step: &Context<'_>, command: &Command) -> AppResult<Value> {
    let issue = step.row.id;
    Ok(match command {
        Command::Decline => json!({}),
        Command::Reopen => json!({ "round": step.transition.state.round }),
        Command::Accept { level } => {
            infra::db::issues::set_level(conn, issue, level.map(RegionLevel::as_str)).await?;
            json!({ "level": level })
        }
        Command::Cosign => {
            infra::db::issues::cosign(conn, issue, step.actor.user_id).await?;
            json!({})
        }
        Command::Join => {
            // Words the content check held are read by a person before anyone outside: not joinable until staff
            // took the issue up (as `GET /issues/nearby` shows citizens).
            if step.row.needs_review && step.transition.from == Status::Submitted {
                return Err(AppError::not_found("issue"));
            }
            infra::db::issues::join(conn, issue, step.actor.user_id).await?;
            json!({})
        }
        Command::Merge { into } => {
            let into = *into;
            // Read only when it is another issue; whether it may take the duplicate is the domain's.
            let target = if into == issue {
                None
            } else {
                visible_issue(conn, step.actor, into).await.ok()
            };
            let status = target.as_ref().map(|t| t.row.status()).transpose()?;
            domain::issue::merge::check_target(issue, into, status)?;
            let number = target.map(|t| t.row.number);
            json!({ "into": into, "into_number": number })
        }
        Command::Route {
            lead,
            complex,
            suggested,
            ..
        } => {
            let co = &step.transition.state.co_agencies;
            let mut all = co.clone();
            all.push(*lead);
            infra::db::issues::route_to(conn, issue, &all, *complex).await?;
            json!({ "lead_agency_id": lead, "co_agency_ids": co, "complex": complex, "suggested": suggested })
        }
        // Sign, send back, reply, progress: the event names the agency acting. Progress may carry the handler's
        // photos.
        Command::Sign | Command::SendBack => agency_part(step, None, &[]),
        Command::Reply { category } => {
            let mut data = agency_part(step, Some(*category), &[]);
            // The rule (the domain's): a reply answers the issue, so an extension request still waiting for staff is
            // withdrawn by it — recorded on the request and named in the reply's event, never left to vanish.
            if step.row.pending_extension && !step.transition.state.pending_extension {
                if let Some(id) =
                    infra::db::extensions::withdraw(conn, issue, step.actor.user_id, WITHDRAWN_BY_REPLY, step.now)
                        .await?
                {
                    data["withdrawn_extension_id"] = json!(id);
                }
            }
            data
        }
        Command::Progress { photo_ids } => {
            attach_photos(conn, step, photo_ids).await?;
            agency_part(step, None, photo_ids)
        }
        Command::RequestExtension { id, span, reason } => {
            let agency = step
                .row
                .lead_agency_id
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("an extension without a lead agency")))?;
            let new = NewExtension {
                id: *id,
                issue_id: issue,
                round: step.row.round,
                agency_id: agency,
                requested_by: step.actor.user_id,
                days: i16::try_from(span.count).unwrap_or(i16::MAX),
                unit: span.unit.as_str(),
                reason,
                created_at: step.now,
            };
            infra::db::extensions::insert(conn, &new).await?;
            json!({ "extension_id": id, "days": span.count, "unit": span.unit })
        }
        Command::DecideExtension { id, approve, note } => {
            let due = decide_extension(conn, step, *id, *approve, note.as_deref()).await?;
            json!({ "extension_id": id, "approve": approve, "due_at": due })
        }
        Command::Rate { rating, comment } => {
            infra::db::extensions::rate(
                conn,
                issue,
                step.row.round,
                step.actor.user_id,
                step.actor.role.as_str(),
                step.relations.reporter,
                rating.as_str(),
                comment.as_deref(),
                step.now,
            )
            .await?;
            json!({ "rating": rating, "by_reporter": step.relations.reporter, "round": step.row.round })
        }
        Command::Convert => {
            infra::db::issues::set_converted(conn, issue, step.now).await?;
            json!({})
        }
        Command::Comment { needs_review, .. } => json!({ "needs_review": needs_review }),
        Command::Urge => {
            check_urge(conn, step).await?;
            json!({ "agency_id": step.row.lead_agency_id })
        }
        Command::KeySupervision => {
            infra::db::issues::mark_key_supervision(conn, issue, step.actor.user_id, step.now).await?;
            tighten(conn, step).await?;
            json!({})
        }
        Command::SiteVisit { photo_ids } => {
            attach_photos(conn, step, photo_ids).await?;
            json!({ "photo_ids": photo_ids })
        }
        Command::Withhold { reason } => {
            infra::db::issues::withhold(conn, issue, reason, step.actor.user_id, step.now).await?;
            json!({})
        }
        Command::Publish => {
            infra::db::issues::publish(conn, issue).await?;
            json!({})
        }
        Command::FollowUp { came_back } => {
            json!({ "came_back": came_back, "reopened": step.transition.to != step.transition.from })
        }
    })
}

/// The note on an extension request a reply withdrew.
const WITHDRAWN_BY_REPLY: &str = "已答复，延期申请随答复撤回";

/// The event's data for an agency's step: which agency acted, as lead or co-agency, with a reply's category and
/// the photos it attached.
fn agency_part(step: &Context<'_>, reply: Option<ReplyCategory>, photo_ids: &[Uuid]) -> Value {
    let part = if step.relations.lead_handler { "lead" } else { "co" };
    let mut data = json!({ "agency_id": step.actor.agency, "part": part, "category": reply });
    if !photo_ids.is_empty() {
        data["photo_ids"] = json!(photo_ids);
    }
    data
}

/// The actor's own photos, attached to the issue (a site visit's, a handler's progress).
async fn attach_photos(conn: &mut PgConn, step: &Context<'_>, photo_ids: &[Uuid]) -> AppResult<()> {
    if photo_ids.is_empty() {
        return Ok(());
    }
    // Deputies' and handlers' photos are not sent to WeChat's picture check (only citizens' are), so none is risky.
    crate::app::photos::attach_own(
        conn,
        step.actor.user_id,
        photo_ids,
        infra::db::photos::PhotoUse::Issue(step.row.id),
    )
    .await
    .map(drop)
}

/// Records the decision; an approval moves the open reply deadline on by the span asked for. Answers the new due time.
async fn decide_extension(
    conn: &mut PgConn,
    step: &Context<'_>,
    id: Uuid,
    approve: bool,
    note: Option<&str>,
) -> AppResult<Option<chrono::DateTime<chrono::Utc>>> {
    let pending = infra::db::extensions::pending(conn, step.row.id)
        .await?
        .filter(|e| e.id == id)
        .ok_or_else(|| {
            AppError::new(ErrorCode::NotFound, "no such pending extension on this issue").with_field("extension_id")
        })?;
    let decision = if approve { "approved" } else { "refused" };
    infra::db::extensions::decide(conn, pending.id, decision, Some(step.actor.user_id), note, step.now).await?;
    if !approve {
        return Ok(None);
    }
    let Some(reply) = step
        .deadlines
        .iter()
        .find(|d| matches!(d.stage.parse(), Ok(Stage::Reply | Stage::Rereply)))
    else {
        return Ok(None);
    };
    let unit: Unit = pending.unit.parse().unwrap_or(Unit::WorkingDays);
    let span = Span::parse("days", i64::from(pending.days), unit)?;
    let calendar = &step.reference.calendar;
    let due = calendar.extended(reply.due_at, span);
    let stage = reply.stage().unwrap_or(Stage::Reply);
    let key = step.transition.state.key_supervision;
    let timing = Timing::new(calendar, &step.config.supervision, stage, reply.started_at, due, key);
    infra::db::deadlines::retime(conn, reply.id, timing).await?;
    Ok(Some(due))
}

/// Key supervision brings the yellow warning of the open agency deadlines forward (those not yellow yet).
async fn tighten(conn: &mut PgConn, step: &Context<'_>) -> AppResult<()> {
    let calendar = &step.reference.calendar;
    for d in step.deadlines {
        let Some(stage) = d.stage() else { continue };
        if !domain::issue::warning::retimed_by_key_supervision(d.next_step()) {
            continue;
        }
        let timing = Timing::new(calendar, &step.config.supervision, stage, d.started_at, d.due_at, true);
        infra::db::deadlines::retime(conn, d.id, timing).await?;
    }
    Ok(())
}

/// 催办 at most once per person per issue in the configured time.
async fn check_urge(conn: &mut PgConn, step: &Context<'_>) -> AppResult<()> {
    let last = infra::db::events::last_by(conn, step.row.id, Action::Urge.as_str(), step.actor.user_id).await?;
    step.config.supervision.may_urge(last, step.now).map_err(|next| {
        AppError::new(
            ErrorCode::RateLimited,
            format!(
                "you urged this issue recently; you may urge it again after {}",
                next.to_rfc3339()
            ),
        )
    })
}
