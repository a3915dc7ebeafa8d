//! Points on the map, limited to where this service is used.

use crate::Invalid;
use serde::Serialize;

const EARTH_RADIUS_M: f64 = 6_371_000.0;

/// A WGS-84 point (one given in GCJ-02 is converted first: `crate::coordinates`) inside the bounding box of China (latitude 3.5–53.6, longitude 73.4–135.1).
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

    /// Metres along the Earth's surface to `other` (haversine on a 6,371 km sphere: ample for "within 300 m").
    #[must_use]
    pub fn distance_m(self, other: GeoPoint) -> f64 {
        let (la1, la2) = (self.latitude.to_radians(), other.latitude.to_radians());
        let dla = la2 - la1;
        let dlo = (other.longitude - self.longitude).to_radians();
        let a = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().asin()
    }

    /// South, west, north and east edges of a box holding every point within `metres`.
    #[must_use]
    pub fn bounding_box(self, metres: f64) -> (f64, f64, f64, f64) {
        // Metres per degree on the same sphere `distance_m` uses, so the box holds every point the distance accepts.
        let per_degree = EARTH_RADIUS_M.to_radians();
        let dlat = metres / per_degree;
        let dlng = metres / (per_degree * self.latitude.to_radians().cos().max(0.01));
        (
            self.latitude - dlat,
            self.longitude - dlng,
            self.latitude + dlat,
            self.longitude + dlng,
        )
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
    fn distances_are_in_metres() {
        let here = GeoPoint::parse(30.0437, 121.1546).expect("point");
        let north = GeoPoint::parse(30.0463, 121.1546).expect("point");
        let metres = here.distance_m(north);
        assert!((285.0..295.0).contains(&metres), "{metres}");
        let (south, west, top, east) = here.bounding_box(300.0);
        assert!(south < north.latitude() && north.latitude() <= top + 1e-9);
        assert!(west < here.longitude() && here.longitude() < east);
    }

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
