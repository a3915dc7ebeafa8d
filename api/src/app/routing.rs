//! What routing rules suggest, and which agencies an issue may be routed to: pure functions of the reference data.

use crate::app::error::{AppError, AppResult, ErrorCode};
use domain::issue::access::may_route_to;
use domain::organisation::region::RegionPath;
use infra::db::reference::Reference;
use uuid::Uuid;

/// The rule that would route an issue at `path` in `category`: its lead agency and the co-agencies that may take the
/// issue. A rule set for a whole county may name a township office as co-agency; that office takes only its own
/// township's issues, so for an issue elsewhere in the county it is left out rather than suggested and refused.
#[must_use]
pub fn suggestion(reference: &Reference, path: &RegionPath, category: &str) -> Option<(Uuid, Vec<Uuid>)> {
    let rule = reference.rule_for(path, category)?;
    let co = rule
        .co_agency_ids
        .iter()
        .copied()
        .filter(|id| {
            reference
                .agency(*id)
                .is_some_and(|a| a.enabled && may_route_to(path, &a.path, "co_agency_ids").is_ok())
        })
        .collect();
    Some((rule.lead_agency_id, co))
}

/// Every agency named (by a rule or a routing) exists, is enabled and serves `region`; co-agencies lose repeats and
/// the lead.
pub fn check_agencies(reference: &Reference, region: &RegionPath, lead: Uuid, co: &[Uuid]) -> AppResult<Vec<Uuid>> {
    let mut all = vec![(lead, "lead_agency_id".to_owned())];
    all.extend(co.iter().enumerate().map(|(i, a)| (*a, format!("co_agency_ids[{i}]"))));
    for (id, field) in &all {
        let agency = reference
            .agency(*id)
            .ok_or_else(|| AppError::new(ErrorCode::ValidationFailed, "no such agency").with_field(field.clone()))?;
        if !agency.enabled {
            return Err(AppError::new(ErrorCode::ValidationFailed, "this agency is disabled").with_field(field.clone()));
        }
        may_route_to(region, &agency.path, field)?;
    }
    let mut co: Vec<Uuid> = co.iter().copied().filter(|a| *a != lead).collect();
    co.sort();
    co.dedup();
    Ok(co)
}
