//! A person's saved filters for a list screen.

use super::schema::saved_filters as filters;
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde_json::Value;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = filters)]
pub struct FilterRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub screen: String,
    pub name: String,
    pub query: Value,
    pub created_at: DateTime<Utc>,
}

/// The person's filters, by screen then name.
pub async fn of(conn: &mut AsyncPgConnection, user: Uuid) -> Result<Vec<FilterRow>, DbError> {
    Ok(filters::table
        .filter(filters::user_id.eq(user))
        .order((filters::screen, filters::name))
        .select(FilterRow::as_select())
        .load(conn)
        .await?)
}

/// Saves a filter unless the person already keeps `most` of them; answers none when they do. (Two saves at the same
/// instant may pass the count together: a person's own clicks, and the cap is a courtesy, not a guard.)
pub async fn insert(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    screen: &str,
    name: &str,
    query: &Value,
    most: i64,
) -> Result<Option<FilterRow>, DbError> {
    let kept: i64 = filters::table
        .filter(filters::user_id.eq(user))
        .count()
        .get_result(conn)
        .await?;
    if kept >= most {
        return Ok(None);
    }
    Ok(Some(
        diesel::insert_into(filters::table)
            .values((
                filters::id.eq(Uuid::now_v7()),
                filters::user_id.eq(user),
                filters::screen.eq(screen),
                filters::name.eq(name),
                filters::query.eq(query),
            ))
            .returning(FilterRow::as_returning())
            .get_result(conn)
            .await?,
    ))
}

/// Removes one of the person's filters; answers whether there was one.
pub async fn delete(conn: &mut AsyncPgConnection, user: Uuid, id: Uuid) -> Result<bool, DbError> {
    let gone = diesel::delete(
        filters::table
            .filter(filters::id.eq(id))
            .filter(filters::user_id.eq(user)),
    )
    .execute(conn)
    .await?;
    Ok(gone > 0)
}
