//! Lists of issues: the filters a list takes, the caller's scope as SQL, the inbox's sections in one trip, and
//! which lists keep a prepared plan (`plan_is_value_free`).

use super::super::deadlines::{MomentRecord, Moments};
use super::super::regions::escape_like;
use super::super::schema::{cosigns, issue_agencies, issue_joins, issues};
use super::super::statements::Cache;
use super::super::DbError;
use super::SummaryRow;
use chrono::{DateTime, Utc};
use diesel::dsl::sql;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::Bool;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::issue::warning::Warning;
use domain::issue::{IssueScope, NearbyFor, ReporterSearch, Status};
use uuid::Uuid;

/// Which issues a list wants, besides the caller's scope.
#[derive(Debug, Default, Clone)]
pub struct IssueFilter {
    pub statuses: Vec<Status>,
    pub station: Option<Uuid>,
    pub agency: Option<Uuid>,
    pub category: Option<String>,
    pub path_prefix: Option<String>,
    pub reporter: Option<Uuid>,
    pub text: Option<String>,
    /// Only issues this agency leads now.
    pub lead_agency: Option<Uuid>,
    /// Only issues with an extension waiting for a decision.
    pub pending_extension: bool,
    /// Only issues of this colour at this moment: the worst of their open agency deadlines.
    pub warning: Option<(Warning, DateTime<Utc>)>,
    /// Only issues none of whose open agency deadlines is past due at this moment (not red).
    pub not_overdue: Option<DateTime<Utc>>,
    /// Only issues reported by the voters who follow this deputy.
    pub from_voters_of: Option<Uuid>,
    /// Only issues a deputy or staff member has urged (催办).
    pub urged: bool,
    /// Only issues this person has not rated in their current round.
    pub unrated_by: Option<Uuid>,
    /// Whose reporters `text` may find issues by (none unless the scope says so).
    pub reporters: ReporterSearch,
    pub after: Option<Uuid>,
}

type Condition = Box<dyn BoxableExpression<issues::table, Pg, SqlType = Bool>>;

/// Issues whose number, title, description or address hold `text`, or whose reporter's name does, or whose phone
/// holds it as four or more digits — among the reporters `reporters` allows.
fn text_condition(text: &str, reporters: ReporterSearch) -> Condition {
    let pattern = format!("%{}%", escape_like(text));
    let own: Condition = Box::new(
        issues::description
            .ilike(pattern.clone())
            .or(issues::title.ilike(pattern.clone()).assume_not_null())
            .or(issues::number.ilike(pattern.clone()))
            .or(issues::address.ilike(pattern.clone()).assume_not_null()),
    );
    if reporters == ReporterSearch::None {
        return own;
    }
    // A phone is matched by digits only, four or more: a clerk types the last four the caller gives.
    let digits = text.len() >= 4 && text.bytes().all(|b| b.is_ascii_digit());
    let people = if digits {
        "issues.reporter_id IN (SELECT u.id FROM users u WHERE u.phone LIKE "
    } else {
        "issues.reporter_id IN (SELECT u.id FROM users u WHERE u.name ILIKE "
    };
    let people = sql::<Bool>(people).bind::<diesel::sql_types::Text, _>(pattern).sql(")");
    let by_reporter: Condition = match reporters {
        ReporterSearch::Any => Box::new(people),
        _ => Box::new(people.and(issues::anonymous.eq(false))),
    };
    Box::new(own.or(by_reporter))
}

/// The scope as a condition on `issues`.
fn scope_condition(scope: &IssueScope) -> Condition {
    match scope {
        IssueScope::Everywhere => Box::new(sql::<Bool>("TRUE")),
        IssueScope::Subtree(root) => Box::new(issues::region_path.like(format!("{}%", escape_like(root.as_str())))),
        IssueScope::Deputy { user, stations } => Box::new(
            issues::station_id
                .eq_any(stations.clone())
                .or(issues::deputy_id.eq(*user))
                .or(issues::reporter_id.eq(*user))
                .or(issues::id.eq_any(
                    cosigns::table
                        .filter(cosigns::user_id.eq(*user))
                        .select(cosigns::issue_id),
                ))
                .assume_not_null(),
        ),
        IssueScope::Agency(agency) => Box::new(
            issues::id.eq_any(
                issue_agencies::table
                    .filter(issue_agencies::agency_id.eq(*agency))
                    .select(issue_agencies::issue_id),
            ),
        ),
        IssueScope::Reporter(user) => Box::new(
            issues::reporter_id.eq(*user).or(issues::id.eq_any(
                issue_joins::table
                    .filter(issue_joins::user_id.eq(*user))
                    .select(issue_joins::issue_id),
            )),
        ),
    }
}

