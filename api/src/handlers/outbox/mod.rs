//! Delivery as admins see it: every notification by channel and what became of it, dead letters (messages the
//! worker gave up on) and sending one again.

pub mod list;
pub mod retry;
