//! One row written by its create or its edit through one column list (the registers, sensors,
//! protected objects): an INSERT, or an UPDATE of every column but the id, the creation time and
//! the columns an edit keeps.

use crate::db::Val;
use crate::{Sql, StoreResult, Tx};

/// How `write_row` writes: a new row, or the row `id` with every column but `id`,
/// `created_ms` and those in `keep` replaced.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target<'a> {
    Insert,
    Update { id: &'a str, keep: &'a [&'a str] },
}

impl<'a> Target<'a> {
    pub(crate) fn of(existing: Option<&'a str>, keep: &'a [&'a str]) -> Self {
        match existing {
            Some(id) => Target::Update { id, keep },
            None => Target::Insert,
        }
    }

    pub(crate) fn is_insert(&self) -> bool {
        matches!(self, Target::Insert)
    }
}

/// Writes one row of `table` from its columns and their values (same order).
pub(crate) async fn write_row(
    tx: &mut Tx,
    table: &str,
    columns: &[&str],
    values: Vec<Val>,
    target: Target<'_>,
) -> StoreResult<u64> {
    debug_assert_eq!(columns.len(), values.len());
    let mut q = match target {
        Target::Insert => {
            let mut q = Sql::new(&format!(
                "INSERT INTO {table} ({}) VALUES ",
                columns.join(", ")
            ));
            q.values(values);
            q
        }
        Target::Update { id, keep } => {
            let mut q = Sql::new(&format!("UPDATE {table} SET "));
            let mut first = true;
            for (c, v) in columns.iter().zip(values) {
                if *c == "id" || *c == "created_ms" || keep.contains(c) {
                    continue;
                }
                q.push(if first { "" } else { ", " })
                    .push(c)
                    .push(" = ")
                    .bind(v);
                first = false;
            }
            q.push_bind(" WHERE id = ", id);
            q
        }
    };
    q.execute(tx).await
}
