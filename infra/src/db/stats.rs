//! Statistics: the issues a period reported in a subtree, counting the facts the loop left on each row (migration
//! 000006) — summed from daily tallies where they answer (`tally`, migration 000035), else one scan of the issues
//! (`issues_region_reported`). The counts' meanings are `domain::stats::Counts`'; what the SQL
//! adds is only how to count them.

mod places;
mod shown;
mod tally;

pub use places::{cells, places, Cell, PlaceCount};
pub use shown::{all_after, overdue, public, representative, PublicFilter, RowKey, Shown};
pub use tally::{fold, statements as tallied_statements};

use super::DbError;
use chrono::{DateTime, TimeZone, Utc};
use diesel::pg::Pg;
use diesel::query_builder::BoxedSqlQuery;
use diesel::sql_types::{Array, BigInt, Double, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::stats::{Breakdown, Counted, Counts, Durations, Figures, Period, StatsScope, Times};
use std::collections::HashMap;
use uuid::Uuid;

/// The issues reported in a period inside a scope, as seen at `now`.
#[derive(Debug, Clone)]
pub struct Cohort<'a> {
    pub scope: &'a StatsScope,
    pub period: Period,
    pub now: DateTime<Utc>,
}

type Query<'a> = BoxedSqlQuery<'a, Pg, diesel::query_builder::SqlQuery>;

impl Cohort<'_> {
    /// The condition on `issues i`, over parameters $1 to $7 (bound by [`Cohort::bind`]); queries number theirs
    /// from $8.
    fn condition(&self) -> String {
        let counted = match &self.scope.counted {
            Counted::All => "TRUE",
            Counted::Deputy { .. } => "(i.station_id = ANY($5) OR i.deputy_id = $6 OR i.reporter_id = $6)",
            Counted::Agency(_) => "i.lead_agency_id = $6",
        };
        format!(
            "i.region_path ~>=~ $1 AND i.region_path ~<~ $2 AND i.created_at >= $3 AND i.created_at < $4 AND {counted}"
        )
    }

    /// The values of $1 to $7.
    #[allow(clippy::type_complexity)]
    fn values(
        &self,
    ) -> (
        String,
        String,
        DateTime<Utc>,
        DateTime<Utc>,
        Vec<Uuid>,
        Uuid,
        DateTime<Utc>,
    ) {
        let (lower, upper) = subtree(&self.root());
        let earliest = Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).single().unwrap_or(self.now);
        let start = self.period.start().unwrap_or(earliest);
        // An open end is the end of today (Asia/Shanghai): whole days, as tallies count them.
        let end = self
            .period
            .end()
            .unwrap_or_else(|| domain::issue::deadline::start_of_local_day(self.now) + chrono::Duration::days(1));
        let (stations, who) = match &self.scope.counted {
            Counted::All => (Vec::new(), Uuid::nil()),
            Counted::Deputy { user, stations } => (stations.clone(), *user),
            Counted::Agency(a) => (Vec::new(), *a),
        };
        (lower, upper, start, end, stations, who, self.now)
    }

    fn bind<'q>(&self, sql: String) -> Query<'q> {
        let (lower, upper, start, end, stations, who, now) = self.values();
        diesel::sql_query(sql)
            .into_boxed()
            .bind::<Text, _>(lower)
            .bind::<Text, _>(upper)
            .bind::<Timestamptz, _>(start)
            .bind::<Timestamptz, _>(end)
            .bind::<Array<SqlUuid>, _>(stations)
            .bind::<SqlUuid, _>(who)
            .bind::<Timestamptz, _>(now)
    }

    /// `sql` with $1 to $7 written in as literals, to run it outside the service (the benchmark's pgbench).
    fn inline(&self, sql: &str) -> String {
        let (lower, upper, start, end, stations, who, now) = self.values();
        let time = |t: DateTime<Utc>| format!("'{}'::timestamptz", t.to_rfc3339());
        let stations: Vec<String> = stations.iter().map(Uuid::to_string).collect();
        let values = [
            format!("'{lower}'"),
            format!("'{upper}'"),
            time(start),
            time(end),
            format!("'{{{}}}'::uuid[]", stations.join(",")),
            format!("'{who}'::uuid"),
            time(now),
        ];
        values
            .iter()
            .enumerate()
            .rev()
            .fold(sql.to_owned(), |sql, (i, v)| sql.replace(&format!("${}", i + 1), v))
    }

    /// The scope's root region path ("/" for everywhere).
    fn root(&self) -> String {
        self.scope
            .region
            .as_ref()
            .map_or_else(|| "/".to_owned(), |r| r.as_str().to_owned())
    }
}

