//! Issues: the report's row, its number, the state the rules remember, and the lists that find issues in a scope.

use super::regions::escape_like;
use super::schema::{cosigns, deadlines, issue_agencies, issue_numbers, issues, regions};
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::issue::warning::Warning;
use domain::issue::{IssueScope, IssueState, Parties, Status};
use domain::organisation::region::RegionPath;
use domain::stats::Milestone;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
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
    let codes: Vec<String> = path.codes().map(str::to_owned).collect();
    let prefixed: Vec<(String, Option<String>)> = regions::table
        .filter(regions::code.eq_any(&codes))
        .filter(regions::issue_prefix.is_not_null())
        .select((regions::path, regions::issue_prefix))
        .load(conn)
        .await?;
    let prefix = prefixed
        .into_iter()
        .max_by_key(|(p, _)| p.len())
        .and_then(|(_, prefix)| prefix)
        .or_else(|| codes.last().cloned())
        .unwrap_or_default();
    let last: i64 = diesel::insert_into(issue_numbers::table)
        .values((
            issue_numbers::prefix.eq(&prefix),
            issue_numbers::year.eq(year),
            issue_numbers::last.eq(1_i64),
        ))
        .on_conflict((issue_numbers::prefix, issue_numbers::year))
        .do_update()
        .set(issue_numbers::last.eq(issue_numbers::last + 1_i64))
        .returning(issue_numbers::last)
        .get_result(conn)
        .await?;
    Ok(domain::issue::number::issue_number(&prefix, year, last))
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<IssueRow>, DbError> {
    Ok(issues::table
        .find(id)
        .select(IssueRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// The issue, locked until the transaction ends: commands on one issue take turns.
pub async fn lock(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<IssueRow>, DbError> {
    Ok(issues::table
        .find(id)
        .select(IssueRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?)
}

/// Who stands toward an issue (its parties) and its marks, in one round trip.
pub async fn standing(conn: &mut AsyncPgConnection, row: &IssueRow) -> Result<(Parties, Marks), DbError> {
    #[derive(QueryableByName)]
    struct Standing {
        #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Uuid>)]
        cosigners: Vec<Uuid>,
        #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Uuid>)]
        raters: Vec<Uuid>,
        #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Uuid>)]
        past_agencies: Vec<Uuid>,
        #[diesel(embed)]
        marks: Marks,
    }
    let found: Standing = diesel::sql_query(
        "SELECT ARRAY(SELECT user_id FROM cosigns WHERE issue_id = $1 ORDER BY created_at, user_id) AS cosigners,
                ARRAY(SELECT rater_id FROM ratings WHERE issue_id = $1 AND round = $2) AS raters,
                ARRAY(SELECT agency_id FROM issue_agencies WHERE issue_id = $1) AS past_agencies,
                EXISTS (SELECT 1 FROM key_supervisions WHERE issue_id = $1) AS key_supervision,
                EXISTS (SELECT 1 FROM withholdings WHERE issue_id = $1) AS withheld",
    )
    .bind::<diesel::sql_types::Uuid, _>(row.id)
    .bind::<diesel::sql_types::SmallInt, _>(row.round)
    .get_result(conn)
    .await?;
    let parties = Parties {
        region: row.path(),
        station: row.station_id,
        deputy: row.deputy_id,
        reporter: row.reporter_id,
        lead_agency: row.lead_agency_id,
        co_agencies: row.co_agency_ids.clone(),
        past_agencies: found.past_agencies,
        cosigners: found.cosigners,
        raters: found.raters,
    };
    Ok((parties, found.marks))
}

/// Writes the state a command left (and `closed_at` when it closed).
pub async fn save_state(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    state: &IssueState,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    let reply = state.reply.map(domain::issue::ReplyCategory::as_str);
    let closed_at = (state.status == Status::Closed).then_some(at);
    diesel::update(issues::table.find(id))
        .set((
            issues::status.eq(state.status.as_str()),
            issues::lead_agency_id.eq(state.lead_agency),
            issues::co_agency_ids.eq(&state.co_agencies),
            issues::round.eq(i16::try_from(state.round).unwrap_or(i16::MAX)),
            issues::reply_category.eq(reply),
            issues::pending_extension.eq(state.pending_extension),
            issues::extension_used.eq(state.extension_used),
            issues::merged_into.eq(state.merged_into),
            issues::updated_at.eq(at),
            issues::closed_at.eq(closed_at),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_level(conn: &mut AsyncPgConnection, id: Uuid, level: Option<&str>) -> Result<(), DbError> {
    diesel::update(issues::table.find(id))
        .set(issues::level.eq(level))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_complex(conn: &mut AsyncPgConnection, id: Uuid, complex: bool) -> Result<(), DbError> {
    diesel::update(issues::table.find(id))
        .set(issues::complex.eq(complex))
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

pub async fn set_rating(conn: &mut AsyncPgConnection, id: Uuid, rating: &str) -> Result<(), DbError> {
    diesel::update(issues::table.find(id))
        .set(issues::rating.eq(rating))
        .execute(conn)
        .await?;
    Ok(())
}

/// Remembers every agency an issue was routed to.
pub async fn add_agencies(conn: &mut AsyncPgConnection, id: Uuid, agencies: &[Uuid]) -> Result<(), DbError> {
    let rows: Vec<_> = agencies
        .iter()
        .map(|a| (issue_agencies::issue_id.eq(id), issue_agencies::agency_id.eq(*a)))
        .collect();
    diesel::insert_into(issue_agencies::table)
        .values(rows)
        .on_conflict_do_nothing()
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

/// Which issues a list wants, besides the caller's scope.
#[derive(Debug, Default, Clone)]
pub struct IssueFilter {
    pub statuses: Vec<String>,
    pub station: Option<Uuid>,
    pub agency: Option<Uuid>,
    pub category: Option<String>,
    pub path_prefix: Option<String>,
    pub reporter: Option<Uuid>,
    pub text: Option<String>,
    /// Only issues this agency leads now.
    pub lead_agency: Option<Uuid>,
    /// Only issues with an extension waiting for a decision.
    pub pending_extension: bool,
    /// Only issues of this colour at this moment: the worst of their open agency deadlines.
    pub warning: Option<(Warning, DateTime<Utc>)>,
    /// Only issues reported by the voters who follow this deputy.
    pub from_voters_of: Option<Uuid>,
    /// Only issues a deputy or staff member has urged (催办).
    pub urged: bool,
    pub after: Option<Uuid>,
}

type Condition = Box<dyn BoxableExpression<issues::table, Pg, SqlType = Bool>>;

/// The scope as a condition on `issues`.
fn scope_condition(scope: &IssueScope) -> Condition {
    match scope {
        IssueScope::Everywhere => Box::new(sql::<Bool>("TRUE")),
        IssueScope::Subtree(root) => Box::new(issues::region_path.like(format!("{}%", escape_like(root.as_str())))),
        IssueScope::Deputy { user, stations } => Box::new(
            issues::station_id
                .eq_any(stations.clone())
                .or(issues::deputy_id.eq(*user))
                .or(issues::reporter_id.eq(*user))
                .or(issues::id.eq_any(
                    cosigns::table
                        .filter(cosigns::user_id.eq(*user))
                        .select(cosigns::issue_id),
                ))
                .assume_not_null(),
        ),
        IssueScope::Agency(agency) => Box::new(
            issues::id.eq_any(
                issue_agencies::table
                    .filter(issue_agencies::agency_id.eq(*agency))
                    .select(issue_agencies::issue_id),
            ),
        ),
        IssueScope::Reporter(user) => Box::new(issues::reporter_id.eq(*user)),
    }
}

/// A page of issues in `scope`, newest first; `probe` rows at most.
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &IssueScope,
    filter: &IssueFilter,
    probe: i64,
) -> Result<Vec<IssueRow>, DbError> {
    let mut q = issues::table
        .filter(scope_condition(scope))
        .select(IssueRow::as_select())
        .into_boxed();
    if !filter.statuses.is_empty() {
        q = q.filter(issues::status.eq_any(filter.statuses.clone()));
    }
    if let Some(s) = filter.station {
        q = q.filter(issues::station_id.eq(s));
    }
    if let Some(d) = filter.from_voters_of {
        use super::schema::deputy_voters as v;
        q = q.filter(issues::reporter_id.eq_any(v::table.filter(v::deputy_id.eq(d)).select(v::voter_id)));
    }
    if let Some(a) = filter.agency {
        // Every agency an issue was routed to, the lead among them, is in issue_agencies (`add_agencies`). Asking
        // only there (no `lead_agency_id = a OR …`) lets PostgreSQL join on its index instead of rescanning it per row.
        q = q.filter(
            issues::id.eq_any(
                issue_agencies::table
                    .filter(issue_agencies::agency_id.eq(a))
                    .select(issue_agencies::issue_id),
            ),
        );
    }
    if let Some(c) = &filter.category {
        q = q.filter(issues::category_code.eq(c.clone()));
    }
    if let Some(p) = &filter.path_prefix {
        q = q.filter(issues::region_path.like(format!("{}%", escape_like(p))));
    }
    if let Some(r) = filter.reporter {
        q = q.filter(issues::reporter_id.eq(r));
    }
    if let Some(t) = &filter.text {
        let pattern = format!("%{}%", escape_like(t));
        q = q.filter(
            issues::description
                .ilike(pattern.clone())
                .or(issues::title.ilike(pattern.clone()).assume_not_null())
                .or(issues::number.ilike(pattern)),
        );
    }
    if let Some(a) = filter.lead_agency {
        q = q.filter(issues::lead_agency_id.eq(a));
    }
    if filter.pending_extension {
        q = q.filter(issues::pending_extension.eq(true));
    }
    if filter.urged {
        use super::schema::issue_events as e;
        q = q.filter(issues::id.eq_any(e::table.filter(e::kind.eq("urge")).select(e::issue_id)));
    }
    if let Some((warning, now)) = filter.warning {
        // Issues with an open agency deadline (of which, when `past` is given, one whose moment has come).
        let agency_open = || {
            deadlines::table
                .filter(deadlines::ended_at.is_null())
                .filter(deadlines::stage.ne("rate"))
                .select(deadlines::issue_id)
        };
        let red = || agency_open().filter(deadlines::due_at.le(now));
        let yellow_or_red = || agency_open().filter(deadlines::warn_at.le(now));
        q = match warning {
            Warning::Red => q.filter(issues::id.eq_any(red())),
            Warning::Yellow => q
                .filter(issues::id.eq_any(yellow_or_red()))
                .filter(diesel::dsl::not(issues::id.eq_any(red()))),
            Warning::Green => q
                .filter(issues::id.eq_any(agency_open()))
                .filter(diesel::dsl::not(issues::id.eq_any(yellow_or_red()))),
        };
    }
    if let Some(after) = filter.after {
        q = q.filter(issues::id.lt(after));
    }
    Ok(q.order(issues::id.desc()).limit(probe).load(conn).await?)
}

/// Open issues in `category` inside a box around a point, reported since `since`, in `scope`.
pub async fn in_box(
    conn: &mut AsyncPgConnection,
    scope: &IssueScope,
    category: &str,
    (south, west, north, east): (f64, f64, f64, f64),
    since: DateTime<Utc>,
) -> Result<Vec<IssueRow>, DbError> {
    Ok(issues::table
        .filter(scope_condition(scope))
        .filter(issues::category_code.eq(category))
        .filter(issues::status.ne_all(["closed", "declined", "merged"]))
        .filter(issues::created_at.ge(since))
        .filter(issues::latitude.between(south, north))
        .filter(issues::longitude.between(west, east))
        .select(IssueRow::as_select())
        .order(issues::created_at.desc())
        .limit(200)
        .load(conn)
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

/// Is the issue under key supervision (挂牌督办), and is it withheld from the public results?
pub async fn marks(conn: &mut AsyncPgConnection, issue: Uuid) -> Result<Marks, DbError> {
    Ok(diesel::sql_query(
        "SELECT EXISTS (SELECT 1 FROM key_supervisions WHERE issue_id = $1) AS key_supervision, \
                EXISTS (SELECT 1 FROM withholdings WHERE issue_id = $1) AS withheld",
    )
    .bind::<diesel::sql_types::Uuid, _>(issue)
    .get_result(conn)
    .await?)
}

/// When the issue was first routed: sign and reply times count from it.
pub async fn routed_at(conn: &mut AsyncPgConnection, issue: Uuid) -> Result<Option<DateTime<Utc>>, DbError> {
    #[derive(QueryableByName)]
    struct Routed {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Timestamptz>)]
        routed_at: Option<DateTime<Utc>>,
    }
    let row: Routed = diesel::sql_query("SELECT routed_at FROM issues WHERE id = $1")
        .bind::<diesel::sql_types::Uuid, _>(issue)
        .get_result(conn)
        .await?;
    Ok(row.routed_at)
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

/// Keeps what a milestone tells statistics: the first passing of each point (a later one changes nothing), and
/// lateness, which stays once earned.
pub async fn record_milestone(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    milestone: Milestone,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    use diesel::sql_types::{Float4, Timestamptz, Uuid as SqlUuid};
    #[allow(clippy::cast_possible_truncation)]
    let days = |d: f64| d as f32;
    match milestone {
        Milestone::Accepted => {
            diesel::sql_query("UPDATE issues SET accepted_at = coalesce(accepted_at, $2) WHERE id = $1")
                .bind::<SqlUuid, _>(id)
                .bind::<Timestamptz, _>(at)
                .execute(conn)
                .await?
        }
        Milestone::Routed => {
            diesel::sql_query("UPDATE issues SET routed_at = coalesce(routed_at, $2) WHERE id = $1")
                .bind::<SqlUuid, _>(id)
                .bind::<Timestamptz, _>(at)
                .execute(conn)
                .await?
        }
        Milestone::Signed { working_days, late } => {
            // A timely signing says nothing yet about the reply: it leaves `reply_late` as it was.
            diesel::sql_query(
                "UPDATE issues SET signed_at = coalesce(signed_at, $2), sign_days = coalesce(sign_days, $3), \
                 reply_late = CASE WHEN $4 THEN true ELSE reply_late END WHERE id = $1",
            )
            .bind::<SqlUuid, _>(id)
            .bind::<Timestamptz, _>(at)
            .bind::<Float4, _>(days(working_days))
            .bind::<Bool, _>(late)
            .execute(conn)
            .await?
        }
        Milestone::Replied(t) => {
            // Every right-hand side reads the row as it was: `replied_at IS NULL` means "this is the first reply".
            diesel::sql_query(
                "UPDATE issues SET replied_at = coalesce(replied_at, $2), reply_days = coalesce(reply_days, $3), \
                 replied_same_day = CASE WHEN replied_at IS NULL THEN $4 ELSE replied_same_day END, \
                 reply_late = coalesce(reply_late, false) OR $5 WHERE id = $1",
            )
            .bind::<SqlUuid, _>(id)
            .bind::<Timestamptz, _>(at)
            .bind::<Float4, _>(days(t.working_days))
            .bind::<Bool, _>(t.same_day)
            .bind::<Bool, _>(t.late)
            .execute(conn)
            .await?
        }
    };
    Ok(())
}

/// A sign or reply deadline passed unmet: the issue no longer counts as handled on time.
pub async fn mark_reply_late(conn: &mut AsyncPgConnection, id: Uuid) -> Result<(), DbError> {
    diesel::sql_query("UPDATE issues SET reply_late = true WHERE id = $1")
        .bind::<diesel::sql_types::Uuid, _>(id)
        .execute(conn)
        .await?;
    Ok(())
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
