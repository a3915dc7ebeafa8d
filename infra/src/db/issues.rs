//! Issues: the report's row, its number, the state the rules remember, and the lists that find issues in a scope.

use super::schema::{cosigns, issue_joins, issues};
use super::statements::Cache;
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Nullable, Text};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::issue::{IssueState, Status};
use domain::organisation::region::RegionPath;
use uuid::Uuid;

mod list;
mod standing;
pub use list::{in_box, list, lists, IssueFilter, Listed, OPEN_MOMENTS};
pub use standing::{
    append_for_view, save_state, with_standing, Read, Saved, Standing, ViewParts, APPENDED_FOR_VIEW, FOR_COMMAND,
    FOR_VIEW,
};

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
