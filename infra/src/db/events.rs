//! The timeline: events are appended, never changed. Each new event chains to the one before it (see
//! `domain::issue::timeline`); the issue row, locked by the command, says which one that is.

use super::schema::issue_events as events;
use super::statements::Cache;
use super::DbError;
use chrono::{DateTime, SubsecRound, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::issue::timeline::{self, EventContent};
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub issue_id: Uuid,
    pub seq: i32,
    pub kind: String,
    pub actor_id: Option<Uuid>,
    pub actor_role: Option<String>,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub note: Option<String>,
    pub internal: bool,
    pub data: String,
    pub at: DateTime<Utc>,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

impl EventRow {
    #[must_use]
    pub fn content(&self) -> EventContent<'_> {
        EventContent {
            issue_id: self.issue_id,
            seq: self.seq,
            kind: &self.kind,
            actor_id: self.actor_id,
            from_status: self.from_status.as_deref(),
            to_status: self.to_status.as_deref(),
            note: self.note.as_deref(),
            internal: self.internal,
            data: &self.data,
            at: self.at,
        }
    }
}

/// An event to append.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub kind: &'a str,
    pub actor_id: Option<Uuid>,
    pub actor_role: Option<&'a str>,
    pub from_status: Option<&'a str>,
    pub to_status: Option<&'a str>,
    pub note: Option<&'a str>,
    pub internal: bool,
    pub data: serde_json::Value,
}

/// An event ready to insert: numbered and chained.
#[derive(Debug, Clone)]
pub struct Chained<'a> {
    pub issue_id: Uuid,
    pub seq: i32,
    pub new: NewEvent<'a>,
    /// As stored (microseconds): the hash covers what is read back.
    pub at: DateTime<Utc>,
    pub data: String,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

/// The event after event `last_seq` of `issue_id`, chained to `prev` (that event's hash).
#[must_use]
pub fn chain<'a>(issue_id: Uuid, last_seq: i32, prev: &[u8], new: NewEvent<'a>, at: DateTime<Utc>) -> Chained<'a> {
    chain_in(timeline::Chain::Issue, issue_id, last_seq, prev, new, at)
}

/// The event after event `last_seq` of the issue or project `subject`, chained to `prev` in `chain`.
#[must_use]
pub fn chain_in<'a>(
    chain: timeline::Chain,
    subject: Uuid,
    last_seq: i32,
    prev: &[u8],
    new: NewEvent<'a>,
    at: DateTime<Utc>,
) -> Chained<'a> {
    let issue_id = subject;
    let seq = last_seq + 1;
    let data = new.data.to_string();
    // PostgreSQL keeps microseconds: hash what will be read back.
    let at = at.trunc_subsecs(6);
    let content = EventContent {
        issue_id,
        seq,
        kind: new.kind,
        actor_id: new.actor_id,
        from_status: new.from_status,
        to_status: new.to_status,
        note: new.note,
        internal: new.internal,
        data: &data,
        at,
    };
    let hash = timeline::hash_in(chain, prev, &content).to_vec();
    Chained {
        issue_id,
        seq,
        new,
        at,
        data,
        prev_hash: prev.to_vec(),
        hash,
    }
}

/// Inserts the event after event `last_seq`, whose hash the caller holds (`prev`), and nothing else: the caller moves
/// the issue's `last_seq` on in its own write of the row (see `issues::save_state`).
pub async fn insert_next(
    conn: &mut AsyncPgConnection,
    issue_id: Uuid,
    last_seq: i32,
    prev: &[u8],
    new: &NewEvent<'_>,
    at: DateTime<Utc>,
) -> Result<EventRow, DbError> {
    let e = chain(issue_id, last_seq, prev, new.clone(), at);
    Ok(diesel::insert_into(events::table)
        .values((
            events::issue_id.eq(issue_id),
            events::seq.eq(e.seq),
            events::kind.eq(new.kind),
            events::actor_id.eq(new.actor_id),
            events::actor_role.eq(new.actor_role),
            events::from_status.eq(new.from_status),
            events::to_status.eq(new.to_status),
            events::note.eq(new.note),
            events::internal.eq(new.internal),
            events::data.eq(&e.data),
            events::at.eq(e.at),
            events::prev_hash.eq(&e.prev_hash),
            events::hash.eq(&e.hash),
        ))
        .returning(EventRow::as_returning())
        .cached()
        .get_result(conn)
        .await?)
}

