//! 风险普查 import: the census rows merged into the existing registers in one transaction. A
//! GeoJSON file is read on a blocking thread and handed over in chunks while the rows already
//! read are checked and written, so the collection is never held whole. 承灾体 are written in
//! batches by census code (an update when the district already has the code); 减灾能力 rows go
//! through their register's own create or edit (`registers::import_row_in`). The mode decides
//! whether anything is kept; one audit record counts what was.

use std::collections::{BTreeMap, HashMap, HashSet};
use yingji_core::directory::import::RowError;
use yingji_core::disasters::census::{
    self as rules, Checked, CheckedRow, District, Numbering, Outcome, RawRow,
};
use yingji_core::disasters::census_geojson::read_geojson;
use yingji_store::disasters::census::{self, ObjectRow};
use yingji_store::kernel::Ctx;
use yingji_store::resources::registers::{self, ImportMode, ImportRow};
use yingji_store::{Store, StoreError, StoreResult, Tx};

/// Rows handed over at a time.
const CHUNK: usize = 2_000;

/// What is imported.
pub enum Source {
    /// A GeoJSON FeatureCollection, as uploaded.
    GeoJson(Vec<u8>),
    /// The rows of a sheet (the template's columns).
    Rows(Vec<RawRow>),
}

/// A row's outcome.
#[derive(Debug, Clone)]
pub struct RowResult {
    pub row: usize,
    pub code: String,
    pub kind: Option<&'static str>,
    pub outcome: Outcome,
}

/// Counts of one kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct KindCount {
    pub created: usize,
    pub updated: usize,
    pub errors: usize,
}

/// What an import did: every row's outcome, the errors, counts per kind, and whether it was
/// kept.
#[derive(Debug, Default)]
pub struct CensusImport {
    pub total_rows: usize,
    pub created: usize,
    pub updated: usize,
    pub error_rows: usize,
    /// Properties a record had no place for.
    pub ignored_attributes: usize,
    pub stored: bool,
    pub rows: Vec<RowResult>,
    pub errors: Vec<RowError>,
    pub by_kind: BTreeMap<&'static str, KindCount>,
}

/// The state of an import between chunks.
struct Run<'a> {
    store: &'a Store,
    ctx: &'a Ctx,
    now_ms: i64,
    district: District,
    numbering: Numbering,
    existing: HashSet<String>,
    /// Code → the row that first had it.
    seen: HashMap<String, usize>,
    out: CensusImport,
}

/// 导入风险普查成果 into the caller's district: all or nothing (`Strict`), the valid rows
/// (`ValidOnly`) or the report only (`Check`).
pub async fn import(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    source: Source,
    mode: ImportMode,
) -> StoreResult<CensusImport> {
    if !rules::may_import(ctx.role, &ctx.scope) {
        return Err(StoreError::Forbidden(rules::MAY_NOT_IMPORT.into()));
    }
    let code = yingji_store::directory::regions::district_of_scope(store, &ctx.scope).await?;
    let mut run = Run {
        store,
        ctx,
        now_ms,
        district: census::district(store, &code).await?,
        numbering: Numbering::Rows,
        existing: census::object_codes(store, &code).await?,
        seen: HashMap::new(),
        out: CensusImport::default(),
    };
    let mut tx = store.begin().await?;
    match source {
        Source::Rows(rows) => {
            for chunk in rows.chunks(CHUNK) {
                run.chunk(&mut tx, chunk.to_vec()).await?;
            }
        }
        Source::GeoJson(bytes) => {
            run.numbering = Numbering::Features;
            let (send, mut recv) = tokio::sync::mpsc::channel::<Vec<RawRow>>(4);
            let reader = tokio::task::spawn_blocking(move || read_chunks(&bytes, send));
            while let Some(chunk) = recv.recv().await {
                run.chunk(&mut tx, chunk).await?;
            }
            reader
                .await
                .map_err(|e| StoreError::invalid("file", e.to_string()))?
                .map_err(|m| StoreError::invalid("file", m))?;
        }
    }
    let mut out = run.out;
    out.total_rows = out.rows.len();
    if !mode.stores(out.created + out.updated, out.errors.len()) {
        tx.rollback().await?;
        return Ok(out);
    }
    let counts = serde_json::json!({"created": out.created, "updated": out.updated,
        "rejected": out.error_rows, "ignored_attributes": out.ignored_attributes});
    let summary = rules::summary(out.created, out.updated, out.ignored_attributes);
    census::record_import_in(&mut tx, ctx, now_ms, summary, counts).await?;
    tx.commit().await?;
    out.stored = true;
    Ok(out)
}

