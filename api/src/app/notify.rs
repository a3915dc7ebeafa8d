//! Telling people, inside the transaction of what happened: in-app notifications are written, WeChat messages and
//! webhooks are queued in the outbox for the worker. `event_key` names the happening (an issue event, a deadline
//! step), so a retry or a second worker adds nothing.

use crate::app::error::AppResult;
use chrono::{DateTime, Utc};
use domain::issue::notice::{of_step, Audience, Notice};
use domain::issue::warning::Step;
use domain::organisation::region::RegionPath;
use infra::config::Config;
use infra::db::issues::IssueRow;
use infra::db::notifications::NewNotification;
use infra::db::outbox::Recipient;
use infra::db::PgConn;
use serde_json::json;
use uuid::Uuid;

/// What a notice is about: the issue, the citizens who joined it (they hear what its reporter hears), and the
/// agencies holding it once the change is made (a routing's new ones).
pub struct Subject<'a> {
    pub issue: &'a IssueRow,
    pub joiners: &'a [Uuid],
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
) -> AppResult<()> {
    let issue = subject.issue;
    let title = headline(issue);
    let body = body_of(issue);
    let note = NewNotification {
        issue_id: Some(issue.id),
        project_id: None,
        kind: notice.as_str(),
        event_key,
        title: notice.title(),
        body: &body,
    };
    // Each citizen's WeChat message is queued, or written as skipped with why, so admins see every one.
    let mut skipped = Vec::new();
    if notice.audiences().contains(&Audience::Reporter) {
        for &citizen in std::iter::once(&issue.reporter_id).chain(subject.joiners) {
            if let Some(why) = wechat(conn, config, issue, citizen, notice, event_key, &title, now).await? {
                skipped.push((citizen, why));
            }
        }
    }
    // A routing tells the co-agencies' handlers too; every other notice, the lead's.
    let co: &[Uuid] = if notice == Notice::Routed { subject.co } else { &[] };
    let path = issue.path();
    let agencies = Agencies {
        reporter: Some(issue.reporter_id),
        joiners: subject.joiners,
        lead: subject.lead,
        co,
        region: Some(&path),
    };
    let mut reach = reach(conn, notice.audiences().iter().copied(), &agencies).await?;
    reach.wechat_skipped = skipped;
    // The agencies' own systems hear what their handlers hear.
    let payload = webhook_payload(issue, subject.lead, notice, now);
    reach.tell(conn, &note, Some(&payload), now).await
}

/// Whom audiences name, for one subject of supervision: an issue (its reporter, lead and co-agencies) or a
/// project's milestone (its agency).
pub struct Agencies<'a> {
    pub reporter: Option<Uuid>,
    /// Citizens who joined the issue: they hear what the reporter hears.
    pub joiners: &'a [Uuid],
    pub lead: Option<Uuid>,
    pub co: &'a [Uuid],
    /// Where the subject is: its staff, nearest first, are found up from here.
    pub region: Option<&'a RegionPath>,
}

