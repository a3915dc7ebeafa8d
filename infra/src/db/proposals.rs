//! 点单 as PostgreSQL holds it (migration 000028): proposal rounds, the proposals made in them, and who supports
//! which. A proposal's `supporters` is kept with each support, so the lists sort by it without counting.

use super::schema::{proposal_rounds, proposal_supports, proposals, regions};
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Array, BigInt, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = proposal_rounds)]
pub struct RoundRow {
    pub id: Uuid,
    pub region_code: String,
    pub year: i32,
    pub title: String,
    pub ask: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = proposals)]
pub struct ProposalRow {
    pub id: Uuid,
    pub round_id: Uuid,
    pub author_id: Uuid,
    pub author_role: String,
    pub title: String,
    pub body: String,
    pub reason: String,
    pub status: String,
    pub merged_into: Option<Uuid>,
    pub project_id: Option<Uuid>,
    pub decision_note: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub supporters: i32,
    pub needs_review: bool,
    pub created_at: DateTime<Utc>,
}

pub async fn insert_round(conn: &mut AsyncPgConnection, row: &RoundRow) -> Result<(), DbError> {
    diesel::insert_into(proposal_rounds::table)
        .values(row)
        .execute(conn)
        .await?;
    Ok(())
}

/// A round with its region's path.
pub async fn round(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<(RoundRow, String)>, DbError> {
    Ok(proposal_rounds::table
        .inner_join(regions::table)
        .filter(proposal_rounds::id.eq(id))
        .select((RoundRow::as_select(), regions::path))
        .first(conn)
        .await
        .optional()?)
}

/// Rounds of regions under `path_prefix` (everywhere with none) — or round `only` — the latest opening first, with
/// how many proposals each shows (those held for review not counted).
pub async fn rounds(
    conn: &mut AsyncPgConnection,
    path_prefix: Option<&str>,
    only: Option<Uuid>,
    limit: i64,
) -> Result<Vec<(RoundRow, i64)>, DbError> {
    let gathered = proposals::table
        .filter(proposals::round_id.eq(proposal_rounds::id))
        .filter(proposals::needs_review.eq(false))
        .count()
        .single_value();
    let mut q = proposal_rounds::table
        .inner_join(regions::table)
        .select((RoundRow::as_select(), gathered.assume_not_null()))
        .order((proposal_rounds::opens_at.desc(), proposal_rounds::id.desc()))
        .limit(limit)
        .into_boxed();
    if let Some(prefix) = path_prefix {
        q = q.filter(regions::path.like(format!("{prefix}%")));
    }
    if let Some(id) = only {
        q = q.filter(proposal_rounds::id.eq(id));
    }
    Ok(q.load(conn).await?)
}

pub async fn insert(conn: &mut AsyncPgConnection, row: &ProposalRow) -> Result<(), DbError> {
    diesel::insert_into(proposals::table).values(row).execute(conn).await?;
    Ok(())
}

/// A proposal, locked until the transaction ends: a decision and a support take it so that neither is lost.
pub async fn lock(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<ProposalRow>, DbError> {
    Ok(proposals::table
        .find(id)
        .select(ProposalRow::as_select())
        .for_update()
        .first(conn)
        .await
        .optional()?)
}

/// Locks these proposals until the transaction ends, in id order: two transactions that lock the same proposals this
/// way queue, and never hold one each while waiting for the other's.
pub async fn lock_in_order(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> Result<usize, DbError> {
    let locked: Vec<Uuid> = proposals::table
        .filter(proposals::id.eq_any(ids))
        .order(proposals::id)
        .select(proposals::id)
        .for_update()
        .load(conn)
        .await?;
    Ok(locked.len())
}

/// A round's proposals, most supported first (then oldest first): those held for review, or those not; `status`
/// only when named.
pub async fn of_round(
    conn: &mut AsyncPgConnection,
    round: Uuid,
    held: bool,
    status: Option<&str>,
    limit: i64,
) -> Result<Vec<ProposalRow>, DbError> {
    let mut q = proposals::table
        .filter(proposals::round_id.eq(round))
        .filter(proposals::needs_review.eq(held))
        .select(ProposalRow::as_select())
        .order((proposals::supporters.desc(), proposals::id.asc()))
        .limit(limit)
        .into_boxed();
    if let Some(status) = status {
        q = q.filter(proposals::status.eq(status.to_owned()));
    }
    Ok(q.load(conn).await?)
}

/// A person's proposals, oldest first.
pub async fn of_author(conn: &mut AsyncPgConnection, author: Uuid) -> Result<Vec<ProposalRow>, DbError> {
    Ok(proposals::table
        .filter(proposals::author_id.eq(author))
        .select(ProposalRow::as_select())
        .order(proposals::id.asc())
        .load(conn)
        .await?)
}

/// The proposals a person supports, with when.
pub async fn supported_by(conn: &mut AsyncPgConnection, user: Uuid) -> Result<Vec<(Uuid, DateTime<Utc>)>, DbError> {
    Ok(proposal_supports::table
        .filter(proposal_supports::user_id.eq(user))
        .select((proposal_supports::proposal_id, proposal_supports::at))
        .order(proposal_supports::at.asc())
        .load(conn)
        .await?)
}

/// Records `user`'s support of `proposal`, once: the proposal with its count when this call added it, `None` when the
/// user supported it already.
pub async fn support(
    conn: &mut AsyncPgConnection,
    proposal: Uuid,
    user: Uuid,
    at: DateTime<Utc>,
) -> Result<Option<ProposalRow>, DbError> {
    let added = diesel::insert_into(proposal_supports::table)
        .values((
            proposal_supports::proposal_id.eq(proposal),
            proposal_supports::user_id.eq(user),
            proposal_supports::at.eq(at),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await?
        == 1;
    if !added {
        return Ok(None);
    }
    Ok(Some(
        diesel::update(proposals::table.find(proposal))
            .set(proposals::supporters.eq(proposals::supporters + 1))
            .returning(ProposalRow::as_returning())
            .get_result(conn)
            .await?,
    ))
}

/// Publishes a proposal held for review: the public reads it from then on.
pub async fn publish(conn: &mut AsyncPgConnection, id: Uuid) -> Result<ProposalRow, DbError> {
    Ok(diesel::update(proposals::table.find(id))
        .set(proposals::needs_review.eq(false))
        .returning(ProposalRow::as_returning())
        .get_result(conn)
        .await?)
}

/// Records what staff decided of a proposal: merged into another, or not taken with a note.
pub async fn decide(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    status: &str,
    merged_into: Option<Uuid>,
    note: Option<&str>,
    at: DateTime<Utc>,
) -> Result<ProposalRow, DbError> {
    Ok(diesel::update(proposals::table.find(id))
        .set((
            proposals::status.eq(status),
            proposals::merged_into.eq(merged_into),
            proposals::decision_note.eq(note),
            proposals::decided_at.eq(at),
        ))
        .returning(ProposalRow::as_returning())
        .get_result(conn)
        .await?)
}

/// Folds a merged proposal's backing into `into`: its proposer and its supporters support `into` from then on (each
/// once, `into`'s own proposer never), and `into`'s count is recounted.
pub async fn fold_support(
    conn: &mut AsyncPgConnection,
    from: &ProposalRow,
    into: &ProposalRow,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    let backers: Vec<Uuid> = proposal_supports::table
        .filter(proposal_supports::proposal_id.eq(from.id))
        .select(proposal_supports::user_id)
        .load(conn)
        .await?;
    let rows: Vec<_> = std::iter::once(from.author_id)
        .chain(backers)
        .filter(|u| *u != into.author_id)
        .map(|u| {
            (
                proposal_supports::proposal_id.eq(into.id),
                proposal_supports::user_id.eq(u),
                proposal_supports::at.eq(at),
            )
        })
        .collect();
    diesel::insert_into(proposal_supports::table)
        .values(&rows)
        .on_conflict_do_nothing()
        .execute(conn)
        .await?;
    let counted: i64 = proposal_supports::table
        .filter(proposal_supports::proposal_id.eq(into.id))
        .count()
        .get_result(conn)
        .await?;
    diesel::update(proposals::table.find(into.id))
        .set(proposals::supporters.eq(i32::try_from(counted).unwrap_or(i32::MAX)))
        .execute(conn)
        .await?;
    Ok(())
}

/// Proposals `ids`, locked until the transaction ends, with their round and its region's path: what a ballot takes
/// up as its candidates.
pub async fn lock_many(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> Result<Vec<(ProposalRow, RoundRow, String)>, DbError> {
    let locked: Vec<ProposalRow> = proposals::table
        .filter(proposals::id.eq_any(ids))
        .select(ProposalRow::as_select())
        .order(proposals::id)
        .for_update()
        .load(conn)
        .await?;
    let rounds: Vec<Uuid> = locked.iter().map(|p| p.round_id).collect();
    let rounds: Vec<(RoundRow, String)> = proposal_rounds::table
        .inner_join(regions::table)
        .filter(proposal_rounds::id.eq_any(rounds))
        .select((RoundRow::as_select(), regions::path))
        .load(conn)
        .await?;
    Ok(locked
        .into_iter()
        .filter_map(|p| {
            let (round, path) = rounds.iter().find(|(r, _)| r.id == p.round_id)?.clone();
            Some((p, round, path))
        })
        .collect())
}

/// Takes a proposal up as candidate project `project`.
pub async fn take_up(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    project: Uuid,
    at: DateTime<Utc>,
) -> Result<ProposalRow, DbError> {
    Ok(diesel::update(proposals::table.find(id))
        .set((
            proposals::status.eq("candidate"),
            proposals::project_id.eq(project),
            proposals::decided_at.eq(at),
        ))
        .returning(ProposalRow::as_returning())
        .get_result(conn)
        .await?)
}

#[derive(QueryableByName)]
struct BackingRow {
    #[diesel(sql_type = SqlUuid)]
    project_id: Uuid,
    #[diesel(sql_type = BigInt)]
    proposals: i64,
    #[diesel(sql_type = BigInt)]
    people: i64,
}

/// For each of `projects` taken up from proposals: how many proposals, and how many people proposed or supported them
/// (each once; the backers of duplicates folded into them included).
pub async fn backing(conn: &mut AsyncPgConnection, projects: &[Uuid]) -> Result<HashMap<Uuid, (i64, i64)>, DbError> {
    if projects.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<BackingRow> = diesel::sql_query(
        "SELECT p.project_id, count(DISTINCT p.id) AS proposals,
                count(DISTINCT people.person) AS people
           FROM proposals p
           CROSS JOIN LATERAL (SELECT p.author_id AS person
                               UNION ALL
                               SELECT s.user_id FROM proposal_supports s WHERE s.proposal_id = p.id) people
          WHERE p.project_id = ANY($1)
          GROUP BY p.project_id",
    )
    .bind::<Array<SqlUuid>, _>(projects)
    .load(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.project_id, (r.proposals, r.people)))
        .collect())
}
