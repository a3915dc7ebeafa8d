//! One way every command runs: lock the issue, let the domain judge, write what the command leaves behind, move the
//! deadlines, append the timeline event, commit — all in one transaction, so a command happens wholly or not at all.

use super::effects::Effect;
use super::load::{locked_issue, visible_issue};
use super::{limits, view, IssueView};
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::HttpResponse;
use chrono::{DateTime, Utc};
use domain::issue::deadline::{plan, span_of, Change, Ending, Stage};
use domain::issue::machine::decide;
use domain::issue::{Command, Refusal, Relations, Transition};
use domain::permission::Actor;
use infra::db::events::{EventRow, NewEvent};
use infra::db::issues::IssueRow;
use infra::db::{AsyncConnection, PgConn};
use serde_json::{json, Value};
use uuid::Uuid;

/// What a command's own writes see.
pub struct Step<'a> {
    pub row: &'a IssueRow,
    pub transition: &'a Transition,
    pub relations: Relations,
    pub actor: &'a Actor,
    pub now: DateTime<Utc>,
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Denied(d) => ApiError::from(d),
            Refusal::WrongState { status, allowed } => {
                let mut e = ApiError::new(
                    ErrorCode::WrongState,
                    format!("the issue is {status}; this command does not apply now"),
                );
                e.state = Some(Box::new((
                    status.as_str().to_owned(),
                    allowed.iter().map(|a| a.as_str().to_owned()).collect(),
                )));
                e
            }
        }
    }
}

/// Runs `command` on issue `id` for the caller. `effect` writes what the command leaves besides the state and the
/// event (a rating row, an extension row) and answers the event's data.
pub async fn execute(
    state: &AppState,
    auth: &AuthUser,
    id: Uuid,
    command: Command,
    note: Option<&str>,
    effect: Effect,
) -> ApiResult<EventRow> {
    let limits = limits(&state.config);
    let actor = &auth.actor;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    conn.transaction(async |conn| {
        let loaded = locked_issue(conn, actor, id).await?;
        let current = loaded.row.state()?;
        let transition = decide(&loaded.relations, &current, &command, limits)?;
        let now = Utc::now();
        let step = Step {
            row: &loaded.row,
            transition: &transition,
            relations: loaded.relations,
            actor,
            now,
        };
        let mut data = effect.apply(conn, &step).await?;
        infra::db::issues::save_state(conn, id, &transition.state, now).await?;
        let opened = move_deadlines(conn, &loaded.row, &transition, &command, now).await?;
        if let (Value::Object(map), false) = (&mut data, opened.is_empty()) {
            map.insert("deadlines".into(), Value::Array(opened));
        }
        let action = command.action();
        let event = NewEvent {
            kind: action.as_str(),
            actor_id: Some(actor.user_id),
            actor_role: Some(actor.role.as_str()),
            from_status: Some(transition.from.as_str()),
            to_status: Some(transition.to.as_str()),
            note,
            internal: matches!(command, Command::Comment { internal: true }),
            data,
        };
        let row = infra::db::events::append(conn, id, loaded.row.last_seq, &event, now).await?;
        Ok::<_, ApiError>(row)
    })
    .await
}

/// Ends and opens deadlines as the domain plans them; answers the ones opened (for the event).
async fn move_deadlines(
    conn: &mut PgConn,
    row: &IssueRow,
    t: &Transition,
    command: &Command,
    now: DateTime<Utc>,
) -> ApiResult<Vec<Value>> {
    let changes = plan(t, command);
    if changes.is_empty() {
        return Ok(Vec::new());
    }
    let policy = infra::db::routing::policy_for(conn, &row.path(), row.category_code.as_deref()).await?;
    let mut calendar = None;
    let mut opened = Vec::new();
    let round = i16::try_from(t.state.round).unwrap_or(i16::MAX);
    for change in changes {
        match change {
            Change::End(stages, ending) => {
                infra::db::deadlines::end(conn, row.id, stages, ending, now).await?;
            }
            Change::Open(stage) => {
                if calendar.is_none() {
                    calendar = Some(infra::db::routing::calendar(conn).await?);
                }
                let cal = calendar
                    .as_ref()
                    .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no calendar")))?;
                // The locked row's flag is the one that counts: routing sets it, and signing (a later command)
                // opens the reply deadline it lengthens.
                let due = cal.due(now, span_of(&policy, stage, row.complex));
                let agency = if stage.is_agency_stage() {
                    t.state.lead_agency
                } else {
                    None
                };
                infra::db::deadlines::open(conn, row.id, stage, round, agency, now, due).await?;
                opened.push(json!({ "stage": stage.as_str(), "due_at": due }));
            }
        }
    }
    Ok(opened)
}

