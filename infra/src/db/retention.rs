//! Retiring what has served its purpose, so the tables that grow with every event stay bounded: delivered outbox
//! messages and read notifications past their retention. Their ids are UUIDv7, whose first 48 bits are the
//! millisecond they were made (the service's `Uuid::now_v7`, PostgreSQL's `uuid_v7()`), so "made before T" is "id below
//! the smallest id of T": a range of the primary key, oldest first, without an index on time. Dead letters and
//! unread notifications stay; the timeline (the record) is never retired: it is partitioned by report month instead
//! (migration 000034), and [`cover_timeline`] makes the coming months' partitions ahead of them.

use super::DbError;
use chrono::{DateTime, Utc};
use diesel::sql_types::{BigInt, Integer, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

/// The smallest UUIDv7 of the millisecond `at`: every id made before it is smaller.
#[must_use]
pub fn v7_floor(at: DateTime<Utc>) -> Uuid {
    let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    let mut bytes = [0u8; 16];
    bytes[..6].copy_from_slice(&millis.to_be_bytes()[2..]);
    bytes[6] = 0x70; // version 7
    bytes[8] = 0x80; // the RFC 9562 variant
    Uuid::from_bytes(bytes)
}

/// Deletes up to `limit` delivered outbox messages made before `before`, oldest first; answers how many.
pub async fn delivered(conn: &mut AsyncPgConnection, before: DateTime<Utc>, limit: i64) -> Result<usize, DbError> {
    Ok(diesel::sql_query(
        "DELETE FROM outbox WHERE id IN \
           (SELECT id FROM outbox WHERE id < $1 AND status = 'sent' ORDER BY id LIMIT $2)",
    )
    .bind::<SqlUuid, _>(v7_floor(before))
    .bind::<BigInt, _>(limit)
    .execute(conn)
    .await?)
}

/// Deletes up to `limit` notifications made before `before` that their reader has read, oldest first.
pub async fn read_notifications(
    conn: &mut AsyncPgConnection,
    before: DateTime<Utc>,
    limit: i64,
) -> Result<usize, DbError> {
    Ok(diesel::sql_query(
        "DELETE FROM notifications WHERE id IN \
           (SELECT id FROM notifications WHERE id < $1 AND read_at IS NOT NULL ORDER BY id LIMIT $2)",
    )
    .bind::<SqlUuid, _>(v7_floor(before))
    .bind::<BigInt, _>(limit)
    .execute(conn)
    .await?)
}

#[derive(diesel::QueryableByName)]
struct Made {
    #[diesel(sql_type = Integer)]
    made: i32,
}

/// Makes the timeline's missing monthly partitions from the month of `first` to the month of `last` (UTC), so that
/// no report lands in the default partition; answers how many it made. Safe on several workers at once.
pub async fn cover_timeline(
    conn: &mut AsyncPgConnection,
    first: DateTime<Utc>,
    last: DateTime<Utc>,
) -> Result<usize, DbError> {
    let made: Made = diesel::sql_query("SELECT issue_events_cover($1, $2) AS made")
        .bind::<Timestamptz, _>(first)
        .bind::<Timestamptz, _>(last)
        .get_result(conn)
        .await?;
    Ok(usize::try_from(made.made).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_of_a_moment_is_above_every_id_made_before_it_and_below_every_id_made_at_or_after() {
        let at = DateTime::parse_from_rfc3339("2026-12-08T00:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        let floor = v7_floor(at);
        assert_eq!(floor.get_version_num(), 7);
        let made = |ms: i64| {
            let t = at + chrono::Duration::milliseconds(ms);
            let secs = u64::try_from(t.timestamp()).expect("after 1970");
            let nanos = t.timestamp_subsec_nanos();
            Uuid::new_v7(uuid::Timestamp::from_unix(uuid::NoContext, secs, nanos))
        };
        assert!(made(-1) < floor);
        assert!(made(-86_400_000) < floor);
        assert!(made(0) >= floor);
        assert!(made(1) > floor);
    }
}
