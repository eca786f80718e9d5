//! API types of resources: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

pub mod allocations;
pub mod experts;
pub mod search;
pub mod shelters;
pub mod stock;
pub mod teams;
pub mod warehouses;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MaterialCategory {
    pub code: String,
    pub name: String,
}

impl From<yingji_store::resources::MaterialCategory> for MaterialCategory {
    fn from(v: yingji_store::resources::MaterialCategory) -> Self {
        Self {
            code: v.code,
            name: v.name,
        }
    }
}
impl From<MaterialCategory> for yingji_store::resources::MaterialCategory {
    fn from(v: MaterialCategory) -> Self {
        Self {
            code: v.code,
            name: v.name,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Material {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub category: String,
}

impl From<yingji_store::resources::Material> for Material {
    fn from(v: yingji_store::resources::Material) -> Self {
        Self {
            code: v.code,
            name: v.name,
            unit: v.unit,
            category: v.category,
        }
    }
}
impl From<Material> for yingji_store::resources::Material {
    fn from(v: Material) -> Self {
        Self {
            code: v.code,
            name: v.name,
            unit: v.unit,
            category: v.category,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Catalogue {
    pub note: String,
    pub categories: Vec<MaterialCategory>,
    pub materials: Vec<Material>,
}

impl From<yingji_store::resources::Catalogue> for Catalogue {
    fn from(v: yingji_store::resources::Catalogue) -> Self {
        Self {
            note: v.note,
            categories: v.categories.into_iter().map(Into::into).collect(),
            materials: v.materials.into_iter().map(Into::into).collect(),
        }
    }
}
impl From<Catalogue> for yingji_store::resources::Catalogue {
    fn from(v: Catalogue) -> Self {
        Self {
            note: v.note,
            categories: v.categories.into_iter().map(Into::into).collect(),
            materials: v.materials.into_iter().map(Into::into).collect(),
        }
    }
}
