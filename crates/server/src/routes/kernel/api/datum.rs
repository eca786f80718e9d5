//! The datum of a posted point, parsed at the edge: every request type that takes `lon`/`lat`
//! from a user has an optional `datum` field, and its conversion into the store's input passes
//! the point through here once, so that only CGCS2000 goes further in. A bad datum is a 400 naming
//! the field `datum`, before anything is written.

use crate::error::{ApiError, ApiResult};
use yingji_core::kernel::datum::Datum;

/// The request field naming the datum.
pub const FIELD: &str = "datum";

/// The datum a request names: `cgcs2000` (or `wgs84`, or none), or `gcj02`.
pub fn parse(raw: Option<&str>) -> ApiResult<Datum> {
    Datum::parse(raw).map_err(|m| ApiError::field(FIELD, m))
}

/// A required point as stored (CGCS2000).
pub fn point(raw: Option<&str>, lon: f64, lat: f64) -> ApiResult<(f64, f64)> {
    let [lon, lat] = parse(raw)?.to_cgcs2000(lon, lat);
    Ok((lon, lat))
}

/// An optional point as stored (CGCS2000): converted when both coordinates are given.
pub fn optional_point(
    raw: Option<&str>,
    lon: Option<f64>,
    lat: Option<f64>,
) -> ApiResult<(Option<f64>, Option<f64>)> {
    Ok(parse(raw)?.optional_to_cgcs2000(lon, lat))
}