/// Reads the GeoJSON and sends its rows in chunks; stops reading when the receiver is gone.
fn read_chunks(bytes: &[u8], send: tokio::sync::mpsc::Sender<Vec<RawRow>>) -> Result<(), String> {
    let mut chunk = Vec::with_capacity(CHUNK);
    read_geojson(bytes, &mut |r| {
        chunk.push(r);
        if chunk.len() < CHUNK {
            return true;
        }
        send.blocking_send(std::mem::take(&mut chunk)).is_ok()
    })?;
    if !chunk.is_empty() {
        let _ = send.blocking_send(chunk);
    }
    Ok(())
}

impl Run<'_> {
    /// Checks a chunk of rows, writes its 承灾体 in batches and its 减灾能力 one by one.
    async fn chunk(&mut self, tx: &mut Tx, rows: Vec<RawRow>) -> StoreResult<()> {
        let mut objects = Vec::new();
        for raw in rows {
            let mut c = rules::check_row(raw, &self.district, self.numbering);
            self.out.ignored_attributes += c.ignored;
            if let Some(first) = self.seen.get(&c.code).copied().filter(|_| c.result.is_ok()) {
                let m = rules::duplicate_code(&c.code, first);
                c.result = Err(vec![rules::row_error(
                    c.row,
                    self.numbering,
                    "普查编码",
                    &m,
                )]);
            } else if c.result.is_ok() {
                self.seen.insert(c.code.clone(), c.row);
            }
            let result = std::mem::replace(&mut c.result, Err(Vec::new()));
            let outcome = match result {
                Ok(Checked::Object {
                    input,
                    object,
                    attributes,
                }) => {
                    objects.push(ObjectRow {
                        code: c.code.clone(),
                        input,
                        object,
                        attributes,
                    });
                    if self.existing.contains(&c.code) {
                        Outcome::Updated
                    } else {
                        Outcome::Created
                    }
                }
                Ok(Checked::Resource { register, body }) => {
                    self.resource(tx, &c, register, body).await?
                }
                Err(errors) => {
                    self.out.errors.extend(errors);
                    Outcome::Error
                }
            };
            self.count(c, outcome);
        }
        if !objects.is_empty() {
            census::upsert_objects_in(tx, self.store.backend, self.now_ms, objects).await?;
        }
        Ok(())
    }

    /// A 减灾能力 row through its register's create, or its edit when the code is on record.
    async fn resource(
        &mut self,
        tx: &mut Tx,
        c: &CheckedRow,
        register: yingji_core::resources::register::Register,
        body: serde_json::Map<String, serde_json::Value>,
    ) -> StoreResult<Outcome> {
        let existing = census::resource_id_in(tx, register, &self.district.code, &c.code).await?;
        let one = ImportRow {
            row: c.row,
            existing: existing.as_deref(),
            body,
        };
        match registers::import_row_in(tx, self.store, self.ctx, self.now_ms, register, one).await?
        {
            Ok(id) => {
                census::set_resource_code_in(tx, register, &id, &c.code).await?;
                Ok(if existing.is_some() {
                    Outcome::Updated
                } else {
                    Outcome::Created
                })
            }
            Err(errors) => {
                let features = self.numbering == Numbering::Features;
                self.out.errors.extend(errors.into_iter().map(|mut e| {
                    if features {
                        e.reason = e.reason.replacen(
                            &format!("第{}行", e.row),
                            &format!("第{}个要素的", e.row),
                            1,
                        );
                    }
                    e
                }));
                Ok(Outcome::Error)
            }
        }
    }

    fn count(&mut self, c: CheckedRow, outcome: Outcome) {
        let k = self.out.by_kind.entry(c.kind.unwrap_or("")).or_default();
        match outcome {
            Outcome::Created => {
                k.created += 1;
                self.out.created += 1;
            }
            Outcome::Updated => {
                k.updated += 1;
                self.out.updated += 1;
            }
            Outcome::Error => {
                k.errors += 1;
                self.out.error_rows += 1;
            }
        }
        self.out.rows.push(RowResult {
            row: c.row,
            code: c.code,
            kind: c.kind,
            outcome,
        });
    }
}
