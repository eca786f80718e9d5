//! The district itself: regions (bulk, one summary audit record), departments, enterprises
//! (bulk) and the demo accounts.

use crate::district::{DemoData, DepartmentSeed, RegionSeed, UserSeed};
use yingji_core::kernel::geo::{self, BBox};
use yingji_core::kernel::role::ScopeKind;
use yingji_store::kernel::audit::{self, Change};
use yingji_store::{Actor, Sql, Store, StoreResult, directory::departments, directory::users};

#[derive(Debug, Default)]
pub struct Loaded {
    pub regions: usize,
    pub enterprises: usize,
    pub users: Vec<(String, String)>,
}

/// Whether the database already holds regions (the demo is loaded once).
pub async fn is_loaded(store: &Store) -> StoreResult<bool> {
    Ok(store
        .fetch_i64(Sql::new("SELECT COUNT(*) FROM regions"))
        .await?
        > 0)
}

/// Loads the district: regions, departments, enterprises and the demo accounts, in that order.
pub async fn load(
    store: &Store,
    now: i64,
    data: &DemoData,
    password_hash: &str,
) -> StoreResult<Loaded> {
    let actor = Actor::system("demo");
    insert_regions(store, now, &actor, &data.regions).await?;
    let district = data
        .regions
        .first()
        .map(|r| r.code.clone())
        .unwrap_or_default();
    create_departments(store, now, &actor, &district, &data.departments).await?;
    let ids = insert_enterprises(store, now, &actor, data).await?;
    store.optimize().await?;
    let mut loaded = Loaded {
        regions: data.regions.len(),
        enterprises: ids.len(),
        users: vec![],
    };
    for u in &data.users {
        let input = user_input(store, u, &ids).await?;
        if users::by_username(store, &u.username).await?.is_some() {
            continue;
        }
        yingji_app::directory::users::create(store, now, &actor, &input, password_hash, false)
            .await?;
        loaded.users.push((
            u.username.clone(),
            format!("{}（{}）", u.display_name, u.role.label()),
        ));
    }
    Ok(loaded)
}

/// The regions in bulk inserts of 100, with one summary audit record, in one transaction.
async fn insert_regions(
    store: &Store,
    now: i64,
    actor: &Actor,
    regions: &[RegionSeed],
) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    for chunk in regions.chunks(100) {
        let mut ins = Sql::new(
            "INSERT INTO regions (code, name, level, parent_code, boundary, center_lon, center_lat, min_lon, min_lat, max_lon, max_lat, created_ms, updated_ms) VALUES ",
        );
        for (i, r) in chunk.iter().enumerate() {
            if i > 0 {
                ins.push(", ");
            }
            let b = BBox::of(&r.boundary);
            let boundary =
                (!r.boundary.is_empty()).then(|| geo::to_geometry(&r.boundary).to_string());
            ins.values(vec![
                r.code.as_str().into(),
                r.name.as_str().into(),
                r.level.as_str().into(),
                r.parent_code.clone().into(),
                boundary.into(),
                r.center.map(|c| c[0]).into(),
                r.center.map(|c| c[1]).into(),
                b.map(|b| b.min_lon).into(),
                b.map(|b| b.min_lat).into(),
                b.map(|b| b.max_lon).into(),
                b.map(|b| b.max_lat).into(),
                now.into(),
                now.into(),
            ]);
        }
        ins.execute(&mut tx).await?;
    }
    audit::append(
        &mut tx,
        now,
        actor,
        Change {
            action: "import",
            entity_type: "region",
            entity_id: None,
            summary: format!("载入演示区划{}个", regions.len()),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The departments, each through the app's use case, in the district (the first region).
async fn create_departments(
    store: &Store,
    now: i64,
    actor: &Actor,
    district: &str,
    departments: &[DepartmentSeed],
) -> StoreResult<()> {
    for d in departments {
        yingji_app::directory::departments::create(
            store,
            now,
            actor,
            &departments::DepartmentInput {
                name: d.name.clone(),
                categories: d.categories.clone(),
                region_code: district.to_string(),
                phone: None,
                documents_short_name: None,
            },
        )
        .await?;
    }
    Ok(())
}

/// The enterprises, checked, in one bulk insert with one summary audit record; their ids in
/// order.
async fn insert_enterprises(
    store: &Store,
    now: i64,
    actor: &Actor,
    data: &DemoData,
) -> StoreResult<Vec<String>> {
    let checked: Vec<_> = data
        .enterprises
        .iter()
        .map(|e| e.validate())
        .collect::<Result<_, _>>()?;
    yingji_app::directory::enterprises::load(
        store,
        now,
        actor,
        &checked,
        &format!("载入演示企业{}家", checked.len()),
    )
    .await
}

/// A demo account's input, its scope resolved: a department by name, an enterprise by its
/// index among the loaded ones (`ids`).
async fn user_input(store: &Store, u: &UserSeed, ids: &[String]) -> StoreResult<users::UserInput> {
    let mut input = users::UserInput {
        username: u.username.clone(),
        display_name: u.display_name.clone(),
        phone: None,
        role: u.role.as_str().into(),
        region_code: None,
        department_id: None,
        enterprise_id: None,
        insurer_id: None,
        active: Some(true),
    };
    match u.role.scope_kind() {
        ScopeKind::All => {}
        ScopeKind::Region => input.region_code = u.scope_ref.clone(),
        ScopeKind::Department => {
            let name = u.scope_ref.clone().unwrap_or_default();
            input.department_id = departments::find_by_name(store, &name).await?.map(|d| d.id);
        }
        ScopeKind::Enterprise => {
            let idx: usize = u
                .scope_ref
                .as_deref()
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            input.enterprise_id = ids.get(idx).cloned();
        }
        // 保险机构人员 are seeded with their insurer (seed::credit_insurance).
        ScopeKind::Insurer => input.insurer_id = u.scope_ref.clone(),
    }
    Ok(input)
}
