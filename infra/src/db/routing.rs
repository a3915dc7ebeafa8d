//! The rules that route and time issues: routing rules (category × region → agencies), deadline policies, and the
//! working-day calendar.

use super::schema::{deadline_policies as policies, regions, routing_rules as rules};
use super::DbError;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::issue::deadline::DeadlinePolicy;
use domain::organisation::region::RegionPath;
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = rules)]
pub struct RuleRow {
    pub id: Uuid,
    pub region_code: String,
    pub category_code: String,
    pub lead_agency_id: Uuid,
    pub co_agency_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub async fn insert_rule(
    conn: &mut AsyncPgConnection,
    region: &str,
    category: &str,
    lead: Uuid,
    co: &[Uuid],
) -> Result<RuleRow, DbError> {
    Ok(diesel::insert_into(rules::table)
        .values((
            rules::id.eq(Uuid::now_v7()),
            rules::region_code.eq(region),
            rules::category_code.eq(category),
            rules::lead_agency_id.eq(lead),
            rules::co_agency_ids.eq(co),
        ))
        .returning(RuleRow::as_returning())
        .get_result(conn)
        .await?)
}

pub async fn update_rule(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    lead: Uuid,
    co: &[Uuid],
    now: DateTime<Utc>,
) -> Result<RuleRow, DbError> {
    Ok(diesel::update(rules::table.find(id))
        .set((
            rules::lead_agency_id.eq(lead),
            rules::co_agency_ids.eq(co),
            rules::updated_at.eq(now),
        ))
        .returning(RuleRow::as_returning())
        .get_result(conn)
        .await?)
}

/// A rule with its region's path.
pub async fn find_rule(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Option<(RuleRow, RegionPath)>, DbError> {
    let row: Option<(RuleRow, String)> = rules::table
        .inner_join(regions::table)
        .filter(rules::id.eq(id))
        .select((RuleRow::as_select(), regions::path))
        .first(conn)
        .await
        .optional()?;
    Ok(row.map(|(r, p)| (r, RegionPath::from_stored(p))))
}

/// Rules of regions under `path_prefix` (all when none), by region then category.
pub async fn list_rules(
    conn: &mut AsyncPgConnection,
    path_prefix: Option<&str>,
    after: Option<Uuid>,
    probe: i64,
) -> Result<Vec<RuleRow>, DbError> {
    let mut q = rules::table
        .inner_join(regions::table)
        .select(RuleRow::as_select())
        .into_boxed();
    if let Some(prefix) = path_prefix {
        q = q.filter(regions::path.like(format!("{}%", super::regions::escape_like(prefix))));
    }
    if let Some(after) = after {
        q = q.filter(rules::id.gt(after));
    }
    Ok(q.order(rules::id.asc()).limit(probe).load(conn).await?)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = policies)]
pub struct PolicyRow {
    pub id: Uuid,
    pub region_code: Option<String>,
    pub category_code: Option<String>,
    pub policy: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PolicyRow {
    /// # Errors
    /// When the stored JSON is not a policy (written only through `DeadlinePolicy`, so a bug).
    pub fn policy(&self) -> Result<DeadlinePolicy, DbError> {
        serde_json::from_value(self.policy.clone())
            .map_err(|e| DbError::Query(diesel::result::Error::DeserializationError(Box::new(e))))
    }
}

pub async fn upsert_policy(
    conn: &mut AsyncPgConnection,
    region: Option<&str>,
    category: Option<&str>,
    policy: &DeadlinePolicy,
    now: DateTime<Utc>,
) -> Result<PolicyRow, DbError> {
    let json = serde_json::to_value(policy)
        .map_err(|e| DbError::Query(diesel::result::Error::SerializationError(Box::new(e))))?;
    Ok(diesel::insert_into(policies::table)
        .values((
            policies::id.eq(Uuid::now_v7()),
            policies::region_code.eq(region),
            policies::category_code.eq(category),
            policies::policy.eq(&json),
        ))
        .on_conflict((policies::region_code, policies::category_code))
        .do_update()
        .set((policies::policy.eq(&json), policies::updated_at.eq(now)))
        .returning(PolicyRow::as_returning())
        .get_result(conn)
        .await?)
}

pub async fn list_policies(conn: &mut AsyncPgConnection) -> Result<Vec<PolicyRow>, DbError> {
    Ok(policies::table
        .select(PolicyRow::as_select())
        .order(policies::id.asc())
        .load(conn)
        .await?)
}

/// Of `rows`, the policy that applies to an issue in `path` of `category` — one for the category before one for all,
/// the nearest region before those above it, as `domain::routing::most_specific` chooses —; the default when none
/// applies.
pub fn choose_policy(rows: &[PolicyRow], path: &RegionPath, category: Option<&str>) -> Result<DeadlinePolicy, DbError> {
    let set = rows
        .iter()
        .map(|r| (r.region_code.as_deref(), r.category_code.as_deref(), r));
    domain::routing::most_specific(path, category, set).map_or(Ok(DeadlinePolicy::default()), PolicyRow::policy)
}

/// Adds a rule unless the region already has one for the category (for seeding: a second run changes nothing).
pub async fn ensure_rule(
    conn: &mut AsyncPgConnection,
    region: &str,
    category: &str,
    lead: Uuid,
    co: &[Uuid],
) -> Result<(), DbError> {
    // Looked up first rather than caught as a duplicate: a failed INSERT would abort the seeding transaction.
    let exists: i64 = rules::table
        .filter(rules::region_code.eq(region))
        .filter(rules::category_code.eq(category))
        .count()
        .get_result(conn)
        .await?;
    if exists == 0 {
        insert_rule(conn, region, category, lead, co).await?;
    }
    Ok(())
}
