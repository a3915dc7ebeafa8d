//! 督: the deputies' (and staff's) supervision commands — urge (催办), key supervision (挂牌督办), site visit
//! (现场督办) and follow-up (回头看).

pub mod follow_up;
pub mod key_supervision;
pub mod site_visit;
pub mod urge;
