//! API types of the 一张图 layer list.

use serde::Serialize;

/// One class of a layer's legend.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MapLegendClass {
    /// The class code the features carry in `properties.class`.
    pub class: String,
    pub label: String,
    /// Records of this class the caller may see (the whole scope, not only the view).
    pub count: i64,
}

/// A layer of the 一张图 the caller may turn on.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MapLayer {
    /// `enterprises`, `major_hazards`, `risk_points`, `hazards`, `protected_objects`,
    /// `warnings`, `incidents`, `sensors`, `teams`, `experts`, `warehouses`, `shelters`.
    pub key: String,
    pub label: String,
    /// `before` (事前), `during` (事中) or `resources` (资源).
    pub group: String,
    pub group_label: String,
    /// Records the caller may see on this layer.
    pub total: i64,
    pub legend: Vec<MapLegendClass>,
}
