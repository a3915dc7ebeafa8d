//! The worker's due steps: open deadlines locked together with their issues, in one statement. Apart from
//! `deadlines` and `issues`, which each know nothing of the other's rows, because it needs both.

use super::deadlines::DeadlineRow;
use super::issues::IssueRow;
use super::schema::deadlines;
use super::statements::Cache;
use super::DbError;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

/// A due deadline step as the worker's batch finds it: the deadline and its issue, both locked, and what acting needs.
pub struct DueStep {
    pub deadline: DeadlineRow,
    pub issue: IssueRow,
    /// The hash of the issue's last event (none before its first).
    pub last_hash: Option<Vec<u8>>,
    pub key_supervision: bool,
}

/// What [`lock_due`] does about rows another transaction holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locks {
    /// Pass over them (a batch: they are taken one by one after).
    SkipHeld,
    /// Wait for them (one step taken alone).
    Wait,
}

/// Locks the open deadlines among `ids` with their issues, in one statement. Ordered by issue, so events of one issue
/// chain in turn. Each deadline and its issue are found by primary key, one lookup each (`LATERAL … OFFSET 0` keeps
/// PostgreSQL from joining them as sets): joined as sets, a batch of a thousand walked every open deadline and every
/// issue — at 1,000 of 20,000 the planner's choice — so each batch cost more as more deadlines stayed open.
pub async fn lock_due(conn: &mut AsyncPgConnection, ids: &[Uuid], locks: Locks) -> Result<Vec<DueStep>, DbError> {
    use diesel::pg::Pg;
    use diesel::sql_types::{Array, Binary, Bool, Nullable, Record, Uuid as SqlUuid};
    /// The deadline as one record of its columns in the table's order (`ROW(d.*)`), beside the issue's columns: its
    /// own would clash with the issue's names, and as JSON (`to_jsonb`) PostgreSQL built and the worker parsed a
    /// document a step. Typed from the schema, so a column added to the table is a column the row must take.
    type Columns = <DeadlineRow as Queryable<deadlines::SqlType, Pg>>::Row;
    #[derive(QueryableByName)]
    struct IssueDue {
        #[diesel(embed)]
        issue: IssueRow,
        #[diesel(sql_type = Record<deadlines::SqlType>)]
        deadline: Columns,
        #[diesel(sql_type = Nullable<Binary>)]
        last_hash: Option<Vec<u8>>,
        #[diesel(sql_type = Bool)]
        key_supervision: bool,
    }
    // Two fixed texts, each kept prepared.
    macro_rules! select {
        ($locks:literal) => {
            concat!(
                "SELECT i.*, ROW(d.*) AS deadline,
                (SELECT e.hash FROM issue_events e WHERE e.issue_id = i.id AND e.seq = i.last_seq) AS last_hash,
                EXISTS (SELECT 1 FROM key_supervisions k WHERE k.issue_id = i.id) AS key_supervision
           FROM unnest($1::uuid[]) AS x (id)
          CROSS JOIN LATERAL (SELECT * FROM deadlines WHERE id = x.id AND ended_at IS NULL OFFSET 0) d
          CROSS JOIN LATERAL (SELECT * FROM issues WHERE id = d.issue_id OFFSET 0) i
          ORDER BY i.id, d.due_at, d.id
            FOR UPDATE OF i, d",
                $locks
            )
        };
    }
    let text = match locks {
        Locks::SkipHeld => select!(" SKIP LOCKED"),
        Locks::Wait => select!(""),
    };
    // A deadline claimed for two steps is found once.
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let found: Vec<IssueDue> = diesel::sql_query(text)
        .bind::<Array<SqlUuid>, _>(ids)
        .cached()
        .load(conn)
        .await?;
    found
        .into_iter()
        .map(|f| {
            Ok(DueStep {
                deadline: <DeadlineRow as Queryable<deadlines::SqlType, Pg>>::build(f.deadline)
                    .map_err(|e| DbError::Query(diesel::result::Error::DeserializationError(e)))?,
                issue: f.issue,
                last_hash: f.last_hash,
                key_supervision: f.key_supervision,
            })
        })
        .collect()
}
