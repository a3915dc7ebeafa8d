//! 点单 — citizens propose: rounds of proposals (征集) staff open in their region, the proposals citizens and deputies
//! make and support (附议) while a round is open, and what staff decide of each. Anyone reads the rounds and what
//! they gathered; proposers are never named there.

pub mod decide;
pub mod propose;
pub mod rounds;
pub mod support;
