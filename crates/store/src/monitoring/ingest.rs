//! Readings in: batches from HTTP and MQTT, checked against each sensor's definition (cached), evaluated with hysteresis and rate, stored in chunks; offline sweeps.

use crate::{Sql, Store, StoreError, StoreResult, Tx};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::{HashMap, HashSet};
use yingji_core::kernel::role::Scope;
use yingji_core::monitoring::alarm::{Level, Milli4, Thresholds};

use super::{bump_peak, levels_text, milli, open_alarm, parse_levels, resolve_alarms};

pub(super) fn thresholds_of(r: &AnyRow) -> StoreResult<Thresholds> {
    Ok(Thresholds {
        ll: milli(r, "ll")?,
        l: milli(r, "l")?,
        h: milli(r, "h")?,
        hh: milli(r, "hh")?,
        hysteresis: Milli4(r.try_get("hysteresis")?),
    })
}

/// One reading as a gateway sent it, already decoded.
#[derive(Debug, Clone)]
pub struct ReadingIn {
    pub sensor: String,
    pub at_ms: i64,
    pub value: Milli4,
    pub quality: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct IngestReport {
    pub accepted: usize,
    /// Already stored (same sensor and time): idempotent resends.
    pub duplicates: usize,
    /// Unknown codes, or sensors outside the sender's enterprise: refused, never stored.
    pub refused: Vec<String>,
    pub alarms_opened: usize,
    pub alarms_resolved: usize,
    /// The incidents this batch opened (for the live board).
    pub opened_alarm_ids: Vec<String>,
}

/// Stores a batch and evaluates it, in one transaction: a batch is acknowledged only once its
/// readings and the alarms they raise are durable.
pub async fn ingest(
    store: &Store,
    scope: &Scope,
    now_ms: i64,
    batch: &[ReadingIn],
) -> StoreResult<IngestReport> {
    let mut cache = SensorCache::default();
    let mut reports = ingest_parts(store, &mut cache, now_ms, &[(scope, batch)]).await?;
    Ok(reports.pop().unwrap_or_default())
}

/// Several senders' batches in one transaction (the ingest pipeline's group commit), each
/// checked against its own sender's scope; one report per part, in order. Each sensor is read
/// once and evaluated once per call, whichever parts its readings came in.
pub async fn ingest_parts(
    store: &Store,
    cache: &mut SensorCache,
    now_ms: i64,
    parts: &[(&Scope, &[ReadingIn])],
) -> StoreResult<Vec<IngestReport>> {
    // Usually every reading is new: the inserts' count shows it, and nothing more is asked of
    // the database. When some were resends, the transaction is rolled back and done again with
    // RETURNING, which names the rows inserted so that each part learns its own count. (Returned
    // rows cross sqlx's worker channel one by one; a savepoint instead of the rollback would make
    // SQLite journal every page the inserts touch.) When a sensor's state had changed behind the
    // cache's back, it is done again with the states read afresh.
    let mut name_inserted = false;
    for _ in 0..4 {
        match ingest_attempt(store, cache, now_ms, parts, name_inserted).await? {
            Attempt::Done(reports) => return Ok(reports),
            Attempt::Resends => name_inserted = true,
            Attempt::Stale => cache.forget_states(),
        }
    }
    Err(StoreError::conflict(
        "readings",
        "监测点状态被同时修改，请稍后重发",
    ))
}

/// How one try at `ingest_parts` ended.
pub(super) enum Attempt {
    Done(Vec<IngestReport>),
    /// Some readings were resends (rolled back; try again naming the rows inserted).
    Resends,
    /// A sensor's state was not what the cache held (rolled back; read the states again).
    Stale,
}

/// One try at `ingest_parts`. Without `name_inserted`, gives up (rolled back) as soon as the
/// inserts stored fewer rows than offered.
pub(super) async fn ingest_attempt(
    store: &Store,
    cache: &mut SensorCache,
    now_ms: i64,
    parts: &[(&Scope, &[ReadingIn])],
    name_inserted: bool,
) -> StoreResult<Attempt> {
    let mut tx = store.begin_writer().await?;
    let codes = batch_codes(parts);
    let mut sensors = cache.read(&mut tx, store.backend, &codes, now_ms).await?;
    // Readings are keyed by the sensor's number.
    let nos: HashMap<&str, i64> = sensors.iter().map(|(c, (d, _))| (*c, d.no)).collect();
    let mut reports = vec![IngestReport::default(); parts.len()];
    let (all, offered) = sort_out(parts, &sensors, &mut reports);
    // None: every reading was inserted.
    let mut inserted: Option<HashSet<(i64, i64)>> = None;
    if name_inserted {
        let mut set = HashSet::with_capacity(all.len());
        for chunk in statement_chunks(&all) {
            let mut ins = insert_readings(&nos, chunk, now_ms, store.backend, true);
            for row in ins.fetch_all(&mut tx).await? {
                set.insert((row.try_get(0)?, row.try_get(1)?));
            }
        }
        inserted = Some(set);
    } else {
        let mut stored = 0;
        for chunk in statement_chunks(&all) {
            stored += insert_readings(&nos, chunk, now_ms, store.backend, false)
                .execute(&mut tx)
                .await?;
        }
        if stored as usize != all.len() {
            tx.rollback().await?;
            return Ok(Attempt::Resends);
        }
    }
    let was_inserted = |r: &ReadingIn| {
        inserted
            .as_ref()
            .is_none_or(|set| set.contains(&(nos[r.sensor.as_str()], r.at_ms)))
    };
    let fresh = count_and_group(&all, &offered, &was_inserted, &mut reports);
    let mut states = Vec::with_capacity(fresh.len());
    for (code, (part, mut list)) in fresh {
        list.sort_by_key(|r| r.at_ms);
        list.dedup_by_key(|r| r.at_ms);
        let report = &mut reports[part];
        let Some((def, state)) = sensors.remove(code) else {
            continue;
        };
        if let Some(st) = evaluate_sensor(&mut tx, def, state, &list, now_ms, report).await? {
            states.push(st);
        }
    }
    if save_states(&mut tx, store.backend, &states, now_ms).await? != states.len() as u64 {
        tx.rollback().await?;
        return Ok(Attempt::Stale);
    }
    // Readings for minutes the rollup job may already have done send their sensors back.
    let late = late_minutes(&all, &nos, now_ms, &was_inserted);
    crate::monitoring::trends::reroll_from(&mut tx, store.backend, &late).await?;
    tx.commit().await?;
    cache.remember(&states);
    Ok(Attempt::Done(reports))
}

/// The sensor codes of a commit's readings, each once.
fn batch_codes<'a>(parts: &[(&Scope, &'a [ReadingIn])]) -> Vec<&'a str> {
    let mut codes: Vec<&str> = parts
        .iter()
        .flat_map(|(_, b)| b.iter().map(|r| r.sensor.as_str()))
        .collect();
    codes.sort_unstable();
    codes.dedup();
    codes
}

