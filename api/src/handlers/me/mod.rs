//! The caller's own account: who they are, everything held about them, and erasing it.

pub mod erase;
pub mod export;
pub mod get;

pub use crate::app::people::{profile, AgencyRef, Me, MyScene};