/// A subtree as the range of paths `[lower, upper)`: text_pattern_ops compares bytes, and '0' follows '/'.
fn subtree(root: &str) -> (String, String) {
    (root.to_owned(), format!("{}0", root.trim_end_matches('/')))
}

/// The key a breakdown groups on, as text.
fn key_of(by: Option<Breakdown>, root: &str) -> String {
    match by {
        None => "NULL::text".into(),
        Some(Breakdown::Agencies) => "i.lead_agency_id::text".into(),
        Some(Breakdown::Stations) => "i.station_id::text".into(),
        Some(Breakdown::Deputies) => {
            "coalesce(i.deputy_id, CASE WHEN i.reporter_role = 'deputy' THEN i.reporter_id END)::text".into()
        }
        Some(Breakdown::Categories) => "i.category_code".into(),
        // The region just below the root the issue lies in; issues of the root region itself count as the root's.
        // `root` is a stored region path: digits and slashes only.
        Some(Breakdown::Regions) => {
            let own = root.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
            format!(
                "coalesce(nullif(split_part(substr(i.region_path, {}), '/', 1), ''), '{own}')",
                root.len() + 1
            )
        }
        Some(Breakdown::Week) => {
            "to_char(date_trunc('week', i.created_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM-DD')".into()
        }
        Some(Breakdown::Month) => {
            "to_char(date_trunc('month', i.created_at AT TIME ZONE 'Asia/Shanghai'), 'YYYY-MM')".into()
        }
    }
}

#[derive(QueryableByName)]
struct FigureRow {
    #[diesel(sql_type = Nullable<Text>)]
    key: Option<String>,
    #[diesel(sql_type = BigInt)]
    reported: i64,
    #[diesel(sql_type = BigInt)]
    accepted: i64,
    #[diesel(sql_type = BigInt)]
    declined: i64,
    #[diesel(sql_type = BigInt)]
    merged: i64,
    #[diesel(sql_type = BigInt)]
    routed: i64,
    #[diesel(sql_type = BigInt)]
    replied: i64,
    #[diesel(sql_type = BigInt)]
    replied_a: i64,
    #[diesel(sql_type = BigInt)]
    replied_b: i64,
    #[diesel(sql_type = BigInt)]
    replied_c: i64,
    #[diesel(sql_type = BigInt)]
    solved_on_the_spot: i64,
    #[diesel(sql_type = BigInt)]
    converted: i64,
    #[diesel(sql_type = BigInt)]
    closed: i64,
    #[diesel(sql_type = BigInt)]
    due_for_reply: i64,
    #[diesel(sql_type = BigInt)]
    replied_on_time: i64,
    #[diesel(sql_type = BigInt)]
    rated: i64,
    #[diesel(sql_type = BigInt)]
    satisfied: i64,
    #[diesel(sql_type = BigInt)]
    overdue_now: i64,
    #[diesel(sql_type = BigInt)]
    reopened: i64,
    #[diesel(sql_type = BigInt)]
    joins: i64,
    #[diesel(sql_type = BigInt)]
    sign_count: i64,
    #[diesel(sql_type = Nullable<Double>)]
    sign_average: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    sign_p90: Option<f64>,
    #[diesel(sql_type = BigInt)]
    reply_count: i64,
    #[diesel(sql_type = Nullable<Double>)]
    reply_average: Option<f64>,
    #[diesel(sql_type = Nullable<Double>)]
    reply_p90: Option<f64>,
}

