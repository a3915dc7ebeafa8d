//! 代表履职考核 as deputies' work is recorded: the scheme in force where a deputy serves, points staff enter for
//! what the platform cannot see (记工分), and a station's reception days (接待日) with the deputies who served.

pub mod ranking;
pub mod score;

use crate::app::error::{AppError, AppResult};
use crate::app::people::deputy;
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use domain::issue::calendar::calendar_year;
use domain::issue::deadline::SHANGHAI;
use domain::organisation::region::RegionPath;
use domain::performance::year_bounds;
use domain::performance::{entry_points, Scheme};
use domain::permission::{may_assess, may_plan_reception};
use domain::Invalid;
use infra::db::performance::EntryRow;
use infra::db::reception_days::ReceptionDayRow;
use infra::db::users::UserFilter;
use infra::db::PgConn;
use uuid::Uuid;

/// The scheme in force in a region, and the region that set it (`None`: the seed's default).
pub async fn scheme_at(conn: &mut PgConn, region: &RegionPath) -> AppResult<(Option<String>, Scheme)> {
    let codes: Vec<&str> = region.codes().collect();
    match infra::db::performance::scheme_for(conn, &codes).await? {
        Some((code, json)) => {
            let input = serde_json::from_value(json).map_err(AppError::internal)?;
            let scheme = Scheme::parse(input).map_err(|e| {
                AppError::internal(anyhow::anyhow!("a stored performance scheme breaks its rules: {e}"))
            })?;
            Ok((Some(code), scheme))
        }
        None => Ok((None, Scheme::seed())),
    }
}

/// The year asked for (default: this year in China) and its bounds.
pub fn year_of(asked: Option<i32>, now: DateTime<Utc>) -> AppResult<(i32, DateTime<Utc>, DateTime<Utc>)> {
    let year = asked.unwrap_or_else(|| now.with_timezone(&SHANGHAI).year());
    let (start, end) = year_bounds(year)?;
    Ok((year, start, end))
}

/// Points to enter for a deputy: an item of the scheme in force, how many, what they are for and the day it happened.
pub struct NewEntry<'a> {
    pub item: String,
    pub points: i32,
    pub source: &'a str,
    pub occurred_on: NaiveDate,
}

