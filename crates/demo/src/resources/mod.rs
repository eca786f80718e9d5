//! The demo district's emergency resources: a district warehouse with a full stock, a warehouse
//! and a grassroots team per street, the district's rescue teams, the 专家库 and shelters — all
//! registered through the service functions, as an officer would. And, for `yingji bench`, a
//! city-sized set of resources inserted in bulk.

mod tables;

mod district;
pub use district::generate_resources;
mod bench;
pub use bench::generate_bench_resources;
mod protected_objects;
pub use protected_objects::generate_protected_objects;

use sqlx::Row;
use yingji_core::kernel::role::{Role, Scope};
use yingji_store::kernel::Ctx;
use yingji_store::{Actor, Sql, Store, StoreResult};

pub(crate) fn system() -> Ctx {
    Ctx {
        actor: Actor::system("demo"),
        user_id: String::new(),
        display_name: "演示数据".into(),
        role: Role::Admin,
        scope: Scope::All,
    }
}

struct Place {
    code: String,
    name: String,
    lon: f64,
    lat: f64,
    /// The region's outline (empty when it has none): resources are placed inside it.
    rings: Vec<yingji_core::kernel::geo::Ring>,
}

async fn places(store: &Store, level: &str) -> StoreResult<Vec<Place>> {
    let mut q = Sql::new(
        "SELECT code, name, center_lon, center_lat, boundary FROM regions WHERE center_lon IS NOT NULL AND level = ",
    );
    q.bind(level).push(" ORDER BY code");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Place {
                code: r.try_get(0)?,
                name: r.try_get(1)?,
                lon: r.try_get(2)?,
                lat: r.try_get(3)?,
                rings: r
                    .try_get::<Option<String>, _>(4)?
                    .and_then(|b| serde_json::from_str::<serde_json::Value>(&b).ok())
                    .and_then(|v| yingji_core::kernel::geo::parse_geometry(&v).ok())
                    .unwrap_or_default(),
            })
        })
        .collect()
}
