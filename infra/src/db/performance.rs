//! Deputies' performance as PostgreSQL holds what it is counted from (migration 000010): the acts the platform
//! recorded, staff entries, the region's scheme, and the three views of 三维联评.

use super::schema::{performance_entries, performance_reviews, performance_schemes, voter_ratings};
use super::DbError;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

/// An act the platform recorded that earns a deputy points: what it counts as, the record it is, a label for people
/// (an issue's number, a ballot's or project's title, a station's name) and when.
#[derive(Debug, Clone, QueryableByName)]
pub struct Act {
    #[diesel(sql_type = SqlUuid)]
    pub deputy_id: Uuid,
    #[diesel(sql_type = Text)]
    pub source: String,
    #[diesel(sql_type = SqlUuid)]
    pub record_id: Uuid,
    #[diesel(sql_type = Text)]
    pub label: String,
    #[diesel(sql_type = Timestamptz)]
    pub at: DateTime<Utc>,
}

// One statement for every automatic source, so a ranking reads each table once. The sources' words are
// domain::performance::Source's; the event kinds domain::issue::Action's.
const ACTS: &str = "
SELECT i.reporter_id AS deputy_id, 'issue_reported' AS source, i.id AS record_id, i.number AS label, i.created_at AS at
  FROM issues i
 WHERE i.reporter_role = 'deputy' AND i.reporter_id = ANY($1) AND i.created_at >= $2 AND i.created_at < $3
   AND i.status NOT IN ('declined', 'merged')
UNION ALL
SELECT DISTINCT e.actor_id, 'issue_supervised_to_closure', i.id, i.number, i.closed_at
  FROM issues i JOIN issue_events e ON e.issue_id = i.id
 WHERE i.status = 'closed' AND i.closed_at >= $2 AND i.closed_at < $3
   AND e.kind IN ('urge', 'key-supervision', 'site-visit', 'follow-up') AND e.actor_id = ANY($1)
UNION ALL
SELECT e.actor_id, 'suggestion_converted', i.id, i.number, e.at
  FROM issue_events e JOIN issues i ON i.id = e.issue_id
 WHERE e.kind = 'convert' AND e.actor_id = ANY($1) AND e.at >= $2 AND e.at < $3
UNION ALL
SELECT r.deputy_id, 'ballot_cast', b.id, b.title, b.opens_at
  FROM ballot_roster r JOIN ballots b ON b.id = r.ballot_id
 WHERE r.deputy_id = ANY($1) AND r.blinded_hash IS NOT NULL AND b.opens_at >= $2 AND b.opens_at < $3
UNION ALL
SELECT i.deputy_id, 'rating_received', ra.id, i.number, ra.created_at
  FROM ratings ra JOIN issues i ON i.id = ra.issue_id
 WHERE i.deputy_id = ANY($1) AND ra.rater_id <> i.deputy_id
   AND ra.rating IN ('satisfied', 'basically_satisfied') AND ra.created_at >= $2 AND ra.created_at < $3
UNION ALL
SELECT pr.author_id, 'project_inspection', pr.id, p.title, pr.created_at
  FROM project_reports pr JOIN projects p ON p.id = pr.project_id
 WHERE pr.kind = 'inspection' AND pr.author_id = ANY($1) AND pr.created_at >= $2 AND pr.created_at < $3
UNION ALL
SELECT rd.deputy_id, 'reception_day', r.id, s.name, r.held_on::timestamp AT TIME ZONE 'Asia/Shanghai'
  FROM reception_day_deputies rd
  JOIN reception_days r ON r.id = rd.reception_day_id
  JOIN stations s ON s.id = r.station_id
 WHERE rd.deputy_id = ANY($1)
   AND r.held_on::timestamp AT TIME ZONE 'Asia/Shanghai' >= $2 AND r.held_on::timestamp AT TIME ZONE 'Asia/Shanghai' < $3
ORDER BY at, record_id";

/// The acts of these deputies in `[start, end)`, oldest first.
pub async fn acts(
    conn: &mut AsyncPgConnection,
    deputies: &[Uuid],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Vec<Act>, DbError> {
    Ok(diesel::sql_query(ACTS)
        .bind::<Array<SqlUuid>, _>(deputies)
        .bind::<Timestamptz, _>(start)
        .bind::<Timestamptz, _>(end)
        .load(conn)
        .await?)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = performance_entries)]
pub struct EntryRow {
    pub id: Uuid,
    pub deputy_id: Uuid,
    pub year: i32,
    pub item: String,
    pub points: i32,
    pub source: String,
    pub occurred_on: NaiveDate,
    pub entered_by: Uuid,
    pub entered_at: DateTime<Utc>,
}

