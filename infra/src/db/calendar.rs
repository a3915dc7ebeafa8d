//! The working-day calendar as stored: listed days (holidays, make-up workdays) and which years are loaded from where.

use super::schema::{calendar_days, calendar_years};
use super::DbError;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::issue::calendar::{calendar_of, shipped, CalendarDay, DayKind, YearCalendar, SHIPPED_YEARS};
use domain::issue::deadline::Calendar;
use uuid::Uuid;

type DayRow = (NaiveDate, String, Option<String>);

fn day_of((day, kind, name): DayRow) -> Option<CalendarDay> {
    Some(CalendarDay {
        day,
        kind: kind.parse::<DayKind>().ok()?,
        name,
    })
}

/// Every listed day, as one calendar. A few dozen rows a year: read whole when a deadline is set.
pub async fn calendar(conn: &mut AsyncPgConnection) -> Result<Calendar, DbError> {
    let rows: Vec<DayRow> = calendar_days::table
        .select((calendar_days::day, calendar_days::kind, calendar_days::name))
        .load(conn)
        .await?;
    let days: Vec<CalendarDay> = rows.into_iter().filter_map(day_of).collect();
    Ok(calendar_of(&days))
}

/// A year's listed days and where they came from (`None` when the year is not loaded: weekends only).
pub async fn year(conn: &mut AsyncPgConnection, year: i32) -> Result<(Option<String>, Vec<CalendarDay>), DbError> {
    let source: Option<String> = calendar_years::table
        .find(year)
        .select(calendar_years::source)
        .first(conn)
        .await
        .optional()?;
    let (first, last) = bounds(year);
    let rows: Vec<DayRow> = calendar_days::table
        .filter(calendar_days::day.between(first, last))
        .select((calendar_days::day, calendar_days::kind, calendar_days::name))
        .order(calendar_days::day.asc())
        .load(conn)
        .await?;
    Ok((source, rows.into_iter().filter_map(day_of).collect()))
}

fn bounds(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX),
    )
}

/// Replaces a year's days (an admin's upload). Run it inside a transaction.
pub async fn replace_year(
    conn: &mut AsyncPgConnection,
    cal: &YearCalendar,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let (first, last) = bounds(cal.year());
    diesel::delete(calendar_days::table.filter(calendar_days::day.between(first, last)))
        .execute(conn)
        .await?;
    diesel::insert_into(calendar_days::table)
        .values(rows_of(cal))
        .execute(conn)
        .await?;
    diesel::insert_into(calendar_years::table)
        .values((
            calendar_years::year.eq(cal.year()),
            calendar_years::source.eq("admin"),
            calendar_years::updated_by.eq(by),
            calendar_years::updated_at.eq(now),
        ))
        .on_conflict(calendar_years::year)
        .do_update()
        .set((
            calendar_years::source.eq("admin"),
            calendar_years::updated_by.eq(by),
            calendar_years::updated_at.eq(now),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

type DayValues = (
    diesel::dsl::Eq<calendar_days::day, NaiveDate>,
    diesel::dsl::Eq<calendar_days::kind, &'static str>,
    diesel::dsl::Eq<calendar_days::name, Option<String>>,
);

fn rows_of(cal: &YearCalendar) -> Vec<DayValues> {
    cal.days()
        .iter()
        .map(|d| {
            (
                calendar_days::day.eq(d.day),
                calendar_days::kind.eq(d.kind.as_str()),
                calendar_days::name.eq(d.name.clone()),
            )
        })
        .collect()
}

/// Loads each shipped year that is not loaded yet (run with the migrations, on their synchronous connection): a
/// year an admin replaced stays as they left it.
///
/// # Errors
/// When a query fails.
pub fn load_shipped(conn: &mut impl diesel::Connection<Backend = diesel::pg::Pg>) -> QueryResult<Vec<i32>> {
    let mut loaded = Vec::new();
    for y in SHIPPED_YEARS {
        let Some(cal) = shipped(y) else { continue };
        let claimed = diesel::RunQueryDsl::execute(
            diesel::insert_into(calendar_years::table)
                .values((calendar_years::year.eq(y), calendar_years::source.eq("shipped")))
                .on_conflict_do_nothing(),
            conn,
        )?;
        if claimed == 1 {
            diesel::RunQueryDsl::execute(
                diesel::insert_into(calendar_days::table)
                    .values(rows_of(&cal))
                    .on_conflict_do_nothing(),
                conn,
            )?;
            loaded.push(y);
        }
    }
    Ok(loaded)
}
