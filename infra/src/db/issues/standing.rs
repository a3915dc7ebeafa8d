//! The state the rules remember, read beside what a view needs (`with_standing`, `append_for_view`) and saved by a
//! command in one statement (`save_state`).

use super::{IssueRow, Marks};
use crate::db::statements::Cache;
use crate::db::DbError;
use chrono::{DateTime, Utc};
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::issue::{IssueState, Parties, Status};
use domain::stats::Checkpoint;
use uuid::Uuid;

/// How an issue is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Read {
    /// With what its full view shows besides the row ([`ViewParts`]).
    ForView,
    /// Locked until the transaction ends, for a command: commands on one issue take turns.
    ForCommand,
}

/// An issue with who stands toward it (its parties), its marks and its open deadlines, and what else the read asked
/// for.
pub struct Standing {
    pub row: IssueRow,
    pub parties: Parties,
    pub marks: Marks,
    /// Open deadlines, soonest first.
    pub deadlines: Vec<crate::db::deadlines::DeadlineRow>,
    /// The hash of the timeline's last event, which the next event chains to (the genesis value before the first).
    pub last_hash: Vec<u8>,
    /// The first routing, which sign and reply times count from.
    pub routed_at: Option<DateTime<Utc>>,
    /// Read [`Read::ForView`] only.
    pub parts: Option<ViewParts>,
}

/// What an issue's full view shows besides its row and deadlines: the names of its agencies and station, its reporter
/// (whom the view shows only to those who may see them), photos, and the extension waiting for a decision.
#[derive(Debug, Default)]
pub struct ViewParts {
    pub agencies: Vec<(Uuid, String)>,
    pub station: Option<String>,
    pub reporter: Option<(Uuid, String, String, Option<String>)>,
    pub photos: Vec<crate::db::photos::PhotoRow>,
    pub pending: Option<crate::db::extensions::ExtensionRow>,
}

// The columns an issue is read with: the row, its parties, marks, open deadlines and last event hash, then `$parts`
// (what its view shows besides, or NULLs). One list serves the reads below, the command's last write, whose
// RETURNING answers the issue as the command leaves it, and a report's, which knows its last hash (`$last_hash`).
macro_rules! standing {
    ($parts:expr) => {
        standing!(
            "(SELECT e.hash FROM issue_events e WHERE e.issue_id = i.id AND e.seq = i.last_seq)",
            $parts
        )
    };
    ($last_hash:expr, $parts:expr) => {
        concat!(
            "i.*,
            ARRAY(SELECT c.user_id FROM cosigns c WHERE c.issue_id = i.id ORDER BY c.created_at, c.user_id)
                AS cosigners,
            ARRAY(SELECT j.user_id FROM issue_joins j WHERE j.issue_id = i.id ORDER BY j.created_at, j.user_id)
                AS joiners,
            ARRAY(SELECT r.rater_id FROM ratings r WHERE r.issue_id = i.id AND r.round = i.round) AS raters,
            ARRAY(SELECT a.agency_id FROM issue_agencies a WHERE a.issue_id = i.id) AS past_agencies,
            EXISTS (SELECT 1 FROM key_supervisions k WHERE k.issue_id = i.id) AS key_supervision,
            EXISTS (SELECT 1 FROM withholdings w WHERE w.issue_id = i.id) AS withheld,
            (SELECT coalesce(jsonb_agg(to_jsonb(d) ORDER BY d.due_at), '[]')
               FROM deadlines d WHERE d.issue_id = i.id AND d.ended_at IS NULL) AS open_deadlines,
            ",
            $last_hash,
            " AS last_hash,
            ",
            $parts
        )
    };
}
macro_rules! view_parts {
    () => {
        "(SELECT coalesce(jsonb_agg(jsonb_build_array(a.id, a.name)), '[]')
               FROM agencies a WHERE a.id = ANY(array_append(i.co_agency_ids, i.lead_agency_id))) AS agency_names,
            (SELECT s.name FROM stations s WHERE s.id = i.station_id) AS station_name,
            (SELECT jsonb_build_array(u.id, u.name, u.role, u.phone) FROM users u WHERE u.id = i.reporter_id)
                AS reporter,
            (SELECT coalesce(jsonb_agg(to_jsonb(p) ORDER BY p.id), '[]') FROM photos p WHERE p.issue_id = i.id)
                AS photos,
            (SELECT to_jsonb(x) FROM extensions x
              WHERE i.pending_extension AND x.issue_id = i.id AND x.decision IS NULL LIMIT 1) AS pending"
    };
}
macro_rules! no_parts {
    () => {
        "NULL::jsonb AS agency_names, NULL::text AS station_name, NULL::jsonb AS reporter, NULL::jsonb AS photos,
            NULL::jsonb AS pending"
    };
}
/// The statement that reads an issue for its view ([`with_standing`], [`Read::ForView`]); `$1` is its id.
pub const FOR_VIEW: &str = concat!("SELECT ", standing!(view_parts!()), " FROM issues i WHERE i.id = $1");
/// The statement that reads and locks an issue for a command ([`Read::ForCommand`]); `$1` is its id.
pub const FOR_COMMAND: &str = concat!(
    "SELECT ",
    standing!(no_parts!()),
    " FROM issues i WHERE i.id = $1 FOR UPDATE OF i"
);

