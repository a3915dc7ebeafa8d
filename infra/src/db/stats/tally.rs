//! Daily tallies (migration 000035): a period's figures summed from what the worker counted per report day, tally
//! region, category and lead agency, instead of one scan of every issue — the same numbers at every moment. The
//! counts are the scan's own ([`counts`]); a day of a region marked stale (an issue of it changed since its tally)
//! is scanned instead of summed, and what open deadlines past due add now is counted from them as the scan does.

use super::{counts, Cohort, FigureRow, Lateness, Query, OVERDUE};
use crate::db::DbError;
use diesel::sql_types::{Array, BigInt, Bool, Date, Double, Nullable, Text};
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::stats::{Breakdown, Counted, Durations, Figures, Times};

/// The counts a tally keeps, in `counts`' order (which adds `overdue_now` after `satisfied`).
const KEPT: [&str; 18] = [
    "reported",
    "accepted",
    "declined",
    "merged",
    "routed",
    "replied",
    "replied_a",
    "replied_b",
    "replied_c",
    "solved_on_the_spot",
    "converted",
    "closed",
    "due_for_reply",
    "replied_on_time",
    "rated",
    "satisfied",
    "reopened",
    "joins",
];

/// `counts`' columns in its order: the kept ones, with `overdue_now` after `satisfied`.
fn counted_columns() -> Vec<&'static str> {
    let mut all = KEPT.to_vec();
    let after = all.iter().position(|c| *c == "satisfied").map_or(all.len(), |i| i + 1);
    all.insert(after, "overdue_now");
    all
}

/// The local day (Asia/Shanghai) an issue was reported on, as the tallies count days.
const DAY: &str = "(i.created_at AT TIME ZONE 'Asia/Shanghai')::date";

