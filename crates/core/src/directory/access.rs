//! Who may do what in directory: pure role and scope decisions, asked by the store and the use
//! cases.

use crate::directory::enterprise::{EnterpriseFields, Supervised};
use crate::directory::enterprise_wording as words;
use crate::kernel::role::{Role, Scope};

/// The role of an account as stored: roles are checked on write, so a value that no longer
/// parses (a role since removed) gets the least power, 专家 (read-only inside a region).
pub fn stored_role(stored: &str) -> Role {
    Role::parse(stored).unwrap_or(Role::Expert)
}

/// Whether an enterprise record with this grid and these categories lies inside `scope` (for
/// writes): a region scope holds its grids, a department's also needs one of its categories,
/// an enterprise user places no record.
pub fn covers_enterprise(scope: &Scope, grid_code: &str, categories: &[String]) -> bool {
    match scope {
        Scope::All => true,
        Scope::Region { prefix, .. } => grid_code.starts_with(prefix.as_str()),
        Scope::Department {
            prefix,
            categories: own,
            ..
        } => grid_code.starts_with(prefix.as_str()) && categories.iter().any(|c| own.contains(c)),
        Scope::Enterprise { .. } | Scope::Insurer { .. } => false,
    }
}

/// The supervised fields as they are and as an enterprise would have them: a change it
/// proposes (企业信息变更) for its department to confirm.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub current: Supervised,
    pub proposed: Supervised,
}

/// The enterprise record an edit starts from: where it lies, its code and its supervised
/// fields.
#[derive(Debug, Clone, Copy)]
pub struct Before<'a> {
    pub grid_code: &'a str,
    pub uscc: &'a str,
    pub supervised: &'a Supervised,
}

/// How the caller's edit `f` of enterprise `before` applies. An enterprise user edits its own
/// record but keeps its 统一社会信用代码 and 所属网格 and only proposes the supervised fields:
/// they stay as they are in `f`, and the proposal is returned when it changes them. Anyone
/// else edits within their scope. The refusal is the message of a 403.
pub fn check_edit(
    scope: &Scope,
    before: Before<'_>,
    f: &mut EnterpriseFields,
) -> Result<Option<Proposal>, &'static str> {
    match scope {
        Scope::Enterprise { .. }
            if f.grid_code != before.grid_code || f.uscc.as_str() != before.uscc =>
        {
            Err(words::FIXED_FOR_ENTERPRISE)
        }
        Scope::Enterprise { .. } => {
            let proposed = Supervised::of(f);
            before.supervised.apply_to(f);
            Ok((proposed != *before.supervised).then(|| Proposal {
                current: before.supervised.clone(),
                proposed,
            }))
        }
        _ if !covers_enterprise(scope, &f.grid_code, &f.categories) => {
            Err(words::UPDATE_OUT_OF_SCOPE)
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::enterprise::EnterpriseInput;

    #[test]
    fn every_stored_role_reads_back_and_unknown_is_expert() {
        for role in Role::ALL {
            assert_eq!(stored_role(role.as_str()), role);
        }
        assert_eq!(stored_role("root"), Role::Expert);
        assert_eq!(stored_role(""), Role::Expert);
    }

    fn scopes() -> [Scope; 5] {
        [
            Scope::All,
            Scope::Region {
                region_code: "360403001".into(),
                prefix: "360403001".into(),
            },
            Scope::Department {
                department_id: "d1".into(),
                categories: vec!["hazchem".into()],
                region_code: "360403".into(),
                prefix: "360403".into(),
            },
            Scope::Department {
                department_id: "d2".into(),
                categories: vec!["mining".into()],
                region_code: "360403".into(),
                prefix: "360403".into(),
            },
            Scope::Enterprise {
                enterprise_id: "e1".into(),
            },
        ]
    }

    fn fields() -> EnterpriseFields {
        EnterpriseInput {
            name: "九江某化工有限公司".into(),
            uscc: "91350100M000100Y43".into(),
            industry_code: "C2614".into(),
            categories: vec!["hazchem".into()],
            address: "浔阳区某路1号".into(),
            grid_code: "360403001001001".into(),
            ..Default::default()
        }
        .validate()
        .unwrap()
    }

    #[test]
    fn which_scopes_cover_an_enterprise() {
        let hazchem = ["hazchem".to_string()];
        let covered: Vec<bool> = scopes()
            .iter()
            .map(|s| covers_enterprise(s, "360403001001001", &hazchem))
            .collect();
        assert_eq!(covered, [true, true, true, false, false]);
        let elsewhere: Vec<bool> = scopes()
            .iter()
            .map(|s| covers_enterprise(s, "360402001001001", &hazchem))
            .collect();
        assert_eq!(elsewhere, [true, false, false, false, false]);
    }

    #[test]
    fn how_each_scope_edits() {
        let before = fields();
        let current = Supervised::of(&before);
        let b = Before {
            grid_code: &before.grid_code,
            uscc: before.uscc.as_str(),
            supervised: &current,
        };
        // A new status: a direct edit inside the scope, a proposal for the enterprise itself.
        let outcomes: Vec<_> = scopes()
            .iter()
            .map(|s| {
                let mut f = before.clone();
                f.status = "suspended".into();
                check_edit(s, b, &mut f).map(|p| (p.is_some(), f.status))
            })
            .collect();
        let direct = Ok((false, "suspended".to_string()));
        assert_eq!(
            outcomes,
            [
                direct.clone(),
                direct.clone(),
                direct,
                Err(words::UPDATE_OUT_OF_SCOPE),
                Ok((true, "operating".to_string())),
            ]
        );
        let mut moved = before.clone();
        moved.grid_code = "360403001001002".into();
        let enterprise = &scopes()[4];
        assert_eq!(
            check_edit(enterprise, b, &mut moved),
            Err(words::FIXED_FOR_ENTERPRISE)
        );
        let mut same = before.clone();
        same.name = "九江某化工股份有限公司".into();
        assert_eq!(check_edit(enterprise, b, &mut same), Ok(None));
    }
}
