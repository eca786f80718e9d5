//! The pool, the two backends and a tiny SQL builder that numbers `$n` placeholders, which both
//! SQLite and PostgreSQL understand (sqlx's QueryBuilder emits `?` for `Any`, which PostgreSQL rejects).

use crate::StoreResult;
use sqlx::any::{AnyArguments, AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Arguments, AssertSqlSafe, Executor};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Self, String> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            Err(format!(
                "数据库地址“{}”无效：应以 sqlite: 或 postgres:// 开头",
                redact(url)
            ))
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
    /// The backend of a connection or transaction (store functions that take only a `Tx`).
    pub fn of(conn: &sqlx::AnyConnection) -> Self {
        if conn.backend_name() == "PostgreSQL" {
            Self::Postgres
        } else {
            Self::Sqlite
        }
    }
}

/// Page size, in bytes, of SQLite databases created from now on (`[server] sqlite_page_size`).
static SQLITE_PAGE_SIZE: AtomicU32 = AtomicU32::new(DEFAULT_SQLITE_PAGE_SIZE);

/// 4 KiB: the list, map and search queries read their covering indexes with a quarter of the
/// page visits and without overflow pages (issue 18; ADR 0013's dated note).
pub const DEFAULT_SQLITE_PAGE_SIZE: u32 = 4096;

/// Sets the page size new SQLite databases are created with: a power of two from 512 to
/// 65,536. An existing database keeps the page size it has (changing it takes a VACUUM, see
/// `sqlite_page_size`).
pub fn set_sqlite_page_size(bytes: u32) -> Result<(), String> {
    if !(512..=65536).contains(&bytes) || !bytes.is_power_of_two() {
        return Err(format!(
            "sqlite_page_size = {bytes}：应为 512 到 65536 之间的 2 的幂"
        ));
    }
    SQLITE_PAGE_SIZE.store(bytes, Ordering::Relaxed);
    Ok(())
}

/// A SQLite pool with the connection settings every connection needs.
async fn sqlite_pool(opts: AnyPoolOptions, url: &str) -> StoreResult<AnyPool> {
    Ok(opts
        .after_connect(|conn, _| {
            Box::pin(async move {
                // Takes effect only on a database that has no pages yet (before WAL is
                // turned on); an existing one keeps its page size.
                let page_size = SQLITE_PAGE_SIZE.load(Ordering::Relaxed);
                conn.execute(AssertSqlSafe(format!("PRAGMA page_size = {page_size}")))
                    .await?;
                // WAL: readers never block the writer; NORMAL is durable across a process
                // crash (kill -9), which is the failure we guard against.
                conn.execute("PRAGMA journal_mode = WAL").await?;
                // The fallback: `Store::checkpoint_loop` keeps the WAL well below this.
                conn.execute("PRAGMA wal_autocheckpoint = 16000").await?;
                conn.execute("PRAGMA synchronous = NORMAL").await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                conn.execute("PRAGMA busy_timeout = 15000").await?;
                // 64 MiB of page cache: ingest commits touch many pages, and a small cache
                // spills them to the journal mid-transaction.
                conn.execute("PRAGMA cache_size = -65536").await?;
                // Statement journals (multi-row INSERTs keep one, to undo a half-done
                // statement) in memory, not in temporary files.
                conn.execute("PRAGMA temp_store = MEMORY").await?;
                Ok(())
            })
        })
        .connect(url)
        .await?)
}

/// The URL with any password replaced, for logs and messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// WAL length (frames) after which `checkpoint_loop` restarts the WAL.
const RESTART_WAL_FRAMES: i64 = 4000;

#[derive(Clone)]
pub struct Store {
    pub pool: AnyPool,
    /// See `begin_writer`.
    writer: AnyPool,
    pub backend: Backend,
}

pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({})", self.backend.name())
    }
}

