//! QR codes that lead to a station, a deputy or an elected project: WeChat's mini-program codes when WeChat is
//! configured, plain QR codes of `{MINSHENG_PUBLIC_URL}/s/{scene}` otherwise (WeChat opens the mini-program for
//! those too, once the URL prefix is registered as the mini-program's "scan ordinary QR code" rule).

use crate::app::error::{AppError, AppResult, ErrorCode};
use crate::app::projects::{found, role_over};
use crate::app::Caller;
use crate::state::AppState;
use domain::identity::{CodeWidth, Scene, SceneTarget};
use domain::permission::{may_draw_deputy_code, may_draw_station_code, ProjectRole};
use infra::db::PgConn;

/// A drawn code: the scene it carries, for printing beside it, and the PNG.
pub struct Code {
    pub scene: Scene,
    pub png: Vec<u8>,
}

/// A PNG code for `target`, `width` pixels wide; its scene is made on first need and kept for good.
///
/// # Errors
/// 404 for a station, deputy or project outside the caller's reach; 403 for one they may not draw (a project's by a
/// deputy); 409 for a disabled station or deputy, whose code would lead nowhere; 502/503 when WeChat refuses or is
/// silent.
pub async fn draw(state: &AppState, caller: &Caller, target: SceneTarget, width: CodeWidth) -> AppResult<Code> {
    let scene = {
        let mut conn = infra::db::pool::conn(&state.db).await?;
        may_draw(&mut conn, caller, target).await?;
        infra::db::scenes::ensure(&mut conn, target).await?
    };
    let png = match &state.wechat {
        Some(wechat) => {
            let drawn = wechat.draw_code(scene.as_str(), width.pixels()).await?;
            let bytes = drawn.bytes;
            tokio::task::spawn_blocking(move || infra::qr::to_png(&bytes))
                .await
                .map_err(AppError::internal)?
                .map_err(|e| AppError::from(infra::wechat::WeChatError::Unreachable(format!("not a picture: {e}"))))?
        }
        None => {
            let url = format!("{}/s/{}", state.config.public_url, scene.as_str());
            tokio::task::spawn_blocking(move || infra::qr::plain_png(&url, width.pixels()))
                .await
                .map_err(AppError::internal)?
                .map_err(AppError::internal)?
        }
    };
    Ok(Code { scene, png })
}

/// Whether the caller may draw `target`'s code, and whether it would lead anywhere.
async fn may_draw(conn: &mut PgConn, caller: &Caller, target: SceneTarget) -> AppResult<()> {
    let nowhere = |what: &str| AppError::new(ErrorCode::Conflict, format!("{what}; its code would lead nowhere"));
    match target {
        SceneTarget::Station(id) => {
            let (row, path) = infra::db::stations::find(conn, id)
                .await?
                .ok_or_else(|| AppError::not_found("station"))?;
            may_draw_station_code(&caller.actor, row.id, &path)?;
            if !row.enabled {
                return Err(nowhere("the station is disabled"));
            }
        }
        SceneTarget::Deputy(id) => {
            let deputy = infra::db::users::find(conn, id)
                .await?
                .filter(|u| u.row.role == "deputy")
                .ok_or_else(|| AppError::not_found("deputy"))?;
            let region = deputy
                .region_path
                .clone()
                .ok_or_else(|| AppError::internal(anyhow::anyhow!("a deputy without a region")))?;
            may_draw_deputy_code(&caller.actor, deputy.row.id, &region)?;
            if !deputy.row.enabled {
                return Err(nowhere("the deputy's account is disabled"));
            }
        }
        SceneTarget::Project(id) => {
            let project = found(conn, id).await?;
            if role_over(&caller.actor, &project)? == ProjectRole::Deputy {
                return Err(
                    domain::Denied::Forbidden("project codes are drawn by staff and the responsible agency").into(),
                );
            }
        }
    }
    Ok(())
}
