//! 导入企业 after parsing: the checks of the rows that need what the database holds (codes
//! already registered, grids that exist) and the caller's scope, the import modes, and the
//! import's audit summary.

use super::RowError;
use crate::directory::access::covers_enterprise;
use crate::directory::enterprise::{EnterpriseFields, EnterpriseInput};
use crate::kernel::role::Scope;
use std::collections::BTreeSet;

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
    /// Whether the good rows are stored, given the errors found (listed or only counted) and
    /// how many rows passed.
    pub fn stores(self, errors: usize, good: usize) -> bool {
        match self {
            Self::Check => false,
            Self::Strict => errors == 0,
            Self::ValidOnly => good > 0,
        }
    }

    /// Audit summary of an import that stored `count` enterprises.
    pub fn summary(self, count: usize) -> String {
        let which = if self == Self::ValidOnly {
            "仅有效行"
        } else {
            "全部"
        };
        format!("导入企业{count}家（{which}）")
    }
}

/// The rows' 统一社会信用代码, as stored (upper case), to look up.
pub fn codes_of(valid: &[(usize, EnterpriseInput)]) -> Vec<String> {
    valid
        .iter()
        .map(|(_, i)| i.uscc.trim().to_ascii_uppercase())
        .collect()
}

/// The grids the rows name, each once, to look up.
pub fn grids_of(valid: &[(usize, EnterpriseInput)]) -> Vec<String> {
    valid
        .iter()
        .map(|(_, i)| i.grid_code.trim().to_string())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// What the database holds of the rows' codes and grids.
#[derive(Debug, Default, Clone)]
pub struct Known {
    /// Codes already registered.
    pub registered: Vec<String>,
    /// Grids (or communities) that exist.
    pub grids: Vec<String>,
}

/// The rows the parser passed, checked against `known` and the caller's `scope`: the fields of
/// the rows that pass, and the errors of the others (by row and column).
pub fn check_known(
    valid: Vec<(usize, EnterpriseInput)>,
    known: &Known,
    scope: &Scope,
) -> (Vec<EnterpriseFields>, Vec<RowError>) {
    let mut good = Vec::new();
    let mut errors = Vec::new();
    for (row, input) in valid {
        let Ok(fields) = input.validate() else {
            continue;
        };
        let row_errors = row_errors(row, &fields, known, scope);
        if row_errors.is_empty() {
            good.push(fields);
        } else {
            errors.extend(row_errors);
        }
    }
    (good, errors)
}

fn row_errors(row: usize, f: &EnterpriseFields, known: &Known, scope: &Scope) -> Vec<RowError> {
    let mut errors = Vec::new();
    if known.registered.iter().any(|c| c == f.uscc.as_str()) {
        errors.push(RowError {
            row,
            column: "统一社会信用代码".into(),
            reason: format!("统一社会信用代码“{}”已登记", f.uscc),
        });
    }
    if !known.grids.contains(&f.grid_code) {
        errors.push(RowError {
            row,
            column: "所属网格代码".into(),
            reason: format!("网格“{}”不存在", f.grid_code),
        });
    } else if !covers_enterprise(scope, &f.grid_code, &f.categories) {
        errors.push(RowError {
            row,
            column: "所属网格代码".into(),
            reason: "超出您的管辖范围（所属网格或监管类别）".into(),
        });
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(uscc: &str, grid: &str) -> EnterpriseInput {
        EnterpriseInput {
            name: "九江某厂".into(),
            uscc: uscc.into(),
            industry_code: "C2614".into(),
            categories: vec!["危险化学品".into()],
            address: "浔阳区某路".into(),
            grid_code: grid.into(),
            ..Default::default()
        }
    }

    #[test]
    fn rows_checked_against_the_database_and_the_scope() {
        let valid = vec![
            (2, row("91350100M000100Y43", "360403001001001")),
            (3, row("91110000600037341l", "360403001001001")),
            (4, row("91350100M000100Y43", "360403001001009")),
            (5, row("91350100M000100Y43", "360403002001001")),
        ];
        assert_eq!(
            codes_of(&valid)[1],
            "91110000600037341L",
            "codes are looked up as stored"
        );
        assert_eq!(
            grids_of(&valid),
            ["360403001001001", "360403001001009", "360403002001001"]
        );
        let known = Known {
            registered: vec!["91110000600037341L".into()],
            grids: vec!["360403001001001".into(), "360403002001001".into()],
        };
        let scope = Scope::Region {
            region_code: "360403001".into(),
            prefix: "360403001".into(),
        };
        let (good, errors) = check_known(valid, &known, &scope);
        assert_eq!(good.len(), 1);
        let got: Vec<(usize, &str, &str)> = errors
            .iter()
            .map(|e| (e.row, e.column.as_str(), e.reason.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    3,
                    "统一社会信用代码",
                    "统一社会信用代码“91110000600037341L”已登记"
                ),
                (4, "所属网格代码", "网格“360403001001009”不存在"),
                (5, "所属网格代码", "超出您的管辖范围（所属网格或监管类别）"),
            ]
        );
    }

    #[test]
    fn modes() {
        use ImportMode::*;
        assert!(!Check.stores(0, 3));
        assert!(Strict.stores(0, 3));
        assert!(!Strict.stores(1, 3));
        assert!(ValidOnly.stores(5, 1));
        assert!(!ValidOnly.stores(0, 0));
        assert_eq!(ValidOnly.summary(3), "导入企业3家（仅有效行）");
        assert_eq!(Strict.summary(3), "导入企业3家（全部）");
    }
}