/// The statement that appends an issue's event and answers the issue's view as it stands with it, for the last write
/// of a transaction that made the issue (a report): `$1`–`$13` are the event's columns in the order it names them.
/// The view sees every earlier statement of the transaction (the issue, its photos); the event itself it takes from
/// the insert, whose rows the statement's own reads would not see.
pub const APPENDED_FOR_VIEW: &str = concat!(
    "WITH appended AS (INSERT INTO ",
    event_columns!(),
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING issue_id, hash)
     SELECT ",
    standing!("appended.hash", view_parts!()),
    " FROM issues i JOIN appended ON appended.issue_id = i.id"
);

/// Appends `event` (chained to `prev`, the hash of event `last_seq`) to the issue `id` and answers the issue with its
/// standing and view as it stands with the event, in one statement: a report's answer costs no read after its writes.
pub async fn append_for_view(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    last_seq: i32,
    prev: &[u8],
    event: &crate::db::events::NewEvent<'_>,
    at: DateTime<Utc>,
) -> Result<Standing, DbError> {
    use diesel::sql_types::{Binary, Int4, Nullable, Text, Timestamptz, Uuid as SqlUuid};
    let e = crate::db::events::chain(id, last_seq, prev, event.clone(), at);
    let found: StandingColumns = diesel::sql_query(APPENDED_FOR_VIEW)
        .bind::<SqlUuid, _>(id)
        .bind::<Int4, _>(e.seq)
        .bind::<Text, _>(event.kind)
        .bind::<Nullable<SqlUuid>, _>(event.actor_id)
        .bind::<Nullable<Text>, _>(event.actor_role)
        .bind::<Nullable<Text>, _>(event.from_status)
        .bind::<Nullable<Text>, _>(event.to_status)
        .bind::<Nullable<Text>, _>(event.note)
        .bind::<Bool, _>(event.internal)
        .bind::<Text, _>(&e.data)
        .bind::<Timestamptz, _>(e.at)
        .bind::<Binary, _>(&e.prev_hash)
        .bind::<Binary, _>(&e.hash)
        .cached()
        .get_result(conn)
        .await?;
    standing_of(found, Read::ForView)
}

