//! 结果网上评: the public results. Replied and closed issues anyone may read without signing in — what was reported,
//! where (to the village or community), which agency answered and how, and how the reporter rated it. Never who
//! reported, their phone, the exact location or internal comments; numbers typed into the text are masked.

pub mod issues;
pub mod projects;

pub use crate::app::publication::{PublicCategory, PublicIssue, PublicPlace, PublicReply};