/// An issue as lists show it: its row and its open deadlines, soonest first.
#[derive(Debug, Clone)]
pub struct Listed {
    pub row: SummaryRow,
    pub deadlines: Vec<Moments>,
}

/// A list's open deadlines of an issue: `(stage, warn_at, due_at)` records, soonest due first.
type OpenMoments = diesel::sql_types::Array<
    diesel::sql_types::Record<(
        diesel::sql_types::Text,
        diesel::sql_types::Timestamptz,
        diesel::sql_types::Timestamptz,
    )>,
>;
type ListRow = (i32, SummaryRow, Vec<MomentRecord>);
type NearRow = (SummaryRow, Vec<MomentRecord>, Option<f64>, Option<f64>);
type ListQuery = diesel::internal::table_macro::BoxedSelectStatement<
    'static,
    (
        diesel::sql_types::Integer,
        diesel::dsl::SqlTypeOf<diesel::dsl::AsSelect<SummaryRow, Pg>>,
        OpenMoments,
    ),
    diesel::internal::table_macro::FromClause<issues::table>,
    Pg,
>;

/// A page of issues in `scope`, newest first; `probe` rows at most.
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &IssueScope,
    filter: &IssueFilter,
    probe: i64,
) -> Result<Vec<Listed>, DbError> {
    // Not kept prepared: a list's best plan depends on its values (a region's prefix, how rare a status is), and a
    // prepared statement may settle on a generic plan that walks every issue (seen at a million: `bench/`).
    let rows: Vec<ListRow> = list_query(0, scope, filter).limit(probe).load(conn).await?;
    Ok(rows.into_iter().map(|(_, row, d)| listed(row, d)).collect())
}

/// Several lists in `scope` at once (an inbox's sections), each newest first and `probe` rows at most: one trip, of
/// one statement or two (`plan_is_value_free`).
pub async fn lists(
    conn: &mut AsyncPgConnection,
    scope: &IssueScope,
    filters: &[IssueFilter],
    probe: i64,
) -> Result<Vec<Vec<Listed>>, DbError> {
    let mut found: Vec<Vec<Listed>> = filters.iter().map(|_| Vec::new()).collect();
    if filters.is_empty() {
        return Ok(found);
    }
    // Two statements at most, sent together on the connection (pipelined: one wait): the lists whose plan does not
    // depend on the values, kept prepared, and the rest, planned for their values every time as `list` is.
    let (kept, planned): (Vec<_>, Vec<_>) = filters.iter().zip(0..).partition(|(f, _)| plan_is_value_free(scope, f));
    let union = |part: Vec<(&IssueFilter, i32)>| {
        (!part.is_empty()).then(|| UnionAll {
            arms: part.into_iter().map(|(f, i)| list_query(i, scope, f)).collect(),
            probe,
        })
    };
    // Both futures hold the connection shared, which is what lets both be sent before either answer is read.
    let shared: &AsyncPgConnection = conn;
    let kept = union(kept).map(|q| q.cached().load::<ListRow>(&mut &*shared));
    let planned = union(planned).map(|q| q.load::<ListRow>(&mut &*shared));
    let answer = |f: Option<_>| async move {
        match f {
            Some(f) => f.await,
            None => Ok(Vec::new()),
        }
    };
    let (kept, planned) = futures_util::try_join!(answer(kept), answer(planned))?;
    let rows = kept.into_iter().chain(planned);
    for (i, row, d) in rows {
        if let Some(list) = usize::try_from(i).ok().and_then(|i| found.get_mut(i)) {
            list.push(listed(row, d));
        }
    }
    Ok(found)
}

fn listed(row: SummaryRow, deadlines: Vec<MomentRecord>) -> Listed {
    Listed {
        row,
        deadlines: deadlines.into_iter().map(Moments::of).collect(),
    }
}

/// Lists joined into one statement, each in parentheses with its own order and `probe` rows at most, told apart by
/// their first column.
struct UnionAll {
    arms: Vec<ListQuery>,
    probe: i64,
}

