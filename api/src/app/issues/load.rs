//! Finding an issue as the caller may see it: hidden and missing answer the same 404.

use crate::app::door::{Caller, Holder};
use crate::app::error::{AppError, AppResult};
use domain::issue::{Action, Parties, Relations};
use domain::permission::Actor;
use infra::db::events::EventRow;
use infra::db::issues::{IssueRow, Marks, Read, Standing, ViewParts};
use infra::db::PgConn;
use uuid::Uuid;

/// An issue with the caller's standing toward it.
pub struct Loaded {
    pub row: IssueRow,
    pub parties: Parties,
    pub relations: Relations,
    pub marks: Marks,
    /// The hash the next timeline event chains to.
    pub last_hash: Vec<u8>,
    pub routed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Open deadlines, soonest first.
    pub deadlines: Vec<infra::db::deadlines::DeadlineRow>,
}

impl Loaded {
    /// The state the rules judge.
    pub fn state(&self) -> AppResult<domain::issue::IssueState> {
        Ok(self.row.state(self.marks)?)
    }
}

/// An issue read for its full view.
pub struct Viewable {
    pub loaded: Loaded,
    pub parts: ViewParts,
}

/// The issue, if the actor may see it.
pub async fn visible_issue(conn: &mut PgConn, actor: &Actor, id: Uuid) -> AppResult<Loaded> {
    Ok(placed(conn, actor, id, Read::ForView, None).await?.0)
}

/// The issue with what its view shows, read beside its caller (the token's `holder`) in the same wait (the issue
/// does not depend on who asks), and shown only to a caller admitted first: an ended session or a disabled account
/// learns nothing, not even whether the issue exists.
pub async fn viewable_beside(conn: &PgConn, holder: Holder, id: Uuid) -> AppResult<(Caller, Viewable)> {
    let (admitted, standing) = futures_util::join!(
        crate::app::door::admitted(conn, holder),
        infra::db::issues::with_standing(conn, id, Read::ForView)
    );
    let (admitted, standing) = caller_first(admitted, standing)?;
    let viewable = viewable_as(&admitted.actor, standing)?;
    Ok((admitted, viewable))
}

/// The issue and every event of its timeline, oldest first, read beside its caller (the token's `holder`) in the
/// same wait (neither depends on who asks); the caller is judged first, then whether they may see the issue, and
/// only then is anything shown.
pub async fn timeline_beside(conn: &PgConn, holder: Holder, id: Uuid) -> AppResult<(Caller, Loaded, Vec<EventRow>)> {
    let (admitted, standing, events) = futures_util::join!(
        crate::app::door::admitted(conn, holder),
        infra::db::issues::with_standing(conn, id, Read::ForView),
        infra::db::events::of_issue(conn, id)
    );
    let (admitted, standing) = caller_first(admitted, standing)?;
    let (loaded, _) = standing_for(&admitted.actor, standing)?;
    Ok((admitted, loaded, events?))
}

/// What a read sent beside its caller, judged in order: the caller first, so an ended session or a disabled account
/// learns nothing, not even whether the issue exists; then the issue, missing answering 404.
fn caller_first(
    admitted: AppResult<Caller>,
    standing: Result<Option<Standing>, infra::db::DbError>,
) -> AppResult<(Caller, Standing)> {
    let admitted = admitted?;
    let standing = standing?.ok_or_else(|| AppError::not_found("issue"))?;
    Ok((admitted, standing))
}

/// The issue locked for a command (inside its transaction), if the actor may see it — or, when the command is
/// known (`reach`), may reach it for that command (a citizen joining an issue they do not see yet).
pub async fn locked_issue(conn: &mut PgConn, actor: &Actor, id: Uuid, reach: Option<Action>) -> AppResult<Loaded> {
    Ok(placed(conn, actor, id, Read::ForCommand, reach).await?.0)
}

/// The issue as a command or a report left it (its last write answers it: [`infra::db::issues::Saved::WithView`],
/// [`infra::db::issues::append_for_view`]), if the actor may still see it: one who may not gets the same 404 a read
/// would give, and the command rolls back.
pub fn viewable_as(actor: &Actor, standing: Standing) -> AppResult<Viewable> {
    let (loaded, parts) = standing_for(actor, standing)?;
    let parts = parts.ok_or_else(|| AppError::internal(anyhow::anyhow!("an issue read for its view came without")))?;
    Ok(Viewable { loaded, parts })
}

async fn placed(
    conn: &mut PgConn,
    actor: &Actor,
    id: Uuid,
    read: Read,
    reach: Option<Action>,
) -> AppResult<(Loaded, Option<ViewParts>)> {
    let standing = infra::db::issues::with_standing(conn, id, read)
        .await?
        .ok_or_else(|| AppError::not_found("issue"))?;
    reached_by(actor, standing, reach)
}

/// The actor's relations to an issue read with its standing; 404 when they may not see it.
fn standing_for(actor: &Actor, standing: Standing) -> AppResult<(Loaded, Option<ViewParts>)> {
    reached_by(actor, standing, None)
}

/// As [`standing_for`], or, for an action, 404 when they may not reach the issue for it.
fn reached_by(actor: &Actor, standing: Standing, reach: Option<Action>) -> AppResult<(Loaded, Option<ViewParts>)> {
    let Standing {
        row,
        parties,
        marks,
        deadlines,
        last_hash,
        routed_at,
        parts,
    } = standing;
    let relations = Relations::of(actor, &parties);
    match reach {
        Some(action) => relations.may_find(action),
        None => relations.may_see(),
    }
    .map_err(|_| AppError::not_found("issue"))?;
    let loaded = Loaded {
        row,
        parties,
        relations,
        marks,
        last_hash,
        routed_at,
        deadlines,
    };
    Ok((loaded, parts))
}
