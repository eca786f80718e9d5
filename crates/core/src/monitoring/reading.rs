//! How a measurement is shown: rounded to the precision its unit is read at (sensor kinds carry
//! no precision of their own, so the unit decides), but never so far that the shown value would
//! tell a different story from the threshold verdict — 24.96 against a threshold of 25 shows as
//! 24.96, not 25.0.

/// Decimals a value in `unit` is shown with.
pub fn decimals_of(unit: &str) -> u32 {
    match unit.trim() {
        "%LEL" | "%VOL" | "%" | "℃" | "°C" | "kPa" | "mm" | "mm/h" | "ppm" | "mg/m³" => 1,
        "MPa" => 3,
        "m" | "m³" | "t" | "m/s" => 2,
        _ => 2,
    }
}

/// The most decimals shown when rounding would contradict a threshold.
const MAX_DECIMALS: u32 = 4;

fn round(v: f64, d: u32) -> f64 {
    let p = 10f64.powi(d as i32);
    (v * p).round() / p
}

/// A reading (decimal text as stored) shown at its unit's precision, with more decimals when
/// rounding would make it equal or cross one of `thresholds`. Text that is not a number is
/// returned as it is.
pub fn show(value: &str, unit: &str, thresholds: &[f64]) -> String {
    let Ok(v) = value.trim().parse::<f64>() else {
        return value.to_string();
    };
    let side = |x: f64, t: f64| x.partial_cmp(&t);
    let mut d = decimals_of(unit);
    while d < MAX_DECIMALS
        && thresholds
            .iter()
            .any(|&t| side(round(v, d), t) != side(v, t))
    {
        d += 1;
    }
    format!("{:.*}", d as usize, round(v, d))
}

/// The numeric thresholds of a sensor (LL, L, H, HH as stored, any of them absent).
pub fn thresholds(ts: &[Option<&str>]) -> Vec<f64> {
    ts.iter()
        .flatten()
        .filter_map(|t| t.trim().parse::<f64>().ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_to_the_units_precision() {
        assert_eq!(show("35.4166", "%LEL", &[]), "35.4");
        assert_eq!(show("1.23456", "MPa", &[]), "1.235");
        assert_eq!(show("3.14159", "m", &[]), "3.14");
        assert_eq!(show("12", "%LEL", &[]), "12.0");
        assert_eq!(show("—", "%LEL", &[]), "—");
    }

    #[test]
    fn never_contradicts_a_threshold() {
        // Below the threshold but rounding up onto it: more decimals.
        assert_eq!(show("24.96", "%LEL", &[25.0]), "24.96");
        // Above the threshold but rounding down onto it.
        assert_eq!(show("25.04", "%LEL", &[25.0]), "25.04");
        // Exactly on it stays on it.
        assert_eq!(show("25", "%LEL", &[25.0]), "25.0");
        // Far from it: the usual precision.
        assert_eq!(show("35.4166", "%LEL", &[25.0, 50.0]), "35.4");
        // Up to four decimals at most.
        assert_eq!(show("24.99999", "%LEL", &[25.0]), "25.0000");
    }

    #[test]
    fn thresholds_skip_absent_and_unparsable() {
        assert_eq!(
            thresholds(&[None, Some("20"), Some("x"), Some("50.5")]),
            vec![20.0, 50.5]
        );
    }
}