/// Every reading that may be stored, tagged with its part, and how many each part offered;
/// the others' codes are refused in their part's report. Sorted so that a repeat (same sensor
/// and time, in any part) follows its first occurrence and is dropped.
fn sort_out<'a>(
    parts: &[(&Scope, &'a [ReadingIn])],
    sensors: &HashMap<&str, (&SensorDef, SensorNow)>,
    reports: &mut [IngestReport],
) -> (Vec<(usize, &'a ReadingIn)>, Vec<usize>) {
    let mut all: Vec<(usize, &ReadingIn)> = Vec::new();
    for (i, (scope, batch)) in parts.iter().enumerate() {
        for r in batch.iter() {
            match sensors.get(r.sensor.as_str()) {
                Some((def, _)) if def.visible_to(scope) => all.push((i, r)),
                _ if reports[i].refused.contains(&r.sensor) => {}
                _ => reports[i].refused.push(r.sensor.clone()),
            }
        }
    }
    let mut offered = vec![0usize; parts.len()];
    for (i, _) in &all {
        offered[*i] += 1;
    }
    all.sort_by(|a, b| (&a.1.sensor, a.1.at_ms, a.0).cmp(&(&b.1.sensor, b.1.at_ms, b.0)));
    all.dedup_by(|a, b| a.1.sensor == b.1.sensor && a.1.at_ms == b.1.at_ms);
    (all, offered)
}

/// Counts each part's accepted readings and duplicates, and groups the readings per sensor:
/// the first part that reported it (it gets the alarm counts) and its readings.
fn count_and_group<'a>(
    all: &[(usize, &'a ReadingIn)],
    offered: &[usize],
    was_inserted: &impl Fn(&ReadingIn) -> bool,
    reports: &mut [IngestReport],
) -> HashMap<&'a str, (usize, Vec<&'a ReadingIn>)> {
    let mut fresh: HashMap<&str, (usize, Vec<&ReadingIn>)> = HashMap::new();
    for (i, r) in all {
        if was_inserted(r) {
            reports[*i].accepted += 1;
        }
        fresh
            .entry(r.sensor.as_str())
            .or_insert((*i, Vec::new()))
            .1
            .push(r);
    }
    for (i, report) in reports.iter_mut().enumerate() {
        report.duplicates = offered[i] - report.accepted;
    }
    fresh
}

/// Per sensor number, the earliest minute of a reading inserted for a minute the rollup job may
/// already have done.
fn late_minutes(
    all: &[(usize, &ReadingIn)],
    nos: &HashMap<&str, i64>,
    now_ms: i64,
    was_inserted: &impl Fn(&ReadingIn) -> bool,
) -> Vec<(i64, i64)> {
    let cutoff = yingji_core::monitoring::trend::rollup_cutoff(now_ms);
    let mut late: HashMap<i64, i64> = HashMap::new();
    for (_, r) in all
        .iter()
        .filter(|(_, r)| r.at_ms < cutoff && was_inserted(r))
    {
        let m = yingji_core::monitoring::trend::minute_of(r.at_ms);
        late.entry(nos[r.sensor.as_str()])
            .and_modify(|v| *v = (*v).min(m))
            .or_insert(m);
    }
    late.into_iter().collect()
}

/// How `readings.quality` stores a reading's quality.
pub fn quality_code(q: &str) -> i64 {
    match q {
        "bad" => QUALITY_BAD,
        "uncertain" => 1,
        _ => 0,
    }
}

pub const QUALITY_BAD: i64 = 2;

/// One multi-row INSERT of readings; resends are skipped (and, with `returning`, the rows
/// actually inserted are named).
pub(super) fn insert_readings(
    nos: &HashMap<&str, i64>,
    chunk: &[(usize, &ReadingIn)],
    now_ms: i64,
    backend: crate::Backend,
    returning: bool,
) -> Sql {
    let mut ins = Sql::insert_ignoring(
        backend,
        "readings (sensor_no, at_ms, value, quality, received_ms)",
    );
    for (k, (_, r)) in chunk.iter().enumerate() {
        if k > 0 {
            ins.push(", ");
        }
        ins.values(vec![
            nos[r.sensor.as_str()].into(),
            r.at_ms.into(),
            r.value.0.into(),
            quality_code(&r.quality).into(),
            now_ms.into(),
        ]);
    }
    ins.ignore_conflicts(backend, "(sensor_no, at_ms)");
    if returning {
        ins.push(" RETURNING sensor_no, at_ms");
    }
    ins.many_placeholders(backend);
    ins
}

/// What ingest needs of a sensor besides its state: identity, place (copied onto its incidents),
/// owner (for the sender's scope) and rules.
pub(super) struct SensorDef {
    pub(super) id: String,
    pub(super) no: i64,
    pub(super) code: String,
    pub(super) enterprise_id: Option<String>,
    pub(super) region_code: String,
    pub(super) district_code: String,
    pub(super) street_code: String,
    pub(super) community_code: String,
    pub(super) grid_code: String,
    pub(super) categories: String,
    pub(super) thresholds: Thresholds,
    pub(super) rate_limit: Option<Milli4>,
}

/// The sensor columns `SensorDef` is read from.
pub(super) const DEF_COLUMNS: &str = "se.id, se.no, se.code, se.enterprise_id, se.region_code, se.district_code, se.street_code, se.community_code, se.grid_code, se.categories, se.ll, se.l, se.h, se.hh, se.hysteresis, se.rate_limit";

/// The sensor columns ingest changes: `SensorNow`.
pub(super) const STATE_COLUMNS: &str = "se.no, se.last_value, se.last_ms, se.active_levels";

impl SensorDef {
    fn from_row(r: &AnyRow) -> StoreResult<Self> {
        Ok(Self {
            id: r.try_get("id")?,
            no: r.try_get("no")?,
            code: r.try_get("code")?,
            enterprise_id: r.try_get("enterprise_id")?,
            region_code: r.try_get("region_code")?,
            district_code: r.try_get("district_code")?,
            street_code: r.try_get("street_code")?,
            community_code: r.try_get("community_code")?,
            grid_code: r.try_get("grid_code")?,
            categories: r.try_get("categories")?,
            thresholds: thresholds_of(r)?,
            rate_limit: milli(r, "rate_limit")?,
        })
    }

    /// Whether a sender with `scope` may report for this sensor: the Rust twin of
    /// `push_scope_on`, since ingest reads sensors for many senders at once.
    fn visible_to(&self, scope: &Scope) -> bool {
        match scope {
            Scope::All => true,
            Scope::Region { prefix, .. } => self.region_code.starts_with(prefix.as_str()),
            Scope::Department {
                prefix, categories, ..
            } => {
                self.region_code.starts_with(prefix.as_str())
                    && categories
                        .iter()
                        .any(|c| self.categories.contains(&format!(",{c},")))
            }
            // An insurer sees no readings.
            Scope::Insurer { .. } => false,
            Scope::Enterprise { enterprise_id } => {
                self.enterprise_id.as_ref() == Some(enterprise_id)
            }
        }
    }
}

/// A sensor's newest value and active levels, as stored.
#[derive(Clone)]
pub(super) struct SensorNow {
    last_value: Option<i64>,
    last_ms: Option<i64>,
    active_levels: String,
}

impl SensorNow {
    fn from_row(r: &AnyRow) -> StoreResult<Self> {
        Ok(Self {
            last_value: r.try_get("last_value")?,
            last_ms: r.try_get("last_ms")?,
            active_levels: r.try_get("active_levels")?,
        })
    }
}

/// How long the ingest writer trusts a cached sensor definition before reading it again.
pub(super) const SENSOR_CACHE_MS: i64 = 60_000;

/// The ingest writer's copy of sensors' definitions and states, so that a group commit of
/// readings from hundreds of sensors reads nothing per sensor: reading their rows was the larger
/// part of a commit's time (docs/benchmarks.md, issue 4; ADR 0013).
///
/// A state is the one this writer last committed. Anything else that changes it (the offline
/// sweep, another node's writer) is caught by the state update, which only applies where the row
/// still holds the state the readings were evaluated from; otherwise the commit is done again
/// with the states read afresh. An edit or a deactivation of a sensor adds one to the `sensors`
/// cache generation in its transaction; every writer, on every node, reads the generation at the
/// start of each commit and drops its copies when it has moved, so the next readings are checked
/// against the new definition. Entries are also read again after `SENSOR_CACHE_MS`.
#[derive(Default)]
pub struct SensorCache {
    sensors: HashMap<String, Cached>,
    generation: Option<i64>,
}

/// The codes of a commit as `SensorCache::sort_codes` finds them in the cache.
struct Sorted<'c> {
    /// The states the cache holds (of definitions younger than `SENSOR_CACHE_MS`).
    states: HashMap<&'c str, SensorNow>,
    /// The codes whose definition is missing or old.
    missing: Vec<&'c str>,
    /// The codes whose definition is held but whose state was forgotten.
    stateless: Vec<&'c str>,
}

pub(super) struct Cached {
    loaded_ms: i64,
    def: SensorDef,
    state: Option<SensorNow>,
}

impl SensorCache {
    /// The active sensors among `codes` (unknown codes are left out), with their state.
    async fn read<'c>(
        &mut self,
        tx: &mut Tx,
        backend: crate::Backend,
        codes: &[&'c str],
        now_ms: i64,
    ) -> StoreResult<HashMap<&'c str, (&SensorDef, SensorNow)>> {
        let generation = crate::resources::registers::generation(tx, "sensors").await?;
        if self.generation != Some(generation) {
            self.sensors.clear();
            self.generation = Some(generation);
        }
        let Sorted {
            mut states,
            missing,
            stateless,
        } = self.sort_codes(codes, now_ms);
        self.load_sensors(tx, backend, &missing, now_ms, &mut states)
            .await?;
        self.load_states(tx, backend, &stateless, &mut states)
            .await?;
        let sensors = &self.sensors;
        Ok(states
            .into_iter()
            .map(|(c, st)| (c, (&sensors[c].def, st)))
            .collect())
    }

    /// Sorts `codes` by what the cache holds.
    fn sort_codes<'c>(&self, codes: &[&'c str], now_ms: i64) -> Sorted<'c> {
        let mut states: HashMap<&str, SensorNow> = HashMap::with_capacity(codes.len());
        let mut missing = Vec::new();
        let mut stateless = Vec::new();
        for c in codes {
            match self.sensors.get(*c) {
                Some(e) if (0..SENSOR_CACHE_MS).contains(&(now_ms - e.loaded_ms)) => {
                    match &e.state {
                        Some(st) => {
                            states.insert(c, st.clone());
                        }
                        None => stateless.push(*c),
                    }
                }
                _ => missing.push(*c),
            }
        }
        Sorted {
            states,
            missing,
            stateless,
        }
    }

    /// Reads the definitions and states of `missing` into the cache and `states`; codes not
    /// found (unknown or deactivated) leave the cache.
    async fn load_sensors<'c>(
        &mut self,
        tx: &mut Tx,
        backend: crate::Backend,
        missing: &[&'c str],
        now_ms: i64,
        states: &mut HashMap<&'c str, SensorNow>,
    ) -> StoreResult<()> {
        for chunk in statement_chunks(missing) {
            let mut q = Sql::new(&format!(
                "SELECT {DEF_COLUMNS}, {STATE_COLUMNS} FROM sensors se WHERE se.status = 'active' AND se.code IN "
            ));
            q.bind_list(chunk.iter().map(|c| c.to_string()));
            q.many_placeholders(backend);
            for r in q.fetch_all(&mut *tx).await? {
                let code: String = r.try_get("code")?;
                let Some(key) = chunk.iter().find(|c| **c == code) else {
                    continue;
                };
                let state = SensorNow::from_row(&r)?;
                states.insert(key, state.clone());
                let def = SensorDef::from_row(&r)?;
                self.sensors.insert(
                    code,
                    Cached {
                        loaded_ms: now_ms,
                        def,
                        state: Some(state),
                    },
                );
            }
        }
        for c in missing {
            if !states.contains_key(c) {
                self.sensors.remove(*c);
            }
        }
        Ok(())
    }

    /// Reads the states of `stateless` (cached definitions) into `states`; sensors no longer
    /// active leave the cache.
    async fn load_states<'c>(
        &mut self,
        tx: &mut Tx,
        backend: crate::Backend,
        stateless: &[&'c str],
        states: &mut HashMap<&'c str, SensorNow>,
    ) -> StoreResult<()> {
        let by_no: HashMap<i64, &str> = stateless
            .iter()
            .map(|c| (self.sensors[*c].def.no, *c))
            .collect();
        let nos: Vec<i64> = by_no.keys().copied().collect();
        let mut gone: HashSet<&str> = stateless.iter().copied().collect();
        for chunk in statement_chunks(&nos) {
            let mut q = Sql::new(&format!(
                "SELECT {STATE_COLUMNS} FROM sensors se WHERE se.status = 'active' AND se.no IN "
            ));
            q.bind_list(chunk.iter().copied());
            q.many_placeholders(backend);
            for r in q.fetch_all(&mut *tx).await? {
                let Some(code) = by_no.get(&r.try_get::<i64, _>("no")?) else {
                    continue;
                };
                gone.remove(code);
                states.insert(code, SensorNow::from_row(&r)?);
            }
        }
        for c in gone {
            self.sensors.remove(c);
        }
        Ok(())
    }

    /// Takes in the states just committed.
    fn remember(&mut self, states: &[SensorState]) {
        for st in states {
            if let Some(e) = self.sensors.get_mut(&st.code) {
                e.state = Some(SensorNow {
                    last_value: Some(st.last_value),
                    last_ms: Some(st.last_ms),
                    active_levels: st.active_levels.clone(),
                });
            }
        }
    }

    /// Forgets every state (definitions stay), so that the next commit reads them.
    fn forget_states(&mut self) {
        for e in self.sensors.values_mut() {
            e.state = None;
        }
    }
}

