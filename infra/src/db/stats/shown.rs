//! Issues as a bulletin or the public results show them: what is overdue, what is representative, every issue of
//! a cohort a page at a time, and the public list.

use super::{subtree, Cohort, OVERDUE};
use crate::db::DbError;
use chrono::{DateTime, Utc};
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

/// One issue of a bulletin or of the public results: what may be shown, and the reporter's name and phone only so
/// that they can be masked in the text.
#[derive(Debug, Clone, QueryableByName)]
pub struct Shown {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub number: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub title: Option<String>,
    #[diesel(sql_type = Text)]
    pub description: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub category_code: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub category_name: Option<String>,
    #[diesel(sql_type = Text)]
    pub region_code: String,
    #[diesel(sql_type = Text)]
    pub region_name: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub agency_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub agency_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub reply_category: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub reply: Option<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub replied_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Text>)]
    pub rating: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    pub reported_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub closed_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub due_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Text)]
    pub reporter_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub reporter_phone: Option<String>,
}

/// The columns of [`Shown`] over `issues i` and [`SHOWN_JOINS`]; the latest reply is the newest reply event's note.
/// Its subqueries run per row: queries narrow the rows first.
const SHOWN: &str = "i.id, i.number, i.title, i.description, i.category_code, c.name AS category_name,
        i.region_code, r.name AS region_name, i.status, i.lead_agency_id AS agency_id, a.name AS agency_name,
        i.reply_category,
        (SELECT e.note FROM issue_events e WHERE e.issue_id = i.id AND e.kind = 'reply' ORDER BY e.seq DESC LIMIT 1)
            AS reply,
        (SELECT e.at FROM issue_events e WHERE e.issue_id = i.id AND e.kind = 'reply' ORDER BY e.seq DESC LIMIT 1)
            AS replied_at,
        i.rating, i.created_at AS reported_at, i.closed_at,
        (SELECT min(d.due_at) FROM deadlines d
          WHERE d.issue_id = i.id AND d.ended_at IS NULL AND d.stage <> 'rate' AND d.due_at <= $7) AS due_at,
        u.name AS reporter_name, u.phone AS reporter_phone";

/// What [`SHOWN`]'s columns need joined to `issues i`.
const SHOWN_JOINS: &str = "JOIN regions r ON r.code = i.region_code
   JOIN users u ON u.id = i.reporter_id
   LEFT JOIN categories c ON c.code = i.category_code
   LEFT JOIN agencies a ON a.id = i.lead_agency_id";

/// The cohort's issues overdue now (an agency deadline past due), the longest overdue first.
pub async fn overdue(conn: &mut AsyncPgConnection, cohort: &Cohort<'_>, limit: i64) -> Result<Vec<Shown>, DbError> {
    let sql = format!(
        "SELECT * FROM (SELECT {SHOWN} FROM issues i {SHOWN_JOINS}
                          WHERE {} AND i.id IN (SELECT issue_id FROM ({OVERDUE}) o)) s
          ORDER BY due_at, number LIMIT $8",
        cohort.condition()
    );
    Ok(cohort.bind(sql).bind::<BigInt, _>(limit).load(conn).await?)
}

/// Up to `per_theme` replied issues of each category in the cohort, the most co-signed first, then the newest:
/// the bulletin's representative issues.
pub async fn representative(
    conn: &mut AsyncPgConnection,
    cohort: &Cohort<'_>,
    per_theme: i64,
) -> Result<Vec<Shown>, DbError> {
    let sql = format!(
        "SELECT {SHOWN}
           FROM (SELECT id, rank FROM (
                   SELECT i.id, row_number() OVER (PARTITION BY i.category_code
                            ORDER BY coalesce(k.n, 0) DESC, i.created_at DESC) AS rank
                     FROM issues i
                     LEFT JOIN (SELECT issue_id, count(*) AS n FROM cosigns GROUP BY issue_id) k ON k.issue_id = i.id
                    WHERE {} AND i.reply_category IS NOT NULL) ranked
                  WHERE rank <= $8) top
           JOIN issues i ON i.id = top.id {SHOWN_JOINS}
          ORDER BY i.category_code, top.rank",
        cohort.condition()
    );
    Ok(cohort.bind(sql).bind::<BigInt, _>(per_theme).load(conn).await?)
}

