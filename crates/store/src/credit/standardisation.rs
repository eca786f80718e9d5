//! 安全生产标准化等级 of an enterprise: one current grade per enterprise, written when the
//! department confirms the enterprise's proposal or edits it directly.

use crate::{Sql, Store, StoreResult, Tx};
use serde::Serialize;
use sqlx::Row;
use yingji_core::credit::standardisation::{CheckedStandardisation, grade_label};

#[derive(Debug, Clone, Serialize)]
pub struct Standardisation {
    pub enterprise_id: String,
    pub grade: i64,
    pub grade_label: String,
    pub certificate_number: String,
    pub valid_until: String,
    pub status: String,
    pub updated_by: String,
    pub updated_ms: i64,
}

/// The enterprise's grade, if it has one (the caller has checked it may see the enterprise).
pub async fn of_enterprise(
    store: &Store,
    enterprise_id: &str,
) -> StoreResult<Option<Standardisation>> {
    let mut q = Sql::new("SELECT * FROM credit_standardisations WHERE enterprise_id = ");
    q.bind(enterprise_id);
    let Some(r) = store.fetch_optional(q).await? else {
        return Ok(None);
    };
    let grade: i64 = r.try_get("grade")?;
    Ok(Some(Standardisation {
        enterprise_id: r.try_get("enterprise_id")?,
        grade,
        grade_label: grade_label(grade).into(),
        certificate_number: r.try_get("certificate_number")?,
        valid_until: r.try_get("valid_until")?,
        status: r.try_get("status")?,
        updated_by: r.try_get("updated_by")?,
        updated_ms: r.try_get("updated_ms")?,
    }))
}

/// Writes the enterprise's confirmed grade (replacing the one before).
pub async fn save_in(
    tx: &mut Tx,
    now: i64,
    by: &str,
    enterprise_id: &str,
    s: &CheckedStandardisation,
) -> StoreResult<()> {
    let mut d = Sql::new("DELETE FROM credit_standardisations WHERE enterprise_id = ");
    d.bind(enterprise_id);
    d.execute(tx).await?;
    let mut q = Sql::new(
        "INSERT INTO credit_standardisations (enterprise_id, grade, certificate_number, valid_until, status, updated_by, updated_ms) VALUES ",
    );
    q.values(vec![
        enterprise_id.into(),
        s.grade.into(),
        s.certificate_number.as_str().into(),
        s.valid_until.to_string().into(),
        "confirmed".into(),
        by.into(),
        now.into(),
    ]);
    q.execute(tx).await?;
    Ok(())
}
