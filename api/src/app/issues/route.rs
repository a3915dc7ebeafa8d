//! 转办: which agencies an issue goes to, settled on the issue as locked — the lead named, or the routing rules'
//! suggestion for its category and place.

use super::load::Loaded;
use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::routing::{check_agencies, suggestion};
use domain::issue::Command;
use infra::db::reference::Reference;
use uuid::Uuid;

/// What the caller asked of a routing.
#[derive(Debug, Clone)]
pub struct Routing {
    /// 主办; none to take the rules' suggestion.
    pub lead: Option<Uuid>,
    /// 协办; none with no lead named takes the rule's co-agencies.
    pub co: Vec<Uuid>,
    /// A complex issue gets the longer reply deadline.
    pub complex: bool,
}

/// The routing command for `issue`, by the reference data the command is judged by.
pub fn routing(asked: &Routing, issue: &Loaded, reference: &Reference) -> AppResult<Command> {
    let (lead, co, suggested) = match asked.lead {
        Some(lead) => (lead, asked.co.clone(), false),
        None => {
            let rule = issue
                .row
                .category_code
                .as_deref()
                .and_then(|category| suggestion(reference, &issue.row.path(), category));
            let (lead, suggested_co) = rule.ok_or_else(|| {
                AppError::new(
                    ErrorCode::ValidationFailed,
                    "no routing rule covers this issue's category and region; name the lead agency",
                )
                .with_field("lead_agency_id")
            })?;
            let co = if asked.co.is_empty() {
                suggested_co
            } else {
                asked.co.clone()
            };
            (lead, co, true)
        }
    };
    let co = check_agencies(reference, &issue.row.path(), lead, &co)?;
    Ok(Command::Route {
        lead,
        co,
        complex: asked.complex,
        suggested,
    })
}