// The columns an event is inserted with, in the order its statements bind them: one list for the batches below and a
// report's first event (`issues::APPENDED_FOR_VIEW`).
macro_rules! event_columns {
    () => {
        "issue_events (issue_id, seq, kind, actor_id, actor_role, from_status, to_status, note, internal, data, at,
                       prev_hash, hash)"
    };
}

/// Inserts many chained events in one statement (the worker's batches); the caller moves each issue's `last_seq`.
pub async fn insert_many(conn: &mut AsyncPgConnection, events: &[Chained<'_>]) -> Result<usize, DbError> {
    use diesel::sql_types::{Array, Binary, Bool, Int4, Nullable, Text, Timestamptz, Uuid as SqlUuid};
    if events.is_empty() {
        return Ok(0);
    }
    let col = |f: fn(&Chained<'_>) -> Option<String>| events.iter().map(f).collect::<Vec<_>>();
    Ok(diesel::sql_query(concat!(
        "INSERT INTO ",
        event_columns!(),
        " SELECT * FROM unnest($1::uuid[], $2::int4[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[],
                                $8::text[], $9::bool[], $10::text[], $11::timestamptz[], $12::bytea[], $13::bytea[])"
    ))
    .bind::<Array<SqlUuid>, _>(events.iter().map(|e| e.issue_id).collect::<Vec<_>>())
    .bind::<Array<Int4>, _>(events.iter().map(|e| e.seq).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(events.iter().map(|e| e.new.kind).collect::<Vec<_>>())
    .bind::<Array<Nullable<SqlUuid>>, _>(events.iter().map(|e| e.new.actor_id).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(col(|e| e.new.actor_role.map(str::to_owned)))
    .bind::<Array<Nullable<Text>>, _>(col(|e| e.new.from_status.map(str::to_owned)))
    .bind::<Array<Nullable<Text>>, _>(col(|e| e.new.to_status.map(str::to_owned)))
    .bind::<Array<Nullable<Text>>, _>(col(|e| e.new.note.map(str::to_owned)))
    .bind::<Array<Bool>, _>(events.iter().map(|e| e.new.internal).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(events.iter().map(|e| e.data.as_str()).collect::<Vec<_>>())
    .bind::<Array<Timestamptz>, _>(events.iter().map(|e| e.at).collect::<Vec<_>>())
    .bind::<Array<Binary>, _>(events.iter().map(|e| e.prev_hash.as_slice()).collect::<Vec<_>>())
    .bind::<Array<Binary>, _>(events.iter().map(|e| e.hash.as_slice()).collect::<Vec<_>>())
    .cached()
    .execute(conn)
    .await?)
}

/// Every event of an issue, oldest first. The connection is taken shared, so that other statements can be sent on
/// it before this one answers (one wait for all).
pub async fn of_issue(conn: &AsyncPgConnection, issue_id: Uuid) -> Result<Vec<EventRow>, DbError> {
    Ok(events::table
        .filter(events::issue_id.eq(issue_id))
        .select(EventRow::as_select())
        .order(events::seq.asc())
        .load(&mut { conn })
        .await?)
}

/// Every event an account acted in (for their export), oldest first.
pub async fn by_actor(conn: &mut AsyncPgConnection, actor: Uuid) -> Result<Vec<EventRow>, DbError> {
    Ok(events::table
        .filter(events::actor_id.eq(actor))
        .select(EventRow::as_select())
        .order((events::issue_id.asc(), events::seq.asc()))
        .load(conn)
        .await?)
}

/// When `actor` last gave a command of `kind` on the issue (an urge's rate limit).
pub async fn last_by(
    conn: &mut AsyncPgConnection,
    issue_id: Uuid,
    kind: &str,
    actor: Uuid,
) -> Result<Option<DateTime<Utc>>, DbError> {
    Ok(events::table
        .filter(events::issue_id.eq(issue_id))
        .filter(events::kind.eq(kind))
        .filter(events::actor_id.eq(actor))
        .select(diesel::dsl::max(events::at))
        .first(conn)
        .await?)
}
