//! 知识库: keeping templates (staff for their region, admins anywhere) and filling them in for an issue a clerk is
//! answering — the ones that fit its place, agency and category, closest fit first, placeholders filled.

use super::door::Holder;
use super::issues::load::viewable_beside;
use super::issues::view::{limits, view, IssueView};
use crate::app::error::{AppError, AppResult};
use crate::app::reach::list_prefix;
use crate::app::{commit, Caller, Kept, ScopedFutureExt};
use crate::state::AppState;
use domain::issue::deadline::shanghai;
use domain::permission::AdminScope;
use domain::template::{Facts, TemplateBody, TemplateKind};
use infra::db::reference::Reference;
use infra::db::templates::TemplateRow;
use uuid::Uuid;

/// A template filled in for one issue.
pub struct Filled {
    pub row: TemplateRow,
    pub text: String,
}

/// The templates of `kind` that fit issue `id`, as the caller sees it: kept for a region on the issue's path, for no
/// agency or the caller's own (a handler's) or the issue's lead agency, for no category or the issue's. The closest
/// fit comes first: a category named, then an agency named, then the deeper region.
pub async fn for_issue(state: &AppState, holder: Holder, id: Uuid, kind: TemplateKind) -> AppResult<Vec<Filled>> {
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let (admitted, viewable) = viewable_beside(&conn, holder, id).await?;
    domain::template::may_use(admitted.actor.role)?;
    let reference = state.reference.at_least(&mut conn, admitted.reference_version).await?;
    let now = state.clock.now();
    let (issue, _) = view(&admitted.actor, viewable, limits(&state.config), now, &reference)?;
    let path = reference
        .region(&issue.region_code)
        .cloned()
        .ok_or_else(|| AppError::not_found("region"))?;
    let codes: Vec<&str> = path.codes().collect();
    let agencies: Vec<Uuid> = admitted
        .actor
        .agency
        .into_iter()
        .chain(issue.lead_agency.as_ref().map(|a| a.id))
        .collect();
    let category = issue.category_code.as_deref();
    let rows = infra::db::templates::fitting(&mut conn, kind.as_str(), &codes, &agencies, category).await?;
    // The category as the issue's place calls it (or its own name where it is no longer offered): from the
    // reference data, no trip of its own.
    let category_name = category.and_then(|c| reference.offered_at(&path, c).or_else(|| reference.category_name(c)));
    let facts = facts(&issue, category_name, now);
    let depth = |code: &str| codes.iter().position(|c| *c == code).unwrap_or(0);
    let mut filled: Vec<Filled> = rows
        .into_iter()
        .map(|row| {
            let text = TemplateBody::from_stored(row.body.clone()).fill(&facts);
            Filled { row, text }
        })
        .collect();
    filled.sort_by_key(|f| {
        std::cmp::Reverse((
            f.row.category_code.is_some(),
            f.row.agency_id.is_some(),
            depth(&f.row.region_code),
        ))
    });
    Ok(filled)
}

fn facts<'a>(issue: &'a IssueView, category: Option<&'a str>, now: chrono::DateTime<chrono::Utc>) -> Facts<'a> {
    let day = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&shanghai()).date_naive();
    Facts {
        number: &issue.number,
        title: issue.title.as_deref(),
        place: issue.location.as_ref().and_then(|l| l.address.as_deref()),
        category,
        reported_on: Some(day(issue.created_at)),
        today: Some(day(now)),
        lead_agency: issue.lead_agency.as_ref().map(|a| a.name.as_str()),
        due_on: issue.due_at.map(day),
    }
}

/// What a template may be kept for, checked against the caller's scope and the reference data: the region within
/// the scope, the agency (if any) seen by the scope, the category (if any) known.
pub fn check_fit(
    scope: &AdminScope,
    reference: &Reference,
    agency: Option<Uuid>,
    category: Option<&str>,
) -> AppResult<()> {
    if let Some(agency) = agency {
        let hidden = || AppError::not_found("agency").with_field("agency_id");
        let found = reference.agency(agency).ok_or_else(hidden)?;
        scope.may_see(&found.path).map_err(|_| hidden())?;
    }
    if let Some(category) = category {
        if !reference.has_category(category) {
            return Err(AppError::rule("category_code", "unknown_category", "no such category"));
        }
    }
    Ok(())
}

