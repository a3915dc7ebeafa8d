//! Black-box tests of the running service: real HTTP, real PostgreSQL, real Redis.

mod admin;
mod ballots;
mod budgets;
mod citizens;
mod cli;
mod console;
mod contract;
mod evaluation;
mod faults;
mod hardening;
mod health;
mod house;
mod idempotency;
mod issues;
mod limits;
mod openapi;
mod performance;
mod permissions;
mod privacy;
mod problems;
mod projects;
mod scenes;
mod security;
mod sessions;
mod supervision;
mod wechat;
