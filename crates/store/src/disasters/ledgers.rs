//! 台账 rows of a process: persons (死亡失踪) and households (倒塌损坏住房), written in the
//! caller's transaction with the audit record. A person's ID number is sealed with SM4 at rest
//! (ADR 0032); once per process is kept by the unique index on its blind index `id_number_bidx`.

use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::kernel::keys;
use crate::{Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use yingji_core::disasters::ledgers::{HouseInput, PersonInput};

#[derive(Debug, Clone)]
pub struct Person {
    pub id: String,
    pub input: PersonInput,
    pub created_ms: i64,
}

#[derive(Debug, Clone)]
pub struct House {
    pub id: String,
    pub input: HouseInput,
    pub created_ms: i64,
}

/// The persons and households of a process (the caller has read the process).
pub async fn of_process(store: &Store, process_id: &str) -> StoreResult<(Vec<Person>, Vec<House>)> {
    let mut q = Sql::new("SELECT * FROM disaster_ledger_persons WHERE process_id = ");
    q.bind(process_id).push(" ORDER BY created_ms, id");
    let mut persons = Vec::new();
    for r in store.fetch_all(q).await? {
        persons.push(Person {
            id: r.try_get("id")?,
            created_ms: r.try_get("created_ms")?,
            input: PersonInput {
                township: r.try_get("region_code")?,
                name: r.try_get("name")?,
                sex: r.try_get("sex")?,
                age: r.try_get("age")?,
                id_number: keys::open(r.try_get("id_number")?),
                address: r.try_get("address")?,
                status: r.try_get("status")?,
                cause: r.try_get("cause")?,
                day: r.try_get("day")?,
            },
        });
    }
    let mut q = Sql::new("SELECT * FROM disaster_ledger_houses WHERE process_id = ");
    q.bind(process_id).push(" ORDER BY created_ms, id");
    let mut houses = Vec::new();
    for r in store.fetch_all(q).await? {
        houses.push(House {
            id: r.try_get("id")?,
            created_ms: r.try_get("created_ms")?,
            input: HouseInput {
                township: r.try_get("region_code")?,
                head: r.try_get("head")?,
                address: r.try_get("address")?,
                rooms: r.try_get("rooms")?,
                degree: r.try_get("degree")?,
            },
        });
    }
    Ok((persons, houses))
}

fn already_in_ledger() -> StoreError {
    StoreError::conflict("id_number", "该公民身份号码已在本灾害过程的台账中")
}

/// Adds a checked person; one ID number once per process (the unique blind index; a row the
/// start-up job has not sealed yet still holds the number itself, so it is looked up as well).
pub async fn add_person_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    process_id: &str,
    p: &PersonInput,
) -> StoreResult<String> {
    let mut legacy = Sql::new("SELECT id FROM disaster_ledger_persons WHERE process_id = ");
    legacy.bind(process_id).push_bind(
        " AND id_number_bidx IS NULL AND id_number = ",
        p.id_number.as_str(),
    );
    if legacy.fetch_optional(tx).await?.is_some() {
        return Err(already_in_ledger());
    }
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO disaster_ledger_persons (id, process_id, region_code, name, sex, age, id_number, id_number_bidx, address, status, cause, day, created_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        process_id.into(),
        p.township.clone().into(),
        p.name.clone().into(),
        p.sex.clone().into(),
        p.age.into(),
        keys::seal(&p.id_number)?.into(),
        keys::blind_index_required(&p.id_number)?.into(),
        p.address.clone().into(),
        p.status.clone().into(),
        p.cause.clone().into(),
        p.day.clone().into(),
        now_ms.into(),
    ]);
    q.execute(tx).await.map_err(|e| match e {
        StoreError::Db(d) if crate::kernel::is_unique_violation(&d) => already_in_ledger(),
        e => e,
    })?;
    let summary = format!("因灾死亡失踪人口台账登记：{}", p.name);
    let change = Change::of(
        "disaster.ledger_person",
        "disaster_process",
        process_id,
        summary,
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(id)
}

/// Adds a checked household.
pub async fn add_house_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    process_id: &str,
    h: &HouseInput,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO disaster_ledger_houses (id, process_id, region_code, head, address, rooms, degree, created_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        process_id.into(),
        h.township.clone().into(),
        h.head.clone().into(),
        h.address.clone().into(),
        h.rooms.into(),
        h.degree.clone().into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    let summary = format!("倒塌损坏住房户台账登记：{}（{}间）", h.head, h.rooms);
    let change = Change::of(
        "disaster.ledger_house",
        "disaster_process",
        process_id,
        summary,
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(id)
}
