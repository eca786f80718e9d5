//! Coordinate datums. The platform stores CGCS2000 (国家大地坐标系; within centimetres of WGS84, so
//! it is drawn as WGS84). Consumer maps (高德, 腾讯, the phone's map apps) show GCJ-02, the
//! obfuscated datum of GB 20263, offset by a few hundred metres: a point picked on one of them is
//! converted before it is stored.

/// The datum a posted point is given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Datum {
    #[default]
    Cgcs2000,
    Gcj02,
}

impl Datum {
    /// `cgcs2000` (or `wgs84`, the same for a map) or `gcj02`; absent means CGCS2000.
    pub fn parse(s: Option<&str>) -> Result<Self, String> {
        match s.map(str::trim).filter(|s| !s.is_empty()) {
            None | Some("cgcs2000") | Some("wgs84") => Ok(Self::Cgcs2000),
            Some("gcj02") => Ok(Self::Gcj02),
            Some(other) => Err(format!(
                "坐标系“{other}”无效，应为 cgcs2000（国家大地坐标系）或 gcj02（高德、腾讯等互联网地图）"
            )),
        }
    }

    /// The name the APIs use: `cgcs2000` or `gcj02`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cgcs2000 => "cgcs2000",
            Self::Gcj02 => "gcj02",
        }
    }

    /// The point in CGCS2000, as stored.
    pub fn to_cgcs2000(self, lon: f64, lat: f64) -> [f64; 2] {
        match self {
            Self::Cgcs2000 => [lon, lat],
            Self::Gcj02 => gcj02_to_wgs84(lon, lat),
        }
    }

    /// An optional point in CGCS2000: converted when both coordinates are given, else left as it
    /// is (the input's check then says what is missing).
    pub fn optional_to_cgcs2000(
        self,
        lon: Option<f64>,
        lat: Option<f64>,
    ) -> (Option<f64>, Option<f64>) {
        match (lon, lat) {
            (Some(x), Some(y)) => {
                let [x, y] = self.to_cgcs2000(x, y);
                (Some(x), Some(y))
            }
            other => other,
        }
    }

    /// A GeoJSON geometry's positions in CGCS2000, converted in place: every array under
    /// `coordinates` that starts with two numbers is a position. Anything else is left for the
    /// geometry's own check.
    pub fn geometry_to_cgcs2000(self, geometry: &mut serde_json::Value) {
        fn walk(d: Datum, v: &mut serde_json::Value) {
            let Some(items) = v.as_array_mut() else {
                return;
            };
            if let [x, y, ..] = items.as_mut_slice()
                && let (Some(lon), Some(lat)) = (x.as_f64(), y.as_f64())
            {
                let [lon, lat] = d.to_cgcs2000(lon, lat);
                *x = lon.into();
                *y = lat.into();
                return;
            }
            items.iter_mut().for_each(|i| walk(d, i));
        }
        if self != Self::Cgcs2000
            && let Some(c) = geometry.get_mut("coordinates")
        {
            walk(self, c);
        }
    }
}

const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;

fn outside_china(lon: f64, lat: f64) -> bool {
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

fn shift_lat(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn shift_lon(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS84 (CGCS2000) → GCJ-02; points outside China are unchanged.
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> [f64; 2] {
    use std::f64::consts::PI;
    if outside_china(lon, lat) {
        return [lon, lat];
    }
    let dlat = shift_lat(lon - 105.0, lat - 35.0);
    let dlon = shift_lon(lon - 105.0, lat - 35.0);
    let rad = lat / 180.0 * PI;
    let magic = 1.0 - EE * rad.sin() * rad.sin();
    let sqrt_magic = magic.sqrt();
    let dlat = (dlat * 180.0) / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let dlon = (dlon * 180.0) / (A / sqrt_magic * rad.cos() * PI);
    [lon + dlon, lat + dlat]
}

/// GCJ-02 → WGS84 (CGCS2000), inverting [`wgs84_to_gcj02`] by fixed-point iteration to well
/// under a centimetre.
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> [f64; 2] {
    let mut p = [lon, lat];
    for _ in 0..30 {
        let g = wgs84_to_gcj02(p[0], p[1]);
        let (dx, dy) = (g[0] - lon, g[1] - lat);
        p = [p[0] - dx, p[1] - dy];
        if dx.abs() < 1e-10 && dy.abs() < 1e-10 {
            break;
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gcj02_round_trip_in_jiujiang() {
        // 九江市浔阳区, where the demo district lies.
        let wgs = [116.0012, 29.7056];
        let gcj = wgs84_to_gcj02(wgs[0], wgs[1]);
        // The offset is a few hundred metres (here about 0.005° east, 0.003° north).
        assert!((gcj[0] - wgs[0]).abs() > 0.002 && (gcj[0] - wgs[0]).abs() < 0.01);
        assert!((gcj[1] - wgs[1]).abs() > 0.001 && (gcj[1] - wgs[1]).abs() < 0.01);
        let back = gcj02_to_wgs84(gcj[0], gcj[1]);
        assert!((back[0] - wgs[0]).abs() < 1e-8 && (back[1] - wgs[1]).abs() < 1e-8);
    }

    #[test]
    fn outside_china_is_unchanged() {
        assert_eq!(wgs84_to_gcj02(2.35, 48.85), [2.35, 48.85]);
        assert_eq!(gcj02_to_wgs84(2.35, 48.85), [2.35, 48.85]);
    }

    #[test]
    fn datums_parse_and_convert() {
        assert_eq!(Datum::parse(None), Ok(Datum::Cgcs2000));
        assert_eq!(Datum::parse(Some("gcj02")), Ok(Datum::Gcj02));
        assert!(Datum::parse(Some("bd09")).unwrap_err().contains("gcj02"));
        assert_eq!(Datum::Cgcs2000.to_cgcs2000(116.0, 29.7), [116.0, 29.7]);
        let g = wgs84_to_gcj02(116.0, 29.7);
        let p = Datum::Gcj02.to_cgcs2000(g[0], g[1]);
        assert!((p[0] - 116.0).abs() < 1e-8 && (p[1] - 29.7).abs() < 1e-8);
        assert_eq!(Datum::Gcj02.as_str(), "gcj02");
        let (x, y) = Datum::Gcj02.optional_to_cgcs2000(Some(g[0]), Some(g[1]));
        assert!((x.unwrap() - 116.0).abs() < 1e-8 && (y.unwrap() - 29.7).abs() < 1e-8);
        assert_eq!(
            Datum::Gcj02.optional_to_cgcs2000(Some(g[0]), None),
            (Some(g[0]), None)
        );
    }

    #[test]
    fn geometries_convert_every_position() {
        let g = wgs84_to_gcj02(116.0, 29.7);
        let mut poly = serde_json::json!({"type": "Polygon", "coordinates": [[g, g, g, g]]});
        Datum::Gcj02.geometry_to_cgcs2000(&mut poly);
        for p in poly["coordinates"][0].as_array().unwrap() {
            assert!((p[0].as_f64().unwrap() - 116.0).abs() < 1e-8);
            assert!((p[1].as_f64().unwrap() - 29.7).abs() < 1e-8);
        }
        let mut same = serde_json::json!({"type": "Polygon", "coordinates": [[g, g, g, g]]});
        Datum::Cgcs2000.geometry_to_cgcs2000(&mut same);
        assert_eq!(same["coordinates"][0][0][0].as_f64(), Some(g[0]));
    }
}
