//! The caller's own account: who they are, the phone they confirm through WeChat, everything held about them, and
//! erasing it.

pub mod erase;
pub mod export;
pub mod filters;
pub mod get;
pub mod phone;

pub use crate::app::people::{profile, AgencyRef, Me, MyScene};
