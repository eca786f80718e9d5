//! A webhook receiver on loopback standing in for a bureau's platform: it records every
//! delivery by its `X-Yingji-Delivery` id, as a receiver that drops repeats would.

use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
pub struct Inbox {
    /// Every delivery in arrival order: (delivery id, body).
    hits: Arc<Mutex<Vec<(String, Value)>>>,
}

impl Inbox {
    /// The messages by delivery id (repeats dropped).
    pub fn distinct(&self) -> BTreeMap<String, Value> {
        self.hits
            .lock()
            .map(|h| h.iter().cloned().collect())
            .unwrap_or_default()
    }

    /// Deliveries received, repeats included.
    pub fn deliveries(&self) -> usize {
        self.hits.lock().map(|h| h.len()).unwrap_or(0)
    }
}

async fn take(State(inbox): State<Inbox>, headers: HeaderMap, body: String) -> &'static str {
    let id = headers
        .get("x-yingji-delivery")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let body = serde_json::from_str(&body).unwrap_or(Value::Null);
    // A slow receiver, so that a node killed mid-send leaves messages it had claimed.
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    if let Ok(mut hits) = inbox.hits.lock() {
        hits.push((id, body));
    }
    "ok"
}

/// Starts the receiver; answers its base URL and its inbox.
pub async fn start() -> (String, Inbox) {
    let inbox = Inbox::default();
    let app = Router::new().fallback(take).with_state(inbox.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (base, inbox)
}
