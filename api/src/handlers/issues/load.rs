//! Finding an issue as the caller may see it: hidden and missing answer the same 404.

use crate::error::{ApiError, ApiResult};
use domain::issue::{Parties, Relations};
use domain::permission::Actor;
use infra::db::issues::{IssueRow, Marks};
use infra::db::PgConn;
use uuid::Uuid;

/// An issue with the caller's standing toward it.
pub struct Loaded {
    pub row: IssueRow,
    pub parties: Parties,
    pub relations: Relations,
    pub marks: Marks,
}

impl Loaded {
    /// The state the rules judge.
    pub fn state(&self) -> ApiResult<domain::issue::IssueState> {
        Ok(self.row.state(self.marks)?)
    }
}

/// The issue, if the actor may see it.
pub async fn visible_issue(conn: &mut PgConn, actor: &Actor, id: Uuid) -> ApiResult<Loaded> {
    let row = infra::db::issues::find(conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found("issue"))?;
    placed(conn, actor, row).await
}

/// The issue locked for a command (inside its transaction), if the actor may see it.
pub async fn locked_issue(conn: &mut PgConn, actor: &Actor, id: Uuid) -> ApiResult<Loaded> {
    let row = infra::db::issues::lock(conn, id)
        .await?
        .ok_or_else(|| ApiError::not_found("issue"))?;
    placed(conn, actor, row).await
}

async fn placed(conn: &mut PgConn, actor: &Actor, row: IssueRow) -> ApiResult<Loaded> {
    let (parties, marks) = infra::db::issues::standing(conn, &row).await?;
    let relations = Relations::of(actor, &parties);
    relations.may_see().map_err(|_| ApiError::not_found("issue"))?;
    Ok(Loaded {
        row,
        parties,
        relations,
        marks,
    })
}
