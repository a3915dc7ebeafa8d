//! Telling people, inside the transaction of what happened: in-app notifications are written, WeChat messages and
//! webhooks are queued in the outbox for the worker. `event_key` names the happening (an issue event, a deadline
//! step), so a retry or a second worker adds nothing.

use crate::error::ApiResult;
use chrono::{DateTime, Utc};
use domain::issue::notice::{Audience, Notice};
use domain::organisation::region::RegionPath;
use infra::config::Config;
use infra::db::issues::IssueRow;
use infra::db::notifications::NewNotification;
use infra::db::outbox::Recipient;
use infra::db::PgConn;
use serde_json::json;
use uuid::Uuid;

/// What a notice is about: the issue, and the agencies holding it once the change is made (a routing's new ones).
pub struct Subject<'a> {
    pub issue: &'a IssueRow,
    pub lead: Option<Uuid>,
    pub co: &'a [Uuid],
}

/// Tells everyone a notice concerns.
pub async fn announce(
    conn: &mut PgConn,
    config: &Config,
    subject: &Subject<'_>,
    notice: Notice,
    event_key: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let issue = subject.issue;
    let title = headline(issue);
    let body = body_of(issue);
    let note = NewNotification {
        issue_id: Some(issue.id),
        kind: notice.as_str(),
        event_key,
        title: notice.title(),
        body: &body,
    };
    // Everyone the notice reaches is told in one statement; only the nearest staff are looked up first.
    let mut users: Vec<Uuid> = Vec::new();
    let mut handlers_of: Vec<Uuid> = Vec::new();
    let mut contacts_of: Vec<Uuid> = Vec::new();
    for audience in notice.audiences() {
        match audience {
            Audience::Reporter => {
                users.push(issue.reporter_id);
                wechat(conn, config, issue, notice, event_key, &title, now).await?;
            }
            Audience::Handlers => {
                handlers_of.extend(subject.lead);
                if notice == Notice::Routed {
                    handlers_of.extend(subject.co);
                }
            }
            Audience::AgencyContact => contacts_of.extend(subject.lead),
            Audience::Staff | Audience::StaffAbove => {
                let levels = staff_up_from(conn, &issue.path()).await?;
                let level = usize::from(*audience == Audience::StaffAbove);
                if let Some(staff) = levels.get(level) {
                    users.extend(staff);
                }
            }
        }
    }
    // The agencies' own systems hear what their handlers hear.
    let payload = webhook_payload(issue, subject.lead, notice, now);
    let to = infra::db::notifications::Audience {
        users: &users,
        handlers_of: &handlers_of,
        contacts_of: &contacts_of,
        webhooks: (!handlers_of.is_empty()).then_some((handlers_of.as_slice(), &payload)),
    };
    infra::db::notifications::notify(conn, &to, &note, now).await?;
    Ok(())
}

/// The words an issue goes by in a notice: its title, or the start of its description.
fn headline(issue: &IssueRow) -> String {
    issue
        .title
        .clone()
        .unwrap_or_else(|| issue.description.chars().take(20).collect())
}

/// A notification's body: the issue's number and headline.
#[must_use]
pub fn body_of(issue: &IssueRow) -> String {
    format!("{} {}", issue.number, headline(issue))
}

/// What an agency's webhook receives for a notice.
#[must_use]
pub fn webhook_payload(issue: &IssueRow, lead: Option<Uuid>, notice: Notice, now: DateTime<Utc>) -> serde_json::Value {
    json!({
        "kind": notice.as_str(),
        "title": notice.title(),
        "issue": {
            "id": issue.id,
            "number": issue.number,
            "title": issue.title,
            "category_code": issue.category_code,
            "region_code": issue.region_code,
            "lead_agency_id": lead,
        },
        "occurred_at": now,
    })
}

async fn wechat(
    conn: &mut PgConn,
    config: &Config,
    issue: &IssueRow,
    notice: Notice,
    event_key: &str,
    title: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let Some(template) = config
        .wechat
        .as_ref()
        .and_then(|w| w.templates.iter().find(|(k, _)| k == notice.as_str()))
        .map(|(_, t)| t.clone())
    else {
        return Ok(());
    };
    if infra::db::users::openid_of(conn, issue.reporter_id).await?.is_none() {
        return Ok(());
    }
    if !infra::db::notifications::spend_credit(conn, issue.reporter_id, &template).await? {
        return Ok(());
    }
    // The keywords of the 办理进度提醒 template kind: number, title, status, time. Values are cut to WeChat's limits
    // (thing: 20 characters, phrase: 5).
    let payload = json!({
        "template_id": template,
        "page": format!("pages/issue/index?id={}", issue.id),
        "data": {
            "character_string1": { "value": issue.number },
            "thing2": { "value": title.chars().take(20).collect::<String>() },
            "phrase3": { "value": notice.title().chars().take(5).collect::<String>() },
            "time4": { "value": now.with_timezone(&domain::issue::deadline::SHANGHAI).format("%Y-%m-%d %H:%M").to_string() },
        },
    });
    let to = Recipient::WeChat(issue.reporter_id);
    infra::db::outbox::enqueue(conn, to, Some(issue.id), notice.as_str(), event_key, &payload, now).await?;
    Ok(())
}

/// Staff of the region and of each level above it that has any, nearest first.
pub async fn staff_up_from(conn: &mut PgConn, region: &RegionPath) -> ApiResult<Vec<Vec<Uuid>>> {
    let mut up: Vec<&str> = region.codes().collect();
    up.reverse();
    Ok(infra::db::users::staff_by_level(conn, &up).await?)
}
