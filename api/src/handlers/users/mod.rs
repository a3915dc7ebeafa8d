//! Accounts of admins, staff, deputies and handlers (citizens arrive through WeChat).

pub mod create;
pub mod get;
pub mod list;
pub mod sessions;
pub mod update;

use chrono::{DateTime, Utc};
use domain::organisation::user::Phone;
use domain::permission::{may_see_phone, Actor};
use domain::role::{DeputyLevel, Role};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// An account as other people see it. Password hashes never leave the database.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    pub id: Uuid,
    pub role: Role,
    #[schema(example = "王建国")]
    pub name: String,
    /// Masked (`139****0001`) for everyone but the account's owner and admins.
    #[schema(example = "139****0001")]
    pub phone: Option<String>,
    /// Staff: jurisdiction. Deputies: where elected. Handlers: their agency's region.
    pub region_code: Option<String>,
    pub agency_id: Option<Uuid>,
    pub deputy_level: Option<DeputyLevel>,
    /// Deputies: the stations they serve at.
    pub station_ids: Vec<Uuid>,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl User {
    /// The account as `viewer` may see it: the whole phone number only for its owner and admins.
    #[must_use]
    pub fn view(u: infra::db::users::User, viewer: &Actor) -> Self {
        let r = u.row;
        let phone = if may_see_phone(viewer, r.id) {
            r.phone
        } else {
            r.phone
                .map(|p| Phone::parse(&p).map_or_else(|_| "****".to_owned(), |p| p.masked()))
        };
        Self {
            id: r.id,
            role: r.role.parse().unwrap_or(Role::Citizen),
            name: r.name,
            phone,
            region_code: r.region_code,
            agency_id: r.agency_id,
            deputy_level: r.deputy_level.and_then(|l| l.parse().ok()),
            station_ids: u.stations,
            enabled: r.enabled,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}