/// Rows per multi-row INSERT: 5 parameters each, well inside both backends' limits.
pub(super) const INSERT_CHUNK: usize = 256;

/// Splits rows into statements of 256 and then powers of two, so that every statement has one
/// of nine shapes and stays in the prepared-statement cache.
pub(crate) fn statement_chunks<T>(rows: &[T]) -> Vec<&[T]> {
    let mut out = Vec::new();
    let mut rest = rows;
    while !rest.is_empty() {
        let n = if rest.len() >= INSERT_CHUNK {
            INSERT_CHUNK
        } else {
            1 << (usize::BITS - 1 - rest.len().leading_zeros())
        };
        let (head, tail) = rest.split_at(n);
        out.push(head);
        rest = tail;
    }
    out
}

/// Runs a sensor's new readings through its thresholds and rate limit, opening and resolving
/// incidents, and records its newest value. Readings older than what the sensor already
/// reported are history only; being newer than the last one, the readings evaluated here cannot
/// be resends, so the multi-row insert's duplicates never reach this point.
pub(super) async fn evaluate_sensor(
    tx: &mut Tx,
    s: &SensorDef,
    state: SensorNow,
    readings: &[&ReadingIn],
    now_ms: i64,
    report: &mut IngestReport,
) -> StoreResult<Option<SensorState>> {
    let id = s.id.clone();
    let SensorNow {
        last_value,
        last_ms,
        active_levels,
    } = state;
    let (evaluated_ms, evaluated_levels) = (last_ms, active_levels.clone());
    let fresh: Vec<&ReadingIn> = readings
        .iter()
        .copied()
        .filter(|r| last_ms.is_none_or(|l| r.at_ms > l) && r.quality != "bad")
        .collect();
    let Some(newest) = fresh.last() else {
        return Ok(None);
    };
    let t = &s.thresholds;
    let rate_limit = s.rate_limit;
    let before = parse_levels(&active_levels);
    let mut active = before.clone();
    let mut prev = last_ms.zip(last_value.map(Milli4));
    // The most extreme value seen per level that stays active, for the incidents' peaks.
    let mut peaks: Vec<(Level, Milli4)> = Vec::new();
    for r in &fresh {
        let mut now_active = t.evaluate(r.value, &active);
        if let (Some(limit), Some(p)) = (rate_limit, prev)
            && yingji_core::monitoring::alarm::rate_exceeded(p, (r.at_ms, r.value), limit)
        {
            now_active.push(Level::Rate);
        }
        // Offline is not in `now_active`: any evaluated reading ends an offline spell.
        for l in now_active.iter().filter(|l| !active.contains(l)) {
            if let Some(id) = open_alarm(tx, s, *l, r, now_ms).await? {
                report.opened_alarm_ids.push(id);
            }
            report.alarms_opened += 1;
        }
        for l in active.iter().filter(|l| !now_active.contains(l)) {
            report.alarms_resolved += resolve_alarms(tx, &id, *l, r.at_ms).await?;
        }
        for l in now_active.iter().filter(|l| active.contains(l)) {
            let high = matches!(l, Level::H | Level::Hh);
            match peaks.iter_mut().find(|(pl, _)| pl == l) {
                Some((_, v)) if high => *v = (*v).max(r.value),
                Some((_, v)) => *v = (*v).min(r.value),
                None => peaks.push((*l, r.value)),
            }
        }
        active = now_active;
        prev = Some((r.at_ms, r.value));
    }
    for (l, v) in peaks {
        if active.contains(&l) && !matches!(l, Level::Rate | Level::Offline) {
            bump_peak(tx, &id, l, v).await?;
        }
    }
    Ok(Some(SensorState {
        id,
        code: s.code.clone(),
        evaluated_ms,
        evaluated_levels,
        last_value: newest.value.0,
        last_ms: newest.at_ms,
        active_levels: levels_text(&active),
    }))
}

