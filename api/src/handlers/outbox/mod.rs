//! The delivery queue as admins see it: dead letters (messages the worker gave up on) and sending one again.

pub mod list;
pub mod retry;