/// A template to keep: for a region of the caller's scope, narrowed (or not) to an agency and a category.
pub struct NewTemplateAsked<'a> {
    pub kind: TemplateKind,
    pub region_code: &'a str,
    pub agency_id: Option<Uuid>,
    pub category_code: Option<&'a str>,
    pub title: &'a str,
    pub body: &'a str,
}

/// Keeps a template (知识库) for a region of the caller's scope: staff their region and below, admins anywhere.
///
/// # Errors
/// `validation_failed` on `title`, `body` (a placeholder not known) or what it is kept for; 404 on `region_code`
/// out of reach.
pub async fn add<K: Kept + Send>(
    state: &AppState,
    caller: &Caller,
    asked: NewTemplateAsked<'_>,
    answer: impl FnOnce(TemplateRow) -> AppResult<K> + Send,
) -> AppResult<K> {
    let scope = AdminScope::of(&caller.actor)?;
    let title = domain::template::TemplateTitle::parse(asked.title)?;
    let text = TemplateBody::parse(asked.body)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let region = crate::app::reach::region_to_manage(&mut conn, &scope, asked.region_code, "region_code").await?;
    let reference = state.reference.at_least(&mut conn, caller.reference_version).await?;
    check_fit(&scope, &reference, asked.agency_id, asked.category_code)?;
    let new = infra::db::templates::NewTemplate {
        region_code: &region.code,
        agency_id: asked.agency_id,
        category_code: asked.category_code,
        kind: asked.kind.as_str(),
        title: title.as_str(),
        body: text.as_str(),
        created_by: caller.actor.user_id,
    };
    let new = &new;
    commit(
        &mut conn,
        |conn| async move { Ok(infra::db::templates::insert(conn, new).await?) }.scope_boxed(),
        answer,
    )
    .await
}

/// Template `id`, if it lies within `scope` (404 otherwise, as if it did not exist).
///
/// # Errors
/// 404 for no such template within the scope.
pub async fn in_scope(conn: &mut infra::db::PgConn, scope: &AdminScope, id: Uuid) -> AppResult<TemplateRow> {
    let hidden = || AppError::not_found("template");
    let (row, path) = infra::db::templates::find(conn, id).await?.ok_or_else(hidden)?;
    scope.may_manage_in(&path).map_err(|_| hidden())?;
    Ok(row)
}

/// Changes a template's title or text (what it is kept for stays).
///
/// # Errors
/// 404 for a template out of scope; `validation_failed` on `title` or `body`.
pub async fn change(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    title: Option<&str>,
    body: Option<&str>,
) -> AppResult<TemplateRow> {
    let scope = AdminScope::of(&caller.actor)?;
    let title = title.map(domain::template::TemplateTitle::parse).transpose()?;
    let text = body.map(TemplateBody::parse).transpose()?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let row = in_scope(&mut conn, &scope, id).await?;
    let title = title
        .as_ref()
        .map_or(row.title.as_str(), domain::template::TemplateTitle::as_str);
    let text = text.as_ref().map_or(row.body.as_str(), TemplateBody::as_str);
    Ok(infra::db::templates::update(&mut conn, id, title, text, state.clock.now()).await?)
}

/// Removes a template; what was sent from it stays in the issues' timelines.
///
/// # Errors
/// 404 for a template out of scope.
pub async fn remove(state: &AppState, caller: &Caller, id: Uuid) -> AppResult<()> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    in_scope(&mut conn, &scope, id).await?;
    infra::db::templates::delete(&mut conn, id).await?;
    Ok(())
}

/// The templates in the caller's reach, or in `region`'s subtree within it, of `kind` when named: after `after`,
/// `probe` at most.
///
/// # Errors
/// 403 for anyone but staff and admins; 404 naming `region` outside the caller's reach.
pub async fn list(
    state: &AppState,
    caller: &Caller,
    region: Option<&str>,
    kind: Option<TemplateKind>,
    after: Option<Uuid>,
    probe: i64,
) -> AppResult<Vec<TemplateRow>> {
    let scope = AdminScope::of(&caller.actor)?;
    let mut conn = infra::db::pool::conn(&state.db).await?;
    let prefix = list_prefix(&mut conn, &scope, region).await?;
    let kind = kind.map(TemplateKind::as_str);
    Ok(infra::db::templates::list(&mut conn, prefix.as_deref(), kind, after, probe).await?)
}