/// Who audiences reach, as `infra::db::notifications::notify` finds them in its one statement: people by id, the
/// agencies whose handlers hear, the agencies whose contacts hear. Only the staff levels are looked up first.
#[derive(Debug, Default)]
pub struct Reach {
    pub users: Vec<Uuid>,
    pub handlers_of: Vec<Uuid>,
    pub contacts_of: Vec<Uuid>,
    /// Citizens whose WeChat message was not queued, and why (written to the outbox as skipped).
    pub wechat_skipped: Vec<(Uuid, &'static str)>,
}

impl Reach {
    /// Tells them all in one statement, with `payload` for the webhooks of the agencies whose handlers hear.
    pub async fn tell(
        &self,
        conn: &mut PgConn,
        note: &NewNotification<'_>,
        payload: Option<&serde_json::Value>,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let to = infra::db::notifications::Audience {
            users: &self.users,
            handlers_of: &self.handlers_of,
            contacts_of: &self.contacts_of,
            webhooks: payload
                .filter(|_| !self.handlers_of.is_empty())
                .map(|p| (self.handlers_of.as_slice(), p)),
            wechat_skipped: &self.wechat_skipped,
        };
        infra::db::notifications::notify(conn, &to, note, now).await?;
        Ok(())
    }
}

/// Whom `audiences` reach for a subject.
pub async fn reach(
    conn: &mut PgConn,
    audiences: impl Iterator<Item = Audience>,
    of: &Agencies<'_>,
) -> AppResult<Reach> {
    let mut reach = Reach::default();
    let mut levels: Option<Vec<Vec<Uuid>>> = None;
    for audience in audiences {
        match audience {
            Audience::Reporter => {
                reach.users.extend(of.reporter);
                reach.users.extend(of.joiners);
            }
            Audience::Handlers => {
                reach.handlers_of.extend(of.lead);
                reach.handlers_of.extend(of.co);
            }
            Audience::AgencyContact => reach.contacts_of.extend(of.lead),
            Audience::Staff | Audience::StaffAbove => {
                if let (None, Some(region)) = (&levels, of.region) {
                    levels = Some(staff_up_from(conn, region).await?);
                }
                let level = usize::from(audience == Audience::StaffAbove);
                if let Some(staff) = levels.as_ref().and_then(|l| l.get(level)) {
                    reach.users.extend(staff);
                }
            }
        }
    }
    for ids in [&mut reach.users, &mut reach.handlers_of, &mut reach.contacts_of] {
        ids.sort();
        ids.dedup();
    }
    Ok(reach)
}

/// Tells everyone a project milestone's step concerns, by the same table as an issue's deadline steps
/// (`domain::issue::notice::of_step` and each notice's audiences): at the warning the agency's handlers; when due
/// they, its contact and the nearest staff; at escalation its contact and two levels of staff.
pub async fn announce_milestone_step(
    conn: &mut PgConn,
    step: Step,
    agency: Uuid,
    region: Option<&RegionPath>,
    note: &NewNotification<'_>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let audiences = of_step(step).iter().flat_map(|n| n.audiences().iter().copied());
    let agencies = Agencies {
        reporter: None,
        joiners: &[],
        lead: Some(agency),
        co: &[],
        region,
    };
    reach(conn, audiences, &agencies)
        .await?
        .tell(conn, note, None, now)
        .await
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

/// Queues the notice's WeChat subscribe message for `citizen` (the reporter or one who joined), when they accepted
/// the template and have a credit left; otherwise answers why not: `not_configured` (no WeChat, or no template for
/// this notice), `no_wechat_account` (they never signed in through WeChat), `not_subscribed` (no credit left).
#[allow(clippy::too_many_arguments)] // the message's parts, each of its own kind
async fn wechat(
    conn: &mut PgConn,
    config: &Config,
    issue: &IssueRow,
    citizen: Uuid,
    notice: Notice,
    event_key: &str,
    title: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<&'static str>> {
    let Some(template) = config
        .wechat
        .as_ref()
        .and_then(|w| w.templates.iter().find(|(k, _)| k == notice.as_str()))
        .map(|(_, t)| t.clone())
    else {
        return Ok(Some("not_configured"));
    };
    if infra::db::users::openid_of(conn, citizen).await?.is_none() {
        return Ok(Some("no_wechat_account"));
    }
    if !infra::db::notifications::spend_credit(conn, citizen, &template).await? {
        return Ok(Some("not_subscribed"));
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
    let to = Recipient::WeChat(citizen);
    infra::db::outbox::enqueue(conn, to, Some(issue.id), notice.as_str(), event_key, &payload, now).await?;
    Ok(None)
}

/// Staff of the region and of each level above it that has any, nearest first.
pub async fn staff_up_from(conn: &mut PgConn, region: &RegionPath) -> AppResult<Vec<Vec<Uuid>>> {
    let mut up: Vec<&str> = region.codes().collect();
    up.reverse();
    Ok(infra::db::users::staff_by_level(conn, &up).await?)
}
