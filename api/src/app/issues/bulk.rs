//! 批量: one command on several issues at once — accept, route, urge, mark for key supervision — each issue its own
//! command in its own transaction (`command::execute_as`): permission-checked, in its timeline, wholly done or not
//! at all. One issue refused leaves the others done; the answer says what happened to each.

use super::command::{execute_as, Answers, Outcome};
use super::route::{routing, Routing};
use crate::app::error::AppError;
use crate::app::{Caller, Unkept};
use crate::state::AppState;
use domain::issue::{Command, Status};
use uuid::Uuid;

/// The command given to every issue named.
#[derive(Debug, Clone)]
pub enum Bulk {
    /// 受理.
    Accept,
    /// 交办: each issue to the agency named, or to its own routing rule's when none is.
    Route(Routing),
    /// 催办.
    Urge,
    /// 挂牌督办.
    KeySupervision,
}

/// What happened to one issue: where it stands after its command, or why its command was refused.
pub struct Each {
    pub issue_id: Uuid,
    pub result: Result<(String, Status), AppError>,
}

// Nothing is kept per issue (`Unkept`): a retry of the whole request replays its whole answer, and a new request
// naming an issue already done is refused for that issue by its state (urging by its once-a-day limit), never done
// twice.

/// Gives `bulk` to each issue in `ids`, one after another (a clerk's batch is small; one at a time keeps the
/// database's other users served).
pub async fn run(state: &AppState, caller: &Caller, ids: &[Uuid], bulk: &Bulk, note: Option<&str>) -> Vec<Each> {
    let mut done = Vec::with_capacity(ids.len());
    for &id in ids {
        let mut seen = None;
        let result = execute_as(
            state,
            caller,
            id,
            note,
            Answers::Issue,
            None,
            |issue, reference| match bulk {
                Bulk::Accept => Ok(Command::Accept { level: None }),
                Bulk::Route(asked) => routing(asked, issue, reference),
                Bulk::Urge => Ok(Command::Urge),
                Bulk::KeySupervision => Ok(Command::KeySupervision),
            },
            |outcome| {
                if let Outcome::Issue(issue) = outcome {
                    seen = Some((issue.number.clone(), issue.status));
                }
                Ok(Unkept(()))
            },
        )
        .await;
        let result =
            result.and_then(|Unkept(())| seen.ok_or_else(|| AppError::internal(anyhow::anyhow!("no issue answered"))));
        done.push(Each { issue_id: id, result });
    }
    done
}
