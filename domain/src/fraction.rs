//! A fraction below one, as settings and rules write it ("2/3"): a warning's share of a deadline's time, a ballot's
//! threshold. Kept as two small integers so comparisons are exact.

use crate::Invalid;

/// `num/den` with `0 ≤ num < den ≤ 100`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fraction {
    num: u32,
    den: u32,
}

impl Fraction {
    pub const ZERO: Fraction = Fraction { num: 0, den: 1 };
    pub const HALF: Fraction = Fraction { num: 1, den: 2 };
    pub const TWO_THIRDS: Fraction = Fraction { num: 2, den: 3 };

    /// # Errors
    /// `Invalid` on `field` unless `0 ≤ num < den ≤ 100`.
    pub fn new(field: &str, num: u32, den: u32) -> Result<Self, Invalid> {
        if den == 0 || den > 100 || num >= den {
            return Err(Invalid::new(
                field,
                "out_of_range",
                "a fraction below one, a/b with b from 1 to 100 (1/2: half)",
            ));
        }
        Ok(Fraction { num, den })
    }

    /// Parses `a/b`.
    ///
    /// # Errors
    /// `Invalid` on `field` when it is not `a/b` with `0 ≤ a < b ≤ 100`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, Invalid> {
        let numbers = raw
            .split_once('/')
            .and_then(|(a, b)| Some((a.trim().parse().ok()?, b.trim().parse().ok()?)));
        match numbers {
            Some((num, den)) => Fraction::new(field, num, den),
            None => Err(Invalid::new(field, "out_of_range", "a fraction a/b, like 2/3")),
        }
    }

    #[must_use]
    pub fn num(self) -> u32 {
        self.num
    }

    #[must_use]
    pub fn den(self) -> u32 {
        self.den
    }

    /// Is `part` of `whole` more than this fraction of it?
    #[must_use]
    pub fn exceeded_by(self, part: u32, whole: u32) -> bool {
        u64::from(part) * u64::from(self.den) > u64::from(whole) * u64::from(self.num)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions_are_below_one_over_at_most_a_hundred() {
        assert_eq!(Fraction::parse("f", " 2 / 3 "), Ok(Fraction::TWO_THIRDS));
        assert_eq!(Fraction::parse("f", "0/1"), Ok(Fraction::ZERO));
        for bad in ["3/2", "1/1", "1", "a/b", "1/1000", "1/0"] {
            assert!(Fraction::parse("f", bad).is_err(), "{bad}");
        }
        assert!(Fraction::HALF.exceeded_by(151, 300));
        assert!(!Fraction::HALF.exceeded_by(150, 300));
        assert!(Fraction::ZERO.exceeded_by(1, 300));
        assert!(!Fraction::ZERO.exceeded_by(0, 300));
    }
}
