//! The public results (结果网上评): replied and closed issues staff did not withhold, for anyone to read without signing in.

pub mod get;
pub mod list;