pub async fn insert_entry(conn: &mut AsyncPgConnection, row: &EntryRow) -> Result<(), DbError> {
    diesel::insert_into(performance_entries::table)
        .values(row)
        .execute(conn)
        .await?;
    Ok(())
}

/// The entries for these deputies in `year`, oldest first.
pub async fn entries(conn: &mut AsyncPgConnection, deputies: &[Uuid], year: i32) -> Result<Vec<EntryRow>, DbError> {
    Ok(performance_entries::table
        .filter(performance_entries::deputy_id.eq_any(deputies))
        .filter(performance_entries::year.eq(year))
        .select(EntryRow::as_select())
        .order(performance_entries::id.asc())
        .load(conn)
        .await?)
}

/// The scheme that applies in a region: the one of the nearest region up `codes` (root first) that has one.
pub async fn scheme_for(
    conn: &mut AsyncPgConnection,
    codes: &[&str],
) -> Result<Option<(String, serde_json::Value)>, DbError> {
    let rows: Vec<(String, serde_json::Value)> = performance_schemes::table
        .filter(performance_schemes::region_code.eq_any(codes))
        .select((performance_schemes::region_code, performance_schemes::scheme))
        .load(conn)
        .await?;
    Ok(codes
        .iter()
        .rev()
        .find_map(|c| rows.iter().find(|(code, _)| code == c).cloned()))
}

pub async fn put_scheme(
    conn: &mut AsyncPgConnection,
    region: &str,
    scheme: &serde_json::Value,
    by: Uuid,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(performance_schemes::table)
        .values((
            performance_schemes::region_code.eq(region),
            performance_schemes::scheme.eq(scheme),
            performance_schemes::updated_by.eq(by),
            performance_schemes::updated_at.eq(at),
        ))
        .on_conflict(performance_schemes::region_code)
        .do_update()
        .set((
            performance_schemes::scheme.eq(scheme),
            performance_schemes::updated_by.eq(by),
            performance_schemes::updated_at.eq(at),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = performance_reviews)]
pub struct ReviewRow {
    pub deputy_id: Uuid,
    pub year: i32,
    /// `self` or `group`.
    pub kind: String,
    pub score: i16,
    pub comment: String,
    pub author_id: Uuid,
    pub at: DateTime<Utc>,
}

/// Writes a self-review or group assessment, replacing the year's earlier one.
pub async fn put_review(conn: &mut AsyncPgConnection, row: &ReviewRow) -> Result<(), DbError> {
    diesel::insert_into(performance_reviews::table)
        .values(row)
        .on_conflict((
            performance_reviews::deputy_id,
            performance_reviews::year,
            performance_reviews::kind,
        ))
        .do_update()
        .set((
            performance_reviews::score.eq(row.score),
            performance_reviews::comment.eq(&row.comment),
            performance_reviews::author_id.eq(row.author_id),
            performance_reviews::at.eq(row.at),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn reviews(conn: &mut AsyncPgConnection, deputies: &[Uuid], year: i32) -> Result<Vec<ReviewRow>, DbError> {
    Ok(performance_reviews::table
        .filter(performance_reviews::deputy_id.eq_any(deputies))
        .filter(performance_reviews::year.eq(year))
        .select(ReviewRow::as_select())
        .load(conn)
        .await?)
}

/// A voter rates the deputy for `year`, replacing their earlier rating.
pub async fn rate_deputy(
    conn: &mut AsyncPgConnection,
    deputy: Uuid,
    year: i32,
    voter: Uuid,
    stars: i16,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(voter_ratings::table)
        .values((
            voter_ratings::deputy_id.eq(deputy),
            voter_ratings::year.eq(year),
            voter_ratings::voter_id.eq(voter),
            voter_ratings::stars.eq(stars),
            voter_ratings::rated_at.eq(at),
        ))
        .on_conflict((voter_ratings::deputy_id, voter_ratings::year, voter_ratings::voter_id))
        .do_update()
        .set((voter_ratings::stars.eq(stars), voter_ratings::rated_at.eq(at)))
        .execute(conn)
        .await?;
    Ok(())
}

/// The voters' stars for these deputies in `year`.
pub async fn voter_stars(
    conn: &mut AsyncPgConnection,
    deputies: &[Uuid],
    year: i32,
) -> Result<Vec<(Uuid, i16)>, DbError> {
    Ok(voter_ratings::table
        .filter(voter_ratings::deputy_id.eq_any(deputies))
        .filter(voter_ratings::year.eq(year))
        .select((voter_ratings::deputy_id, voter_ratings::stars))
        .load(conn)
        .await?)
}
