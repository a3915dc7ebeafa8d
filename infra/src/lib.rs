//! Everything minsheng says to the outside world: configuration, PostgreSQL (the truth), Redis (schedules, caches, locks
//! that can be rebuilt), password hashing.

pub mod ballot_key;
pub mod clock;
pub mod config;
pub mod db;
pub mod encoding;
pub mod local_windows;
pub mod password;
pub mod photo;
pub mod qr;
pub mod random;
pub mod redis;
pub mod schedule;
pub mod sms;
pub mod storage;
pub mod webhook;
pub mod wechat;
