//! Tables that stay bounded (issue #38 § 4): the worker retires delivered outbox messages and read notifications
//! past their retention; messages still to deliver, dead letters, unread notifications and the timeline stay.

use super::issues::{citizen, command, lines, report, HOUSING_HANDLER, PASSWORD, YUYAO_STAFF};
use minsheng_api::worker::{cover_timeline, deliver, retire};
use minsheng_tests::wechat::FakeWeChat;
use minsheng_tests::TestApp;
use serde_json::json;

async fn counted(app: &TestApp, sql: &str) -> Vec<String> {
    lines(app, sql).await
}

/// A citizen who took WeChat messages for `templates` (`accepted=TPL-ACCEPTED,…`), and their report accepted and
/// routed by staff; answers the issue's id.
async fn accepted_and_routed(app: &TestApp, fake: &FakeWeChat, templates: &[&str], deliver_first: bool) -> String {
    let seed = app.seed_demo().await;
    let resident = citizen(app, fake, &seed, "retention-resident").await;
    let staff = app.sign_in(YUYAO_STAFF, PASSWORD).await;
    let answers: serde_json::Map<String, serde_json::Value> =
        templates.iter().map(|t| ((*t).to_owned(), json!("accept"))).collect();
    let res = app
        .post(
            "/api/v1/wechat/subscriptions",
            &resident,
            &json!({ "answers": answers }),
        )
        .await;
    assert_eq!(res.status(), 200);
    let issue = report(
        app,
        &resident,
        &json!({"description": "保留期：路灯不亮，晚上很黑。", "category_code": "streetlight"}),
    )
    .await;
    let id = issue["id"].as_str().expect("id").to_owned();
    command(app, &staff, &id, "accept", &json!({})).await;
    if deliver_first {
        assert_eq!(deliver::tick(&app.state).await, 1);
    }
    command(app, &staff, &id, "route", &json!({})).await;
    id
}

/// The handler reads their newest notice; answers its id.
async fn read_newest(app: &TestApp, handler: &str) -> String {
    let list = app.get_json("/api/v1/notifications?limit=100", handler).await;
    let id = list["items"][0]["id"].as_str().expect("a notice").to_owned();
    let res = app
        .post(&format!("/api/v1/notifications/{id}/read"), handler, &json!({}))
        .await;
    assert!(res.status().is_success(), "{}", res.status());
    id
}

#[tokio::test]
async fn delivered_messages_and_read_notifications_are_retired_and_nothing_else() {
    let fake = FakeWeChat::start().await;
    // Kept no days at all: everything made before now that may be retired is.
    let app = TestApp::spawn_with_wechat(&fake, |env| {
        env.insert(
            "MINSHENG_WECHAT_TEMPLATES".into(),
            "accepted=TPL-ACCEPTED,routed=TPL-ROUTED".into(),
        );
        env.insert("MINSHENG_RETAIN_DELIVERED_DAYS".into(), "0".into());
        env.insert("MINSHENG_RETAIN_READ_NOTIFICATIONS_DAYS".into(), "0".into());
    })
    .await;
    // Accepted: its message is delivered. Routed: its message waits (not delivered yet).
    accepted_and_routed(&app, &fake, &["TPL-ACCEPTED", "TPL-ROUTED"], true).await;
    let statuses = "SELECT status || ' ' || count(*) AS line FROM outbox GROUP BY status ORDER BY 1";
    assert_eq!(counted(&app, statuses).await, ["pending 1", "sent 1"]);
    // The handler has read one notice and not the other.
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    let read_one = read_newest(&app, &housing).await;
    let notices = "SELECT (read_at IS NOT NULL)::text || ' ' || count(*) AS line FROM notifications GROUP BY read_at IS NOT NULL ORDER BY 1";
    let before = counted(&app, notices).await;
    let events = "SELECT count(*)::text AS line FROM issue_events";
    let timeline = counted(&app, events).await;

    let (delivered, read) = retire(&app.state).await;
    assert_eq!((delivered, read), (1, 1));
    assert_eq!(
        counted(&app, statuses).await,
        ["pending 1"],
        "what waits to be delivered stays"
    );
    let after = counted(&app, notices).await;
    assert_eq!(after.len(), 1, "{before:?} → {after:?}");
    assert!(after[0].starts_with("false "), "unread notifications stay: {after:?}");
    assert_eq!(
        counted(&app, events).await,
        timeline,
        "the timeline is the record: never retired"
    );
    let list = app.get_json("/api/v1/notifications?limit=100", &housing).await;
    assert!(
        list["items"]
            .as_array()
            .expect("items")
            .iter()
            .all(|n| n["id"] != read_one.as_str()),
        "{list}"
    );
    assert_eq!(retire(&app.state).await, (0, 0), "nothing more to retire");
}

