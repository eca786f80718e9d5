//! Resources on a 工作台 and the 大屏: allocation orders waiting for approval, and what is ready
//! (teams on standby, available experts, warehouses and stock lines with stock, open shelters
//! and their free places), in the caller's district.

use crate::kernel::todo::{TodoItem, TodoList};
use crate::resources::allocations::{OrderFilter, list};
use crate::resources::push_visible;
use crate::{Page, Sql, Store, StoreResult};
use yingji_core::kernel::role::Scope;

/// 调拨单 待审批, newest first.
pub async fn orders_to_approve(store: &Store, scope: &Scope, limit: i64) -> StoreResult<TodoList> {
    let f = OrderFilter {
        status: Some("requested".into()),
        ..OrderFilter::default()
    };
    let page = list(store, scope, &f, Page::new(Some(1), Some(limit))).await?;
    Ok(TodoList::from_page(page, |o| TodoItem {
        link: format!("/resources?tab=orders&id={}", o.id),
        code: Some(o.code),
        title: o.purpose,
        place: Some(o.from_warehouse_name),
        status_label: o.status_label,
        at_ms: Some(o.requested_ms),
        due_ms: None,
        due_date: None,
        overdue: false,
        id: o.id,
    }))
}

/// What is ready now in the caller's district.
#[derive(Debug, Clone, Default)]
pub struct Ready {
    pub teams_standby: i64,
    pub teams: i64,
    pub experts_available: i64,
    pub warehouses: i64,
    pub stock_lines: i64,
    /// Stock lines below their minimum.
    pub stock_low: i64,
    pub shelters_open: i64,
    /// Free places in open shelters.
    pub shelter_places: i64,
}

async fn count(
    store: &Store,
    scope: &Scope,
    from: &str,
    alias: &str,
    extra: &str,
) -> StoreResult<i64> {
    let mut q = Sql::new(&format!(
        "SELECT COUNT(*) FROM {from} WHERE {alias}.deactivated_ms IS NULL"
    ));
    push_visible(&mut q, alias, scope);
    q.push(extra);
    store.fetch_i64(q).await
}

pub async fn ready(store: &Store, scope: &Scope) -> StoreResult<Ready> {
    let stock = "stock s JOIN warehouses w ON w.id = s.warehouse_id";
    let mut places = Sql::new(
        "SELECT CAST(COALESCE(SUM(h.capacity - h.occupancy), 0) AS BIGINT) FROM shelters h WHERE h.deactivated_ms IS NULL AND h.status = 'open'",
    );
    push_visible(&mut places, "h", scope);
    Ok(Ready {
        teams_standby: count(store, scope, "teams t", "t", " AND t.status = 'standby'").await?,
        teams: count(store, scope, "teams t", "t", "").await?,
        experts_available: count(
            store,
            scope,
            "experts x",
            "x",
            " AND x.status <> 'dispatched'",
        )
        .await?,
        warehouses: count(store, scope, "warehouses w", "w", "").await?,
        stock_lines: count(
            store,
            scope,
            stock,
            "w",
            " AND s.deactivated_ms IS NULL AND s.quantity > 0",
        )
        .await?,
        stock_low: count(
            store,
            scope,
            stock,
            "w",
            " AND s.deactivated_ms IS NULL AND s.quantity < s.min_stock",
        )
        .await?,
        shelters_open: count(store, scope, "shelters h", "h", " AND h.status = 'open'").await?,
        shelter_places: store.fetch_i64(places).await?,
    })
}
