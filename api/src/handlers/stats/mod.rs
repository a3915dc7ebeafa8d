//! 评 Evaluate: figures for a region's subtree (or a deputy's stations, or a handler's agency) over a period —
//! whole, broken down, as a trend, and where the issues cluster. Every count and rate is `domain::stats`'.

pub mod breakdown;
pub mod hotspots;
pub mod overview;
pub mod trend;

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::state::AppState;
use chrono::{DateTime, NaiveDate, Utc};
use domain::organisation::region::{RegionCode, RegionPath};
use domain::permission::Actor;
use domain::stats::{Period, StatsScope};
use infra::db::PgConn;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Which issues: a region's subtree, reported between two days (Asia/Shanghai, both included).
#[derive(Debug, Deserialize, IntoParams)]
pub struct CohortQuery {
    /// A region code; default: the caller's region (staff) or everywhere they may see.
    pub region: Option<String>,
    /// First day, `YYYY-MM-DD`; default: the beginning.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`; default: today.
    pub to: Option<String>,
}

pub use crate::handlers::scenes::RegionRef;

/// What the figures count: the region, the period, and when they were taken.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reach {
    /// None: everywhere the caller may see.
    pub region: Option<RegionRef>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub generated_at: DateTime<Utc>,
}

/// The caller's scope over the cohort the query names, with what to call it.
pub struct Asked {
    pub scope: StatsScope,
    pub period: Period,
    pub reach: Reach,
}

impl Asked {
    #[must_use]
    pub fn cohort(&self) -> infra::db::stats::Cohort<'_> {
        infra::db::stats::Cohort {
            scope: &self.scope,
            period: self.period,
            now: self.reach.generated_at,
        }
    }
}

/// Parses the query and judges the caller's reach: 403 for citizens, 404 for a region that does not exist or lies
/// outside the caller's reach (as every list's filters answer).
pub async fn asked(conn: &mut PgConn, state: &AppState, actor: &Actor, query: &CohortQuery) -> AppResult<Asked> {
    let period = Period::parse(query.from.as_deref(), query.to.as_deref())
        .map_err(|e| AppError::new(ErrorCode::InvalidQuery, e.message.clone()).with_field(e.field))?;
    let asked = match query.region.as_deref() {
        None => None,
        Some(raw) => {
            let code = RegionCode::parse(raw).map_err(|e| AppError::from(e.at("region")))?;
            let row = infra::db::regions::find(conn, code.as_str())
                .await?
                .ok_or_else(|| AppError::not_found("region").with_field("region"))?;
            Some((
                RegionPath::from_stored(row.path),
                RegionRef {
                    code: row.code,
                    name: row.name,
                },
            ))
        }
    };
    let (asked_path, asked_ref) = asked.unzip();
    let scope = StatsScope::of(actor, asked_path).map_err(|d| match d {
        domain::Denied::Hidden => AppError::not_found("region").with_field("region"),
        forbidden @ domain::Denied::Forbidden(_) => forbidden.into(),
    })?;
    // Staff who asked for no region count their own, which is looked up for its name.
    let region = match (&scope.region, asked_ref) {
        (_, Some(named)) => Some(named),
        (None, None) => None,
        (Some(path), None) => infra::db::regions::find(conn, path.code()).await?.map(|r| RegionRef {
            code: r.code,
            name: r.name,
        }),
    };
    Ok(Asked {
        reach: Reach {
            region,
            from: period.from,
            to: period.to,
            generated_at: state.clock.now(),
        },
        scope,
        period,
    })
}
