//! 评 Evaluate: what the seeds judge these platforms by — how many issues were reported, replied, solved, on time and
//! to the people's satisfaction — defined once, for a region's subtree, a station or a deputy, over any period.
//!
//! A period's figures are those of the issues *reported* in it, as they stand now: "117 issues raised, 61 solved on
//! the spot, 44 later, 12 planned" (北仑) counts what became of the issues of those meetings. Every rate is therefore
//! a share of one cohort and never exceeds 100 %.

pub mod breakdown;
pub mod facts;
pub mod figures;
pub mod grid;
pub mod period;
pub mod scope;
pub mod topics;

pub use breakdown::{Breakdown, Interval};
pub use facts::{Checkpoint, ReplyTiming};
pub use figures::{Counts, Durations, Figures, Rate, Rates, Times};
pub use grid::CellSize;
pub use period::Period;
pub use scope::{Counted, StatsScope};