impl Store {
    pub async fn connect(url: &str) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let backend =
            Backend::from_url(url).map_err(|m| crate::StoreError::invalid("database_url", m))?;
        let opts = || AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
        let (pool, writer) = match backend {
            Backend::Sqlite => (
                sqlite_pool(opts().max_connections(8), url).await?,
                sqlite_pool(opts().max_connections(1), url).await?,
            ),
            Backend::Postgres => {
                let pool = opts().max_connections(16).connect(url).await?;
                (pool.clone(), pool)
            }
        };
        Ok(Store {
            pool,
            writer,
            backend,
        })
    }

    /// Starts a write transaction on the connection kept for the ingest pipeline's group
    /// commits. On SQLite that one connection's page cache stays warm from commit to commit;
    /// through the pool each commit would come to a connection whose cache the others' writes
    /// had emptied, and read its pages again. On PostgreSQL it is the pool.
    pub async fn begin_writer(&self) -> StoreResult<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.writer.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.writer.begin().await?,
        })
    }

    /// Starts a write transaction. SQLite takes the write lock at BEGIN so that two writers
    /// queue on busy_timeout instead of failing when a read lock would have to be upgraded.
    pub async fn begin(&self) -> StoreResult<Tx> {
        Ok(match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        })
    }

    /// SQLite: copies the WAL into the database from a connection of its own, every `every`, so
    /// that committing writers do not pay for it (ADR 0013). A PASSIVE checkpoint runs beside
    /// the writers; once the WAL is long, a RESTART then copies what they added meanwhile and
    /// lets the next writer start the WAL from its beginning, waiting at most 50 ms for them.
    /// Nothing to do on PostgreSQL.
    pub async fn checkpoint_loop(self, every: Duration) {
        if self.backend != Backend::Sqlite {
            return;
        }
        let mut conn = match self.pool.acquire().await {
            Ok(c) => c.detach(),
            Err(e) => {
                tracing::error!(error = %e, "no connection for WAL checkpoints");
                return;
            }
        };
        if let Err(e) = conn.execute("PRAGMA busy_timeout = 50").await {
            tracing::error!(error = %e, "WAL checkpoint connection not set up");
            return;
        }
        loop {
            tokio::time::sleep(every).await;
            let log = match sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .fetch_one(&mut conn)
                .await
            {
                Ok(row) => sqlx::Row::try_get::<i64, _>(&row, 1).unwrap_or(0),
                Err(e) => {
                    tracing::warn!(error = %e, "WAL checkpoint failed");
                    continue;
                }
            };
            if log >= RESTART_WAL_FRAMES
                && let Err(e) = conn.execute("PRAGMA wal_checkpoint(RESTART)").await
            {
                tracing::warn!(error = %e, "WAL restart failed");
            }
        }
    }

    pub async fn fetch_all(&self, sql: Sql) -> StoreResult<Vec<AnyRow>> {
        Ok(sql.query().fetch_all(&self.pool).await?)
    }
    pub async fn fetch_optional(&self, sql: Sql) -> StoreResult<Option<AnyRow>> {
        Ok(sql.query().fetch_optional(&self.pool).await?)
    }
    pub async fn fetch_i64(&self, sql: Sql) -> StoreResult<i64> {
        use sqlx::Row;
        let row = sql.query().fetch_one(&self.pool).await?;
        Ok(row.try_get::<i64, _>(0)?)
    }
    pub async fn execute(&self, sql: Sql) -> StoreResult<u64> {
        Ok(sql.query().execute(&self.pool).await?.rows_affected())
    }

    /// Refreshes planner statistics after a bulk load (and, on PostgreSQL, the visibility map
    /// that index-only scans rely on). Runs outside any transaction.
    pub async fn optimize(&self) -> StoreResult<()> {
        let stmt = match self.backend {
            Backend::Sqlite => "ANALYZE",
            Backend::Postgres => "VACUUM (ANALYZE)",
        };
        // A database-wide VACUUM can deadlock with a partition being attached meanwhile (the
        // rollup job's upkeep); PostgreSQL then cancels one of them. Ours is simply run again.
        for attempt in 1.. {
            match self.execute(Sql::new(stmt)).await {
                Err(crate::StoreError::Db(sqlx::Error::Database(e)))
                    if e.code().as_deref() == Some("40P01") && attempt < 4 =>
                {
                    tokio::time::sleep(std::time::Duration::from_millis(100 * attempt)).await;
                }
                other => return other.map(|_| ()),
            }
        }
        Ok(())
    }

    /// A page of rows and the total count under one WHERE clause `w`: the count is
    /// `{count_prefix}{w}`, the rows `{select_prefix}{w} ORDER BY {order}` with the page's limit.
    pub async fn page_of<T>(
        &self,
        count_prefix: &str,
        select_prefix: &str,
        w: Sql,
        order: &str,
        page: Page,
        row: impl Fn(&AnyRow) -> StoreResult<T>,
    ) -> StoreResult<(Vec<T>, i64)> {
        let total = self
            .fetch_i64(Sql {
                text: format!("{count_prefix}{}", w.text),
                args: w.args.clone(),
            })
            .await?;
        let mut q = Sql {
            text: format!("{select_prefix}{} ORDER BY {order}", w.text),
            args: w.args,
        };
        page.push_limit(&mut q);
        let items = self
            .fetch_all(q)
            .await?
            .iter()
            .map(row)
            .collect::<StoreResult<_>>()?;
        Ok((items, total))
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// A bound value: the types `Any` carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    I64(i64),
    F64(f64),
    Text(String),
    NullI64,
    NullF64,
    NullText,
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::I64(v)
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Self {
        Val::F64(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::Text(v.to_string())
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::Text(v)
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Self {
        Val::Text(v.clone())
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Self {
        v.map_or(Val::NullText, Val::Text)
    }
}
impl From<Option<&str>> for Val {
    fn from(v: Option<&str>) -> Self {
        v.map_or(Val::NullText, |s| Val::Text(s.to_string()))
    }
}
impl From<Option<f64>> for Val {
    fn from(v: Option<f64>) -> Self {
        v.map_or(Val::NullF64, Val::F64)
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Val::NullI64, Val::I64)
    }
}
impl From<bool> for Val {
    fn from(v: bool) -> Self {
        Val::I64(v as i64)
    }
}

/// SQL text with numbered placeholders and their values.
#[derive(Debug, Clone, Default)]
pub struct Sql {
    pub text: String,
    pub args: Vec<Val>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_string(),
            args: Vec::new(),
        }
    }
    /// Appends raw SQL text (never user input).
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }
    /// Appends a placeholder for `v`. NULLs are written as the literal `NULL`: sqlx's `Any`
    /// sends a NULL double as a float4 parameter, and a cached PostgreSQL statement prepared
    /// with that type then rejects a real double in the same position (SQLSTATE 22P03).
    pub fn bind(&mut self, v: impl Into<Val>) -> &mut Self {
        let v = v.into();
        if matches!(v, Val::NullI64 | Val::NullF64 | Val::NullText) {
            self.text.push_str("NULL");
            return self;
        }
        self.args.push(v);
        self.text.push('$');
        push_decimal(&mut self.text, self.args.len());
        self
    }
    /// SQLite: rewrites the `$1, $2, …` that `bind` wrote as `?`. SQLite finds a numbered
    /// parameter by a linear scan, so binding a statement with thousands of them is quadratic;
    /// `?` binds in order, which is the order `bind` numbered them. Only for text built here
    /// (no `$` in literals).
    pub fn anonymous_placeholders(&mut self) -> &mut Self {
        let mut out = String::with_capacity(self.text.len());
        let mut chars = self.text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
                out.push('?');
            } else {
                out.push(c);
            }
        }
        self.text = out;
        self
    }
    /// Large statements (thousands of parameters): on SQLite, `?` instead of `$n` (see
    /// [`Sql::anonymous_placeholders`]); on PostgreSQL, unchanged.
    pub fn many_placeholders(&mut self, backend: Backend) -> &mut Self {
        if backend == Backend::Sqlite {
            self.anonymous_placeholders();
        }
        self
    }
    /// `INSERT … VALUES` that skips rows whose key exists: SQLite `INSERT OR IGNORE` (no row
    /// can abort the statement, so SQLite keeps no statement journal); PostgreSQL `ON CONFLICT
    /// (key) DO NOTHING`, appended by [`Sql::ignore_conflicts`] after the rows.
    pub fn insert_ignoring(backend: Backend, table_and_columns: &str) -> Sql {
        Sql::new(&match backend {
            Backend::Sqlite => format!("INSERT OR IGNORE INTO {table_and_columns} VALUES "),
            Backend::Postgres => format!("INSERT INTO {table_and_columns} VALUES "),
        })
    }
    /// The end of [`Sql::insert_ignoring`]: `key` is the conflict target, e.g. `(a, b)`.
    pub fn ignore_conflicts(&mut self, backend: Backend, key: &str) -> &mut Self {
        if backend == Backend::Postgres {
            self.push(&format!(" ON CONFLICT {key} DO NOTHING"));
        }
        self
    }
    /// Appends `text` then a placeholder: `sql.push_bind(" AND a = ", x)`.
    pub fn push_bind(&mut self, text: &str, v: impl Into<Val>) -> &mut Self {
        self.push(text).bind(v)
    }
    /// Appends a row of values `(p1, p2, …)` for INSERT … VALUES.
    pub fn values(&mut self, row: Vec<Val>) -> &mut Self {
        self.bind_list(row)
    }
    /// Appends `(p1, p2, …)` for an IN list.
    pub fn bind_list<V: Into<Val>>(&mut self, values: impl IntoIterator<Item = V>) -> &mut Self {
        self.push("(");
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.bind(v);
        }
        self.push(")")
    }

    pub fn query(self) -> sqlx::query::Query<'static, sqlx::Any, AnyArguments> {
        let mut args = AnyArguments::default();
        for v in self.args {
            // Adding a supported type to AnyArguments cannot fail.
            let _ = match v {
                Val::I64(x) => args.add(x),
                Val::F64(x) => args.add(x),
                Val::Text(x) => args.add(x),
                Val::NullI64 => args.add(None::<i64>),
                Val::NullF64 => args.add(None::<f64>),
                Val::NullText => args.add(None::<String>),
            };
        }
        sqlx::query_with(AssertSqlSafe(self.text), args)
    }

    // The executing methods take `&mut self` so that a builder chain can end in them; the
    // statement is consumed.
    pub async fn execute(&mut self, tx: &mut Tx) -> StoreResult<u64> {
        Ok(std::mem::take(self)
            .query()
            .execute(&mut **tx)
            .await?
            .rows_affected())
    }
    pub async fn fetch_optional(&mut self, tx: &mut Tx) -> StoreResult<Option<AnyRow>> {
        Ok(std::mem::take(self)
            .query()
            .fetch_optional(&mut **tx)
            .await?)
    }
    pub async fn fetch_all(&mut self, tx: &mut Tx) -> StoreResult<Vec<AnyRow>> {
        Ok(std::mem::take(self).query().fetch_all(&mut **tx).await?)
    }
    pub async fn fetch_one(&mut self, tx: &mut Tx) -> StoreResult<AnyRow> {
        Ok(std::mem::take(self).query().fetch_one(&mut **tx).await?)
    }
}

