//! 记工分 counted: a deputy's points under their scheme, the records behind each item, and 三维联评 — one read of
//! every source for all the deputies counted.

use crate::app::error::{AppError, AppResult};
use crate::app::people::deputy;
use crate::app::performance::{scheme_at, year_of};
use crate::app::Caller;
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use domain::performance::{assess, score, AspectScore, Assessment, ItemScore, ReviewKind, Scheme, Source};
use domain::permission::{may_assess, may_read_performance, may_review_self};
use domain::scale::Percent;
use infra::db::performance::{Act, EntryRow, ReviewRow};
use infra::db::PgConn;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;

/// A record behind an item's points: an act the platform recorded, or a staff entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct PerformanceRecord {
    /// What it counts as; `entered` for a staff entry.
    pub source: Source,
    /// The issue, ballot, project report, reception day, rating or entry.
    pub record_id: Uuid,
    /// An issue's number, a ballot's or project's title, a station's name, or an entry's source.
    pub label: String,
    pub at: DateTime<Utc>,
    /// An entry's points and the day it happened.
    pub points: Option<i32>,
    pub occurred_on: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PerformanceItem {
    #[serde(flatten)]
    pub score: ItemScore,
    pub records: Vec<PerformanceRecord>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PerformanceAspect {
    pub name: String,
    pub points: u32,
    pub max: u32,
    pub items: Vec<PerformanceItem>,
}

/// A deputy's year, counted.
pub struct Counted {
    pub total: u32,
    pub aspects: Vec<AspectScore>,
    pub acts: Vec<Act>,
    pub entries: Vec<EntryRow>,
    pub assessment: Assessment,
}

/// 三维联评 of deputy `id` from the reviews and voters' stars read for a year.
#[must_use]
pub fn assessment_of(scheme: &Scheme, id: Uuid, reviews: &[ReviewRow], stars: &[(Uuid, i16)]) -> Assessment {
    let view = |kind: ReviewKind| {
        reviews
            .iter()
            .find(|r| r.deputy_id == id && r.kind == kind.as_str())
            .and_then(|r| u32::try_from(r.score).ok())
    };
    let stars: Vec<u32> = stars
        .iter()
        .filter(|(d, _)| *d == id)
        .filter_map(|(_, s)| u32::try_from(*s).ok())
        .collect();
    assess(
        scheme.weights(),
        view(ReviewKind::SelfReview),
        &stars,
        view(ReviewKind::Group),
    )
}

/// Counts the year of each deputy under the scheme given for them: one read of every source for all of them.
pub async fn count(
    conn: &mut PgConn,
    deputies: &[(Uuid, &Scheme)],
    year: i32,
    (start, end): (DateTime<Utc>, DateTime<Utc>),
) -> AppResult<HashMap<Uuid, Counted>> {
    let ids: Vec<Uuid> = deputies.iter().map(|(d, _)| *d).collect();
    let mut acts = infra::db::performance::acts(conn, &ids, start, end).await?;
    let mut entries = infra::db::performance::entries(conn, &ids, year).await?;
    let reviews = infra::db::performance::reviews(conn, &ids, year).await?;
    let all_stars = infra::db::performance::voter_stars(conn, &ids, year).await?;
    let mut counted = HashMap::new();
    for (id, scheme) in deputies {
        let (mine, rest): (Vec<Act>, Vec<Act>) = acts.drain(..).partition(|a| a.deputy_id == *id);
        acts = rest;
        let (my_entries, rest): (Vec<EntryRow>, Vec<EntryRow>) = entries.drain(..).partition(|e| e.deputy_id == *id);
        entries = rest;
        let mut by_source: HashMap<Source, u32> = HashMap::new();
        for a in &mine {
            if let Ok(source) = a.source.parse::<Source>() {
                *by_source.entry(source).or_default() += 1;
            }
        }
        let mut by_item: HashMap<String, i32> = HashMap::new();
        for e in &my_entries {
            *by_item.entry(e.item.clone()).or_default() += e.points;
        }
        let (total, aspects) = score(scheme, &by_source, &by_item);
        let assessment = assessment_of(scheme, *id, &reviews, &all_stars);
        counted.insert(
            *id,
            Counted {
                total,
                aspects,
                acts: mine,
                entries: my_entries,
                assessment,
            },
        );
    }
    Ok(counted)
}

/// The aspects with the records behind each item.
#[must_use]
pub fn with_records(c: Counted) -> Vec<PerformanceAspect> {
    let Counted {
        aspects, acts, entries, ..
    } = c;
    aspects
        .into_iter()
        .map(|a| PerformanceAspect {
            name: a.name,
            points: a.points,
            max: a.max,
            items: a
                .items
                .into_iter()
                .map(|score| {
                    let mut records: Vec<PerformanceRecord> = if score.source == Source::Entered {
                        Vec::new()
                    } else {
                        acts.iter()
                            .filter(|act| act.source == score.source.as_str())
                            .map(|act| PerformanceRecord {
                                source: score.source,
                                record_id: act.record_id,
                                label: act.label.clone(),
                                at: act.at,
                                points: None,
                                occurred_on: None,
                            })
                            .collect()
                    };
                    records.extend(
                        entries
                            .iter()
                            .filter(|e| e.item == score.code)
                            .map(|e| PerformanceRecord {
                                source: Source::Entered,
                                record_id: e.id,
                                label: e.source.clone(),
                                at: e.entered_at,
                                points: Some(e.points),
                                occurred_on: Some(e.occurred_on),
                            }),
                    );
                    PerformanceItem { score, records }
                })
                .collect(),
        })
        .collect()
}

/// A deputy's performance in a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct Performance {
    pub deputy_id: Uuid,
    pub name: String,
    pub region_code: String,
    pub year: i32,
    /// The region whose scheme scored it; absent: the default scheme (3 aspects, 11 items, 100 points).
    pub scheme_region: Option<String>,
    /// 记工分: out of 100.
    pub total: u32,
    pub max: u32,
    pub aspects: Vec<PerformanceAspect>,
    /// 三维联评.
    pub assessment: Assessment,
}

