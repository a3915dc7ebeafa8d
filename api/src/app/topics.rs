//! 数智化主题接待: topics for a station's next reception day, from what its area reported.

use crate::app::error::{AppError, AppResult};
use crate::app::Caller;
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use domain::permission::may_plan_reception;
use domain::stats::topics::{suggest, Seen, Suggestion, TopicKind};
use domain::stats::Breakdown;
use infra::db::topics::AreaIssue;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// The most issues a suggestion reads.
const READ: i64 = 10_000;

/// Suggested topics for a station's next reception day.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceptionTopics {
    pub station_id: Uuid,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Issues of the station's area in the period (declined and merged ones left out).
    pub issues: u64,
    pub topics: Vec<ReceptionTopic>,
}

/// A reception topic and the evidence for it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReceptionTopic {
    /// `category` or `place` (the village, community or township the issues are in).
    pub kind: TopicKind,
    /// The category code or the place's region code (`""`: issues without a category).
    pub code: String,
    pub name: String,
    pub reported: u32,
    /// Neither replied nor closed.
    pub unresolved: u32,
    /// Rated dissatisfied by their reporters.
    pub dissatisfied: u32,
    /// reported + 2 × unresolved + 3 × dissatisfied: what a reception day can still move weighs most.
    pub score: u32,
    /// Up to three issues: dissatisfied first, then unresolved, then the newest.
    pub examples: Vec<TopicExample>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TopicExample {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub status: String,
}

/// The days the topics are drawn from, and the moments they begin and end.
pub struct Bounds {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// `take` topics for `station` from what its area reported over `period`.
///
/// # Errors
/// 404 for an unknown station; 403 for anyone but the station's staff, its deputies and admins.
pub async fn topics(
    state: &AppState,
    caller: &Caller,
    station: Uuid,
    period: Bounds,
    take: usize,
) -> AppResult<ReceptionTopics> {
    let mut conn = crate::app::reads::conn(state, Some(caller.actor.user_id)).await?;
    let (station, region) = infra::db::stations::find(&mut conn, station)
        .await?
        .ok_or_else(|| AppError::not_found("station"))?;
    may_plan_reception(&caller.actor, station.id, &region)?;
    let (from, to) = (period.from, period.to);
    let issues = infra::db::topics::area_issues(&mut conn, region.as_str(), period.start, period.end, READ).await?;
    let seen: Vec<Seen> = issues
        .iter()
        .map(|i| Seen {
            id: i.id,
            category: i.category_code.clone(),
            place: i.region_code.clone(),
            unresolved: i.unresolved,
            dissatisfied: i.dissatisfied,
        })
        .collect();
    let suggestions = suggest(&seen, take);
    let keys = |kind| -> Vec<String> {
        suggestions
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.key.clone())
            .collect()
    };
    let mut names = infra::db::stats::names(&mut conn, Breakdown::Categories, &keys(TopicKind::Category)).await?;
    let places = infra::db::stats::names(&mut conn, Breakdown::Regions, &keys(TopicKind::Place)).await?;
    let by_id: HashMap<Uuid, &AreaIssue> = issues.iter().map(|i| (i.id, i)).collect();
    let topics = suggestions
        .into_iter()
        .map(|s| {
            let name = match s.kind {
                TopicKind::Category => names.remove(&s.key),
                TopicKind::Place => places.get(&s.key).cloned(),
            };
            topic(s, name, &by_id)
        })
        .collect();
    Ok(ReceptionTopics {
        station_id: station.id,
        from,
        to,
        issues: u64::try_from(issues.len()).unwrap_or(0),
        topics,
    })
}

/// A suggestion with its name (the code where none is known; "未分类" for issues without a category) and examples.
fn topic(s: Suggestion, name: Option<String>, issues: &HashMap<Uuid, &AreaIssue>) -> ReceptionTopic {
    let name = name.unwrap_or_else(|| {
        if s.key.is_empty() {
            "未分类".to_owned()
        } else {
            s.key.clone()
        }
    });
    ReceptionTopic {
        kind: s.kind,
        name,
        reported: s.reported,
        unresolved: s.unresolved,
        dissatisfied: s.dissatisfied,
        score: s.score,
        examples: s
            .examples
            .iter()
            .filter_map(|id| issues.get(id))
            .map(|i| TopicExample {
                id: i.id,
                number: i.number.clone(),
                title: i
                    .title
                    .clone()
                    .unwrap_or_else(|| i.description.chars().take(20).collect()),
                status: i.status.clone(),
            })
            .collect(),
        code: s.key,
    }
}
