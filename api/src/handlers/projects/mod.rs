//! 码上监督: elected livelihood projects under supervision — the ranked list (动态排序), each project's page with its
//! milestones and reports, its agency's progress and deputies' inspections, its QR code, and what citizens say of it
//! (comments, 1–5 stars). The public side is in `handlers::public::projects`.

pub mod acceptance;
pub mod comments;
pub mod money;
pub mod place;
pub mod plan;
pub mod qrcode;
pub mod read;
pub mod reports;
pub mod timeline;
pub mod year_report;

pub use crate::app::projects::{found, ranked, ranked_one, role_over, Loaded, ProjectSummary, StarRatings};
