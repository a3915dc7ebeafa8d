//! In-app notifications (the bell in the mini-program, the app and the console), and citizens' WeChat
//! subscriptions: writing a notification row is its delivery, so it needs no outbox.

use super::schema::{notifications, wechat_subscriptions as subs};
use super::statements::Cache;
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = notifications)]
pub struct NotificationRow {
    pub id: Uuid,
    pub user_id: Uuid,
    pub issue_id: Option<Uuid>,
    pub kind: String,
    pub event_key: String,
    pub title: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// One notification to write.
#[derive(Debug, Clone)]
pub struct NewNotification<'a> {
    pub issue_id: Option<Uuid>,
    pub kind: &'a str,
    pub event_key: &'a str,
    pub title: &'a str,
    pub body: &'a str,
}

/// Tells each of `users` whose account is enabled once (an erased reporter still stands on their issues, and hears
/// nothing): a second write for the same event changes nothing. Answers how many were new.
pub async fn tell(
    conn: &mut AsyncPgConnection,
    users: &[Uuid],
    n: &NewNotification<'_>,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    use diesel::sql_types::{Array, Nullable, Text, Timestamptz, Uuid as SqlUuid};
    if users.is_empty() {
        return Ok(0);
    }
    // Ids are made here (time-ordered, as everywhere) for every one asked about; the disabled are left out by the
    // join, in the same statement.
    let ids: Vec<Uuid> = users.iter().map(|_| Uuid::now_v7()).collect();
    Ok(diesel::sql_query(
        "INSERT INTO notifications (id, user_id, issue_id, kind, event_key, title, body, created_at)
         SELECT t.id, t.user_id, $3, $4, $5, $6, $7, $8
           FROM unnest($1::uuid[], $2::uuid[]) AS t (id, user_id)
           JOIN users u ON u.id = t.user_id AND u.enabled
         ON CONFLICT DO NOTHING",
    )
    .bind::<Array<SqlUuid>, _>(&ids)
    .bind::<Array<SqlUuid>, _>(users)
    .bind::<Nullable<SqlUuid>, _>(n.issue_id)
    .bind::<Text, _>(n.kind)
    .bind::<Text, _>(n.event_key)
    .bind::<Text, _>(n.title)
    .bind::<Text, _>(n.body)
    .bind::<Timestamptz, _>(now)
    .cached()
    .execute(conn)
    .await?)
}

/// A person's notifications, newest first, after the keyset cursor.
pub async fn of_user(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    unread_only: bool,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Vec<NotificationRow>, DbError> {
    let mut q = notifications::table
        .filter(notifications::user_id.eq(user))
        .select(NotificationRow::as_select())
        .order(notifications::id.desc())
        .limit(limit)
        .into_boxed();
    if unread_only {
        q = q.filter(notifications::read_at.is_null());
    }
    if let Some(b) = before {
        q = q.filter(notifications::id.lt(b));
    }
    Ok(q.load(conn).await?)
}

/// How many unread.
pub async fn unread_count(conn: &mut AsyncPgConnection, user: Uuid) -> Result<i64, DbError> {
    Ok(notifications::table
        .filter(notifications::user_id.eq(user))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)
        .await?)
}

/// Marks one of the person's own notifications read (again is fine); false when it is not theirs.
pub async fn mark_read(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let theirs = notifications::table
        .filter(notifications::id.eq(id))
        .filter(notifications::user_id.eq(user));
    diesel::update(theirs.filter(notifications::read_at.is_null()))
        .set(notifications::read_at.eq(Some(now)))
        .execute(conn)
        .await?;
    let found: i64 = theirs.count().get_result(conn).await?;
    Ok(found == 1)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = subs)]
pub struct SubscriptionRow {
    pub user_id: Uuid,
    pub template_id: String,
    pub credits: i32,
    pub refused_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

/// Records a citizen's answer to a subscription request: `accept` adds one message, a rejection stops them.
pub async fn answer_subscription(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    template: &str,
    accepted: bool,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let insert = diesel::insert_into(subs::table).values((
        subs::user_id.eq(user),
        subs::template_id.eq(template),
        subs::credits.eq(i32::from(accepted)),
        subs::refused_at.eq((!accepted).then_some(now)),
        subs::updated_at.eq(now),
    ));
    if accepted {
        insert
            .on_conflict((subs::user_id, subs::template_id))
            .do_update()
            .set((
                subs::credits.eq(subs::credits + 1),
                subs::refused_at.eq(None::<DateTime<Utc>>),
                subs::updated_at.eq(now),
            ))
            .execute(conn)
            .await?;
    } else {
        insert
            .on_conflict((subs::user_id, subs::template_id))
            .do_update()
            .set((
                subs::credits.eq(0),
                subs::refused_at.eq(Some(now)),
                subs::updated_at.eq(now),
            ))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// A citizen's subscriptions.
pub async fn subscriptions(conn: &mut AsyncPgConnection, user: Uuid) -> Result<Vec<SubscriptionRow>, DbError> {
    Ok(subs::table
        .filter(subs::user_id.eq(user))
        .select(SubscriptionRow::as_select())
        .order(subs::template_id.asc())
        .load(conn)
        .await?)
}

/// Spends one accepted message of `template`; false when the citizen has none left or refused.
pub async fn spend_credit(conn: &mut AsyncPgConnection, user: Uuid, template: &str) -> Result<bool, DbError> {
    let n = diesel::update(
        subs::table
            .filter(subs::user_id.eq(user))
            .filter(subs::template_id.eq(template))
            .filter(subs::credits.gt(0))
            .filter(subs::refused_at.is_null()),
    )
    .set(subs::credits.eq(subs::credits - 1))
    .execute(conn)
    .await?;
    Ok(n == 1)
}

/// WeChat said the citizen refused (43101): nothing more is sent with this template until they accept again.
pub async fn refuse(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    template: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(
        subs::table
            .filter(subs::user_id.eq(user))
            .filter(subs::template_id.eq(template)),
    )
    .set((
        subs::credits.eq(0),
        subs::refused_at.eq(Some(now)),
        subs::updated_at.eq(now),
    ))
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets what was sent to a person and their subscriptions, with the messages still waiting for them (an erased
/// account). Run it inside the erasure's transaction.
pub async fn forget(conn: &mut AsyncPgConnection, user: Uuid) -> Result<(), DbError> {
    use super::schema::outbox;
    diesel::delete(notifications::table.filter(notifications::user_id.eq(user)))
        .execute(conn)
        .await?;
    diesel::delete(subs::table.filter(subs::user_id.eq(user)))
        .execute(conn)
        .await?;
    diesel::delete(
        outbox::table
            .filter(outbox::user_id.eq(user))
            .filter(outbox::status.eq("pending")),
    )
    .execute(conn)
    .await?;
    Ok(())
}
