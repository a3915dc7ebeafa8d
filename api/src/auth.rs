//! Tokens.

pub mod jwt;
