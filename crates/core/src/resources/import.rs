//! A register import (导入): what each mode stores, and its wording: the references a row names
//! that cannot be resolved, a row's failure as the report shows it, and the audit summary. The
//! columns and the row parser are in `register`.

use super::register::Register;
use crate::directory::import::{excerpt, shorten_quotes};

/// How an import stores its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// All rows or none.
    Strict,
    /// The valid rows; the others are reported.
    ValidOnly,
    /// Nothing: the report only.
    Check,
}

impl ImportMode {
    /// Whether the rows that passed are stored, given how many passed and how many errors the
    /// others were reported with.
    pub fn stores(self, valid_rows: usize, errors: usize) -> bool {
        match self {
            Self::Check => false,
            Self::Strict => errors == 0,
            Self::ValidOnly => valid_rows > 0,
        }
    }
}

/// No warehouse of that name is visible to the importer.
pub fn unknown_warehouse(name: &str) -> String {
    format!("储备库“{}”不存在", excerpt(name))
}

/// More than one visible warehouse has that name.
pub fn ambiguous_warehouse(name: &str) -> String {
    format!("有多个名为“{}”的储备库，请先改名区分", excerpt(name))
}

/// The material is neither a code nor a name of the catalogue.
pub fn unknown_material(material: &str) -> String {
    format!("物资“{}”不在应急物资目录中", excerpt(material))
}

/// No enterprise is registered with that 统一社会信用代码.
pub fn unknown_enterprise(uscc: &str) -> String {
    format!("统一社会信用代码“{}”的企业未登记", excerpt(uscc))
}

/// A row whose cells do not make the register's input.
pub fn bad_format(detail: &str) -> String {
    format!("数据格式不正确：{detail}")
}

/// One failure of row `row` as the report shows it.
pub fn row_reason(row: usize, message: &str) -> String {
    shorten_quotes(&format!("第{row}行{message}"))
}

/// A row that names a record that does not exist (or is not visible).
pub const MISSING_REFERENCE: &str = "引用的记录不存在";

/// The audit summary of an import of `rows` rows.
pub fn summary(register: Register, rows: usize) -> String {
    format!("导入{}{}条", register.name(), rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wording() {
        assert_eq!(unknown_warehouse("一号库"), "储备库“一号库”不存在");
        assert_eq!(row_reason(3, "姓名不能为空"), "第3行姓名不能为空");
        assert_eq!(
            summary(Register::Teams, 2),
            format!("导入{}2条", Register::Teams.name())
        );
    }

    #[test]
    fn what_each_mode_stores() {
        assert!(!ImportMode::Check.stores(3, 0));
        assert!(ImportMode::Strict.stores(3, 0));
        assert!(!ImportMode::Strict.stores(3, 1));
        assert!(ImportMode::ValidOnly.stores(3, 1));
        assert!(!ImportMode::ValidOnly.stores(0, 1));
    }
}
