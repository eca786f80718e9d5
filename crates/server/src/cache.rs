//! A small per-node cache of read results kept for a fixed time on the node's clock: for reads
//! that every page view repeats and that may be a little old (map counts, a dashboard's year
//! figures). Bounded: past `capacity` keys it starts again empty. Across nodes it is bounded by
//! the time to live, not shared (docs/deployment.md, caches).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub struct TtlCache<V> {
    entries: Mutex<HashMap<String, (i64, Arc<V>)>>,
    ttl_ms: i64,
    capacity: usize,
}

impl<V> TtlCache<V> {
    pub fn new(ttl_ms: i64, capacity: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            ttl_ms,
            capacity,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, (i64, Arc<V>)>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn clear(&self) {
        self.lock().clear();
    }

    /// The value stored under `key` and when it was taken, if younger than the time to live.
    pub fn get(&self, key: &str, now_ms: i64) -> Option<(i64, Arc<V>)> {
        self.lock()
            .get(key)
            .filter(|(at, _)| now_ms >= *at && now_ms - at < self.ttl_ms)
            .map(|(at, v)| (*at, v.clone()))
    }

    pub fn put(&self, key: String, now_ms: i64, v: Arc<V>) {
        let mut entries = self.lock();
        if entries.len() >= self.capacity {
            entries.clear();
        }
        entries.insert(key, (now_ms, v));
    }

    /// The value under `key` and when it was taken: the stored one while young, else `load`'s.
    pub async fn get_or_load<E, F>(
        &self,
        key: String,
        now_ms: i64,
        load: F,
    ) -> Result<(i64, Arc<V>), E>
    where
        F: std::future::Future<Output = Result<V, E>>,
    {
        if let Some(hit) = self.get(&key, now_ms) {
            return Ok(hit);
        }
        let v = Arc::new(load.await?);
        self.put(key, now_ms, v.clone());
        Ok((now_ms, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_expire_and_the_size_is_bounded() {
        let c = TtlCache::new(1000, 2);
        c.put("a".into(), 0, Arc::new(1));
        assert_eq!(c.get("a", 999).map(|(_, v)| *v), Some(1));
        assert!(c.get("a", 1000).is_none());
        assert!(
            c.get("a", -1).is_none(),
            "a clock set back does not serve it"
        );
        c.put("b".into(), 0, Arc::new(2));
        c.put("c".into(), 0, Arc::new(3));
        assert!(c.get("a", 1).is_none() && c.get("b", 1).is_none());
        assert_eq!(c.get("c", 1).map(|(_, v)| *v), Some(3));
    }
}
