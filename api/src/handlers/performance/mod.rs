//! 代表履职考核: deputies' performance — points (记工分) counted from what the platform recorded and what staff
//! entered, under the region's scheme; 三维联评; the yearly ranking. The rules are in `domain::performance`.

pub mod entries;
pub mod ranking;
pub mod read;
pub mod reviews;
pub mod scheme;
