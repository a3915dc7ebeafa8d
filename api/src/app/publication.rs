//! 结果网上评 as the public sees an issue: what was reported, where (to the village or community), which agency
//! answered and how, and how the reporter rated it — never who reported, their phone, the exact place or internal
//! comments; numbers typed into the text are masked.

use crate::app::error::{AppError, AppResult};
use crate::app::reach::region_filter;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::issue::{Rating, ReplyCategory, Status};
use infra::db::stats::PublicFilter;
use infra::db::stats::Shown;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A place to the village or community: the issue's region.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicPlace {
    pub region_code: String,
    pub name: String,
}

/// A category by code and name.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicCategory {
    pub code: String,
    pub name: String,
}

/// The agency's answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicReply {
    pub category: Option<ReplyCategory>,
    pub text: Option<String>,
    pub at: Option<DateTime<Utc>>,
}

/// An issue as the public sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicIssue {
    pub id: Uuid,
    pub number: String,
    pub title: Option<String>,
    pub description: String,
    pub category: Option<PublicCategory>,
    pub place: PublicPlace,
    pub status: Status,
    pub agency: Option<String>,
    pub reply: PublicReply,
    /// The reporter's rating of the reply, once given.
    pub rating: Option<Rating>,
    pub reported_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl PublicIssue {
    /// The shown row with the reporter's name and phone (and every long number) masked out of its text.
    #[must_use]
    pub fn of(row: &Shown) -> Self {
        // A one-character name would mask every 王 in the text; names of two or more are masked wherever they appear.
        let name = (row.reporter_name.chars().count() >= 2).then_some(row.reporter_name.as_str());
        let known: Vec<&str> = name.into_iter().chain(row.reporter_phone.as_deref()).collect();
        let mask = |t: &str| domain::publication::mask(t, &known);
        PublicIssue {
            id: row.id,
            number: row.number.clone(),
            title: row.title.as_deref().map(mask),
            description: mask(&row.description),
            category: row.category_code.clone().map(|code| PublicCategory {
                name: row.category_name.clone().unwrap_or_else(|| code.clone()),
                code,
            }),
            place: PublicPlace {
                region_code: row.region_code.clone(),
                name: row.region_name.clone(),
            },
            status: row.status.parse().unwrap_or(Status::Closed),
            agency: row.agency_name.clone(),
            reply: PublicReply {
                category: row.reply_category.as_deref().and_then(|c| c.parse().ok()),
                text: row.reply.as_deref().map(mask),
                at: row.replied_at,
            },
            rating: row.rating.as_deref().and_then(|r| r.parse().ok()),
            reported_at: row.reported_at,
            closed_at: row.closed_at,
        }
    }
}

/// Public issue `id`, as the public results show it.
///
/// # Errors
/// 404 for an issue unknown or not public.
pub async fn issue(state: &AppState, id: Uuid) -> AppResult<PublicIssue> {
    let mut conn = crate::app::reads::conn(state, None).await?;
    let row = infra::db::stats::public(&mut conn, &PublicFilter::default(), Some(id), 1, state.clock.now())
        .await?
        .pop()
        .ok_or_else(|| AppError::not_found("issue"))?;
    Ok(PublicIssue::of(&row))
}

/// The public issues of `region`'s subtree and of `category`, newest first, after `after`, `probe` at most.
///
/// # Errors
/// 404 naming `region` for an unknown region.
pub async fn issues(
    state: &AppState,
    region: Option<&str>,
    category: Option<String>,
    after: Option<Uuid>,
    probe: i64,
) -> AppResult<Vec<PublicIssue>> {
    let mut conn = crate::app::reads::conn(state, None).await?;
    let filter = PublicFilter {
        path_prefix: region_filter(&mut conn, region).await?,
        category,
        after,
    };
    let rows = infra::db::stats::public(&mut conn, &filter, None, probe, state.clock.now()).await?;
    Ok(rows.iter().map(PublicIssue::of).collect())
}
