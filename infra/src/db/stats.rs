//! Statistics: one scan of the issues a period reported in a subtree (`issues_region_reported`), counting the facts
//! the loop left on each row (migration 000006). The counts' meanings are `domain::stats::Counts`'; what the SQL
//! adds is only how to count them.

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
        let end = self.period.end().unwrap_or(self.now + chrono::Duration::days(1));
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
/// `by`, most reported first.
pub async fn figures(
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
        "SELECT {key} AS key,
                count(*) AS reported,
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
                count(o.issue_id) AS overdue_now,
                count(*) FILTER (WHERE i.round > 1) AS reopened,
                coalesce(sum((SELECT count(*) FROM issue_joins j WHERE j.issue_id = i.id)), 0)::int8 AS joins,
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
        // Late: a sign or reply deadline met late or missed, in this round or an earlier one, or past due now.
        late = "(coalesce(i.reply_late, false) OR coalesce(o.reply_overdue, false))"
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

#[derive(QueryableByName)]
struct GridRow {
    #[diesel(sql_type = Double)]
    cell_row: f64,
    #[diesel(sql_type = Double)]
    cell_col: f64,
    #[diesel(sql_type = BigInt)]
    reported: i64,
    #[diesel(sql_type = Nullable<Text>)]
    top_category: Option<String>,
}

/// A grid cell with issues in it: its centre, how many, and the category reported most there.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub latitude: f64,
    pub longitude: f64,
    pub reported: u64,
    pub top_category: Option<String>,
}

/// The cohort's busiest grid cells (side `latitude_step` degrees of latitude, square on the ground), `limit` at most.
pub async fn cells(
    conn: &mut AsyncPgConnection,
    cohort: &Cohort<'_>,
    latitude_step: f64,
    limit: i64,
) -> Result<Vec<Cell>, DbError> {
    let sql = format!(
        "WITH c AS (SELECT floor(i.latitude / $8) AS cell_row, i.longitude, i.category_code
                      FROM issues i WHERE {} AND i.latitude IS NOT NULL)
         SELECT cell_row, floor(longitude / ($8 / cos(radians((cell_row + 0.5) * $8)))) AS cell_col,
                count(*) AS reported, mode() WITHIN GROUP (ORDER BY category_code) AS top_category
           FROM c GROUP BY 1, 2 ORDER BY reported DESC, 1, 2 LIMIT $9",
        cohort.condition()
    );
    let rows: Vec<GridRow> = cohort
        .bind(sql)
        .bind::<Double, _>(latitude_step)
        .bind::<BigInt, _>(limit)
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let latitude = (r.cell_row + 0.5) * latitude_step;
            let width = latitude_step / latitude.to_radians().cos();
            Cell {
                latitude,
                longitude: (r.cell_col + 0.5) * width,
                reported: u64::try_from(r.reported).unwrap_or(0),
                top_category: r.top_category,
            }
        })
        .collect())
}

#[derive(QueryableByName)]
struct PlaceRow {
    #[diesel(sql_type = Text)]
    region_code: String,
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Nullable<Text>)]
    category_code: Option<String>,
    #[diesel(sql_type = BigInt)]
    reported: i64,
}

/// How many issues each place (the issue's own region: a village, a community, a township) reported, per category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaceCount {
    pub region_code: String,
    pub name: String,
    pub category_code: Option<String>,
    pub reported: u64,
}

/// The cohort counted by place and category, most reported first.
pub async fn places(conn: &mut AsyncPgConnection, cohort: &Cohort<'_>) -> Result<Vec<PlaceCount>, DbError> {
    let sql = format!(
        "SELECT i.region_code, r.name, i.category_code, count(*) AS reported
           FROM issues i JOIN regions r ON r.code = i.region_code
          WHERE {}
          GROUP BY 1, 2, 3 ORDER BY reported DESC, 1, 3",
        cohort.condition()
    );
    let rows: Vec<PlaceRow> = cohort.bind(sql).load(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| PlaceCount {
            region_code: r.region_code,
            name: r.name,
            category_code: r.category_code,
            reported: u64::try_from(r.reported).unwrap_or(0),
        })
        .collect())
}

