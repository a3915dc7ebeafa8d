//! The small scales people score on: 1–5 stars and 0–100.

use crate::Invalid;

/// 1 to 5 stars: a citizen's rating of a livelihood project, a voter's of their deputy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stars(i16);

impl Stars {
    /// # Errors
    /// `Invalid` on `field` outside 1–5.
    pub fn parse(field: &str, raw: i16) -> Result<Self, Invalid> {
        if (1..=5).contains(&raw) {
            Ok(Stars(raw))
        } else {
            Err(Invalid::new(field, "out_of_range", "1 to 5 stars"))
        }
    }

    #[must_use]
    pub fn get(self) -> i16 {
        self.0
    }
}

/// 0 to 100: how far a project is, a review's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Percent(i16);

impl Percent {
    /// # Errors
    /// `Invalid` on `field` outside 0–100.
    pub fn parse(field: &str, raw: i16) -> Result<Self, Invalid> {
        if (0..=100).contains(&raw) {
            Ok(Percent(raw))
        } else {
            Err(Invalid::new(field, "out_of_range", "0 to 100"))
        }
    }

    #[must_use]
    pub fn get(self) -> i16 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_keep_their_ends() {
        assert!(Stars::parse("stars", 0).is_err());
        assert_eq!(Stars::parse("stars", 5).map(Stars::get), Ok(5));
        assert_eq!(Stars::parse("stars", 6).map_err(|e| e.field), Err("stars".to_owned()));
        assert_eq!(Percent::parse("percent", 0).map(Percent::get), Ok(0));
        assert!(Percent::parse("percent", 101).is_err());
        assert!(Percent::parse("percent", -1).is_err());
    }
}