/// Appends `n` in decimal without the formatting machinery (ingest binds 100,000 values a
/// second).
fn push_decimal(out: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for d in &digits[i..] {
        out.push(char::from(*d));
    }
}

/// Paging as the API takes it (1-based page).
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub page: i64,
    pub page_size: i64,
}

impl Page {
    pub fn new(page: Option<i64>, page_size: Option<i64>) -> Self {
        Self {
            page: page.unwrap_or(1).max(1),
            page_size: page_size.unwrap_or(20).clamp(1, 500),
        }
    }
    pub fn push_limit(&self, sql: &mut Sql) {
        sql.push_bind(" LIMIT ", self.page_size)
            .push_bind(" OFFSET ", (self.page - 1) * self.page_size);
    }
}

/// Escapes LIKE wildcards in user text; pair with `ESCAPE '\'`.
pub fn like_contains(s: &str) -> String {
    let mut out = String::from("%");
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The next number of a named sequence (1, 2, …), inside the caller's transaction so a number
/// is used once even when writers race. Human codes (隐患编号, 事件编号) are built from these.
pub async fn next_in_sequence(tx: &mut Tx, name: &str) -> StoreResult<i64> {
    use sqlx::Row;
    let mut q = Sql::new("INSERT INTO hazard_code_seq (scope, next) VALUES (");
    q.bind(name).push(
        ", 1) ON CONFLICT (scope) DO UPDATE SET next = hazard_code_seq.next + 1 RETURNING next",
    );
    Ok(q.fetch_one(tx).await?.try_get(0)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered() {
        let mut s = Sql::new("SELECT * FROM t WHERE a = ");
        s.bind(1i64)
            .push_bind(" AND b IN ", "x")
            .push(" AND c IN ")
            .bind_list(["p", "q"])
            .push_bind(" AND d = ", None::<f64>);
        assert_eq!(
            s.text,
            "SELECT * FROM t WHERE a = $1 AND b IN $2 AND c IN ($3, $4) AND d = NULL"
        );
        assert_eq!(s.args.len(), 4);
    }

    #[test]
    fn decimals() {
        for n in [0usize, 7, 10, 99, 1234, 100_000, usize::MAX] {
            let mut out = String::from("$");
            push_decimal(&mut out, n);
            assert_eq!(out, format!("${n}"));
        }
    }

    #[test]
    fn urls() {
        assert_eq!(Backend::from_url("sqlite://x.db").unwrap(), Backend::Sqlite);
        assert_eq!(
            Backend::from_url("postgres://u:p@h/db").unwrap(),
            Backend::Postgres
        );
        assert!(Backend::from_url("mysql://x").is_err());
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(like_contains("a%b"), "%a\\%b%");
    }
}