/// A sensor's newest value and active levels after a batch, and the state they came from.
pub(super) struct SensorState {
    id: String,
    code: String,
    evaluated_ms: Option<i64>,
    evaluated_levels: String,
    last_value: i64,
    last_ms: i64,
    active_levels: String,
}

/// Writes the sensors' new states, many per statement (`UPDATE … FROM (VALUES …)`, which both
/// backends read the same way: the VALUES columns are column1, column2, …), each only where the
/// row still holds the state it was evaluated from. Answers the rows written.
pub(super) async fn save_states(
    tx: &mut Tx,
    backend: crate::Backend,
    states: &[SensorState],
    now_ms: i64,
) -> StoreResult<u64> {
    let mut written = 0;
    for chunk in statement_chunks(states) {
        let mut u = Sql::new(
            "UPDATE sensors SET last_value = v.column2, last_ms = v.column3, active_levels = v.column4, updated_ms = ",
        );
        u.bind(now_ms).push(" FROM (VALUES ");
        for (k, st) in chunk.iter().enumerate() {
            if k > 0 {
                u.push(", ");
            }
            u.values(vec![
                st.id.clone().into(),
                st.last_value.into(),
                st.last_ms.into(),
                st.active_levels.clone().into(),
                // Readings before 1970 are refused at the boundary, so -1 stands for "none yet".
                st.evaluated_ms.unwrap_or(-1).into(),
                st.evaluated_levels.clone().into(),
            ]);
        }
        u.push(
            ") AS v WHERE sensors.id = v.column1 AND COALESCE(sensors.last_ms, -1) = v.column5 AND sensors.active_levels = v.column6",
        );
        u.many_placeholders(backend);
        written += u.execute(tx).await?;
    }
    Ok(written)
}

