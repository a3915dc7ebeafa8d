//! 星级评价: what citizens say of an elected project — comments, shown on its public page, and 1–5 stars, one rating
//! a citizen (rating again replaces it).

pub mod comment;
pub mod held;
pub mod rate;
pub mod review;

use chrono::{DateTime, Utc};
use infra::db::project_comments::CommentRow;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A comment as its page shows it: the author's name masked, and in the text the author's name and every phone or
/// ID number (runs of seven or more digits) masked as public issues are (`domain::publication::mask`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectComment {
    pub id: Uuid,
    #[schema(example = "王*")]
    pub author: String,
    pub body: String,
    /// WeChat's content check could not judge it: it shows on the public page once a person has looked.
    pub held_for_review: bool,
    pub created_at: DateTime<Utc>,
}

impl ProjectComment {
    #[must_use]
    pub fn of((row, name): (CommentRow, String)) -> Self {
        let mut chars = name.chars();
        let author = chars.next().map_or_else(String::new, |c| format!("{c}*"));
        ProjectComment {
            id: row.id,
            author,
            body: domain::publication::mask(&row.body, &[&name]),
            held_for_review: row.needs_review,
            created_at: row.created_at,
        }
    }
}
