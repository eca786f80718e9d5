//! API types of kernel::attachments: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Attachment {
    pub id: String,
    pub filename: String,
    pub mime: String,
    pub size: i64,
    pub sha256: String,
    pub owner_id: Option<String>,
    pub created_ms: i64,
    /// The picture's width and height in pixels after orientation (photos only).
    pub width: Option<i64>,
    pub height: Option<i64>,
}

impl From<yingji_store::kernel::attachments::Attachment> for Attachment {
    fn from(v: yingji_store::kernel::attachments::Attachment) -> Self {
        Self {
            id: v.id,
            filename: v.filename,
            mime: v.mime,
            size: v.size,
            sha256: v.sha256,
            owner_id: v.owner_id,
            created_ms: v.created_ms,
            width: v.width,
            height: v.height,
        }
    }
}
