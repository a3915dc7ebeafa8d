//! One folder per resource, one file per operation.

pub mod agencies;
pub mod auth;
pub mod ballots;
pub mod bulletins;
pub mod calendar;
pub mod categories;
pub mod deadline_policies;
pub mod deadlines;
pub mod deputies;
pub mod documents;
pub mod health;
pub mod inbox;
pub mod issues;
pub mod map;
pub mod me;
pub mod notifications;
pub mod outbox;
pub mod performance;
pub mod photos;
pub mod pictures;
pub mod projects;
pub mod proposals;
pub mod public;
pub mod qrcode;
pub mod regions;
pub mod routing_rules;
pub mod scenes;
pub mod stations;
pub mod stats;
pub mod templates;
pub mod users;
pub mod webhooks;
pub mod wechat_push;

use serde::{Deserialize, Deserializer};

/// For PATCH bodies: tells a field that is absent (`None`, leave it) from one sent as `null` (`Some(None)`, clear it).
pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}