/// Runs a command and answers the issue as the caller then sees it.
pub async fn run(
    state: &AppState,
    auth: &AuthUser,
    id: Uuid,
    command: Command,
    note: Option<&str>,
    effect: Effect,
) -> ApiResult<HttpResponse> {
    execute(state, auth, id, command, note, effect).await?;
    answer(state, auth, id).await
}

/// After a command: the issue as the caller now sees it.
pub async fn answer(state: &AppState, auth: &AuthUser, id: Uuid) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(current_view(state, auth, id).await?))
}

pub async fn current_view(state: &AppState, auth: &AuthUser, id: Uuid) -> ApiResult<IssueView> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let loaded = visible_issue(&mut conn, &auth.actor, id).await?;
    view(&mut conn, &auth.actor, loaded, limits(&state.config)).await
}

/// An optional note, checked.
pub fn optional_note(raw: Option<&str>, field: &str) -> ApiResult<Option<String>> {
    Ok(raw
        .map(|n| domain::issue::report::Note::parse(n).map_err(|e| e.at(field)))
        .transpose()?
        .map(domain::issue::report::Note::into_inner))
}

/// A required note, checked.
pub fn required_note(raw: &str, field: &str) -> ApiResult<String> {
    Ok(domain::issue::report::Note::parse(raw)
        .map_err(|e| e.at(field))?
        .into_inner())
}

/// The failures every command can answer, for the OpenAPI document.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)]
pub enum CommandErrors {
    /// The body is malformed.
    #[response(status = 400, content_type = "application/problem+json")]
    Malformed(crate::error::Problem),
    /// The caller sees the issue but may not give this command.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(crate::error::Problem),
    /// No such issue within the caller's reach.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(crate::error::Problem),
    /// `wrong_state`: not in this state; the problem carries `state` and `allowed_actions`.
    #[response(status = 409, content_type = "application/problem+json")]
    WrongState(crate::error::Problem),
    /// A value breaks a rule.
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(crate::error::Problem),
}

/// The service's own command: closes a replied issue whose rating deadline passed. Safe on several workers at once:
/// the issue row is locked, and an issue no longer replied is left alone. Answers whether it closed the issue.
pub async fn close_unrated(state: &AppState, issue_id: Uuid) -> ApiResult<bool> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    conn.transaction(async |conn| {
        let Some(row) = infra::db::issues::lock(conn, issue_id).await? else {
            return Ok(false);
        };
        let Ok(transition) = domain::issue::machine::close_unrated(&row.state()?) else {
            infra::db::deadlines::end(conn, issue_id, &[Stage::Rate], Ending::Cancelled, Utc::now()).await?;
            return Ok(false);
        };
        let now = Utc::now();
        infra::db::issues::save_state(conn, issue_id, &transition.state, now).await?;
        infra::db::deadlines::end(conn, issue_id, &[Stage::Rate], Ending::Lapsed, now).await?;
        let event = NewEvent {
            kind: "close-unrated",
            actor_id: None,
            actor_role: None,
            from_status: Some(transition.from.as_str()),
            to_status: Some(transition.to.as_str()),
            note: None,
            internal: false,
            data: json!({}),
        };
        infra::db::events::append(conn, issue_id, row.last_seq, &event, now).await?;
        Ok::<_, ApiError>(true)
    })
    .await
}
