//! 结果网上评: staff keep an issue out of the public results, with a reason, or put it back.

pub mod publish;
pub mod withhold;
