//! Coordinates that mean one thing. Phones in China report points in two systems that differ by hundreds of metres —
//! more than the radius nearby duplicates are found in: GPS and the browser's geolocation give WGS-84, the
//! mini-program's `wx.getLocation({type: 'gcj02'})` and Chinese maps GCJ-02 (the offset the national standard
//! requires of published maps). The service stores every point in WGS-84 and converts on the way in (a report says
//! which system its point is in) and, for maps that draw in GCJ-02, on the way out.

use std::f64::consts::PI;

/// The system a point's coordinates are given in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Datum {
    /// GPS, the browser's geolocation, most of the world's maps. The default, and what the service stores.
    #[default]
    Wgs84,
    /// The offset system of Chinese maps and of the mini-program's location (`type: 'gcj02'`).
    Gcj02,
}

/// Krasovsky 1940, the ellipsoid the GCJ-02 offset is computed on.
const SEMI_MAJOR: f64 = 6_378_245.0;
const ECCENTRICITY_SQUARED: f64 = 0.006_693_421_622_965_943;

/// Outside mainland China's rough box no offset is applied (as every GCJ-02 implementation does).
fn outside_china(lat: f64, lng: f64) -> bool {
    !(72.004..=137.8347).contains(&lng) || !(0.8293..=55.8271).contains(&lat)
}

fn lat_shift(x: f64, y: f64) -> f64 {
    let mut s = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    s += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    s += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    s += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    s
}

fn lng_shift(x: f64, y: f64) -> f64 {
    let mut s = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    s += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    s += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    s += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    s
}

/// The GCJ-02 point of a WGS-84 one (`lat`, `lng` in degrees).
#[must_use]
pub fn wgs84_to_gcj02(lat: f64, lng: f64) -> (f64, f64) {
    if outside_china(lat, lng) {
        return (lat, lng);
    }
    let (x, y) = (lng - 105.0, lat - 35.0);
    let rad = lat / 180.0 * PI;
    let magic = 1.0 - ECCENTRICITY_SQUARED * rad.sin() * rad.sin();
    let root = magic.sqrt();
    let dlat = lat_shift(x, y) * 180.0 / ((SEMI_MAJOR * (1.0 - ECCENTRICITY_SQUARED)) / (magic * root) * PI);
    let dlng = lng_shift(x, y) * 180.0 / (SEMI_MAJOR / root * rad.cos() * PI);
    (lat + dlat, lng + dlng)
}

/// The WGS-84 point of a GCJ-02 one: the forward offset inverted by fixed-point iteration, to well under a
/// centimetre (the offset changes slowly, so each step gains about three orders of magnitude).
#[must_use]
pub fn gcj02_to_wgs84(lat: f64, lng: f64) -> (f64, f64) {
    if outside_china(lat, lng) {
        return (lat, lng);
    }
    let (mut w_lat, mut w_lng) = (lat, lng);
    for _ in 0..10 {
        let (g_lat, g_lng) = wgs84_to_gcj02(w_lat, w_lng);
        let (d_lat, d_lng) = (g_lat - lat, g_lng - lng);
        w_lat -= d_lat;
        w_lng -= d_lng;
        if d_lat.abs() < 1e-10 && d_lng.abs() < 1e-10 {
            break;
        }
    }
    (w_lat, w_lng)
}

impl Datum {
    /// `(lat, lng)`, given in this system, in WGS-84 (the system the service stores).
    #[must_use]
    pub fn to_wgs84(self, lat: f64, lng: f64) -> (f64, f64) {
        match self {
            Datum::Wgs84 => (lat, lng),
            Datum::Gcj02 => gcj02_to_wgs84(lat, lng),
        }
    }

    /// A stored (WGS-84) point in this system.
    #[must_use]
    pub fn from_wgs84(self, lat: f64, lng: f64) -> (f64, f64) {
        match self {
            Datum::Wgs84 => (lat, lng),
            Datum::Gcj02 => wgs84_to_gcj02(lat, lng),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Metres between two points (equirectangular: fine over a few kilometres).
    fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
        let lat = f64::midpoint(a.0, b.0).to_radians();
        let dy = (a.0 - b.0).to_radians() * 6_371_000.0;
        let dx = (a.1 - b.1).to_radians() * 6_371_000.0 * lat.cos();
        (dx * dx + dy * dy).sqrt()
    }

    #[test]
    fn the_offset_matches_an_independent_implementation() {
        // Reference values from eviltransform (PyPI), computed apart from this code: 余姚凤山, 天安门, 深圳.
        for (wgs, gcj) in [
            ((30.0411, 121.1519), (30.038_781_732_154_398, 121.156_363_536_107_58)),
            ((39.90734, 116.39127), (39.908_741_278_536_134, 116.397_511_251_161_86)),
            ((22.5431, 114.0579), (22.540_382_768_212_78, 114.063_014_085_16)),
        ] {
            let got = wgs84_to_gcj02(wgs.0, wgs.1);
            // Implementations differ in their last digits (a centimetre here and there); reports are judged by the
            // hundreds of metres.
            assert!(metres(got, gcj) < 0.05, "{wgs:?} → {got:?}, expected {gcj:?}");
            assert!(metres(wgs, gcj) > 100.0, "the two systems lie hundreds of metres apart");
            assert!(metres(gcj02_to_wgs84(gcj.0, gcj.1), wgs) < 0.05, "back from {gcj:?}");
        }
    }

    #[test]
    fn outside_china_both_systems_are_one() {
        assert_eq!(wgs84_to_gcj02(51.5007, -0.1246), (51.5007, -0.1246));
        assert_eq!(gcj02_to_wgs84(51.5007, -0.1246), (51.5007, -0.1246));
    }

    #[test]
    fn any_point_in_china_comes_back_within_a_centimetre() {
        let mut lat = 18.3;
        while lat < 53.5 {
            let mut lng = 73.7;
            while lng < 134.7 {
                let back =
                    Datum::Gcj02.to_wgs84(Datum::Gcj02.from_wgs84(lat, lng).0, Datum::Gcj02.from_wgs84(lat, lng).1);
                assert!(metres(back, (lat, lng)) < 0.01, "({lat}, {lng}) came back as {back:?}");
                lng += 1.37;
            }
            lat += 0.93;
        }
    }
}
