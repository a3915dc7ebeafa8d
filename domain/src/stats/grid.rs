//! Hot spots on a grid: cells of about the same size in metres wherever they lie.

use crate::Invalid;

const METRES_PER_DEGREE: f64 = 111_320.0;

/// A cell's side in metres, 100 to 10 000.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellSize(f64);

impl CellSize {
    pub const DEFAULT: CellSize = CellSize(500.0);

    /// # Errors
    /// `Invalid` on `cell` outside 100 to 10 000 metres.
    pub fn parse(metres: u32) -> Result<Self, Invalid> {
        if (100..=10_000).contains(&metres) {
            Ok(CellSize(f64::from(metres)))
        } else {
            Err(Invalid::new("cell", "out_of_range", "a cell is 100 to 10000 metres"))
        }
    }

    /// The cell's height in degrees of latitude. Its width in degrees of longitude is this over the cosine of the
    /// cell row's latitude, so that cells stay square from Hainan to Heilongjiang.
    #[must_use]
    pub fn latitude_step(self) -> f64 {
        self.0 / METRES_PER_DEGREE
    }

    #[must_use]
    pub fn metres(self) -> f64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_bounded() {
        assert!(CellSize::parse(99).is_err());
        assert!(CellSize::parse(10_001).is_err());
        let c = CellSize::parse(1113).expect("cell");
        assert!((c.latitude_step() - 0.009_998).abs() < 1e-5);
    }
}