/// 记工分 of deputy `id` for `year` (default: this year), with the records behind every item and 三维联评.
///
/// # Errors
/// 404 for an unknown deputy and for anyone who may not read them; 422 for a year outside 2000–2100.
pub async fn read(state: &AppState, caller: &Caller, id: Uuid, year: Option<i32>) -> AppResult<Performance> {
    let (year, start, end) = year_of(year, state.clock.now())?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let d = deputy(&mut conn, id).await?;
    may_read_performance(&caller.actor, d.id, &d.region)?;
    let (scheme_region, scheme) = scheme_at(&mut conn, &d.region).await?;
    let counted = count(&mut conn, &[(d.id, &scheme)], year, (start, end))
        .await?
        .remove(&d.id)
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a deputy counted is missing")))?;
    Ok(Performance {
        deputy_id: d.id,
        name: d.name,
        region_code: d.region_code,
        year,
        scheme_region,
        total: counted.total,
        max: 100,
        assessment: counted.assessment.clone(),
        aspects: with_records(counted),
    })
}

/// One of 三维联评's views written: the deputy's own, or the group's (staff).
pub struct Review {
    pub kind: ReviewKind,
    pub year: i32,
    pub score: Percent,
    pub comment: String,
}

/// Writes `review` of deputy `id` (again: it replaces the last); answers the year's 三维联评 as it now stands.
///
/// # Errors
/// 404 for an unknown deputy; 403 for a self-review by anyone but the deputy, or a group assessment by anyone but
/// staff over them.
pub async fn review(state: &AppState, caller: &Caller, id: Uuid, review: Review) -> AppResult<Assessment> {
    let year = review.year;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let d = deputy(&mut conn, id).await?;
    match review.kind {
        ReviewKind::SelfReview => may_review_self(&caller.actor, d.id)?,
        ReviewKind::Group => may_assess(&caller.actor, d.id, &d.region)?,
    }
    let row = ReviewRow {
        deputy_id: d.id,
        kind: review.kind.as_str().to_owned(),
        score: review.score.get(),
        comment: review.comment,
        year,
        author_id: caller.actor.user_id,
        at: state.clock.now(),
    };
    infra::db::performance::put_review(&mut conn, &row).await?;
    // The year's 三维联评 as it now stands.
    let (_, scheme) = scheme_at(&mut conn, &d.region).await?;
    let reviews = infra::db::performance::reviews(&mut conn, &[d.id], year).await?;
    let stars = infra::db::performance::voter_stars(&mut conn, &[d.id], year).await?;
    Ok(assessment_of(&scheme, d.id, &reviews, &stars))
}