impl FigureRow {
    fn figures(&self) -> Figures {
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        let counts = Counts {
            reported: n(self.reported),
            accepted: n(self.accepted),
            declined: n(self.declined),
            merged: n(self.merged),
            routed: n(self.routed),
            replied: n(self.replied),
            replied_a: n(self.replied_a),
            replied_b: n(self.replied_b),
            replied_c: n(self.replied_c),
            solved_on_the_spot: n(self.solved_on_the_spot),
            solved_later: 0,
            converted: n(self.converted),
            closed: n(self.closed),
            due_for_reply: n(self.due_for_reply),
            replied_on_time: n(self.replied_on_time),
            rated: n(self.rated),
            satisfied: n(self.satisfied),
            overdue_now: n(self.overdue_now),
            reopened: n(self.reopened),
            joins: n(self.joins),
        };
        let times = Times {
            to_sign: Durations::new(n(self.sign_count), self.sign_average, self.sign_p90),
            to_reply: Durations::new(n(self.reply_count), self.reply_average, self.reply_p90),
        };
        Figures::new(counts, times)
    }
}

/// The issues with an agency deadline past due at $7 (red now), and whether one of those is a sign or reply deadline
/// (late already, before the worker marks it so).
const OVERDUE: &str = "SELECT issue_id, bool_or(stage IN ('sign', 'reply', 'rereply')) AS reply_overdue \
     FROM deadlines WHERE ended_at IS NULL AND stage <> 'rate' AND due_at <= $7 GROUP BY issue_id";

/// The cohort's figures, whole (`by` none: one row keyed `None`, none for an empty cohort) or one row per key of
/// `by`, most reported first: summed from the daily tallies where they can answer (`tally`), else scanned.
pub async fn figures(
    conn: &mut AsyncPgConnection,
    cohort: &Cohort<'_>,
    by: Option<Breakdown>,
) -> Result<Vec<(Option<String>, Figures)>, DbError> {
    match tally::figures(conn, cohort, by).await? {
        Some(tallied) => Ok(tallied),
        None => scanned(conn, cohort, by).await,
    }
}

/// `figures` from one scan of the cohort's issues, never from tallies: what the tallies must equal.
pub async fn scanned(
    conn: &mut AsyncPgConnection,
    cohort: &Cohort<'_>,
    by: Option<Breakdown>,
) -> Result<Vec<(Option<String>, Figures)>, DbError> {
    let sql = figures_sql(cohort, by);
    let rows: Vec<FigureRow> = cohort.bind(sql).load(conn).await?;
    Ok(rows.iter().map(|r| (r.key.clone(), r.figures())).collect())
}

/// The SQL behind `figures`, over $1 to $7.
fn figures_sql(cohort: &Cohort<'_>, by: Option<Breakdown>) -> String {
    let key = key_of(by, &cohort.root());
    let order = match by {
        Some(Breakdown::Week | Breakdown::Month) => "key",
        _ => "reported DESC, key",
    };
    format!(
        "SELECT {key} AS key, {counts},
                count(i.sign_days) AS sign_count,
                avg(i.sign_days)::float8 AS sign_average,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY i.sign_days) AS sign_p90,
                count(i.reply_days) AS reply_count,
                avg(i.reply_days)::float8 AS reply_average,
                percentile_cont(0.9) WITHIN GROUP (ORDER BY i.reply_days) AS reply_p90
           FROM issues i LEFT JOIN ({OVERDUE}) o ON o.issue_id = i.id
          WHERE {}
          GROUP BY 1
          ORDER BY {order}",
        cohort.condition(),
        counts = counts(Lateness::Now),
    )
}

/// What lateness the counts see: settled on the issue (a tally's), or also an open deadline past due now (the scan's,
/// over `o`, the issue's row of [`OVERDUE`]).
#[derive(Clone, Copy)]
enum Lateness {
    Settled,
    Now,
}