#[tokio::test]
async fn within_their_retention_nothing_is_retired() {
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |env| {
        env.insert("MINSHENG_WECHAT_TEMPLATES".into(), "accepted=TPL-ACCEPTED".into());
    })
    .await;
    accepted_and_routed(&app, &fake, &["TPL-ACCEPTED"], false).await;
    assert_eq!(deliver::tick(&app.state).await, 1);
    let housing = app.sign_in(HOUSING_HANDLER, PASSWORD).await;
    read_newest(&app, &housing).await;
    // The defaults keep delivered messages 30 days and read notifications 180: a moment old, both stay.
    assert_eq!(retire(&app.state).await, (0, 0));
}

/// The partition a month's reports and their events lie in (migration 000034), by UTC month.
fn month_partition(at: chrono::DateTime<chrono::Utc>) -> String {
    format!("issue_events_{}", at.format("%Y_%m"))
}

#[tokio::test]
async fn the_timeline_lies_in_its_report_months_partition_and_the_coming_months_are_made_ahead() {
    use chrono::Months;
    use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
    let fake = FakeWeChat::start().await;
    let app = TestApp::spawn_with_wechat(&fake, |_| {}).await;
    let id = accepted_and_routed(&app, &fake, &[], false).await;
    // The month the issue's id was made in (UUIDv7: its first 48 bits are that millisecond).
    let (secs, _) = uuid::Uuid::parse_str(&id)
        .expect("a uuid")
        .get_timestamp()
        .expect("a UUIDv7")
        .to_unix();
    let made = chrono::DateTime::from_timestamp(i64::try_from(secs).expect("secs"), 0).expect("a moment");
    // Every event of the issue (reported, accepted, routed) in this month's partition; none in the default one.
    let placed = format!(
        "SELECT tableoid::regclass::text || ' ' || count(*) AS line FROM issue_events \
          WHERE issue_id = '{id}' GROUP BY tableoid"
    );
    let placed = counted(&app, &placed).await;
    assert_eq!(placed.len(), 1, "{placed:?}");
    assert!(
        placed[0].starts_with(&format!("{} ", month_partition(made))),
        "{placed:?}"
    );
    assert_eq!(
        counted(&app, "SELECT count(*)::text AS line FROM issue_events_default").await,
        ["0"]
    );
    // The timeline reads through the parent as before.
    let timeline = app
        .get_json(
            &format!("/api/v1/issues/{id}"),
            &app.sign_in(YUYAO_STAFF, PASSWORD).await,
        )
        .await;
    assert_eq!(timeline["id"], id.as_str(), "{timeline}");

    // A coming month's partition gone (as on a database migrated long ago): the worker makes it again, once.
    let coming = month_partition(chrono::Utc::now().checked_add_months(Months::new(2)).expect("a month"));
    let url = app.env.get("DATABASE_URL").expect("a database URL");
    let mut conn = AsyncPgConnection::establish(url).await.expect("connects");
    diesel::sql_query(format!("DROP TABLE {coming}"))
        .execute(&mut conn)
        .await
        .expect("dropped");
    let exists = format!("SELECT (to_regclass('{coming}') IS NOT NULL)::text AS line");
    assert_eq!(counted(&app, &exists).await, ["false"]);
    assert_eq!(cover_timeline(&app.state).await, 1);
    assert_eq!(counted(&app, &exists).await, ["true"]);
    assert_eq!(cover_timeline(&app.state).await, 0, "made once");
}
