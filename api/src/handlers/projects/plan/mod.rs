//! 领单 — changing an elected project's plan: its agency asks (postpone, add or amend a milestone, with a reason),
//! staff over it decide, anyone who may see the project reads the requests.

pub mod ask;
pub mod decide;
pub mod list;

pub use crate::app::projects::plan::PlanChange;