impl diesel::query_builder::QueryFragment<Pg> for UnionAll {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        for (i, arm) in self.arms.iter().enumerate() {
            if i > 0 {
                out.push_sql(" UNION ALL ");
            }
            out.push_sql("(");
            diesel::query_builder::QueryFragment::<Pg>::walk_ast(arm, out.reborrow())?;
            // Written in, not bound: a plan made without the values takes a bound limit for a tenth of the rows,
            // costs itself far above the plans made with them, and PostgreSQL then never keeps it (measured: the
            // inbox's statement was planned on every call, prepared or not).
            out.push_sql(&format!(" LIMIT {})", self.probe));
        }
        Ok(())
    }
}

impl diesel::query_builder::QueryId for UnionAll {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl diesel::query_builder::Query for UnionAll {
    type SqlType = <ListQuery as diesel::query_builder::Query>::SqlType;
}

/// A listed issue's open deadlines, soonest due first (`OpenMoments`). Public for the bench's raw statements.
pub const OPEN_MOMENTS: &str = "ARRAY(SELECT ROW(d.stage, d.warn_at, d.due_at) FROM deadlines d \
                                WHERE d.issue_id = issues.id AND d.ended_at IS NULL ORDER BY d.due_at)";

/// Whether `filter` keeps to issues its agency leads where `scope` is that agency's: the scope is then implied, as
/// routing records the lead among the issue's agencies (`route_to`), and asking it again would join
/// `issue_agencies` for nothing — half of an inbox's planning and running (docs/benchmarks.md).
fn implied_by_lead(scope: &IssueScope, filter: &IssueFilter) -> bool {
    matches!(scope, IssueScope::Agency(a) if filter.lead_agency == Some(*a))
}

/// Whether the list `filter` asks for in `scope` has one good plan whatever its values, so that the plan PostgreSQL may
/// keep for a prepared statement (made without the values) is the one it would make with them. True of an agency's
/// own work by state (a handler's to sign, to reply, urged): it reads an index that leads with the agency
/// (`issues_lead_agency_status`, `issues_lead_open`) for any agency. Not of its overdue work: there the kept plan
/// walked every issue with an open agency deadline for a quiet agency (40 ms at 300,000 issues, where a plan made for
/// the agency takes 0.2 ms), as it may for every list keyed on a region's prefix or a rare status. Only the inbox
/// asks by lead agency; a filter added to its sections is measured the same way (`bench/`) before it joins them.
fn plan_is_value_free(scope: &IssueScope, filter: &IssueFilter) -> bool {
    implied_by_lead(scope, filter) && filter.warning.is_none()
}

/// The list `filter` asks for, newest first, tagged `tag`, each row with its open deadlines; the caller limits it.
fn list_query(tag: i32, scope: &IssueScope, filter: &IssueFilter) -> ListQuery {
    let mut q = issues::table
        .select((
            tag.into_sql::<diesel::sql_types::Integer>(),
            SummaryRow::as_select(),
            sql::<OpenMoments>(OPEN_MOMENTS),
        ))
        .into_boxed();
    if !implied_by_lead(scope, filter) {
        q = q.filter(scope_condition(scope));
    }
    if !filter.statuses.is_empty() {
        // Written into the text, not bound: words of a closed set (`Status::as_str`), and a plan made without the
        // values can then still choose the index for these statuses.
        let words: Vec<String> = filter.statuses.iter().map(|s| format!("'{}'", s.as_str())).collect();
        q = q.filter(sql::<Bool>(&format!("issues.status IN ({})", words.join(", "))));
    }
    if let Some(s) = filter.station {
        q = q.filter(issues::station_id.eq(s));
    }
    if let Some(d) = filter.from_voters_of {
        use super::super::schema::deputy_voters as v;
        q = q.filter(issues::reporter_id.eq_any(v::table.filter(v::deputy_id.eq(d)).select(v::voter_id)));
    }
    if let Some(a) = filter.agency {
        // Every agency an issue was routed to, the lead among them, is in issue_agencies (`route_to`). Asking
        // only there (no `lead_agency_id = a OR …`) lets PostgreSQL join on its index instead of rescanning it per row.
        q = q.filter(
            issues::id.eq_any(
                issue_agencies::table
                    .filter(issue_agencies::agency_id.eq(a))
                    .select(issue_agencies::issue_id),
            ),
        );
    }
    if let Some(c) = &filter.category {
        q = q.filter(issues::category_code.eq(c.clone()));
    }
    if let Some(p) = &filter.path_prefix {
        q = q.filter(issues::region_path.like(format!("{}%", escape_like(p))));
    }
    if let Some(r) = filter.reporter {
        q = q.filter(issues::reporter_id.eq(r));
    }
    if let Some(u) = filter.unrated_by {
        use super::super::schema::ratings as r;
        q = q.filter(diesel::dsl::not(diesel::dsl::exists(
            r::table
                .filter(r::issue_id.eq(issues::id))
                .filter(r::round.eq(issues::round))
                .filter(r::rater_id.eq(u)),
        )));
    }
    if let Some(t) = &filter.text {
        q = q.filter(text_condition(t, filter.reporters));
    }
    if let Some(a) = filter.lead_agency {
        q = q.filter(issues::lead_agency_id.eq(a));
    }
    if filter.pending_extension {
        q = q.filter(issues::pending_extension.eq(true));
    }
    if filter.urged {
        use super::super::schema::issue_events as e;
        // The kind written in, as the partial index `issue_events_urged` is: a bound kind could not use it in a
        // plan made without the values.
        q = q.filter(
            issues::id.eq_any(
                e::table
                    .filter(sql::<Bool>("issue_events.kind = 'urge'"))
                    .select(e::issue_id),
            ),
        );
    }
    if let Some((warning, now)) = filter.warning {
        // The soonest due and warning moments of the issue's open agency deadlines, kept on the row by triggers on
        // deadlines (migration 000015): red when one is due, yellow when one warns and none is due, green when none
        // warns yet.
        q = match warning {
            Warning::Red => q.filter(issues::agency_due_at.le(now)),
            Warning::Yellow => q
                .filter(issues::agency_warn_at.le(now))
                .filter(issues::agency_due_at.gt(now)),
            Warning::Green => q.filter(issues::agency_warn_at.gt(now)),
        };
    }
    if let Some(now) = filter.not_overdue {
        q = q.filter(issues::agency_due_at.is_null().or(issues::agency_due_at.gt(now)));
    }
    if let Some(after) = filter.after {
        q = q.filter(issues::id.lt(after));
    }
    q.order(issues::id.desc())
}

/// Issues in `category` inside a box around a point that `among` is shown: open ones whatever their age, and for
/// triage those closed since `since`.
pub async fn in_box(
    conn: &mut AsyncPgConnection,
    among: &NearbyFor,
    category: &str,
    (south, west, north, east): (f64, f64, f64, f64),
    since: DateTime<Utc>,
) -> Result<Vec<(Listed, Option<f64>, Option<f64>)>, DbError> {
    let condition: Condition = match among {
        // Open issues whatever their age (one reported six weeks ago and still unsolved is the likeliest twin), and
        // those closed since `since`: the same problem back soon after a close is worth the clerk's eye.
        NearbyFor::Triage(scope) => Box::new(
            scope_condition(scope)
                .and(issues::status.ne_all(["declined", "merged"]))
                .and(
                    issues::status
                        .ne("closed")
                        .or(issues::closed_at.ge(since).assume_not_null()),
                ),
        ),
        // Those a citizen may join, anywhere; words the content check held (or could not check: a citizen who
        // signed in by text has no WeChat identity to check them with) wait until staff took the issue up.
        NearbyFor::Joining => Box::new(
            issues::status
                .eq_any(
                    domain::issue::machine::statuses_for(domain::issue::Action::Join)
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>(),
                )
                .and(issues::needs_review.eq(false).or(issues::status.ne("submitted"))),
        ),
    };
    let rows: Vec<NearRow> = issues::table
        .filter(condition)
        .filter(issues::category_code.eq(category))
        .filter(issues::latitude.between(south, north))
        .filter(issues::longitude.between(west, east))
        .select((
            SummaryRow::as_select(),
            sql::<OpenMoments>(OPEN_MOMENTS),
            issues::latitude,
            issues::longitude,
        ))
        .order(issues::created_at.desc())
        .limit(200)
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(row, d, latitude, longitude)| (listed(row, d), latitude, longitude))
        .collect())
}
