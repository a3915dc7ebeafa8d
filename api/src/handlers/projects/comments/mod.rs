//! 星级评价: what citizens say of an elected project — comments, shown on its public page, and 1–5 stars, one rating
//! a citizen (rating again replaces it).

pub mod answer;
pub mod comment;
pub mod held;
pub mod issue;
pub mod rate;
pub mod review;

pub use crate::app::projects::ProjectComment;
