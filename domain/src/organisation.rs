//! The organisation model: a region tree, categories, stations, agencies and the accounts bound to them.

pub mod agency;
pub mod category;
pub mod geo;
pub mod region;
pub mod station;
pub mod user;
pub mod webhook;
