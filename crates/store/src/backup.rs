//! What `yingji backup` asks of the database (see docs/operations.md): an online, consistent
//! copy of a SQLite database, and the facts its manifest records. PostgreSQL is backed up with
//! its own tools (pg_dump, pgBackRest), not through here.

use crate::{Backend, Sql, Store, StoreError, StoreResult};

/// SQLite: `VACUUM INTO` the given file (which must not exist), from a connection of the pool,
/// beside running readers and writers: the copy is one consistent snapshot, WAL included.
pub async fn vacuum_into(store: &Store, target: &std::path::Path) -> StoreResult<()> {
    if store.backend != Backend::Sqlite {
        return Err(StoreError::invalid(
            "database_url",
            "只有 SQLite 数据库可以用 yingji backup 备份；PostgreSQL 请用 pg_dump 或 pgBackRest（见 docs/operations.md）",
        ));
    }
    let Some(path) = target.to_str() else {
        return Err(StoreError::invalid("to", "备份路径须为 UTF-8 字符"));
    };
    let mut q = Sql::new("VACUUM INTO ");
    q.bind(path.to_string());
    store.execute(q).await?;
    Ok(())
}

/// The highest applied migration (0 on a database never migrated).
pub async fn schema_version(store: &Store) -> StoreResult<i64> {
    let has_table = match store.backend {
        Backend::Sqlite => {
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        }
        Backend::Postgres => {
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
        }
    };
    if store.fetch_i64(Sql::new(has_table)).await? == 0 {
        return Ok(0);
    }
    store
        .fetch_i64(Sql::new(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        ))
        .await
}

/// How many attachments (photos, documents) the database holds: they live in it, so the
/// database copy carries them.
pub async fn attachment_count(store: &Store) -> StoreResult<i64> {
    store
        .fetch_i64(Sql::new("SELECT COUNT(*) FROM attachments"))
        .await
}
