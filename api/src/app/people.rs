//! People as the service shows them: the caller's own profile (answered at sign-in and by `/me`), and a deputy's
//! account as performance needs it.

use crate::app::error::{AppError, AppResult};
use crate::app::scenes::{region_ref, station_refs, RegionRef, StationRef};
use chrono::{DateTime, Utc};
use domain::organisation::region::RegionPath;
use domain::role::{DeputyLevel, Role};
use infra::db::PgConn;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// The signed-in caller, with the names of what they are bound to.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub id: Uuid,
    /// The account's roles (an account holds one role today).
    pub roles: Vec<Role>,
    #[schema(example = "王建国")]
    pub name: String,
    /// The whole number: it is the caller's own.
    #[schema(example = "13900000001")]
    pub phone: Option<String>,
    /// Staff: jurisdiction. Deputies: where elected. Handlers: their agency's region.
    pub region: Option<RegionRef>,
    /// Handlers: their agency.
    pub agency: Option<AgencyRef>,
    /// Deputies: the stations they serve at.
    pub stations: Vec<StationRef>,
    pub deputy_level: Option<DeputyLevel>,
    /// Citizens: where their next reports go, from the last QR code they scanned.
    pub scene: Option<MyScene>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgencyRef {
    pub id: Uuid,
    #[schema(example = "余姚市住房和城乡建设局")]
    pub name: String,
}

/// The scene a citizen arrived through and what it points to.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyScene {
    pub scene: String,
    pub station_id: Option<Uuid>,
    pub deputy_id: Option<Uuid>,
    pub scanned_at: Option<DateTime<Utc>>,
}

/// The profile of account `id`, as its owner sees it.
pub async fn profile(conn: &mut PgConn, id: Uuid) -> AppResult<Me> {
    let user = infra::db::users::find(conn, id)
        .await?
        .ok_or_else(|| AppError::not_found("account"))?;
    let row = user.row;
    let region = match &row.region_code {
        Some(code) => Some(region_ref(conn, code).await?),
        None => None,
    };
    let agency = match row.agency_id {
        Some(agency) => infra::db::agencies::find(conn, agency).await?.map(|(a, _)| AgencyRef {
            id: a.row.id,
            name: a.row.name,
        }),
        None => None,
    };
    let stations = station_refs(conn, &user.stations, false).await?;
    let scene = match row.scene_code.as_deref().map(domain::identity::Scene::parse) {
        Some(Ok(scene)) => infra::db::scenes::target(conn, &scene).await?.map(|target| {
            let (station_id, deputy_id, _) = target.ids();
            MyScene {
                scene: scene.as_str().to_owned(),
                station_id,
                deputy_id,
                scanned_at: row.scene_at,
            }
        }),
        _ => None,
    };
    Ok(Me {
        id: row.id,
        roles: row.role.parse().map(|r| vec![r]).map_err(AppError::internal)?,
        name: row.name,
        phone: row.phone,
        region,
        agency,
        stations,
        deputy_level: row.deputy_level.and_then(|l| l.parse().ok()),
        scene,
        created_at: row.created_at,
    })
}

/// A deputy's account, as performance needs it.
pub struct Deputy {
    pub id: Uuid,
    pub name: String,
    pub region_code: String,
    pub region: RegionPath,
    pub enabled: bool,
}

/// The deputy `id`, or 404 (accounts that are not deputies have no performance).
pub async fn deputy(conn: &mut PgConn, id: Uuid) -> AppResult<Deputy> {
    let user = infra::db::users::find(conn, id)
        .await?
        .filter(|u| u.row.role == "deputy")
        .ok_or_else(|| AppError::not_found("deputy"))?;
    let region = user
        .region_path
        .ok_or_else(|| AppError::internal(anyhow::anyhow!("a deputy without a region")))?;
    Ok(Deputy {
        id,
        name: user.row.name,
        region_code: user.row.region_code.unwrap_or_default(),
        region,
        enabled: user.row.enabled,
    })
}
