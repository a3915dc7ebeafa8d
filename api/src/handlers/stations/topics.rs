use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::extract::params::Query;
use crate::extract::AuthUser;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use chrono::{Days, NaiveDate};
use domain::issue::deadline::SHANGHAI;
use domain::permission::may_plan_reception;
use domain::stats::period::Period;
use domain::stats::topics::{suggest, Seen, TopicKind};
use domain::stats::Breakdown;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The most issues a suggestion reads.
const READ: i64 = 10_000;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TopicQuery {
    /// First day, `YYYY-MM-DD`; default: 90 days before `to`.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`; default: today.
    pub to: Option<String>,
    /// How many topics, 1–20; default 5.
    pub limit: Option<i64>,
}

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

/// 数智化主题接待: topics for the station's next reception day, from what its area (the station's region and below)
/// reported in the period — the categories and places reported most, weighted by what is unresolved and what reporters
/// were dissatisfied with, each with its counts and examples. Staff over the station, the deputies who serve there,
/// admins.
#[utoipa::path(tag = "stations", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The station"), TopicQuery),
    responses((status = 200, body = ReceptionTopics),
        (status = 400, body = crate::problem::Problem, content_type = "application/problem+json")))]
#[get("/stations/{id}/topics")]
pub async fn topics(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    q: Query<TopicQuery>,
) -> AppResult<HttpResponse> {
    let take = q.limit.unwrap_or(5);
    if !(1..=20).contains(&take) {
        return Err(AppError::new(ErrorCode::InvalidQuery, "limit must be 1 to 20").with_field("limit"));
    }
    let period = Period::parse(q.from.as_deref(), q.to.as_deref())
        .map_err(|e| AppError::new(ErrorCode::InvalidQuery, e.message.clone()).with_field(e.field))?;
    let now = state.clock.now();
    let to = period.to.unwrap_or_else(|| now.with_timezone(&SHANGHAI).date_naive());
    let from = period
        .from
        .unwrap_or_else(|| to.checked_sub_days(Days::new(90)).unwrap_or(to));
    let bounds = Period {
        from: Some(from),
        to: Some(to),
    };
    let (Some(start), Some(end)) = (bounds.start(), bounds.end()) else {
        return Err(AppError::new(ErrorCode::InvalidQuery, "the period is out of range").with_field("from"));
    };
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (station, region) = infra::db::stations::find(&mut conn, *id)
        .await?
        .ok_or_else(|| AppError::not_found("station"))?;
    may_plan_reception(&auth.actor, station.id, &region)?;
    let issues = infra::db::topics::area_issues(&mut conn, region.as_str(), start, end, READ).await?;
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
    let suggestions = suggest(&seen, usize::try_from(take).unwrap_or(5));
    let keys = |kind| -> Vec<String> {
        suggestions
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.key.clone())
            .collect()
    };
    let mut names = infra::db::stats::names(&mut conn, Breakdown::Categories, &keys(TopicKind::Category)).await?;
    let places = infra::db::stats::names(&mut conn, Breakdown::Regions, &keys(TopicKind::Place)).await?;
    let by_id: HashMap<Uuid, &infra::db::topics::AreaIssue> = issues.iter().map(|i| (i.id, i)).collect();
    let topics = suggestions
        .into_iter()
        .map(|s| {
            let name = match s.kind {
                TopicKind::Category => names.remove(&s.key),
                TopicKind::Place => places.get(&s.key).cloned(),
            }
            .unwrap_or_else(|| {
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
                    .filter_map(|id| by_id.get(id))
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
        })
        .collect();
    Ok(HttpResponse::Ok().json(ReceptionTopics {
        station_id: station.id,
        from,
        to,
        issues: u64::try_from(issues.len()).unwrap_or(0),
        topics,
    }))
}
