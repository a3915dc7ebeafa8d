//! Reference data: the working-day calendar, deadline policies, routing rules, agencies, categories, regions and
//! stations. It changes a few times a year and almost every request reads some of it, so each process keeps one copy
//! ([`ReferenceCache`]) and no request reads it from PostgreSQL.
//!
//! The copy is as new as `reference_version`, a number the tables' triggers raise in the transaction that changes
//! them. The caller's statement on every signed-in request reads it too (`users::caller`), so an instance learns of a
//! change made through another at its next request, at no extra trip; the worker reads it before each batch.

use super::routing::{choose_policy, PolicyRow, RuleRow};
use super::schema::{
    agencies, agency_categories, categories, category_areas, deadline_policies, reference_version, regions,
    routing_rules, stations,
};
use super::DbError;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::issue::deadline::{Calendar, DeadlinePolicy};
use domain::organisation::category::{offered_at, AreaSetting};
use domain::organisation::region::RegionPath;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use uuid::Uuid;

/// An agency as routing sees it.
#[derive(Debug, Clone)]
pub struct AgencyRef {
    pub name: String,
    pub path: RegionPath,
    pub enabled: bool,
    pub categories: Vec<String>,
}

/// A station as filters and reports see it.
#[derive(Debug, Clone)]
pub struct StationRef {
    pub name: String,
    pub path: RegionPath,
    pub enabled: bool,
}

/// A category as reports and routing see it: its name, and the region whose own it is (none: everyone's).
#[derive(Debug, Clone)]
pub struct CategoryRef {
    pub name: String,
    pub owner: Option<RegionPath>,
}

/// How a region set a category for its subtree.
#[derive(Debug, Clone)]
pub struct AreaRow {
    pub region: RegionPath,
    pub category: String,
    pub offered: bool,
    pub name: Option<String>,
}

/// One consistent copy of the reference data, as of `version`.
#[derive(Debug)]
pub struct Reference {
    pub version: i64,
    pub calendar: Calendar,
    policies: Vec<PolicyRow>,
    /// Each rule with its region's path.
    rules: Vec<(RuleRow, String)>,
    agencies: HashMap<Uuid, AgencyRef>,
    categories: HashMap<String, CategoryRef>,
    /// Each region's settings of categories for its subtree.
    areas: Vec<AreaRow>,
    /// Each region's path, by code.
    regions: HashMap<String, RegionPath>,
    stations: HashMap<Uuid, StationRef>,
}

impl Reference {
    /// The deadline policy for an issue in `path` of `category`: the most specific one set, else the default.
    pub fn policy_for(&self, path: &RegionPath, category: Option<&str>) -> Result<DeadlinePolicy, DbError> {
        choose_policy(&self.policies, path, category)
    }

    /// The routing rule for `category` set nearest to `path` (its own region first, then up the tree).
    #[must_use]
    pub fn rule_for(&self, path: &RegionPath, category: &str) -> Option<&RuleRow> {
        let set = self
            .rules
            .iter()
            .map(|(r, _)| (Some(r.region_code.as_str()), Some(r.category_code.as_str()), r));
        domain::routing::most_specific(path, Some(category), set)
    }

    #[must_use]
    pub fn agency(&self, id: Uuid) -> Option<&AgencyRef> {
        self.agencies.get(&id)
    }

    /// Category `code`'s own name, wherever it is offered or not.
    #[must_use]
    pub fn category_name(&self, code: &str) -> Option<&str> {
        self.categories.get(code).map(|c| c.name.as_str())
    }

    #[must_use]
    pub fn has_category(&self, code: &str) -> bool {
        self.categories.contains_key(code)
    }

    /// The name category `code` goes by at `place`, or none when it is not offered there (it does not exist, it is
    /// another region's own, or the nearest setting on the path stops it): `domain::organisation::category::offered_at`.
    #[must_use]
    pub fn offered_at(&self, place: &RegionPath, code: &str) -> Option<&str> {
        let category = self.categories.get(code)?;
        let settings: Vec<AreaSetting<'_>> = self
            .areas
            .iter()
            .filter(|a| a.category == code)
            .map(|a| AreaSetting {
                region: &a.region,
                offered: a.offered,
                name: a.name.as_deref(),
            })
            .collect();
        offered_at(place, &category.name, category.owner.as_ref(), &settings)
    }

    /// The settings regions made for category `code` (for a screen that shows them).
    pub fn areas_of<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a AreaRow> + 'a {
        self.areas.iter().filter(move |a| a.category == code)
    }

    /// The path of the region `code`.
    #[must_use]
    pub fn region(&self, code: &str) -> Option<&RegionPath> {
        self.regions.get(code)
    }

    #[must_use]
    pub fn station(&self, id: Uuid) -> Option<&StationRef> {
        self.stations.get(&id)
    }
}