/// One issue of a bulletin or of the public results: what may be shown, and the reporter's name and phone only so
/// that they can be masked in the text.
#[derive(Debug, Clone, QueryableByName)]
pub struct Shown {
    #[diesel(sql_type = SqlUuid)]
    pub id: Uuid,
    #[diesel(sql_type = Text)]
    pub number: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub title: Option<String>,
    #[diesel(sql_type = Text)]
    pub description: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub category_code: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub category_name: Option<String>,
    #[diesel(sql_type = Text)]
    pub region_code: String,
    #[diesel(sql_type = Text)]
    pub region_name: String,
    #[diesel(sql_type = Text)]
    pub status: String,
    #[diesel(sql_type = Nullable<SqlUuid>)]
    pub agency_id: Option<Uuid>,
    #[diesel(sql_type = Nullable<Text>)]
    pub agency_name: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub reply_category: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub reply: Option<String>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub replied_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Text>)]
    pub rating: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    pub reported_at: DateTime<Utc>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub closed_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    pub due_at: Option<DateTime<Utc>>,
    #[diesel(sql_type = Text)]
    pub reporter_name: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub reporter_phone: Option<String>,
}

/// The columns of [`Shown`] over `issues i` and [`SHOWN_JOINS`]; the latest reply is the newest reply event's note.
/// Its subqueries run per row: queries narrow the rows first.
const SHOWN: &str = "i.id, i.number, i.title, i.description, i.category_code, c.name AS category_name,
        i.region_code, r.name AS region_name, i.status, i.lead_agency_id AS agency_id, a.name AS agency_name,
        i.reply_category,
        (SELECT e.note FROM issue_events e WHERE e.issue_id = i.id AND e.kind = 'reply' ORDER BY e.seq DESC LIMIT 1)
            AS reply,
        (SELECT e.at FROM issue_events e WHERE e.issue_id = i.id AND e.kind = 'reply' ORDER BY e.seq DESC LIMIT 1)
            AS replied_at,
        i.rating, i.created_at AS reported_at, i.closed_at,
        (SELECT min(d.due_at) FROM deadlines d
          WHERE d.issue_id = i.id AND d.ended_at IS NULL AND d.stage <> 'rate' AND d.due_at <= $7) AS due_at,
        u.name AS reporter_name, u.phone AS reporter_phone";

/// What [`SHOWN`]'s columns need joined to `issues i`.
const SHOWN_JOINS: &str = "JOIN regions r ON r.code = i.region_code
   JOIN users u ON u.id = i.reporter_id
   LEFT JOIN categories c ON c.code = i.category_code
   LEFT JOIN agencies a ON a.id = i.lead_agency_id";

/// The cohort's issues overdue now (an agency deadline past due), the longest overdue first.
pub async fn overdue(conn: &mut AsyncPgConnection, cohort: &Cohort<'_>, limit: i64) -> Result<Vec<Shown>, DbError> {
    let sql = format!(
        "SELECT * FROM (SELECT {SHOWN} FROM issues i {SHOWN_JOINS}
                          WHERE {} AND i.id IN (SELECT issue_id FROM ({OVERDUE}) o)) s
          ORDER BY due_at, number LIMIT $8",
        cohort.condition()
    );
    Ok(cohort.bind(sql).bind::<BigInt, _>(limit).load(conn).await?)
}

/// Up to `per_theme` replied issues of each category in the cohort, the most co-signed first, then the newest:
/// the bulletin's representative issues.
pub async fn representative(
    conn: &mut AsyncPgConnection,
    cohort: &Cohort<'_>,
    per_theme: i64,
) -> Result<Vec<Shown>, DbError> {
    let sql = format!(
        "SELECT {SHOWN}
           FROM (SELECT id, rank FROM (
                   SELECT i.id, row_number() OVER (PARTITION BY i.category_code
                            ORDER BY coalesce(k.n, 0) DESC, i.created_at DESC) AS rank
                     FROM issues i
                     LEFT JOIN (SELECT issue_id, count(*) AS n FROM cosigns GROUP BY issue_id) k ON k.issue_id = i.id
                    WHERE {} AND i.reply_category IS NOT NULL) ranked
                  WHERE rank <= $8) top
           JOIN issues i ON i.id = top.id {SHOWN_JOINS}
          ORDER BY i.category_code, top.rank",
        cohort.condition()
    );
    Ok(cohort.bind(sql).bind::<BigInt, _>(per_theme).load(conn).await?)
}