/// An issue as [`standing!`] reads it.
#[derive(QueryableByName)]
struct StandingColumns {
    #[diesel(embed)]
    issue: IssueRow,
    #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Uuid>)]
    cosigners: Vec<Uuid>,
    #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Uuid>)]
    joiners: Vec<Uuid>,
    #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Uuid>)]
    raters: Vec<Uuid>,
    #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Uuid>)]
    past_agencies: Vec<Uuid>,
    #[diesel(embed)]
    marks: Marks,
    #[diesel(sql_type = diesel::sql_types::Jsonb)]
    open_deadlines: serde_json::Value,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Binary>)]
    last_hash: Option<Vec<u8>>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
    routed_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Jsonb>)]
    agency_names: Option<serde_json::Value>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    station_name: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Jsonb>)]
    reporter: Option<serde_json::Value>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Jsonb>)]
    photos: Option<serde_json::Value>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Jsonb>)]
    pending: Option<serde_json::Value>,
}

/// The issue with everything a view or a command needs, in one statement.
pub async fn with_standing(conn: &AsyncPgConnection, id: Uuid, read: Read) -> Result<Option<Standing>, DbError> {
    let text = match read {
        Read::ForView => FOR_VIEW,
        Read::ForCommand => FOR_COMMAND,
    };
    let found: Option<StandingColumns> = diesel::sql_query(text)
        .bind::<diesel::sql_types::Uuid, _>(id)
        .cached()
        .get_result(&mut { conn })
        .await
        .optional()?;
    found.map(|f| standing_of(f, read)).transpose()
}

fn standing_of(f: StandingColumns, read: Read) -> Result<Standing, DbError> {
    let id = f.issue.id;
    let last_hash = match (f.last_hash, f.issue.last_seq) {
        (Some(hash), _) => hash,
        (None, 0) => domain::issue::timeline::GENESIS.to_vec(),
        (None, seq) => {
            return Err(DbError::Query(diesel::result::Error::DeserializationError(
                format!("issue {id}: its last event ({seq}) is missing").into(),
            )))
        }
    };
    let parts = match read {
        Read::ForView => Some(ViewParts {
            agencies: f.agency_names.map(from_json).transpose()?.unwrap_or_default(),
            station: f.station_name,
            reporter: f.reporter.map(from_json).transpose()?,
            photos: f.photos.map(from_json).transpose()?.unwrap_or_default(),
            pending: f.pending.map(from_json).transpose()?,
        }),
        Read::ForCommand => None,
    };
    let parties = Parties {
        region: f.issue.path(),
        station: f.issue.station_id,
        deputy: f.issue.deputy_id,
        reporter: f.issue.reporter_id,
        lead_agency: f.issue.lead_agency_id,
        co_agencies: f.issue.co_agency_ids.clone(),
        past_agencies: f.past_agencies,
        cosigners: f.cosigners,
        joiners: f.joiners,
        raters: f.raters,
    };
    Ok(Standing {
        row: f.issue,
        parties,
        marks: f.marks,
        deadlines: from_json(f.open_deadlines)?,
        last_hash,
        routed_at: f.routed_at,
        parts,
    })
}

fn from_json<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T, DbError> {
    serde_json::from_value(v).map_err(|e| DbError::Query(diesel::result::Error::DeserializationError(Box::new(e))))
}

// A command's write of the state it left, `$1` the issue. Every right-hand side reads the row as it was:
// `replied_at IS NULL` means "this is the first reply". A timely signing says nothing yet about the reply: it leaves
// `reply_late` as it was. A new round (`$5` past the row's) clears the reporter's rating with the reply it rated: the
// issue waits for a new reply and a new rating (the ratings table keeps every round's).
macro_rules! save {
    () => {
        "UPDATE issues AS i SET status = $2, lead_agency_id = $3, co_agency_ids = $4, round = $5, reply_category = $6,
                pending_extension = $7, extension_used = $8, merged_into = $9, updated_at = $10, closed_at = $11,
                last_seq = $12,
                accepted_at = coalesce(accepted_at, $13),
                routed_at = coalesce(routed_at, $14),
                signed_at = coalesce(signed_at, $15), sign_days = coalesce(sign_days, $16),
                replied_at = coalesce(replied_at, $17), reply_days = coalesce(reply_days, $18),
                replied_same_day = CASE WHEN $20 AND replied_at IS NULL THEN $19 ELSE replied_same_day END,
                reply_late = CASE WHEN $21 THEN true WHEN $20 THEN coalesce(reply_late, false) ELSE reply_late END,
                rating = CASE WHEN $5 > i.round THEN NULL ELSE i.rating END
          WHERE i.id = $1"
    };
}

