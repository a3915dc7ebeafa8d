//! Scenes: the random codes QR codes carry, one per station, deputy and livelihood project, made on first need and kept.

use super::schema::{scans, scenes};
use super::DbError;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::identity::{Scene, SceneTarget};
use uuid::Uuid;

/// The scene of `target`, made now if it has none. Concurrent callers all get the same one.
pub async fn ensure(conn: &mut AsyncPgConnection, target: SceneTarget) -> Result<Scene, DbError> {
    let (station, deputy, project) = target.ids();
    // A fresh random code collides with an existing one with odds of 2^-100; a loop still beats an error.
    for _ in 0..3 {
        if let Some(found) = of_target(conn, target).await? {
            return Ok(found);
        }
        diesel::insert_into(scenes::table)
            .values((
                scenes::code.eq(crate::random::scene().as_str().to_owned()),
                scenes::station_id.eq(station),
                scenes::deputy_id.eq(deputy),
                scenes::project_id.eq(project),
            ))
            .on_conflict_do_nothing()
            .execute(conn)
            .await?;
    }
    of_target(conn, target)
        .await?
        .ok_or(DbError::Query(diesel::result::Error::NotFound))
}

async fn of_target(conn: &mut AsyncPgConnection, target: SceneTarget) -> Result<Option<Scene>, DbError> {
    let q = scenes::table.select(scenes::code).into_boxed();
    let q = match target {
        SceneTarget::Station(id) => q.filter(scenes::station_id.eq(id)),
        SceneTarget::Deputy(id) => q.filter(scenes::deputy_id.eq(id)),
        SceneTarget::Project(id) => q.filter(scenes::project_id.eq(id)),
    };
    let code: Option<String> = q.first(conn).await.optional()?;
    Ok(code.and_then(|c| Scene::parse(&c).ok()))
}

/// What `scene` points to, if it exists.
pub async fn target(conn: &mut AsyncPgConnection, scene: &Scene) -> Result<Option<SceneTarget>, DbError> {
    let row: Option<(Option<Uuid>, Option<Uuid>, Option<Uuid>)> = scenes::table
        .find(scene.as_str())
        .select((scenes::station_id, scenes::deputy_id, scenes::project_id))
        .first(conn)
        .await
        .optional()?;
    Ok(match row {
        Some((Some(station), _, _)) => Some(SceneTarget::Station(station)),
        Some((None, Some(deputy), _)) => Some(SceneTarget::Deputy(deputy)),
        Some((None, None, Some(project))) => Some(SceneTarget::Project(project)),
        _ => None,
    })
}

/// Records that `user` arrived through `scene` at `at` (first and latest time, per code).
pub async fn record_scan(
    conn: &mut AsyncPgConnection,
    user: Uuid,
    scene: &Scene,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(scans::table)
        .values((
            scans::user_id.eq(user),
            scans::scene_code.eq(scene.as_str()),
            scans::first_at.eq(at),
            scans::last_at.eq(at),
        ))
        .on_conflict((scans::user_id, scans::scene_code))
        .do_update()
        .set(scans::last_at.eq(at))
        .execute(conn)
        .await?;
    Ok(())
}

/// Has `user` ever arrived through the QR code of `target`?
pub async fn has_scanned(conn: &mut AsyncPgConnection, user: Uuid, target: SceneTarget) -> Result<bool, DbError> {
    let on_scene = scans::table.inner_join(scenes::table).filter(scans::user_id.eq(user));
    let query = match target {
        SceneTarget::Station(id) => {
            diesel::select(diesel::dsl::exists(on_scene.filter(scenes::station_id.eq(id))))
                .get_result(conn)
                .await
        }
        SceneTarget::Deputy(id) => {
            diesel::select(diesel::dsl::exists(on_scene.filter(scenes::deputy_id.eq(id))))
                .get_result(conn)
                .await
        }
        SceneTarget::Project(id) => {
            diesel::select(diesel::dsl::exists(on_scene.filter(scenes::project_id.eq(id))))
                .get_result(conn)
                .await
        }
    };
    Ok(query?)
}

/// Forgets an erased citizen's scans.
pub async fn forget_scans(conn: &mut AsyncPgConnection, user: Uuid) -> Result<(), DbError> {
    diesel::delete(scans::table.filter(scans::user_id.eq(user)))
        .execute(conn)
        .await?;
    Ok(())
}