/// The version the stored reference data is at.
pub async fn version(conn: &mut AsyncPgConnection) -> Result<i64, DbError> {
    Ok(reference_version::table
        .select(reference_version::version)
        .first(conn)
        .await?)
}

/// Reads the whole reference data. The version is read first, so a change racing the reads leaves a copy newer than
/// its version says (read again at the next request), never older.
pub async fn load(conn: &mut AsyncPgConnection) -> Result<Reference, DbError> {
    let version = version(conn).await?;
    let calendar = super::calendar::calendar(conn).await?;
    let policies: Vec<PolicyRow> = deadline_policies::table
        .select(PolicyRow::as_select())
        .load(conn)
        .await?;
    let rules: Vec<(RuleRow, String)> = routing_rules::table
        .inner_join(regions::table)
        .select((RuleRow::as_select(), regions::path))
        .load(conn)
        .await?;
    let rows: Vec<(Uuid, String, bool, String)> = agencies::table
        .inner_join(regions::table)
        .select((agencies::id, agencies::name, agencies::enabled, regions::path))
        .load(conn)
        .await?;
    let handled: Vec<(Uuid, String)> = agency_categories::table
        .select((agency_categories::agency_id, agency_categories::category_code))
        .order((agency_categories::agency_id, agency_categories::category_code))
        .load(conn)
        .await?;
    let kinds: Vec<(String, String, Option<String>)> = categories::table
        .left_join(regions::table)
        .select((categories::code, categories::name, regions::path.nullable()))
        .load(conn)
        .await?;
    let areas: Vec<(String, bool, Option<String>, String)> = category_areas::table
        .inner_join(regions::table)
        .select((
            category_areas::category_code,
            category_areas::offered,
            category_areas::name,
            regions::path,
        ))
        .load(conn)
        .await?;
    let regions: Vec<(String, String)> = regions::table.select((regions::code, regions::path)).load(conn).await?;
    let stations: Vec<(Uuid, String, bool, String)> = stations::table
        .inner_join(regions::table)
        .select((stations::id, stations::name, stations::enabled, regions::path))
        .load(conn)
        .await?;
    let mut agencies: HashMap<Uuid, AgencyRef> = rows
        .into_iter()
        .map(|(id, name, enabled, path)| {
            let agency = AgencyRef {
                name,
                path: RegionPath::from_stored(path),
                enabled,
                categories: Vec::new(),
            };
            (id, agency)
        })
        .collect();
    for (id, code) in handled {
        if let Some(a) = agencies.get_mut(&id) {
            a.categories.push(code);
        }
    }
    Ok(Reference {
        version,
        calendar,
        policies,
        rules,
        agencies,
        categories: kinds
            .into_iter()
            .map(|(code, name, owner)| {
                let owner = owner.map(RegionPath::from_stored);
                (code, CategoryRef { name, owner })
            })
            .collect(),
        areas: areas
            .into_iter()
            .map(|(category, offered, name, path)| AreaRow {
                region: RegionPath::from_stored(path),
                category,
                offered,
                name,
            })
            .collect(),
        regions: regions
            .into_iter()
            .map(|(code, path)| (code, RegionPath::from_stored(path)))
            .collect(),
        stations: stations
            .into_iter()
            .map(|(id, name, enabled, path)| {
                let path = RegionPath::from_stored(path);
                (id, StationRef { name, path, enabled })
            })
            .collect(),
    })
}

/// The process's copy of the reference data, replaced when a newer version is asked for.
#[derive(Debug, Default)]
pub struct ReferenceCache {
    current: RwLock<Option<Arc<Reference>>>,
}

impl ReferenceCache {
    /// The copy, if it is at `version` or newer; otherwise read afresh (and kept) on `conn`.
    pub async fn at_least(&self, conn: &mut AsyncPgConnection, version: i64) -> Result<Arc<Reference>, DbError> {
        if let Some(held) = self.held().filter(|r| r.version >= version) {
            return Ok(held);
        }
        let fresh = Arc::new(load(conn).await?);
        let mut current = self.current.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Two requests may reload at once: keep the newer copy.
        if current.as_ref().is_none_or(|c| c.version <= fresh.version) {
            *current = Some(Arc::clone(&fresh));
        }
        Ok(fresh)
    }

    /// The copy as of the stored version now: one statement when it is current (for work with no caller to
    /// learn the version from, such as the worker's batches).
    pub async fn current(&self, conn: &mut AsyncPgConnection) -> Result<Arc<Reference>, DbError> {
        let version = version(conn).await?;
        self.at_least(conn, version).await
    }

    fn held(&self) -> Option<Arc<Reference>> {
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}
