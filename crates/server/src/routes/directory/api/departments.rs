//! API types of directory::departments: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Department {
    pub id: String,
    pub name: String,
    pub categories: Vec<String>,
    pub region_code: String,
    pub region_name: Option<String>,
    pub phone: Option<String>,
    /// 文书简称 in its documents' numbers (null: derived from the region and the name).
    pub documents_short_name: Option<String>,
    pub created_ms: i64,
    pub updated_ms: i64,
}

impl From<yingji_store::directory::departments::Department> for Department {
    fn from(v: yingji_store::directory::departments::Department) -> Self {
        Self {
            id: v.id,
            name: v.name,
            categories: v.categories,
            region_code: v.region_code,
            region_name: v.region_name,
            phone: v.phone,
            documents_short_name: v.documents_short_name,
            created_ms: v.created_ms,
            updated_ms: v.updated_ms,
        }
    }
}

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentInput {
    pub name: String,
    #[serde(default)]
    pub categories: Vec<String>,
    pub region_code: String,
    #[serde(default)]
    pub phone: Option<String>,
    /// 文书简称 (≤ 10 characters, no digits or brackets), e.g. 浔应急.
    #[serde(default)]
    pub documents_short_name: Option<String>,
}

impl From<DepartmentInput> for yingji_store::directory::departments::DepartmentInput {
    fn from(v: DepartmentInput) -> Self {
        Self {
            name: v.name,
            categories: v.categories,
            region_code: v.region_code,
            phone: v.phone,
            documents_short_name: v.documents_short_name,
        }
    }
}
