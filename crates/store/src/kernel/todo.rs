//! A 待办 entry as each capability's store lists it for the 工作台: the record, what it is
//! called, where, its status and deadline, and the console link that opens it. Each capability's
//! own `workbench` module fills these from its scoped queries.

#[derive(Debug, Clone, serde::Serialize)]
pub struct TodoItem {
    pub id: String,
    /// The record's human code (隐患编号, 事件编号, 调拨单号), if it has one.
    pub code: Option<String>,
    /// What the record is (a hazard's description, an incident's title, a warning's headline).
    pub title: String,
    /// Where or whose (enterprise, location, object).
    pub place: Option<String>,
    pub status_label: String,
    /// When it happened or was asked for.
    pub at_ms: Option<i64>,
    /// When it is due (instant), if it has such a deadline.
    pub due_ms: Option<i64>,
    /// When it is due (a date, YYYY-MM-DD), for date deadlines such as a rectification's.
    pub due_date: Option<String>,
    pub overdue: bool,
    /// The console route that opens the record.
    pub link: String,
}

/// The first few entries of one 待办 kind and how many there are in all.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct TodoList {
    pub items: Vec<TodoItem>,
    pub total: i64,
}

impl TodoList {
    pub fn from_page<T>(page: (Vec<T>, i64), item: impl Fn(T) -> TodoItem) -> Self {
        Self {
            items: page.0.into_iter().map(item).collect(),
            total: page.1,
        }
    }
}
