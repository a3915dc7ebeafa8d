//! An elected project's timeline: its events appended, never changed, each chained to the one before it as an
//! issue's are (`domain::issue::timeline`, in the project's own chain). The project row, locked by the append, says
//! how many there are.

use super::events::{chain_in, NewEvent};
use super::schema::{project_events as events, projects};
use super::statements::Cache;
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::issue::timeline::{Chain, EventContent, GENESIS};
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct ProjectEventRow {
    pub project_id: Uuid,
    pub seq: i32,
    pub kind: String,
    pub actor_id: Option<Uuid>,
    pub actor_role: Option<String>,
    pub note: Option<String>,
    pub data: String,
    pub at: DateTime<Utc>,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

impl ProjectEventRow {
    /// What was hashed: a project's events carry no statuses and none is internal.
    #[must_use]
    pub fn content(&self) -> EventContent<'_> {
        EventContent {
            issue_id: self.project_id,
            seq: self.seq,
            kind: &self.kind,
            actor_id: self.actor_id,
            from_status: None,
            to_status: None,
            note: self.note.as_deref(),
            internal: false,
            data: &self.data,
            at: self.at,
        }
    }
}

/// An event to append to a project's timeline.
#[derive(Debug, Clone)]
pub struct NewProjectEvent<'a> {
    pub kind: &'a str,
    pub actor_id: Option<Uuid>,
    pub actor_role: Option<&'a str>,
    /// The sentence the public page shows.
    pub note: Option<&'a str>,
    pub data: serde_json::Value,
}

/// Appends an event to the project's timeline: locks the project row (so appends to one project queue) reading its
/// newest event's hash, then writes the event chained to it and its count together. None for no such project.
pub async fn append(
    conn: &mut AsyncPgConnection,
    project: Uuid,
    new: NewProjectEvent<'_>,
    at: DateTime<Utc>,
) -> Result<Option<ProjectEventRow>, DbError> {
    use diesel::sql_types::{Binary, Nullable};
    #[derive(QueryableByName)]
    struct Head {
        #[diesel(sql_type = diesel::sql_types::Int4)]
        events: i32,
        #[diesel(sql_type = Nullable<Binary>)]
        hash: Option<Vec<u8>>,
    }
    let head: Option<Head> = diesel::sql_query(
        "SELECT p.events, e.hash FROM projects p
           LEFT JOIN project_events e ON e.project_id = p.id AND e.seq = p.events
          WHERE p.id = $1 FOR UPDATE OF p",
    )
    .bind::<diesel::sql_types::Uuid, _>(project)
    .cached()
    .get_result(conn)
    .await
    .optional()?;
    let Some(head) = head else { return Ok(None) };
    let prev = head.hash.unwrap_or_else(|| GENESIS.to_vec());
    let as_event = NewEvent {
        kind: new.kind,
        actor_id: new.actor_id,
        actor_role: new.actor_role,
        from_status: None,
        to_status: None,
        note: new.note,
        internal: false,
        data: new.data,
    };
    let e = chain_in(Chain::Project, project, head.events, &prev, as_event, at);
    let row = ProjectEventRow {
        project_id: project,
        seq: e.seq,
        kind: new.kind.to_owned(),
        actor_id: new.actor_id,
        actor_role: new.actor_role.map(str::to_owned),
        note: new.note.map(str::to_owned),
        data: e.data,
        at: e.at,
        prev_hash: e.prev_hash,
        hash: e.hash,
    };
    let insert = diesel::insert_into(events::table).values((
        events::project_id.eq(row.project_id),
        events::seq.eq(row.seq),
        events::kind.eq(&row.kind),
        events::actor_id.eq(row.actor_id),
        events::actor_role.eq(&row.actor_role),
        events::note.eq(&row.note),
        events::data.eq(&row.data),
        events::at.eq(row.at),
        events::prev_hash.eq(&row.prev_hash),
        events::hash.eq(&row.hash),
    ));
    let count = diesel::update(projects::table.find(project)).set(projects::events.eq(row.seq));
    // Both futures hold the connection shared: both statements are sent before either answer is read.
    let shared: &AsyncPgConnection = conn;
    futures_util::try_join!(insert.execute(&mut &*shared), count.execute(&mut &*shared))?;
    Ok(Some(row))
}

/// A project's timeline in order, with how many events the project says it has.
pub async fn of(conn: &mut AsyncPgConnection, project: Uuid) -> Result<(Vec<ProjectEventRow>, i32), DbError> {
    let shared: &AsyncPgConnection = conn;
    let (rows, recorded) = futures_util::try_join!(
        events::table
            .filter(events::project_id.eq(project))
            .order(events::seq)
            .select(ProjectEventRow::as_select())
            .load(&mut &*shared),
        projects::table
            .find(project)
            .select(projects::events)
            .first::<i32>(&mut &*shared),
    )?;
    Ok((rows, recorded))
}
