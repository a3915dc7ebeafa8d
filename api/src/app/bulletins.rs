//! 民情专报: a period's issues compiled for the party committee and the government — the headline figures, the issues
//! by theme (category) and place, what is overdue, and representative issues with their replies.

use crate::app::error::AppResult;
use crate::app::publication::{PublicCategory, PublicIssue};
use crate::app::stats::{asked, top_places, Asked, CohortQuery, Reach};
use crate::app::Caller;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use domain::stats::scope::may_compile_bulletin;
use domain::stats::{Breakdown, Figures};
use domain::stats::{Period, StatsScope};
use infra::db::stats::{Cohort, RowKey};
use infra::db::DbPool;
use serde::Serialize;
use utoipa::ToSchema;

/// Representative issues per theme.
const PER_THEME: i64 = 3;
/// Overdue issues listed.
const OVERDUE_LISTED: i64 = 200;

/// A place in a theme and how many of the theme's issues it reported.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThemePlace {
    pub region_code: String,
    pub name: String,
    pub reported: u64,
}

/// A theme (category) of the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct Theme {
    /// None: issues reported without a category.
    pub category: Option<PublicCategory>,
    pub figures: Figures,
    pub places: Vec<ThemePlace>,
    /// Replied issues, the most co-signed first.
    pub representative: Vec<PublicIssue>,
}

/// An issue past an agency deadline now.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverdueIssue {
    pub number: String,
    pub title: Option<String>,
    pub category: Option<String>,
    pub place: String,
    pub agency: Option<String>,
    pub due_at: DateTime<Utc>,
    /// Whole days since it fell due.
    pub days_overdue: i64,
}

/// A 民情专报.
#[derive(Debug, Serialize, ToSchema)]
pub struct Bulletin {
    pub title: String,
    #[serde(flatten)]
    pub reach: Reach,
    pub figures: Figures,
    pub themes: Vec<Theme>,
    pub overdue: Vec<OverdueIssue>,
}

/// What was asked for: the bulletin itself, or the issues it covers for a spreadsheet read page by page.
pub enum Compiled {
    Bulletin(Box<Bulletin>),
    Sheet(Asked),
}

/// Compiles the bulletin of the issues `cohort` names; `sheet`: only what a spreadsheet of them needs.
///
/// # Errors
/// 403 for anyone but staff and admins; 404 for a region outside the caller's reach.
pub async fn compile(state: &AppState, caller: &Caller, cohort: &CohortQuery, sheet: bool) -> AppResult<Compiled> {
    may_compile_bulletin(&caller.actor)?;
    let mut conn = crate::app::reads::conn(state, Some(caller.actor.user_id)).await?;
    let asked = asked(&mut conn, state, &caller.actor, cohort).await?;
    let cohort = asked.cohort();
    let title = title(&asked.reach);
    if sheet {
        return Ok(Compiled::Sheet(asked));
    }
    let figures = infra::db::stats::overview(&mut conn, &cohort).await?;
    let reference = state.reference.at_least(&mut conn, caller.reference_version).await?;
    let by_category = crate::app::stats::rows(&mut conn, &cohort, Breakdown::Categories, &reference).await?;
    let places = infra::db::stats::places(&mut conn, &cohort).await?;
    let mut representative: Vec<PublicIssue> = infra::db::stats::representative(&mut conn, &cohort, PER_THEME)
        .await?
        .iter()
        .map(PublicIssue::of)
        .collect();
    let themes = by_category
        .into_iter()
        .map(|row| {
            let in_theme: Vec<_> = places.iter().filter(|p| p.category_code == row.key).cloned().collect();
            let code = row.key.clone();
            let (mine, rest): (Vec<_>, Vec<_>) = representative
                .drain(..)
                .partition(|i| i.category.as_ref().map(|c| &c.code) == code.as_ref());
            representative = rest;
            Theme {
                category: row.key.map(|code| PublicCategory {
                    name: row.name.unwrap_or_else(|| code.clone()),
                    code,
                }),
                figures: row.figures,
                places: top_places(&in_theme, usize::MAX)
                    .into_iter()
                    .map(|p| ThemePlace {
                        region_code: p.region_code,
                        name: p.name,
                        reported: p.reported,
                    })
                    .collect(),
                representative: mine,
            }
        })
        .collect();
    let now = asked.reach.generated_at;
    let overdue = infra::db::stats::overdue(&mut conn, &cohort, OVERDUE_LISTED)
        .await?
        .into_iter()
        .filter_map(|row| {
            let due_at = row.due_at?;
            let days_overdue = (now - due_at).num_days();
            let shown = PublicIssue::of(&row);
            Some(OverdueIssue {
                number: shown.number,
                title: shown.title,
                category: shown.category.map(|c| c.name),
                place: shown.place.name,
                agency: shown.agency,
                due_at,
                days_overdue,
            })
        })
        .collect();
    Ok(Compiled::Bulletin(Box::new(Bulletin {
        title,
        reach: asked.reach,
        figures,
        themes,
        overdue,
    })))
}

/// 北仑区民情专报（2026-01-01 至 2026-03-31）.
fn title(reach: &Reach) -> String {
    let region = reach.region.as_ref().map_or("全域", |r| r.name.as_str());
    format!("{region}民情专报（{}）", period_words(reach))
}

/// The period in words: 2026-01-01 至 2026-03-31, 2026-01-01 以来, 截至 2026-03-31, or 全部.
#[must_use]
pub fn period_words(reach: &Reach) -> String {
    match (reach.from, reach.to) {
        (Some(f), Some(t)) => format!("{f} 至 {t}"),
        (Some(f), None) => format!("{f} 以来"),
        (None, Some(t)) => format!("截至 {t}"),
        (None, None) => "全部".to_owned(),
    }
}

/// Issues a spreadsheet reads from the database a page at a time.
const SHEET_PAGE: i64 = 1000;

/// Every issue of the cohort, a page at a time: each page is read (on a pooled connection held only for that
/// statement) when the one before has been taken, so a province's year streams in flat memory, however many rows it
/// has. A failure midway ends the stream with the error.
pub fn sheet_pages(
    db: DbPool,
    scope: StatsScope,
    period: Period,
    now: DateTime<Utc>,
) -> impl futures_util::Stream<Item = AppResult<Vec<PublicIssue>>> {
    futures_util::stream::try_unfold(Some(RowKey::default()), move |after| {
        let (db, scope) = (db.clone(), scope.clone());
        async move {
            let Some(after) = after else { return Ok(None) };
            let mut conn = infra::db::pool::conn(&db).await?;
            let cohort = Cohort {
                scope: &scope,
                period,
                now,
            };
            let rows = infra::db::stats::all_after(&mut conn, &cohort, &after, SHEET_PAGE).await?;
            let next = (i64::try_from(rows.len()).unwrap_or(0) == SHEET_PAGE)
                .then(|| rows.last().map(RowKey::of))
                .flatten();
            if rows.is_empty() {
                return Ok(None);
            }
            Ok(Some((rows.iter().map(PublicIssue::of).collect(), next)))
        }
    })
}
