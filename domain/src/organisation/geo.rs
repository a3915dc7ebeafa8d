//! Points on the map, limited to where this service is used.

use crate::Invalid;
use serde::Serialize;

/// A WGS-84/GCJ-02 point inside the bounding box of China (latitude 3.5–53.6, longitude 73.4–135.1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GeoPoint {
    latitude: f64,
    longitude: f64,
}

impl GeoPoint {
    /// # Errors
    /// `Invalid` on `latitude` or `longitude` when outside China's bounding box or not a number.
    pub fn parse(latitude: f64, longitude: f64) -> Result<Self, Invalid> {
        if !(3.5..=53.6).contains(&latitude) {
            return Err(Invalid::new(
                "latitude",
                "outside_china",
                "must lie within China (3.5 to 53.6)",
            ));
        }
        if !(73.4..=135.1).contains(&longitude) {
            return Err(Invalid::new(
                "longitude",
                "outside_china",
                "must lie within China (73.4 to 135.1)",
            ));
        }
        Ok(Self { latitude, longitude })
    }

    #[must_use]
    pub fn latitude(self) -> f64 {
        self.latitude
    }

    #[must_use]
    pub fn longitude(self) -> f64 {
        self.longitude
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuyao_is_in_and_the_sea_off_hawaii_is_not() {
        assert!(GeoPoint::parse(30.04, 121.15).is_ok());
        assert_eq!(
            GeoPoint::parse(21.3, -157.8).map_err(|e| e.field),
            Err("longitude".to_owned())
        );
        assert_eq!(
            GeoPoint::parse(f64::NAN, 121.0).map_err(|e| e.field),
            Err("latitude".to_owned())
        );
    }
}
