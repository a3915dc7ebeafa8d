//! What a scanned QR code leads to (a station, a deputy, a project), shared by the scene page and WeChat sign-in;
//! and the ways into the mini-program at a scene from outside WeChat.

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::stations::Location;
use crate::state::AppState;
use chrono::{DateTime, Duration, Utc};
use domain::identity::{Scene, SceneTarget};
use domain::organisation::station::ReceptionDay;
use domain::role::DeputyLevel;
use infra::db::users::UserFilter;
use infra::db::PgConn;
use infra::wechat::OpenLinks;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SceneKind {
    Station,
    Deputy,
    /// 码上监督: an elected livelihood project's page; reports made after scanning it do not go to it.
    Project,
}

/// A scanned scene: exactly one of `station`, `deputy` and `project` is present, as `kind` says.
#[derive(Debug, Serialize, ToSchema)]
pub struct SceneView {
    #[schema(example = "k7mq2xw9adf3hn4rtp8e")]
    pub scene: String,
    pub kind: SceneKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub station: Option<ScannedStation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deputy: Option<ScannedDeputy>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub project: Option<ScannedProject>,
}

impl SceneView {
    /// Whether a citizen's next reports go where this scene leads.
    #[must_use]
    pub fn receives_reports(&self) -> bool {
        !matches!(self.kind, SceneKind::Project)
    }
}

