//! The money of elected projects: each entry allocated (拨付) or spent (支出), and the totals beside their budgets.

use super::schema::project_spending as spending;
use super::DbError;
use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use std::collections::HashMap;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = spending)]
pub struct SpendingRow {
    pub id: Uuid,
    pub project_id: Uuid,
    pub kind: String,
    pub on_date: NaiveDate,
    pub amount_yuan: i64,
    pub note: String,
    pub recorded_by: Uuid,
    pub recorded_at: DateTime<Utc>,
}

pub async fn insert(conn: &mut AsyncPgConnection, row: &SpendingRow) -> Result<(), DbError> {
    diesel::insert_into(spending::table).values(row).execute(conn).await?;
    Ok(())
}

/// A project's entries by day, with the photo each carries.
pub async fn of(conn: &mut AsyncPgConnection, project: Uuid) -> Result<Vec<(SpendingRow, Option<Uuid>)>, DbError> {
    use super::schema::photos;
    Ok(spending::table
        .left_join(photos::table.on(photos::spending_id.eq(spending::id.nullable())))
        .filter(spending::project_id.eq(project))
        .order((spending::on_date, spending::id))
        .select((SpendingRow::as_select(), photos::id.nullable()))
        .load(conn)
        .await?)
}

/// Each project's (allocated, spent) totals in yuan.
pub async fn totals(conn: &mut AsyncPgConnection, projects: &[Uuid]) -> Result<HashMap<Uuid, (i64, i64)>, DbError> {
    // sum(bigint) is numeric in PostgreSQL; no project's money comes near bigint's end.
    let total = diesel::dsl::sql::<diesel::sql_types::BigInt>("sum(amount_yuan)::bigint");
    let rows: Vec<(Uuid, String, i64)> = spending::table
        .filter(spending::project_id.eq_any(projects))
        .group_by((spending::project_id, spending::kind))
        .select((spending::project_id, spending::kind, total))
        .load(conn)
        .await?;
    let mut out: HashMap<Uuid, (i64, i64)> = HashMap::new();
    for (project, kind, total) in rows {
        let e = out.entry(project).or_default();
        match kind.as_str() {
            "allocated" => e.0 += total,
            _ => e.1 += total,
        }
    }
    Ok(out)
}
