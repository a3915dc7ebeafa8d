//! Deputy liaison stations as callers see them, shared by the stations' own pages, scenes and the caller's profile.

use chrono::{DateTime, Utc};
use domain::organisation::geo::GeoPoint;
use domain::organisation::station::ReceptionDay;
use domain::Invalid;
use infra::db::stations::StationRow;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A point, as clients send and receive it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Location {
    #[schema(example = 30.0445)]
    pub latitude: f64,
    #[schema(example = 121.1547)]
    pub longitude: f64,
}

impl Location {
    /// # Errors
    /// `Invalid` on `location.latitude` or `location.longitude` outside China.
    pub fn parse(self) -> Result<GeoPoint, Invalid> {
        GeoPoint::parse(self.latitude, self.longitude).map_err(|e| e.under("location"))
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Station {
    pub id: Uuid,
    pub region_code: String,
    #[schema(example = "凤山街道人大代表联络站")]
    pub name: String,
    pub address: String,
    pub location: Option<Location>,
    pub reception_days: Vec<ReceptionDay>,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<StationRow> for Station {
    fn from(r: StationRow) -> Self {
        let location = r
            .latitude
            .zip(r.longitude)
            .map(|(latitude, longitude)| Location { latitude, longitude });
        Self {
            id: r.id,
            region_code: r.region_code,
            name: r.name,
            address: r.address,
            location,
            reception_days: serde_json::from_value(r.reception_days).unwrap_or_default(),
            enabled: r.enabled,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}
