//! What every command handler shares: the notes it checks, the answer it sends and keeps, the failures it documents.
//! The command itself runs below HTTP (`app::issues::command`).

use crate::app::error::AppResult;
use crate::app::issues::command::{execute, execute_as, Answers, Outcome};
use crate::app::issues::load::Loaded;
use crate::extract::AuthUser;
use crate::idempotency::Answer;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use domain::issue::Command;
use infra::db::reference::Reference;
use uuid::Uuid;

/// The caller's answer to a command: 200 and the issue, or 201 and the event a comment appended.
fn answer(auth: &AuthUser, outcome: &Outcome) -> AppResult<Answer> {
    let status = match outcome {
        Outcome::Issue(_) => StatusCode::OK,
        Outcome::Event(_) => StatusCode::CREATED,
    };
    Answer::json(auth, status, None, outcome)
}

/// Runs a command and answers what `answers` asks.
pub async fn run_answering(
    state: &AppState,
    auth: &AuthUser,
    id: Uuid,
    command: Command,
    note: Option<&str>,
    answers: Answers,
) -> AppResult<HttpResponse> {
    let kept = execute(state, auth.caller(), id, command, note, answers, |o| answer(auth, o)).await?;
    Ok(kept.respond())
}

/// Runs a command and answers the issue as the caller then sees it.
pub async fn run(
    state: &AppState,
    auth: &AuthUser,
    id: Uuid,
    command: Command,
    note: Option<&str>,
) -> AppResult<HttpResponse> {
    run_answering(state, auth, id, command, note, Answers::Issue).await
}

/// Runs the command `prepare` makes from the locked issue, and answers the issue.
pub async fn run_prepared(
    state: &AppState,
    auth: &AuthUser,
    id: Uuid,
    note: Option<&str>,
    prepare: impl FnOnce(&Loaded, &Reference) -> AppResult<Command> + Send,
) -> AppResult<HttpResponse> {
    let kept = execute_as(state, auth.caller(), id, note, Answers::Issue, None, prepare, |o| {
        answer(auth, o)
    })
    .await?;
    Ok(kept.respond())
}

/// An optional note, checked.
pub fn optional_note(raw: Option<&str>, field: &str) -> AppResult<Option<String>> {
    Ok(raw
        .map(|n| domain::issue::report::Note::parse(n).map_err(|e| e.at(field)))
        .transpose()?
        .map(domain::issue::report::Note::into_inner))
}

/// A required note, checked.
pub fn required_note(raw: &str, field: &str) -> AppResult<String> {
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
    Malformed(crate::problem::Problem),
    /// The caller sees the issue but may not give this command.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(crate::problem::Problem),
    /// No such issue within the caller's reach.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(crate::problem::Problem),
    /// `wrong_state`: not in this state; the problem carries `state` and `allowed_actions`.
    #[response(status = 409, content_type = "application/problem+json")]
    WrongState(crate::problem::Problem),
    /// A value breaks a rule.
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(crate::problem::Problem),
}