/// `issues i` joined to a tally key `k` (its `day` and `region`): the issues reported that day whose region's tally
/// region it is (`regions.tally_path`, as `ir`). The ranges let a few keys find their issues by index; the equal day
/// lets many (every day stale, as after migration) join the cohort's issues by hash.
fn in_key(k: &str) -> String {
    format!(
        "issues i ON i.region_path ~>=~ {k}.region AND i.region_path ~<~ (rtrim({k}.region, '/') || '0')
                 AND i.created_at >= ({k}.day::timestamp AT TIME ZONE 'Asia/Shanghai')
                 AND i.created_at < (({k}.day + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
                 AND {DAY} = {k}.day
         JOIN regions ir ON ir.code = i.region_code AND ir.tally_path = {k}.region"
    )
}

/// The stale tally keys inside the cohort's subtree and days ($1 to $4), from the first day's month on (a stale day
/// before the period in its first month still keeps that month's row out), with their months.
const STALE: &str = "SELECT DISTINCT m.day, date_trunc('month', m.day)::date AS month, m.region_path AS region
      FROM issue_tallies_stale m
     WHERE m.region_path ~>=~ $1 AND m.region_path ~<~ $2
       AND m.day >= date_trunc('month', ($3 AT TIME ZONE 'Asia/Shanghai')::date)
       AND m.day <= ($4 AT TIME ZONE 'Asia/Shanghai')::date";

/// The period's days, `[first, last)`, and the whole months inside it, `[months_from, months_to)` (empty when
/// `months_from` is not before `months_to`).
const BOUNDS: &str = "SELECT b.first, b.last,
            CASE WHEN b.first = date_trunc('month', b.first)::date THEN b.first
                 ELSE (date_trunc('month', b.first) + interval '1 month')::date END AS months_from,
            date_trunc('month', b.last)::date AS months_to
       FROM (SELECT ($3 AT TIME ZONE 'Asia/Shanghai')::date AS first,
                    ($4 AT TIME ZONE 'Asia/Shanghai')::date AS last) b";

/// Rows of `table` inside the cohort's subtree and period, shaped as `issues i` where a cohort's condition and a
/// breakdown's key read them (a day's first instant for `created_at`, NULL for no category and no agency): month
/// rows for the whole months without a stale day (when `months`), day rows for the other days, stale days left out.
/// Each part is one range of the tables' keys (months, then days).
fn as_issues(table: &str, columns: &str, months: bool) -> String {
    let select = |filter: &str| {
        format!(
            "SELECT t.day, t.region_path, nullif(t.category_code, '') AS category_code,
                    nullif(t.agency_id, '00000000-0000-0000-0000-000000000000'::uuid) AS lead_agency_id,
                    t.day::timestamp AT TIME ZONE 'Asia/Shanghai' AS created_at, {columns}
               FROM bounds b JOIN {table} t ON {filter}
              WHERE t.region_path ~>=~ $1 AND t.region_path ~<~ $2"
        )
    };
    let fresh_day = "NOT EXISTS (SELECT 1 FROM stale s WHERE s.day = t.day AND s.region = t.region_path)";
    if !months {
        return select(&format!(
            "NOT t.whole_month AND t.day >= b.first AND t.day < b.last AND {fresh_day}"
        ));
    }
    [
        select(
            "t.whole_month AND t.day >= b.months_from AND t.day < b.months_to
             AND NOT EXISTS (SELECT 1 FROM stale s WHERE s.month = t.day AND s.region = t.region_path)",
        ),
        select(&format!(
            "NOT t.whole_month AND t.day >= b.first AND t.day < least(b.months_from, b.last) AND {fresh_day}"
        )),
        select(&format!(
            "NOT t.whole_month AND t.day >= greatest(b.months_to, b.months_from, b.first) AND t.day < b.last
             AND {fresh_day}"
        )),
        select(&format!(
            "NOT t.whole_month AND t.day >= b.months_from AND t.day < b.months_to AND {fresh_day}
             AND EXISTS (SELECT 1 FROM stale s
                          WHERE s.month = date_trunc('month', t.day)::date AND s.region = t.region_path)"
        )),
    ]
    .join(" UNION ALL ")
}

#[derive(QueryableByName)]
struct Eligible {
    #[diesel(sql_type = Bool)]
    tallied: bool,
    #[diesel(sql_type = Bool)]
    above_counties: bool,
}

/// May the cohort's figures by `by` be summed from tallies? Not a deputy's (their stations are no tally key), nor
/// by station or deputy; the root must be a tally region or above one (a county or higher), and above counties
/// to break down by region.
async fn tallied(conn: &mut AsyncPgConnection, cohort: &Cohort<'_>, by: Option<Breakdown>) -> Result<bool, DbError> {
    if matches!(cohort.scope.counted, Counted::Deputy { .. })
        || matches!(by, Some(Breakdown::Stations | Breakdown::Deputies))
    {
        return Ok(false);
    }
    let Some(root) = &cohort.scope.region else {
        return Ok(true);
    };
    let found: Option<Eligible> = diesel::sql_query(
        "SELECT tally_path = path AS tallied, level IN ('province', 'city') AS above_counties
           FROM regions WHERE path = $1",
    )
    .bind::<Text, _>(root.as_str())
    .get_result(conn)
    .await
    .map(Some)
    .or_else(|e| match e {
        diesel::result::Error::NotFound => Ok(None),
        e => Err(e),
    })?;
    Ok(found.is_some_and(|e| e.tallied && (e.above_counties || by != Some(Breakdown::Regions))))
}

/// The counts' statement: tallies where fresh, the scan where stale, and what is past due now.
fn counts_sql(cohort: &Cohort<'_>, by: Option<Breakdown>) -> String {
    let key = super::key_of(by, &cohort.root());
    let condition = cohort.condition();
    let columns = counted_columns();
    let kept: Vec<String> = columns
        .iter()
        .map(|c| {
            if *c == "overdue_now" {
                "0::int8 AS overdue_now".into()
            } else {
                format!("i.{c}::int8 AS {c}")
            }
        })
        .collect();
    let summed: Vec<String> = columns
        .iter()
        .map(|c| match *c {
            "due_for_reply" => "(sum(due_for_reply) + sum(late_due))::int8 AS due_for_reply".into(),
            "replied_on_time" => "(sum(replied_on_time) - sum(late_replied))::int8 AS replied_on_time".into(),
            c => format!("sum({c})::int8 AS {c}"),
        })
        .collect();
    let order = match by {
        Some(Breakdown::Week | Breakdown::Month) => "key",
        _ => "reported DESC, key",
    };
    format!(
        "WITH stale AS MATERIALIZED ({STALE}),
         bounds AS MATERIALIZED ({BOUNDS}),
         overdue AS MATERIALIZED ({OVERDUE}),
         parts AS (
           SELECT {key} AS key, {kept}, 0::int8 AS late_due, 0::int8 AS late_replied
             FROM ({tallies}) i WHERE {condition}
           UNION ALL
           SELECT {key} AS key, {now}, 0::int8, 0::int8
             FROM stale s JOIN {in_stale} LEFT JOIN overdue o ON o.issue_id = i.id
            WHERE {condition} GROUP BY 1
           UNION ALL
           SELECT {key} AS key, {past_due},
                  count(*) FILTER (WHERE i.reply_category IS NULL AND NOT coalesce(i.reply_late, false)
                                     AND o.reply_overdue),
                  count(*) FILTER (WHERE i.reply_category IS NOT NULL AND NOT coalesce(i.reply_late, false)
                                     AND o.reply_overdue)
             FROM overdue o
            -- Each issue past due looked up by its key (OFFSET 0 keeps the lookup apart): hashing every issue of a
            -- county to find them costs more than the lookups.
            CROSS JOIN LATERAL (SELECT * FROM issues i WHERE i.id = o.issue_id OFFSET 0) i
             JOIN regions ir ON ir.code = i.region_code
             LEFT JOIN stale s ON s.day = {DAY} AND s.region = ir.tally_path
            WHERE {condition} AND s.day IS NULL GROUP BY 1)
         SELECT key, {summed},
                0::int8 AS sign_count, NULL::float8 AS sign_average, NULL::float8 AS sign_p90,
                0::int8 AS reply_count, NULL::float8 AS reply_average, NULL::float8 AS reply_p90
           FROM parts GROUP BY key ORDER BY {order}",
        kept = kept.join(", "),
        // A month's row is a day's keys summed over its days: a week's key cannot be read from it.
        tallies = as_issues(
            "issue_tallies",
            &KEPT.map(|c| format!("t.{c}")).join(", "),
            by != Some(Breakdown::Week)
        ),
        now = counts(Lateness::Now),
        in_stale = in_key("s"),
        past_due = columns
            .iter()
            .map(|c| if *c == "overdue_now" { "count(*)" } else { "0::int8" })
            .collect::<Vec<_>>()
            .join(", "),
        summed = summed.join(", "),
    )
}

/// The times' statement: each key's histogram of times to sign and to reply.
fn times_sql(cohort: &Cohort<'_>, by: Option<Breakdown>) -> String {
    let key = super::key_of(by, &cohort.root());
    let condition = cohort.condition();
    format!(
        "WITH stale AS MATERIALIZED ({STALE}),
         bounds AS MATERIALIZED ({BOUNDS}),
         times AS (
           SELECT {key} AS key, i.stage, i.days, i.issues::int8 AS issues
             FROM ({tallies}) i WHERE {condition}
           UNION ALL
           SELECT {key} AS key, x.stage, x.days, 1::int8
             FROM stale s JOIN {in_stale}
             CROSS JOIN LATERAL (VALUES ('sign', i.sign_days), ('reply', i.reply_days)) x(stage, days)
            WHERE {condition} AND x.days IS NOT NULL)
         SELECT key, stage, days::float8 AS days, sum(issues)::int8 AS issues
           FROM times GROUP BY 1, 2, 3 ORDER BY 1, 2, 3",
        // A month's times are summed over categories and agencies: they answer a region's figures whole, by region
        // and by month, counted for everyone.
        tallies = as_issues(
            "issue_tally_times",
            "t.stage, t.days, t.issues",
            matches!(by, None | Some(Breakdown::Regions | Breakdown::Month))
                && matches!(cohort.scope.counted, Counted::All)
        ),
        in_stale = in_key("s"),
    )
}

/// The two statements a tallied `figures` sends, with their parameters written in: the benchmark runs them through
/// pgbench.
#[must_use]
pub fn statements(cohort: &Cohort<'_>, by: Option<Breakdown>) -> [String; 2] {
    [
        cohort.inline(&counts_sql(cohort, by)),
        cohort.inline(&times_sql(cohort, by)),
    ]
}

#[derive(QueryableByName)]
struct TimeRow {
    #[diesel(sql_type = Nullable<Text>)]
    key: Option<String>,
    #[diesel(sql_type = Text)]
    stage: String,
    #[diesel(sql_type = Double)]
    days: f64,
    #[diesel(sql_type = BigInt)]
    issues: i64,
}

/// The cohort's figures by `by` summed from the tallies, as `super::figures` answers them; `None` when they cannot
/// be (see [`tallied`]). Both statements read one snapshot.
pub(super) async fn figures(
    conn: &mut AsyncPgConnection,
    cohort: &Cohort<'_>,
    by: Option<Breakdown>,
) -> Result<Option<Vec<(Option<String>, Figures)>>, DbError> {
    if !tallied(conn, cohort, by).await? {
        return Ok(None);
    }
    let (counts, times): (Query<'static>, Query<'static>) =
        (cohort.bind(counts_sql(cohort, by)), cohort.bind(times_sql(cohort, by)));
    let (rows, times): (Vec<FigureRow>, Vec<TimeRow>) = conn
        .build_transaction()
        .repeatable_read()
        .read_only()
        .run(async move |conn| {
            let rows = counts.load(&mut *conn).await?;
            let times = times.load(&mut *conn).await?;
            Ok::<_, diesel::result::Error>((rows, times))
        })
        .await?;
    let histogram = |key: &Option<String>, stage: &str| -> Vec<(f64, u64)> {
        times
            .iter()
            .filter(|t| &t.key == key && t.stage == stage)
            .map(|t| (t.days, u64::try_from(t.issues).unwrap_or(0)))
            .collect()
    };
    Ok(Some(
        rows.iter()
            .map(|r| {
                let counted = r.figures();
                let times = Times {
                    to_sign: Durations::from_histogram(&histogram(&r.key, "sign")),
                    to_reply: Durations::from_histogram(&histogram(&r.key, "reply")),
                };
                (r.key.clone(), Figures::new(counted.counts, times))
            })
            .collect(),
    ))
}

/// `counts(Lateness::Settled)` less `overdue_now`, per tally key `k`, for the worker's INSERT.
fn tally_sql() -> String {
    format!(
        "INSERT INTO issue_tallies (whole_month, day, region_path, category_code, agency_id, {kept})
         SELECT false, day, region, category, agency, {kept} FROM (
           SELECT k.day, k.region, coalesce(i.category_code, '') AS category,
                  coalesce(i.lead_agency_id, '00000000-0000-0000-0000-000000000000'::uuid) AS agency,
                  {counts}
             FROM unnest($1::date[], $2::text[]) AS k(day, region) JOIN {in_key}
            GROUP BY 1, 2, 3, 4) c",
        kept = KEPT.join(", "),
        counts = counts(Lateness::Settled),
        in_key = in_key("k"),
    )
}

fn tally_times_sql() -> String {
    format!(
        "INSERT INTO issue_tally_times (whole_month, day, region_path, category_code, agency_id, stage, days, issues)
         SELECT false, k.day, k.region, coalesce(i.category_code, ''),
                coalesce(i.lead_agency_id, '00000000-0000-0000-0000-000000000000'::uuid), x.stage, x.days, count(*)
           FROM unnest($1::date[], $2::text[]) AS k(day, region) JOIN {in_key}
          CROSS JOIN LATERAL (VALUES ('sign', i.sign_days), ('reply', i.reply_days)) x(stage, days)
          WHERE x.days IS NOT NULL
          GROUP BY 2, 3, 4, 5, 6, 7",
        in_key = in_key("k"),
    )
}

/// The months' tallies (`months`: a month and a region a row), each the sum of its days', per key.
fn month_sql(months: &str) -> String {
    let sums: Vec<String> = KEPT.iter().map(|c| format!("sum(t.{c})")).collect();
    format!(
        "INSERT INTO issue_tallies (whole_month, day, region_path, category_code, agency_id, {kept})
         SELECT true, k.month, k.region, t.category_code, t.agency_id, {sums}
           FROM ({months}) k JOIN issue_tallies t
             ON NOT t.whole_month AND t.region_path = k.region
            AND t.day >= k.month AND t.day < (k.month + interval '1 month')::date
          GROUP BY 2, 3, 4, 5",
        kept = KEPT.join(", "),
        sums = sums.join(", "),
    )
}

/// The months' times, summed over their days, categories and agencies.
fn month_times_sql(months: &str) -> String {
    format!(
        "INSERT INTO issue_tally_times (whole_month, day, region_path, category_code, agency_id, stage, days, issues)
         SELECT true, k.month, k.region, '', '00000000-0000-0000-0000-000000000000'::uuid,
                t.stage, t.days, sum(t.issues)
           FROM ({months}) k JOIN issue_tally_times t
             ON NOT t.whole_month AND t.region_path = k.region
            AND t.day >= k.month AND t.day < (k.month + interval '1 month')::date
          GROUP BY 2, 3, 6, 7"
    )
}

#[derive(QueryableByName)]
struct Taken {
    #[diesel(sql_type = Date)]
    day: chrono::NaiveDate,
    #[diesel(sql_type = Text)]
    region: String,
    #[diesel(sql_type = BigInt)]
    marks: i64,
}

#[derive(QueryableByName)]
struct Locked {
    #[diesel(sql_type = Bool)]
    locked: bool,
}

/// The advisory lock one folding worker holds at a time (two would write the same tallies).
const FOLDING: i64 = 0x6d73_7461_6c6c; // "mstall"

/// Tallies again the keys of the first `marks` stale marks (every mark of those keys taken), and their months, in
/// one transaction that sees one snapshot: the marks it deletes are of changes that snapshot holds, so what it writes
/// is what the scan says of those days. Answers how
/// many marks it took (0 when another worker is folding).
pub async fn fold(conn: &mut AsyncPgConnection, marks: i64) -> Result<usize, DbError> {
    Ok(conn
        .build_transaction()
        .repeatable_read()
        .run(async move |conn| {
            let locked: Locked = diesel::sql_query("SELECT pg_try_advisory_xact_lock($1) AS locked")
                .bind::<BigInt, _>(FOLDING)
                .get_result(&mut *conn)
                .await?;
            if !locked.locked {
                return Ok::<_, diesel::result::Error>(0);
            }
            let taken: Vec<Taken> = diesel::sql_query(
                "WITH keys AS (SELECT DISTINCT day, region_path
                                  FROM (SELECT day, region_path FROM issue_tallies_stale LIMIT $1) m),
                      taken AS (
                        DELETE FROM issue_tallies_stale s USING keys k
                         WHERE s.day = k.day AND s.region_path = k.region_path
                         RETURNING s.day, s.region_path)
                 SELECT day, region_path AS region, count(*) AS marks FROM taken GROUP BY 1, 2",
            )
            .bind::<BigInt, _>(marks)
            .load(&mut *conn)
            .await?;
            if taken.is_empty() {
                return Ok(0);
            }
            let days: Vec<chrono::NaiveDate> = taken.iter().map(|t| t.day).collect();
            let regions: Vec<&str> = taken.iter().map(|t| t.region.as_str()).collect();
            let months = "SELECT DISTINCT date_trunc('month', k.day)::date AS month, k.region
                            FROM unnest($1::date[], $2::text[]) AS k(day, region)";
            for sql in [
                "DELETE FROM issue_tallies t USING unnest($1::date[], $2::text[]) AS k(day, region)
                  WHERE NOT t.whole_month AND t.day = k.day AND t.region_path = k.region"
                    .to_owned(),
                "DELETE FROM issue_tally_times t USING unnest($1::date[], $2::text[]) AS k(day, region)
                  WHERE NOT t.whole_month AND t.day = k.day AND t.region_path = k.region"
                    .to_owned(),
                tally_sql(),
                tally_times_sql(),
                format!(
                    "DELETE FROM issue_tallies t USING ({months}) k
                      WHERE t.whole_month AND t.day = k.month AND t.region_path = k.region"
                ),
                format!(
                    "DELETE FROM issue_tally_times t USING ({months}) k
                      WHERE t.whole_month AND t.day = k.month AND t.region_path = k.region"
                ),
                month_sql(months),
                month_times_sql(months),
            ] {
                diesel::sql_query(sql)
                    .bind::<Array<Date>, _>(&days)
                    .bind::<Array<Text>, _>(&regions)
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(taken.iter().map(|t| usize::try_from(t.marks).unwrap_or(0)).sum())
        })
        .await?)
}
