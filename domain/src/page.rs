//! Seek pagination: a bounded page size and an opaque position after the last item seen.

use crate::Invalid;

/// How many items a list answers: 1 to 100, 20 when the client does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit(u16);

impl Limit {
    pub const DEFAULT: u16 = 20;
    pub const MAX: u16 = 100;

    /// # Errors
    /// `Invalid` on `limit` when it is 0 or above 100.
    pub fn parse(raw: Option<i64>) -> Result<Self, Invalid> {
        match raw {
            None => Ok(Self(Self::DEFAULT)),
            Some(n) if (1..=i64::from(Self::MAX)).contains(&n) => Ok(Self(u16::try_from(n).unwrap_or(Self::DEFAULT))),
            Some(_) => Err(Invalid::new(
                "limit",
                "out_of_range",
                format!("must be between 1 and {}", Self::MAX),
            )),
        }
    }

    #[must_use]
    pub fn get(self) -> i64 {
        i64::from(self.0)
    }

    /// One more than the page, to learn whether a next page exists without counting.
    #[must_use]
    pub fn probe(self) -> i64 {
        self.get() + 1
    }
}

/// Cuts a probe of `limit + 1` rows down to a page and says whether more follow.
#[must_use]
pub fn split_page<T>(mut rows: Vec<T>, limit: Limit) -> (Vec<T>, bool) {
    let page = usize::try_from(limit.get()).unwrap_or(usize::MAX);
    let more = rows.len() > page;
    rows.truncate(page);
    (rows, more)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_defaults_and_bounds() {
        assert_eq!(Limit::parse(None).map(Limit::get), Ok(20));
        assert_eq!(Limit::parse(Some(100)).map(Limit::get), Ok(100));
        assert!(Limit::parse(Some(0)).is_err());
        assert!(Limit::parse(Some(101)).is_err());
    }

    #[test]
    fn split_page_reports_more_only_past_the_limit() {
        let limit = Limit::parse(Some(2)).expect("valid");
        assert_eq!(split_page(vec![1, 2, 3], limit), (vec![1, 2], true));
        assert_eq!(split_page(vec![1, 2], limit), (vec![1, 2], false));
    }
}
