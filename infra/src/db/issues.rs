//! Issues: the report's row, its number, the state the rules remember, and the lists that find issues in a scope.

use super::schema::{cosigns, issue_joins, issues};
use super::statements::Cache;
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::issue::{IssueState, Parties, Status};
use domain::organisation::region::RegionPath;
use domain::stats::Checkpoint;
use uuid::Uuid;

mod list;
pub use list::{in_box, list, lists, IssueFilter, Listed, OPEN_MOMENTS};

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = issues)]
#[allow(clippy::struct_excessive_bools)]
pub struct IssueRow {
    pub id: Uuid,
    pub number: String,
    pub region_code: String,
    pub region_path: String,
    pub station_id: Option<Uuid>,
    pub deputy_id: Option<Uuid>,
    pub reporter_id: Uuid,
    pub reporter_role: String,
    pub anonymous: bool,
    pub title: Option<String>,
    pub description: String,
    pub category_code: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub address: Option<String>,
    pub status: String,
    pub level: Option<String>,
    pub complex: bool,
    pub lead_agency_id: Option<Uuid>,
    pub co_agency_ids: Vec<Uuid>,
    pub round: i16,
    pub reply_category: Option<String>,
    pub pending_extension: bool,
    pub extension_used: bool,
    pub converted_at: Option<DateTime<Utc>>,
    pub merged_into: Option<Uuid>,
    pub rating: Option<String>,
    pub needs_review: bool,
    pub last_seq: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// What a list shows of an issue (`Listed`): the columns of a summary and no more. An inbox reads up to 204 of them;
/// decoding every column of `IssueRow` was a sixth of the service's time there (perf, 2026-11-30).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = issues)]
pub struct SummaryRow {
    pub id: Uuid,
    pub number: String,
    pub region_code: String,
    pub station_id: Option<Uuid>,
    pub anonymous: bool,
    pub title: Option<String>,
    pub description: String,
    pub category_code: Option<String>,
    pub status: String,
    pub lead_agency_id: Option<Uuid>,
    /// Read in the list's own statement (a key lookup a row): a list names who is working each issue, and not every
    /// role that reads one may list the agencies.
    #[diesel(select_expression = sql::<Nullable<Text>>(LEAD_AGENCY_NAME))]
    #[diesel(select_expression_type = diesel::expression::SqlLiteral<Nullable<Text>>)]
    pub lead_agency_name: Option<String>,
    pub round: i16,
    pub needs_review: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const LEAD_AGENCY_NAME: &str = "(SELECT a.name FROM agencies a WHERE a.id = issues.lead_agency_id)";

/// What the rules remember of an issue in tables of its own: key supervision and withholding from the public.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, QueryableByName)]
pub struct Marks {
    #[diesel(sql_type = Bool)]
    pub key_supervision: bool,
    #[diesel(sql_type = Bool)]
    pub withheld: bool,
}

impl IssueRow {
    /// The state the rules judge commands against, with its marks (kept in tables of their own).
    ///
    /// # Errors
    /// When a stored word is not one the domain knows (the CHECK constraints make this a bug, not an input error).
    pub fn state(&self, marks: Marks) -> Result<IssueState, DbError> {
        let bad = |what: &str| DbError::Query(diesel::result::Error::DeserializationError(what.to_owned().into()));
        Ok(IssueState {
            status: self.status()?,
            lead_agency: self.lead_agency_id,
            co_agencies: self.co_agency_ids.clone(),
            round: u16::try_from(self.round).map_err(|_| bad("round"))?,
            reply: self
                .reply_category
                .as_deref()
                .map(str::parse)
                .transpose()
                .map_err(|_| bad("reply_category"))?,
            pending_extension: self.pending_extension,
            extension_used: self.extension_used,
            converted: self.converted_at.is_some(),
            merged_into: self.merged_into,
            key_supervision: marks.key_supervision,
            withheld: marks.withheld,
        })
    }

    /// # Errors
    /// When the stored status is unknown.
    pub fn status(&self) -> Result<Status, DbError> {
        self.status
            .parse()
            .map_err(|_| DbError::Query(diesel::result::Error::DeserializationError("status".into())))
    }

