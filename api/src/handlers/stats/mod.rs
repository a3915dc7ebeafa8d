//! 评 Evaluate: figures for a region's subtree (or a deputy's stations, or a handler's agency) over a period —
//! whole, broken down, as a trend, and where the issues cluster. Every count and rate is `domain::stats`'.

pub mod breakdown;
pub mod export;
pub mod hotspots;
pub mod overview;
pub mod trend;