/// Staff enter points for a deputy of their region (记工分), under an item of the scheme in force there.
///
/// # Errors
/// 404 / 403 for a deputy out of reach; `validation_failed` on `item`, `points`, `source` or `occurred_on`.
pub async fn enter_points<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    deputy_id: Uuid,
    new: NewEntry<'_>,
    answer: impl FnOnce(EntryRow) -> AppResult<K> + Send,
) -> AppResult<K> {
    let now = state.clock.now();
    let source = domain::text::bounded("source", new.source, 1, 200)?;
    let points = entry_points(new.points)?;
    let occurred_on = domain::performance::day_passed("occurred_on", new.occurred_on, now)?;
    let year = calendar_year(occurred_on.year()).map_err(|e| e.at("occurred_on"))?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let d = deputy(&mut conn, deputy_id).await?;
    may_assess(&caller.actor, d.id, &d.region)?;
    let (_, scheme) = scheme_at(&mut conn, &d.region).await?;
    if scheme.item(&new.item).is_none() {
        return Err(Invalid::new("item", "unknown", "no item of the scheme in force has this code").into());
    }
    let row = EntryRow {
        id: Uuid::now_v7(),
        deputy_id: d.id,
        year,
        item: new.item,
        points,
        source,
        occurred_on,
        entered_by: caller.actor.user_id,
        entered_at: now,
    };
    commit(
        &mut conn,
        |conn| {
            async move {
                infra::db::performance::insert_entry(conn, &row).await?;
                Ok(row)
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}

/// A reception day held at a station: when, which of its deputies served, what was raised and how many came.
pub struct NewReception<'a> {
    pub held_on: NaiveDate,
    pub deputy_ids: &'a [Uuid],
    pub topics: &'a str,
    pub visitors: i32,
}

/// Staff record a station's reception day with the deputies who served (each deputy once, each one serving there).
///
/// # Errors
/// 404 for no such station; 403 for one out of reach; `validation_failed` on a field, or at `deputy_ids[i]` for a
/// deputy repeated or not serving there.
pub async fn record_reception<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    station: Uuid,
    new: NewReception<'_>,
    answer: impl FnOnce((ReceptionDayRow, Vec<Uuid>)) -> AppResult<K> + Send,
) -> AppResult<K> {
    let now = state.clock.now();
    let topics = domain::text::bounded("topics", new.topics, 1, 2000)?;
    if !(0..=100_000).contains(&new.visitors) {
        return Err(Invalid::new("visitors", "out_of_range", "0 to 100000").into());
    }
    if new.deputy_ids.is_empty() || new.deputy_ids.len() > 50 {
        return Err(Invalid::new("deputy_ids", "out_of_range", "1 to 50 deputies").into());
    }
    let held_on = domain::performance::day_passed("held_on", new.held_on, now)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (station, region) = infra::db::stations::find(&mut conn, station)
        .await?
        .ok_or_else(|| AppError::not_found("station"))?;
    may_plan_reception(&caller.actor, station.id, &region)?;
    let filter = UserFilter {
        role: Some("deputy"),
        station: Some(station.id),
        ..UserFilter::default()
    };
    let serving: Vec<Uuid> = infra::db::users::list(&mut conn, &filter, 10_000)
        .await?
        .into_iter()
        .map(|u| u.row.id)
        .collect();
    let mut deputies = Vec::with_capacity(new.deputy_ids.len());
    for (i, d) in new.deputy_ids.iter().enumerate() {
        if !serving.contains(d) {
            let why = "not a deputy who serves at this station";
            return Err(Invalid::new(format!("deputy_ids[{i}]"), "not_serving", why).into());
        }
        if deputies.contains(d) {
            return Err(Invalid::new(format!("deputy_ids[{i}]"), "repeated", "each deputy once").into());
        }
        deputies.push(*d);
    }
    let row = ReceptionDayRow {
        id: Uuid::now_v7(),
        station_id: station.id,
        held_on,
        topics,
        visitors: new.visitors,
        recorded_by: caller.actor.user_id,
        created_at: now,
    };
    commit(
        &mut conn,
        |conn| {
            async move {
                let stored = infra::db::reception_days::record(conn, &row, &deputies).await?;
                Ok((stored, deputies))
            }
            .scope_boxed()
        },
        answer,
    )
    .await
}

/// Sets the scheme in force in a region and its subtree (staff of it, admins); done, the region's code.
///
/// # Errors
/// 404 for no such region; 403 for one out of reach.
pub async fn put_scheme(state: &AppState, caller: &Caller, code: &str, scheme: &Scheme) -> AppResult<String> {
    let scope = domain::permission::AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let row = infra::db::regions::find(&mut conn, code)
        .await?
        .ok_or_else(|| AppError::not_found("region"))?;
    scope.may_manage_in(&row.path())?;
    let json = serde_json::to_value(scheme.input()).map_err(AppError::internal)?;
    infra::db::performance::put_scheme(&mut conn, &row.code, &json, caller.actor.user_id, state.clock.now()).await?;
    Ok(row.code)
}

/// The scheme in force in region `code`, and the region that set it (`None`: the seed's default).
///
/// # Errors
/// 404 for an unknown region (a malformed code names none); 403 for anyone but staff over the region and the
/// deputies it scores.
pub async fn scheme_in_force(
    state: &AppState,
    caller: &Caller,
    code: &str,
) -> AppResult<(infra::db::regions::RegionRow, Option<String>, Scheme)> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let region = infra::db::regions::find(&mut conn, code)
        .await?
        .ok_or_else(|| AppError::not_found("region"))?;
    let path = region.path();
    domain::permission::may_read_scheme(&caller.actor, &path)?;
    let (defined_in, scheme) = scheme_at(&mut conn, &path).await?;
    Ok((region, defined_in, scheme))
}

/// Station `id`'s reception days, newest first, `limit` at most, each with the deputies who served.
///
/// # Errors
/// 404 for an unknown station; 403 for anyone but its staff, its deputies and admins.
pub async fn receptions(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    limit: i64,
) -> AppResult<Vec<(ReceptionDayRow, Vec<Uuid>)>> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (station, region) = infra::db::stations::find(&mut conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("station"))?;
    may_plan_reception(&caller.actor, station.id, &region)?;
    Ok(infra::db::reception_days::of_station(&mut conn, station.id, limit).await?)
}
