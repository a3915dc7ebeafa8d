//! In-app notifications, and citizens' answers to WeChat's subscription prompt.

pub mod list;
pub mod read;
pub mod subscribe;
pub mod subscriptions;

pub use crate::app::notifications::{Notification, Subscription};