/// Opens a 离线 incident for each sensor that has reported before and has now been silent longer
/// than its timeout, once per silence (OFFLINE stays among the sensor's active levels until a
/// reading arrives). Safe on several nodes: the sensor row is claimed with a conditional update.
/// Returns the incidents opened.
pub async fn sweep_offline(store: &Store, now_ms: i64) -> StoreResult<Vec<String>> {
    let mut q = Sql::new("SELECT * FROM sensors se WHERE se.status = 'active' AND se.last_ms < ");
    q.bind(now_ms - 10_000)
        .push_bind(" AND se.last_ms + se.offline_after_s * 1000 < ", now_ms)
        .push(" AND se.active_levels NOT LIKE '%OFFLINE%' ORDER BY se.last_ms LIMIT 500");
    let mut opened = Vec::new();
    for s in store.fetch_all(q).await? {
        let before: String = s.try_get("active_levels")?;
        let mut active = parse_levels(&before);
        active.push(Level::Offline);
        let mut tx = store.begin().await?;
        let mut claim = Sql::new("UPDATE sensors SET active_levels = ");
        claim
            .bind(levels_text(&active))
            .push_bind(", updated_ms = ", now_ms)
            .push_bind(" WHERE id = ", s.try_get::<String, _>("id")?)
            .push_bind(" AND active_levels = ", before)
            .push_bind(" AND last_ms = ", s.try_get::<i64, _>("last_ms")?);
        if claim.execute(&mut tx).await? == 0 {
            continue;
        }
        let silent_since = ReadingIn {
            sensor: s.try_get("code")?,
            at_ms: now_ms,
            value: Milli4(
                s.try_get::<Option<i64>, _>("last_value")?
                    .unwrap_or_default(),
            ),
            quality: "offline".into(),
        };
        let def = SensorDef::from_row(&s)?;
        if let Some(id) = open_alarm(&mut tx, &def, Level::Offline, &silent_since, now_ms).await? {
            opened.push(id);
        }
        tx.commit().await?;
    }
    Ok(opened)
}