/// Where a page of a bulletin's spreadsheet ends: the sort key of its last row (uncategorised issues last, then by
/// category, place and number).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowKey {
    pub uncategorised: bool,
    pub category: String,
    pub region: String,
    pub number: String,
}

impl RowKey {
    /// The key of `row`, to ask for the rows after it.
    #[must_use]
    pub fn of(row: &Shown) -> Self {
        Self {
            uncategorised: row.category_code.is_none(),
            category: row.category_code.clone().unwrap_or_default(),
            region: row.region_code.clone(),
            number: row.number.clone(),
        }
    }
}

/// The next `limit` issues of the cohort after `after` (from the first with `RowKey::default()`), by category, place
/// and number: a page of a bulletin's spreadsheet. A seek on the sort key, so a province's year is read page by page
/// in flat memory, each page as cheap as the first.
pub async fn all_after(
    conn: &mut AsyncPgConnection,
    cohort: &Cohort<'_>,
    after: &RowKey,
    limit: i64,
) -> Result<Vec<Shown>, DbError> {
    let key = "(i.category_code IS NULL, coalesce(i.category_code, ''), i.region_code, i.number)";
    let sql = format!(
        "SELECT {SHOWN} FROM issues i {SHOWN_JOINS}
          WHERE {} AND {key} > ($9, $10, $11, $12)
          ORDER BY {key} LIMIT $8",
        cohort.condition()
    );
    Ok(cohort
        .bind(sql)
        .bind::<BigInt, _>(limit)
        .bind::<diesel::sql_types::Bool, _>(after.uncategorised)
        .bind::<Text, _>(after.category.clone())
        .bind::<Text, _>(after.region.clone())
        .bind::<Text, _>(after.number.clone())
        .load(conn)
        .await?)
}

/// Which public results a page wants.
#[derive(Debug, Clone, Default)]
pub struct PublicFilter {
    /// A region path: its subtree.
    pub path_prefix: Option<String>,
    pub category: Option<String>,
    pub after: Option<Uuid>,
}

/// The public results (replied or closed, not withheld, not waiting for a content review), newest first.
pub async fn public(
    conn: &mut AsyncPgConnection,
    filter: &PublicFilter,
    id: Option<Uuid>,
    probe: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Shown>, DbError> {
    let (lower, upper) = subtree(filter.path_prefix.as_deref().unwrap_or("/"));
    let sql = format!(
        "SELECT {SHOWN} FROM issues i {SHOWN_JOINS}
          WHERE i.region_path ~>=~ $1 AND i.region_path ~<~ $2
            AND i.status IN ('replied', 'closed') AND NOT i.needs_review
            AND NOT EXISTS (SELECT 1 FROM withholdings w WHERE w.issue_id = i.id)
            AND ($3::text IS NULL OR i.category_code = $3)
            AND ($4::uuid IS NULL OR i.id < $4)
            AND ($5::uuid IS NULL OR i.id = $5)
            AND $6::bigint > 0
          ORDER BY i.id DESC LIMIT $6"
    );
    // $7 is the moment overdue deadlines are judged at ([`SHOWN`]).
    Ok(diesel::sql_query(sql)
        .bind::<Text, _>(lower)
        .bind::<Text, _>(upper)
        .bind::<Nullable<Text>, _>(filter.category.clone())
        .bind::<Nullable<SqlUuid>, _>(filter.after)
        .bind::<Nullable<SqlUuid>, _>(id)
        .bind::<BigInt, _>(probe)
        .bind::<Timestamptz, _>(now)
        .load(conn)
        .await?)
}
