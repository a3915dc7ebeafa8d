//! Reception days held at stations (选民接待日) and the deputies who held them.

use super::schema::{reception_day_deputies, reception_days};
use super::DbError;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = reception_days)]
pub struct ReceptionDayRow {
    pub id: Uuid,
    pub station_id: Uuid,
    pub held_on: NaiveDate,
    pub topics: String,
    pub visitors: i32,
    pub recorded_by: Uuid,
    pub created_at: DateTime<Utc>,
}

/// Records the day, or corrects the station's record of that date (its topics, visitors and deputies); answers the
/// row as stored.
pub async fn record(
    conn: &mut AsyncPgConnection,
    row: &ReceptionDayRow,
    deputies: &[Uuid],
) -> Result<ReceptionDayRow, DbError> {
    let stored: ReceptionDayRow = diesel::insert_into(reception_days::table)
        .values(row)
        .on_conflict((reception_days::station_id, reception_days::held_on))
        .do_update()
        .set((
            reception_days::topics.eq(&row.topics),
            reception_days::visitors.eq(row.visitors),
            reception_days::recorded_by.eq(row.recorded_by),
        ))
        .returning(ReceptionDayRow::as_returning())
        .get_result(conn)
        .await?;
    diesel::delete(reception_day_deputies::table.filter(reception_day_deputies::reception_day_id.eq(stored.id)))
        .execute(conn)
        .await?;
    let links: Vec<_> = deputies
        .iter()
        .map(|d| {
            (
                reception_day_deputies::reception_day_id.eq(stored.id),
                reception_day_deputies::deputy_id.eq(*d),
            )
        })
        .collect();
    diesel::insert_into(reception_day_deputies::table)
        .values(links)
        .execute(conn)
        .await?;
    Ok(stored)
}

/// A station's reception days, latest first, with their deputies.
pub async fn of_station(
    conn: &mut AsyncPgConnection,
    station: Uuid,
    limit: i64,
) -> Result<Vec<(ReceptionDayRow, Vec<Uuid>)>, DbError> {
    let days: Vec<ReceptionDayRow> = reception_days::table
        .filter(reception_days::station_id.eq(station))
        .select(ReceptionDayRow::as_select())
        .order(reception_days::held_on.desc())
        .limit(limit)
        .load(conn)
        .await?;
    let ids: Vec<Uuid> = days.iter().map(|d| d.id).collect();
    let links: Vec<(Uuid, Uuid)> = reception_day_deputies::table
        .filter(reception_day_deputies::reception_day_id.eq_any(&ids))
        .select((
            reception_day_deputies::reception_day_id,
            reception_day_deputies::deputy_id,
        ))
        .order(reception_day_deputies::deputy_id.asc())
        .load(conn)
        .await?;
    Ok(days
        .into_iter()
        .map(|d| {
            let deputies = links.iter().filter(|(r, _)| *r == d.id).map(|(_, u)| *u).collect();
            (d, deputies)
        })
        .collect())
}