/// An elected livelihood project: its public page is `GET /api/v1/public/projects/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScannedProject {
    pub id: Uuid,
    pub title: String,
    pub agency_name: String,
    pub region: RegionRef,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegionRef {
    #[schema(example = "330281")]
    pub code: String,
    #[schema(example = "余姚市")]
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeputyRef {
    pub id: Uuid,
    #[schema(example = "王建国")]
    pub name: String,
    pub level: Option<DeputyLevel>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StationRef {
    pub id: Uuid,
    #[schema(example = "凤山街道人大代表联络站")]
    pub name: String,
    pub address: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScannedStation {
    pub id: Uuid,
    pub name: String,
    pub address: String,
    pub location: Option<Location>,
    pub region: RegionRef,
    pub reception_days: Vec<ReceptionDay>,
    /// The deputies who serve at the station.
    pub deputies: Vec<DeputyRef>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScannedDeputy {
    pub id: Uuid,
    pub name: String,
    pub level: Option<DeputyLevel>,
    /// Where the deputy was elected.
    pub region: RegionRef,
    /// The stations where the deputy receives people.
    pub stations: Vec<StationRef>,
}

/// What `scene` points to, if it exists and its station or deputy is still active.
/// A scene a citizen signs in with, checked: it must lead to an active station, deputy or project.
pub struct Scanned {
    pub scene: Scene,
    /// A station's or a deputy's code: the citizen's next reports go there. A project's leads to its page only.
    pub takes_reports: bool,
}

/// Checks the scene a sign-in names (`field` `scene`): 422 `unknown_scene` when it leads nowhere.
pub async fn scanned(conn: &mut PgConn, raw: Option<&str>) -> AppResult<Option<Scanned>> {
    let Some(scene) = raw.map(Scene::parse).transpose()? else {
        return Ok(None);
    };
    match live(conn, &scene).await? {
        Some(view) => Ok(Some(Scanned {
            takes_reports: view.receives_reports(),
            scene,
        })),
        None => Err(domain::Invalid::new(
            "scene",
            "unknown_scene",
            "no active station, deputy or project has this scene; scan the code again or sign in without it",
        )
        .into()),
    }
}

/// Remembers, inside the sign-in's transaction, that `citizen` scanned the code: every code is remembered (following
/// a deputy, rating a project need it); only a station's or a deputy's decides where their next reports go.
pub async fn remember(
    conn: &mut PgConn,
    citizen: Uuid,
    scanned: Option<&Scanned>,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    if let Some(s) = scanned {
        infra::db::scenes::record_scan(conn, citizen, &s.scene, now).await?;
        if s.takes_reports {
            infra::db::users::set_scene(conn, citizen, s.scene.as_str()).await?;
        }
    }
    Ok(())
}

pub async fn live(conn: &mut PgConn, scene: &Scene) -> AppResult<Option<SceneView>> {
    Ok(match infra::db::scenes::target(conn, scene).await? {
        Some(SceneTarget::Station(id)) => station(conn, id).await?.map(|s| SceneView {
            scene: scene.as_str().to_owned(),
            kind: SceneKind::Station,
            station: Some(s),
            deputy: None,
            project: None,
        }),
        Some(SceneTarget::Deputy(id)) => deputy(conn, id).await?.map(|d| SceneView {
            scene: scene.as_str().to_owned(),
            kind: SceneKind::Deputy,
            station: None,
            deputy: Some(d),
            project: None,
        }),
        Some(SceneTarget::Project(id)) => match infra::db::projects::find_elected(conn, id).await? {
            Some(p) => Some(SceneView {
                scene: scene.as_str().to_owned(),
                kind: SceneKind::Project,
                station: None,
                deputy: None,
                project: Some(ScannedProject {
                    id: p.project.id,
                    title: p.project.title,
                    agency_name: p.agency_name,
                    region: region_ref(conn, &p.region_code).await?,
                }),
            }),
            None => None,
        },
        None => None,
    })
}

/// A region's code with its name (the code alone, should the region be gone).
pub async fn region_ref(conn: &mut PgConn, code: &str) -> AppResult<RegionRef> {
    let name = infra::db::regions::find(conn, code)
        .await?
        .map_or_else(|| code.to_owned(), |r| r.name);
    Ok(RegionRef {
        code: code.to_owned(),
        name,
    })
}

async fn station(conn: &mut PgConn, id: Uuid) -> AppResult<Option<ScannedStation>> {
    let Some((row, _)) = infra::db::stations::find(conn, id).await?.filter(|(s, _)| s.enabled) else {
        return Ok(None);
    };
    let filter = UserFilter {
        role: Some("deputy"),
        station: Some(id),
        ..UserFilter::default()
    };
    let deputies = infra::db::users::list(conn, &filter, 100)
        .await?
        .into_iter()
        .filter(|u| u.row.enabled)
        .map(|u| DeputyRef {
            id: u.row.id,
            name: u.row.name,
            level: u.row.deputy_level.and_then(|l| l.parse().ok()),
        })
        .collect();
    let region = region_ref(conn, &row.region_code).await?;
    let station = crate::app::stations::Station::from(row);
    Ok(Some(ScannedStation {
        id: station.id,
        name: station.name,
        address: station.address,
        location: station.location,
        region,
        reception_days: station.reception_days,
        deputies,
    }))
}

async fn deputy(conn: &mut PgConn, id: Uuid) -> AppResult<Option<ScannedDeputy>> {
    let Some(user) = infra::db::users::find(conn, id)
        .await?
        .filter(|u| u.row.enabled && u.row.role == "deputy")
    else {
        return Ok(None);
    };
    let stations = station_refs(conn, &user.stations, true).await?;
    let region = region_ref(conn, user.row.region_code.as_deref().unwrap_or_default()).await?;
    Ok(Some(ScannedDeputy {
        id: user.row.id,
        name: user.row.name,
        level: user.row.deputy_level.and_then(|l| l.parse().ok()),
        region,
        stations,
    }))
}

/// The stations `ids` with their names, in order; with `enabled_only`, disabled ones are left out.
pub async fn station_refs(conn: &mut PgConn, ids: &[Uuid], enabled_only: bool) -> AppResult<Vec<StationRef>> {
    let mut refs = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some((s, _)) = infra::db::stations::find(conn, *id).await? {
            if s.enabled || !enabled_only {
                refs.push(StationRef {
                    id: s.id,
                    name: s.name,
                    address: s.address,
                });
            }
        }
    }
    Ok(refs)
}

/// What scene `scene` leads to now.
///
/// # Errors
/// 404 when it leads nowhere (unknown, or its station or deputy disabled).
pub async fn get(state: &AppState, scene: &Scene) -> AppResult<SceneView> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    live(&mut conn, scene)
        .await?
        .ok_or_else(|| AppError::not_found("scene"))
}

/// How long WeChat is asked to keep a link (its most), and how long before its end a cached one is made anew.
const LINK_DAYS: u32 = 30;
const RENEW_BEFORE: Duration = Duration::days(1);

/// Ways into the mini-program at this scene from outside WeChat.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct WeChatLink {
    /// A URL Link (`https://wxaurl.cn/…`): opens the mini-program from any phone browser, through WeChat's own page.
    #[schema(example = "https://wxaurl.cn/Kt9Dhx3mTqb")]
    pub url_link: String,
    /// A URL Scheme (`weixin://dl/business/?t=…`): a phone browser hands it to the WeChat app directly.
    #[schema(example = "weixin://dl/business/?t=XTSkBZlzqmn")]
    pub scheme: String,
    /// Both stop working then; ask again after it for new ones.
    pub expires_at: DateTime<Utc>,
}

/// Ways into the mini-program at `scene` from outside WeChat: WeChat's URL Link and URL Scheme, made once for 30 days
/// and shared by every instance through Redis until a day before they end.
///
/// # Errors
/// 404 when the scene leads nowhere; 503 `wechat_not_configured` without WeChat settings; 502/503 when WeChat
/// refuses or is silent.
pub async fn wechat_link(state: &AppState, scene: &Scene) -> AppResult<WeChatLink> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    live(&mut conn, scene)
        .await?
        .ok_or_else(|| AppError::not_found("scene"))?;
    drop(conn);
    let wechat = state.wechat.as_ref().ok_or_else(|| {
        AppError::new(
            ErrorCode::WeChatNotConfigured,
            "this server has no WeChat mini-program configured; scan the QR code with WeChat to open it",
        )
    })?;
    let key = format!("wechat-link:{}", scene.as_str());
    // WeChat's links end by WeChat's clock: the wall clock, not the service's business clock.
    let now = Utc::now();
    let cached = state
        .redis
        .get_with_ttl(&key)
        .await
        .ok()
        .flatten()
        .and_then(|(json, _)| serde_json::from_str::<WeChatLink>(&json).ok())
        .filter(|link| link.expires_at - RENEW_BEFORE > now);
    let link = match cached {
        Some(link) => link,
        None => {
            let OpenLinks { url_link, scheme } = wechat.open_links(scene.as_str(), LINK_DAYS).await?;
            let link = WeChatLink {
                url_link,
                scheme,
                expires_at: now + Duration::days(i64::from(LINK_DAYS)),
            };
            let keep = u64::try_from((link.expires_at - RENEW_BEFORE - now).num_seconds()).unwrap_or(0);
            match serde_json::to_string(&link) {
                Ok(json) => {
                    if let Err(why) = state.redis.set_ex(&key, &json, keep).await {
                        tracing::warn!(%why, "could not cache the WeChat links; the next visitor asks WeChat again");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "could not cache the WeChat links"),
            }
            link
        }
    };
    Ok(link)
}
