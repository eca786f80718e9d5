//! API types of kernel::notifications: request and response shapes with their OpenAPI schemas,
//! converted from and into the store's rows (ADR 0021).

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Notification {
    pub id: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    /// hazard / alarm / work_order / incident / warning / other: the kind of record the link opens.
    pub kind: String,
    pub kind_label: String,
    pub created_ms: i64,
    pub read_ms: Option<i64>,
}

impl From<yingji_store::kernel::notifications::Notification> for Notification {
    fn from(v: yingji_store::kernel::notifications::Notification) -> Self {
        let (kind, kind_label) = yingji_core::kernel::notify::notification_kind(v.link.as_deref());
        Self {
            kind: kind.into(),
            kind_label: kind_label.into(),
            id: v.id,
            title: v.title,
            body: v.body,
            link: v.link,
            created_ms: v.created_ms,
            read_ms: v.read_ms,
        }
    }
}
