//! The issues a station's reception topics are drawn from.

use super::DbError;
use chrono::{DateTime, Utc};
use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

#[derive(Debug, Clone, QueryableByName)]
pub struct AreaIssue {
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
    #[diesel(sql_type = Text)]
    pub region_code: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Bool)]
    pub unresolved: bool,
    #[diesel(sql_type = Bool)]
    pub dissatisfied: bool,
}

/// Issues reported in the subtree at `path` between `from` and `until`, newest first, at most `limit`: all but the
/// declined and the merged (which another issue stands for).
pub async fn area_issues(
    conn: &mut AsyncPgConnection,
    path: &str,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<AreaIssue>, DbError> {
    Ok(diesel::sql_query(
        "SELECT id, number, title, description, category_code, region_code, status,
                status NOT IN ('replied', 'closed') AS unresolved,
                coalesce(rating = 'dissatisfied', false) AS dissatisfied
           FROM issues
          WHERE region_path LIKE $1 AND created_at >= $2 AND created_at < $3
            AND status NOT IN ('declined', 'merged')
          ORDER BY created_at DESC, id DESC
          LIMIT $4",
    )
    .bind::<Text, _>(format!("{}%", super::regions::escape_like(path)))
    .bind::<Timestamptz, _>(from)
    .bind::<Timestamptz, _>(until)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await?)
}
