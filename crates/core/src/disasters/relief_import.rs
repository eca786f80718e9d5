//! A township's relief list (.xlsx/.csv) as entries: the columns, a row's cells as an
//! [`EntryInput`] (phase and kind by their Chinese labels, the township by code or name), and
//! the field errors of a row as the import report's row errors.

use crate::directory::import::RowError;
use crate::disasters::relief::{EntryInput, KINDS, PHASES};
use crate::kernel::validation::Invalid;

/// (header, field, required).
pub const COLUMNS: &[(&str, &str, bool)] = &[
    ("救助阶段", "phase", true),
    ("乡镇（街道）", "township", true),
    ("村（社区）", "village", true),
    ("姓名", "name", true),
    ("公民身份号码", "id_number", true),
    ("家庭人口", "household", true),
    ("联系电话", "phone", false),
    ("救助方式", "kind", true),
    ("金额（元）", "amount", true),
    ("物资明细", "items", false),
    ("发放时间", "given_at", false),
    ("银行卡（社保卡）号", "card_number", false),
];

fn code_of(list: &[(&str, &str)], text: &str) -> String {
    let t = text.trim();
    list.iter()
        .find(|x| x.1 == t || x.0 == t)
        .map_or_else(|| t.to_string(), |x| x.0.to_string())
}

/// Whether the header row names the columns in order.
pub fn header_ok(cells: &[String]) -> bool {
    cells.len() >= COLUMNS.len()
        && COLUMNS
            .iter()
            .zip(cells)
            .all(|(c, h)| h.trim().trim_end_matches('*') == c.0)
}

/// A data row as an entry; the township by code or by name among the process's.
pub fn row_input(cells: &[String], townships: &[(String, String)]) -> Result<EntryInput, RowError> {
    let cell = |i: usize| cells.get(i).map_or("", |s| s.trim()).to_string();
    let opt = |i: usize| Some(cell(i)).filter(|s| !s.is_empty());
    let t = cell(1);
    let township = townships
        .iter()
        .find(|x| x.1 == t)
        .map_or(t.clone(), |x| x.0.clone());
    let household = cell(5).parse::<i64>().map_err(|_| RowError {
        row: 0,
        column: COLUMNS[5].0.into(),
        reason: format!("家庭人口“{}”应为整数", cell(5)),
    })?;
    Ok(EntryInput {
        phase: code_of(PHASES, &cell(0)),
        township,
        village: cell(2),
        name: cell(3),
        id_number: cell(4),
        household,
        phone: opt(6),
        kind: code_of(KINDS, &cell(7)),
        amount: cell(8),
        items: opt(9),
        given_at: opt(10),
        card_number: opt(11),
        progress: None,
        percent: None,
    })
}

/// The field errors of row `row` under their column headers.
pub fn row_errors(row: usize, invalid: &Invalid) -> Vec<RowError> {
    invalid
        .0
        .iter()
        .map(|e| RowError {
            row,
            column: COLUMNS
                .iter()
                .find(|c| c.1 == e.field)
                .map_or(e.field.clone(), |c| c.0.to_string()),
            reason: e.message.clone(),
        })
        .collect()
}