/// The counts of `domain::stats::Counts` over `issues i`, named as its fields: one definition for the scan and the
/// tallies. Settled, `overdue_now` is 0 and lateness is the issue's own; a tally's reader adds the rest from the
/// open deadlines past due at the moment it reads.
fn counts(lateness: Lateness) -> String {
    let (late, overdue_now) = match lateness {
        Lateness::Settled => ("coalesce(i.reply_late, false)", "0::int8"),
        Lateness::Now => (
            // Late: a sign or reply deadline met late or missed, in this round or an earlier one, or past due now.
            "(coalesce(i.reply_late, false) OR coalesce(o.reply_overdue, false))",
            "count(o.issue_id)",
        ),
    };
    format!(
        "count(*) AS reported,
                count(i.accepted_at) AS accepted,
                count(*) FILTER (WHERE i.status = 'declined') AS declined,
                count(*) FILTER (WHERE i.status = 'merged') AS merged,
                count(i.routed_at) AS routed,
                count(i.reply_category) AS replied,
                count(*) FILTER (WHERE i.reply_category = 'A') AS replied_a,
                count(*) FILTER (WHERE i.reply_category = 'B') AS replied_b,
                count(*) FILTER (WHERE i.reply_category = 'C') AS replied_c,
                count(*) FILTER (WHERE i.reply_category = 'A' AND i.replied_same_day) AS solved_on_the_spot,
                count(i.converted_at) AS converted,
                count(*) FILTER (WHERE i.status = 'closed') AS closed,
                count(*) FILTER (WHERE i.reply_category IS NOT NULL OR {late}) AS due_for_reply,
                count(*) FILTER (WHERE i.reply_category IS NOT NULL AND NOT {late}) AS replied_on_time,
                count(i.rating) AS rated,
                count(*) FILTER (WHERE i.rating IN ('satisfied', 'basically_satisfied')) AS satisfied,
                {overdue_now} AS overdue_now,
                count(*) FILTER (WHERE i.round > 1) AS reopened,
                coalesce(sum((SELECT count(*) FROM issue_joins j WHERE j.issue_id = i.id)), 0)::int8 AS joins"
    )
}

/// The SQL `overview` sends, with its parameters written in: the benchmark runs it through pgbench.
#[must_use]
pub fn overview_statement(cohort: &Cohort<'_>) -> String {
    cohort.inline(&figures_sql(cohort, None))
}

/// The whole cohort's figures (all zero when it holds no issue).
pub async fn overview(conn: &mut AsyncPgConnection, cohort: &Cohort<'_>) -> Result<Figures, DbError> {
    Ok(figures(conn, cohort, None)
        .await?
        .pop()
        .map_or_else(|| FigureRow::empty().figures(), |(_, f)| f))
}

impl FigureRow {
    fn empty() -> Self {
        FigureRow {
            key: None,
            reported: 0,
            accepted: 0,
            declined: 0,
            merged: 0,
            routed: 0,
            replied: 0,
            replied_a: 0,
            replied_b: 0,
            replied_c: 0,
            solved_on_the_spot: 0,
            converted: 0,
            closed: 0,
            due_for_reply: 0,
            replied_on_time: 0,
            rated: 0,
            satisfied: 0,
            overdue_now: 0,
            reopened: 0,
            joins: 0,
            sign_count: 0,
            sign_average: None,
            sign_p90: None,
            reply_count: 0,
            reply_average: None,
            reply_p90: None,
        }
    }
}

#[derive(QueryableByName)]
struct Named {
    #[diesel(sql_type = Text)]
    key: String,
    #[diesel(sql_type = Text)]
    name: String,
}

/// The names of a breakdown's keys (agencies, stations, deputies, categories, regions); periods have none.
pub async fn names(
    conn: &mut AsyncPgConnection,
    by: Breakdown,
    keys: &[String],
) -> Result<HashMap<String, String>, DbError> {
    let sql = match by {
        Breakdown::Agencies => "SELECT id::text AS key, name FROM agencies WHERE id::text = ANY($1)",
        Breakdown::Stations => "SELECT id::text AS key, name FROM stations WHERE id::text = ANY($1)",
        Breakdown::Deputies => "SELECT id::text AS key, name FROM users WHERE id::text = ANY($1)",
        Breakdown::Categories => "SELECT code AS key, name FROM categories WHERE code = ANY($1)",
        Breakdown::Regions => "SELECT code AS key, name FROM regions WHERE code = ANY($1)",
        Breakdown::Week | Breakdown::Month => return Ok(HashMap::new()),
    };
    let rows: Vec<Named> = diesel::sql_query(sql).bind::<Array<Text>, _>(keys).load(conn).await?;
    Ok(rows.into_iter().map(|r| (r.key, r.name)).collect())
}