/// Where a page of a bulletin's spreadsheet ends: the sort key of its last row (uncategorised issues last, then by
/// category, place and number).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowKey {
    pub uncategorised: bool,
    pub category: String,
    pub region: String,
    pub number: String,
}

impl RowKey {
    /// The key of `row`, to ask for the rows after it.
    #[must_use]
    pub fn of(row: &Shown) -> Self {
        Self {
            uncategorised: row.category_code.is_none(),
            category: row.category_code.clone().unwrap_or_default(),
            region: row.region_code.clone(),
            number: row.number.clone(),
        }
    }
}

/// The next `limit` issues of the cohort after `after` (from the first with `RowKey::default()`), by category, place
/// and number: a page of a bulletin's spreadsheet. A seek on the sort key, so a province's year is read page by page
/// in flat memory, each page as cheap as the first.
pub async fn all_after(
    conn: &mut AsyncPgConnection,
    cohort: &Cohort<'_>,
    after: &RowKey,
    limit: i64,
) -> Result<Vec<Shown>, DbError> {
    let key = "(i.category_code IS NULL, coalesce(i.category_code, ''), i.region_code, i.number)";
    let sql = format!(
        "SELECT {SHOWN} FROM issues i {SHOWN_JOINS}
          WHERE {} AND {key} > ($9, $10, $11, $12)
          ORDER BY {key} LIMIT $8",
        cohort.condition()
    );
    Ok(cohort
        .bind(sql)
        .bind::<BigInt, _>(limit)
        .bind::<diesel::sql_types::Bool, _>(after.uncategorised)
        .bind::<Text, _>(after.category.clone())
        .bind::<Text, _>(after.region.clone())
        .bind::<Text, _>(after.number.clone())
        .load(conn)
        .await?)
}

/// Which public results a page wants.
#[derive(Debug, Clone, Default)]
pub struct PublicFilter {
    /// A region path: its subtree.
    pub path_prefix: Option<String>,
    pub category: Option<String>,
    pub after: Option<Uuid>,
}

/// The public results (replied or closed, not withheld, not waiting for a content review), newest first.
pub async fn public(
    conn: &mut AsyncPgConnection,
    filter: &PublicFilter,
    id: Option<Uuid>,
    probe: i64,
    now: DateTime<Utc>,
) -> Result<Vec<Shown>, DbError> {
    let (lower, upper) = subtree(filter.path_prefix.as_deref().unwrap_or("/"));
    let sql = format!(
        "SELECT {SHOWN} FROM issues i {SHOWN_JOINS}
          WHERE i.region_path ~>=~ $1 AND i.region_path ~<~ $2
            AND i.status IN ('replied', 'closed') AND NOT i.needs_review
            AND NOT EXISTS (SELECT 1 FROM withholdings w WHERE w.issue_id = i.id)
            AND ($3::text IS NULL OR i.category_code = $3)
            AND ($4::uuid IS NULL OR i.id < $4)
            AND ($5::uuid IS NULL OR i.id = $5)
            AND $6::bigint > 0
          ORDER BY i.id DESC LIMIT $6"
    );
    // $7 is the moment overdue deadlines are judged at ([`SHOWN`]).
    Ok(diesel::sql_query(sql)
        .bind::<Text, _>(lower)
        .bind::<Text, _>(upper)
        .bind::<Nullable<Text>, _>(filter.category.clone())
        .bind::<Nullable<SqlUuid>, _>(filter.after)
        .bind::<Nullable<SqlUuid>, _>(id)
        .bind::<BigInt, _>(probe)
        .bind::<Timestamptz, _>(now)
        .load(conn)
        .await?)
}