    #[must_use]
    pub fn path(&self) -> RegionPath {
        RegionPath::from_stored(self.region_path.clone())
    }
}

/// A report's columns, already checked by the domain.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = issues)]
pub struct NewIssue<'a> {
    pub id: Uuid,
    pub number: &'a str,
    pub region_code: &'a str,
    pub region_path: &'a str,
    pub station_id: Option<Uuid>,
    pub deputy_id: Option<Uuid>,
    pub reporter_id: Uuid,
    pub reporter_role: &'a str,
    pub anonymous: bool,
    pub title: Option<&'a str>,
    pub description: &'a str,
    pub category_code: Option<&'a str>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub address: Option<&'a str>,
    pub status: &'a str,
    pub needs_review: bool,
    pub last_seq: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub async fn insert(conn: &mut AsyncPgConnection, new: &NewIssue<'_>) -> Result<(), DbError> {
    diesel::insert_into(issues::table).values(new).execute(conn).await?;
    Ok(())
}

/// The next number for an issue in `path` in `year`: the nearest region up the tree with an `issue_prefix` names the
/// sequence, or the issue's own region code when none has one. Run on its own, before the report's transaction: the
/// counter's row is locked only for this statement.
pub async fn next_number(conn: &mut AsyncPgConnection, path: &RegionPath, year: i32) -> Result<String, DbError> {
    use diesel::sql_types::{Array, BigInt, Integer, Text};
    #[derive(QueryableByName)]
    struct Numbered {
        #[diesel(sql_type = Text)]
        prefix: String,
        #[diesel(sql_type = BigInt)]
        last: i64,
    }
    let codes: Vec<&str> = path.codes().collect();
    let own = codes.last().copied().unwrap_or_default();
    let n: Numbered = diesel::sql_query(
        "INSERT INTO issue_numbers (prefix, year, last)
         SELECT coalesce((SELECT r.issue_prefix FROM regions r
                           WHERE r.code = ANY($1) AND r.issue_prefix IS NOT NULL
                           ORDER BY length(r.path) DESC LIMIT 1), $2), $3, 1
         ON CONFLICT (prefix, year) DO UPDATE SET last = issue_numbers.last + 1
         RETURNING prefix, last",
    )
    .bind::<Array<Text>, _>(&codes)
    .bind::<Text, _>(own)
    .bind::<Integer, _>(year)
    .cached()
    .get_result(conn)
    .await?;
    Ok(domain::issue::number::issue_number(&n.prefix, year, n.last))
}

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
    pub deadlines: Vec<super::deadlines::DeadlineRow>,
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
    pub photos: Vec<super::photos::PhotoRow>,
    pub pending: Option<super::extensions::ExtensionRow>,
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
    event: &super::events::NewEvent<'_>,
    at: DateTime<Utc>,
) -> Result<Standing, DbError> {
    use diesel::sql_types::{Binary, Int4, Nullable, Text, Timestamptz, Uuid as SqlUuid};
    let e = super::events::chain(id, last_seq, prev, event.clone(), at);
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

pub async fn set_level(conn: &mut AsyncPgConnection, id: Uuid, level: Option<&str>) -> Result<(), DbError> {
    diesel::update(issues::table.find(id))
        .set(issues::level.eq(level))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_converted(conn: &mut AsyncPgConnection, id: Uuid, at: DateTime<Utc>) -> Result<(), DbError> {
    diesel::update(issues::table.find(id))
        .set(issues::converted_at.eq(at))
        .execute(conn)
        .await?;
    Ok(())
}

/// Records a routing: every agency the issue goes to (kept in `issue_agencies` for good, so an agency that once had
/// it still sees it) and whether it is complex (the longer reply deadline). One statement.
pub async fn route_to(conn: &mut AsyncPgConnection, id: Uuid, agencies: &[Uuid], complex: bool) -> Result<(), DbError> {
    use diesel::sql_types::{Array, Uuid as SqlUuid};
    diesel::sql_query(
        "WITH flagged AS (UPDATE issues SET complex = $3 WHERE id = $1)
         INSERT INTO issue_agencies (issue_id, agency_id) SELECT $1, unnest($2::uuid[])
         ON CONFLICT DO NOTHING",
    )
    .bind::<SqlUuid, _>(id)
    .bind::<Array<SqlUuid>, _>(agencies)
    .bind::<Bool, _>(complex)
    .cached()
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn cosign(conn: &mut AsyncPgConnection, id: Uuid, user: Uuid) -> Result<(), DbError> {
    diesel::insert_into(cosigns::table)
        .values((cosigns::issue_id.eq(id), cosigns::user_id.eq(user)))
        .execute(conn)
        .await?;
    Ok(())
}

/// 我也遇到: `user` joins the issue.
pub async fn join(conn: &mut AsyncPgConnection, id: Uuid, user: Uuid) -> Result<(), DbError> {
    diesel::insert_into(issue_joins::table)
        .values((issue_joins::issue_id.eq(id), issue_joins::user_id.eq(user)))
        .execute(conn)
        .await?;
    Ok(())
}

/// How many reports `reporter` made since `since`.
pub async fn reported_since(
    conn: &mut AsyncPgConnection,
    reporter: Uuid,
    since: DateTime<Utc>,
) -> Result<i64, DbError> {
    Ok(issues::table
        .filter(issues::reporter_id.eq(reporter))
        .filter(issues::created_at.ge(since))
        .count()
        .get_result(conn)
        .await?)
}

/// Every issue `reporter` made (for their export), oldest first.
pub async fn of_reporter(conn: &mut AsyncPgConnection, reporter: Uuid) -> Result<Vec<IssueRow>, DbError> {
    Ok(issues::table
        .filter(issues::reporter_id.eq(reporter))
        .select(IssueRow::as_select())
        .order(issues::id.asc())
        .load(conn)
        .await?)
}

/// An erased citizen's issues stay, but no longer point at anyone agencies could see: they become anonymous.
pub async fn anonymise_reporter(conn: &mut AsyncPgConnection, reporter: Uuid) -> Result<usize, DbError> {
    Ok(diesel::update(issues::table.filter(issues::reporter_id.eq(reporter)))
        .set(issues::anonymous.eq(true))
        .execute(conn)
        .await?)
}

/// Marks an issue for key supervision (a second mark changes nothing).
pub async fn mark_key_supervision(
    conn: &mut AsyncPgConnection,
    issue: Uuid,
    by: Uuid,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    use super::schema::key_supervisions as k;
    diesel::insert_into(k::table)
        .values((k::issue_id.eq(issue), k::marked_by.eq(by), k::marked_at.eq(at)))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

/// A sign or reply deadline passed unmet: the issue no longer counts as handled on time.
/// Moves many issues' timelines on at once (the worker's batches): each issue's last event, and whether a deadline
/// passed unmet makes it late.
pub async fn advance_many(conn: &mut AsyncPgConnection, issues: &[(Uuid, i32, bool)]) -> Result<usize, DbError> {
    use diesel::sql_types::{Array, Int4, Uuid as SqlUuid};
    if issues.is_empty() {
        return Ok(0);
    }
    Ok(diesel::sql_query(
        "UPDATE issues i SET last_seq = u.last_seq, reply_late = CASE WHEN u.late THEN true ELSE i.reply_late END
           FROM unnest($1::uuid[], $2::int4[], $3::bool[]) AS u (id, last_seq, late)
          WHERE i.id = u.id",
    )
    .bind::<Array<SqlUuid>, _>(issues.iter().map(|(id, _, _)| *id).collect::<Vec<_>>())
    .bind::<Array<Int4>, _>(issues.iter().map(|(_, seq, _)| *seq).collect::<Vec<_>>())
    .bind::<Array<Bool>, _>(issues.iter().map(|(_, _, late)| *late).collect::<Vec<_>>())
    .cached()
    .execute(conn)
    .await?)
}

/// Withholds an issue from the public results, with the reason.
pub async fn withhold(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    reason: &str,
    by: Uuid,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    use super::schema::withholdings as w;
    diesel::insert_into(w::table)
        .values((
            w::issue_id.eq(id),
            w::reason.eq(reason),
            w::withheld_by.eq(by),
            w::withheld_at.eq(at),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    Ok(())
}

/// Shows a withheld issue in the public results again.
pub async fn publish(conn: &mut AsyncPgConnection, id: Uuid) -> Result<(), DbError> {
    use super::schema::withholdings as w;
    diesel::delete(w::table.find(id)).execute(conn).await?;
    Ok(())
}

/// Holds issue `id` for review: out of the public results until staff publish it (a photo WeChat found risky).
pub async fn hold_for_review(conn: &mut AsyncPgConnection, id: Uuid) -> Result<(), DbError> {
    diesel::update(issues::table.find(id))
        .set(issues::needs_review.eq(true))
        .execute(conn)
        .await?;
    Ok(())
}
