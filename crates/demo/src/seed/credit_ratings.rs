//! The demo district's 信用脸谱: every enterprise rated from its record once the other seeds are
//! in (accidents, penalties, overdue 重大隐患, listings, 标准化, insurance), so the faces list and
//! the map show every tier.

use yingji_app::credit::rating::recompute_all;
use yingji_store::{Actor, Store, StoreResult};

/// Rates every enterprise; returns (rated, changed).
pub async fn generate_credit_ratings(store: &Store, now: i64) -> StoreResult<(usize, usize)> {
    recompute_all(store, &Actor::system("演示数据"), now).await
}
