//! 重大危险源 units of the chemical enterprises, and the level and gas sensors on them.

use yingji_store::{Actor, Sql, Store, StoreResult};

/// Typical tank farms and production units of the demo's chemical enterprises:
/// (unit name, unit type, [(chemical, critical Q, β, min q, max q)]).
type DemoUnit = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str, &'static str, u32, u32)],
);
const DEMO_UNITS: &[DemoUnit] = &[
    ("液氯储罐区", "storage", &[("氯", "5", "4", 8, 60)]),
    (
        "液化石油气球罐区",
        "storage",
        &[("液化石油气", "50", "1.5", 60, 400)],
    ),
    ("液氨储罐区", "storage", &[("氨", "10", "2", 12, 120)]),
    (
        "甲醇、甲苯罐区",
        "storage",
        &[
            ("甲醇", "500", "1", 200, 900),
            ("甲苯", "500", "1", 100, 600),
        ],
    ),
    ("汽油储罐区", "storage", &[("汽油", "200", "1", 150, 800)]),
    (
        "氯化反应装置",
        "production",
        &[("氯", "5", "4", 5, 25), ("氢", "5", "1.5", 1, 6)],
    ),
    (
        "天然气调压站",
        "production",
        &[("甲烷，天然气", "50", "1.5", 40, 120)],
    ),
];

/// One or two units for every enterprise flagged as holding a 重大危险源, graded as registered.
pub async fn generate_major_hazards(
    store: &Store,
    now: i64,
    seed: u64,
    max: usize,
) -> StoreResult<usize> {
    use sqlx::Row;
    use yingji_core::kernel::rng::Rng;
    use yingji_core::kernel::role::{Role, Scope};
    use yingji_core::prevention::major_hazard::UnitChemical;
    use yingji_store::prevention::major_hazards::MajorHazardInput;
    let actor = Actor::system("demo");
    let mut rng = Rng::new(seed ^ 0x4D48);
    let mut q = Sql::new(
        "SELECT id, principal_name, principal_phone, lon, lat FROM enterprises WHERE flags LIKE '%major_hazard%' ORDER BY id LIMIT ",
    );
    q.bind(max as i64);
    let mut n = 0;
    for (i, e) in store.fetch_all(q).await?.iter().enumerate() {
        for k in 0..1 + rng.below(2) {
            let (name, unit_type, chems) = *rng.pick(DEMO_UNITS);
            let chemicals = chems
                .iter()
                .map(|(c, cap, beta, lo, hi)| UnitChemical {
                    chemical: (*c).into(),
                    quantity_t: (lo + rng.below((hi - lo) as usize) as u32).to_string(),
                    critical_t: (*cap).into(),
                    beta: (*beta).into(),
                })
                .collect();
            let input = MajorHazardInput {
                enterprise_id: Some(e.try_get("id")?),
                code: format!("WHY{:05}{}", i + 1, k + 1),
                name: name.into(),
                unit_type: unit_type.into(),
                chemicals,
                population_500m: *rng.pick(&[0, 12, 35, 60, 150, 320]),
                lon: e.try_get("lon")?,
                lat: e.try_get("lat")?,
                responsible_name: e.try_get("principal_name")?,
                // Sealed in the enterprise's row (ADR 0032): opened to copy.
                responsible_phone: yingji_store::kernel::keys::open_opt(
                    e.try_get("principal_phone")?,
                ),
            };
            yingji_app::prevention::major_hazards::create(
                store,
                &actor,
                &Scope::All,
                Role::Admin,
                now,
                &input,
            )
            .await?;
            n += 1;
        }
    }
    Ok(n)
}

/// A tank level gauge and a combustible-gas detector on every demo 重大危险源 unit, for the
/// simulator behind `serve --demo`.
pub async fn generate_sensors(store: &Store, now: i64) -> StoreResult<usize> {
    use sqlx::Row;
    use yingji_core::kernel::role::{Role, Scope};
    use yingji_store::monitoring::SensorInput;
    let actor = Actor::system("demo");
    let units = store
        .fetch_all(Sql::new(
            "SELECT id, enterprise_id, code, name, lon, lat FROM major_hazards ORDER BY code",
        ))
        .await?;
    let mut n = 0;
    for u in &units {
        let code: String = u.try_get("code")?;
        let name: String = u.try_get("name")?;
        let sensors = [
            (
                "LT",
                "储罐液位",
                "level",
                "m",
                None,
                Some("1"),
                Some("17"),
                Some("18.5"),
                "0.3",
            ),
            (
                "AT",
                "可燃气体浓度",
                "gas_lel",
                "%LEL",
                None,
                None,
                Some("25"),
                Some("50"),
                "2",
            ),
        ];
        for (prefix, what, kind, unit, ll, l, h, hh, hyst) in sensors {
            let input = SensorInput {
                code: format!("{prefix}-{code}"),
                name: format!("{name}{what}"),
                kind: kind.into(),
                unit: unit.into(),
                enterprise_id: Some(u.try_get("enterprise_id")?),
                major_hazard_id: Some(u.try_get("id")?),
                region_code: None,
                object_name: name.clone(),
                threshold_ll: ll.map(str::to_string),
                threshold_l: l.map(str::to_string),
                threshold_h: h.map(str::to_string),
                threshold_hh: hh.map(str::to_string),
                hysteresis: Some(hyst.into()),
                rate_limit: None,
                offline_after_s: 300,
                lon: u.try_get("lon")?,
                lat: u.try_get("lat")?,
            };
            yingji_app::monitoring::sensors::create_sensor(
                store,
                &actor,
                &Scope::All,
                Role::Admin,
                now,
                &input,
            )
            .await?;
            n += 1;
        }
    }
    Ok(n)
}