/// What a command's write of its state answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// Nothing more.
    Quietly,
    /// The issue as the command leaves it, with what its view shows ([`Read::ForView`]): written last in the
    /// command, after its rows, deadlines and event, the write's RETURNING sees them all, so the answer costs no read.
    WithView,
}

/// Writes the state a command left (and `closed_at` when it closed), the number of the event it appends, and what
/// the checkpoint it passed tells statistics: the first passing of each point (a later one changes nothing), and
/// lateness, which stays once earned. One fixed statement whatever the command; [`Saved::WithView`] answers the issue
/// as it now stands.
pub async fn save_state(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    state: &IssueState,
    last_seq: i32,
    checkpoint: Option<Checkpoint>,
    at: DateTime<Utc>,
    saved: Saved,
) -> Result<Option<Standing>, DbError> {
    use diesel::sql_types::{Array, Float4, Int2, Int4, Nullable, Text, Timestamptz, Uuid as SqlUuid};
    #[allow(clippy::cast_possible_truncation)]
    let days = |d: f64| d as f32;
    let reply = state.reply.map(domain::issue::ReplyCategory::as_str);
    let closed_at = (state.status == Status::Closed).then_some(at);
    let when = |m: fn(&Checkpoint) -> bool| checkpoint.as_ref().filter(|x| m(x)).map(|_| at);
    let (sign_days, reply_days, same_day, late, replying) = match checkpoint {
        Some(Checkpoint::Signed { working_days, late }) => (Some(days(working_days)), None, None, late, false),
        Some(Checkpoint::Replied(t)) => (None, Some(days(t.working_days)), Some(t.same_day), t.late, true),
        _ => (None, None, None, false, false),
    };
    let text = match saved {
        Saved::Quietly => save!(),
        Saved::WithView => concat!(save!(), " RETURNING ", standing!(view_parts!())),
    };
    let query = diesel::sql_query(text)
        .into_boxed::<Pg>()
        .bind::<SqlUuid, _>(id)
        .bind::<Text, _>(state.status.as_str())
        .bind::<Nullable<SqlUuid>, _>(state.lead_agency)
        .bind::<Array<SqlUuid>, _>(&state.co_agencies)
        .bind::<Int2, _>(i16::try_from(state.round).unwrap_or(i16::MAX))
        .bind::<Nullable<Text>, _>(reply)
        .bind::<Bool, _>(state.pending_extension)
        .bind::<Bool, _>(state.extension_used)
        .bind::<Nullable<SqlUuid>, _>(state.merged_into)
        .bind::<Timestamptz, _>(at)
        .bind::<Nullable<Timestamptz>, _>(closed_at)
        .bind::<Int4, _>(last_seq)
        .bind::<Nullable<Timestamptz>, _>(when(|m| matches!(m, Checkpoint::Accepted)))
        .bind::<Nullable<Timestamptz>, _>(when(|m| matches!(m, Checkpoint::Routed)))
        .bind::<Nullable<Timestamptz>, _>(when(|m| matches!(m, Checkpoint::Signed { .. })))
        .bind::<Nullable<Float4>, _>(sign_days)
        .bind::<Nullable<Timestamptz>, _>(when(|m| matches!(m, Checkpoint::Replied(_))))
        .bind::<Nullable<Float4>, _>(reply_days)
        .bind::<Nullable<Bool>, _>(same_day)
        .bind::<Bool, _>(replying)
        .bind::<Bool, _>(late)
        .cached();
    match saved {
        Saved::Quietly => {
            query.execute(conn).await?;
            Ok(None)
        }
        Saved::WithView => {
            let found: StandingColumns = query.get_result(conn).await?;
            standing_of(found, Read::ForView).map(Some)
        }
    }
}
