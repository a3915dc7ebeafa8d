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
    pub project_id: Option<Uuid>,
}

/// One notification to write.
#[derive(Debug, Clone)]
pub struct NewNotification<'a> {
    pub issue_id: Option<Uuid>,
    /// The livelihood project it is about (a milestone's step, a plan change, a comment's answer).
    pub project_id: Option<Uuid>,
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
    if users.is_empty() {
        return Ok(0);
    }
    let to = Audience {
        users,
        ..Audience::default()
    };
    notify(conn, &to, n, now).await
}

/// Who a notice reaches, found in the statement that tells them.
#[derive(Debug, Default)]
pub struct Audience<'a> {
    /// These people.
    pub users: &'a [Uuid],
    /// Every enabled handler of these agencies.
    pub handlers_of: &'a [Uuid],
    /// The contact (督办联系人) of these agencies.
    pub contacts_of: &'a [Uuid],
    /// These agencies' enabled webhooks, sent this payload through the outbox.
    pub webhooks: Option<(&'a [Uuid], &'a serde_json::Value)>,
    /// Citizens whose WeChat message could not be queued, each with why: written to the outbox as `skipped`.
    pub wechat_skipped: &'a [(Uuid, &'static str)],
}

/// Tells a notice's whole audience, once each and only the enabled, and queues its webhook messages: one statement.
/// A second write for the same event changes nothing. Answers how many people were newly told.
pub async fn notify(
    conn: &mut AsyncPgConnection,
    to: &Audience<'_>,
    n: &NewNotification<'_>,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    use diesel::sql_types::{Array, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
    let (hooked, payload) = match to.webhooks {
        Some((agencies, payload)) => (agencies, Some(payload)),
        None => (&[][..], None),
    };
    let (skipped, reasons): (Vec<Uuid>, Vec<&str>) = to.wechat_skipped.iter().copied().unzip();
    Ok(diesel::sql_query(
        "WITH hooks AS (
             INSERT INTO outbox (id, channel, webhook_id, issue_id, kind, event_key, payload, next_attempt_at, created_at)
             SELECT uuid_v7(), 'webhook', w.id, $4, $5, $6, $10, $9, $9
               FROM webhooks w
              WHERE w.enabled AND w.agency_id = ANY($11) AND $10 IS NOT NULL
             ON CONFLICT DO NOTHING
         ), skipped AS (
             INSERT INTO outbox (id, channel, user_id, issue_id, kind, event_key, payload, status, last_error,
                                 next_attempt_at, created_at)
             SELECT uuid_v7(), 'wechat', s.user_id, $4, $5, $6, '{}', 'skipped', s.reason, $9, $9
               FROM unnest($12::uuid[], $13::text[]) AS s (user_id, reason)
             ON CONFLICT DO NOTHING
         )
         INSERT INTO notifications (id, user_id, issue_id, kind, event_key, title, body, created_at, project_id)
         SELECT uuid_v7(), u.id, $4, $5, $6, $7, $8, $9, $14
           FROM users u
          WHERE u.enabled
            AND (u.id = ANY($1)
                 OR (u.role = 'handler' AND u.agency_id = ANY($2))
                 OR u.id IN (SELECT a.contact_id FROM agencies a WHERE a.id = ANY($3)))
         ON CONFLICT DO NOTHING",
    )
    .bind::<Array<SqlUuid>, _>(to.users)
    .bind::<Array<SqlUuid>, _>(to.handlers_of)
    .bind::<Array<SqlUuid>, _>(to.contacts_of)
    .bind::<Nullable<SqlUuid>, _>(n.issue_id)
    .bind::<Text, _>(n.kind)
    .bind::<Text, _>(n.event_key)
    .bind::<Text, _>(n.title)
    .bind::<Text, _>(n.body)
    .bind::<Timestamptz, _>(now)
    .bind::<Nullable<Jsonb>, _>(payload)
    .bind::<Array<SqlUuid>, _>(hooked)
    .bind::<Array<SqlUuid>, _>(skipped)
    .bind::<Array<Text>, _>(reasons)
    .bind::<Nullable<SqlUuid>, _>(n.project_id)
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

/// A notice for an agency's handlers (and its webhooks) about one issue, told with many others ([`notify_handlers`]).
#[derive(Debug, Clone)]
pub struct HandlersNotice {
    pub issue_id: Uuid,
    pub agency_id: Uuid,
    pub kind: &'static str,
    pub event_key: String,
    pub title: &'static str,
    pub body: String,
    pub payload: serde_json::Value,
}

/// Tells many notices to their agencies' enabled handlers and queues them for the agencies' webhooks, in one
/// statement (the worker's batches). Each once: a second write for the same event changes nothing.
pub async fn notify_handlers(
    conn: &mut AsyncPgConnection,
    notices: &[HandlersNotice],
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    use diesel::sql_types::{Array, Jsonb, Text, Timestamptz, Uuid as SqlUuid};
    if notices.is_empty() {
        return Ok(0);
    }
    Ok(diesel::sql_query(
        "WITH n AS (
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[])
                 AS n (issue_id, agency_id, kind, event_key, title, body, payload)
         ), hooks AS (
             INSERT INTO outbox (id, channel, webhook_id, issue_id, kind, event_key, payload, next_attempt_at, created_at)
             SELECT uuid_v7(), 'webhook', w.id, n.issue_id, n.kind, n.event_key, n.payload, $8, $8
               FROM n JOIN webhooks w ON w.agency_id = n.agency_id AND w.enabled
             ON CONFLICT DO NOTHING
         )
         INSERT INTO notifications (id, user_id, issue_id, kind, event_key, title, body, created_at)
         SELECT uuid_v7(), u.id, n.issue_id, n.kind, n.event_key, n.title, n.body, $8
           FROM n JOIN users u ON u.role = 'handler' AND u.enabled AND u.agency_id = n.agency_id
         ON CONFLICT DO NOTHING",
    )
    .bind::<Array<SqlUuid>, _>(notices.iter().map(|n| n.issue_id).collect::<Vec<_>>())
    .bind::<Array<SqlUuid>, _>(notices.iter().map(|n| n.agency_id).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(notices.iter().map(|n| n.kind).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(notices.iter().map(|n| n.event_key.as_str()).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(notices.iter().map(|n| n.title).collect::<Vec<_>>())
    .bind::<Array<Text>, _>(notices.iter().map(|n| n.body.as_str()).collect::<Vec<_>>())
    .bind::<Array<Jsonb>, _>(notices.iter().map(|n| &n.payload).collect::<Vec<_>>())
    .bind::<Timestamptz, _>(now)
    .cached()
    .execute(conn)
    .await?)
}

/// In-app notifications of everyone, newest first, after the keyset cursor (admins watching delivery).
pub async fn everyone(
    conn: &mut AsyncPgConnection,
    before: Option<Uuid>,
    limit: i64,
) -> Result<Vec<NotificationRow>, DbError> {
    let mut q = notifications::table
        .select(NotificationRow::as_select())
        .order(notifications::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(b) = before {
        q = q.filter(notifications::id.lt(b));
    }
    Ok(q.load(conn).await?)
}

/// How many in-app notifications were written, and how many of them read.
pub async fn written_and_read(conn: &mut AsyncPgConnection) -> Result<(i64, i64), DbError> {
    use diesel::dsl::{count, count_star};
    Ok(notifications::table
        .select((count_star(), count(notifications::read_at)))
        .get_result(conn)
        .await?)
}
