//! The facts a rating reads, gathered from the platform's own tables: accidents (incidents of the
//! 生产安全事故 category), penalty decisions with their document numbers, penalties executed by
//! the court (拒不履行), 重大隐患 overdue, and the department's adjustments. One enterprise's in
//! the writer's transaction, or everyone's at once for the bulk recompute.
//!
//! The sources of the other credit parts (missed commitments, 标准化, insurance, listings) return
//! nothing in this branch: they are wired after the merge.

use crate::{Sql, StoreResult, Tx};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::HashMap;
use yingji_core::credit::facts::{
    AccidentFact, AdjustmentFact, DatedFact, Facts, PenaltyFact, PeriodFact,
};
use yingji_core::kernel::clock::{Date, today};
use yingji_core::response::incident::Severity;

/// The facts' sources, each a query selecting `enterprise_id` first.
#[derive(Clone, Copy)]
enum Source {
    Accidents,
    Penalties,
    Refusals,
    MajorHazards,
    Adjustments,
}

const SOURCES: [Source; 5] = [
    Source::Accidents,
    Source::Penalties,
    Source::Refusals,
    Source::MajorHazards,
    Source::Adjustments,
];

impl Source {
    fn sql(self) -> &'static str {
        match self {
            Self::Accidents => {
                "SELECT enterprise_id, id, title, severity, occurred_ms FROM incidents WHERE category = 'accident' AND enterprise_id IS NOT NULL"
            }
            Self::Penalties => {
                "SELECT c.enterprise_id, c.id, c.title, c.decided_day, (SELECT d.number FROM enforcement_documents d WHERE d.kind = 'penalty_decision' AND d.subject_id = c.id ORDER BY d.version DESC LIMIT 1) AS number FROM enforcement_cases c WHERE c.decided_day IS NOT NULL"
            }
            Self::Refusals => {
                "SELECT c.enterprise_id, c.id, c.title, c.payment_due FROM enforcement_cases c WHERE c.compulsory = 1 AND c.payment_due IS NOT NULL"
            }
            Self::MajorHazards => {
                "SELECT enterprise_id, id, code, deadline FROM hazards WHERE level = 'major' AND overdue = 1 AND deadline IS NOT NULL AND enterprise_id IS NOT NULL"
            }
            Self::Adjustments => {
                "SELECT enterprise_id, id, day, points, reason FROM credit_adjustments WHERE 1 = 1"
            }
        }
    }
    fn column(self) -> &'static str {
        match self {
            Self::Penalties | Self::Refusals => "c.enterprise_id",
            _ => "enterprise_id",
        }
    }
}

fn day(s: &str) -> Option<Date> {
    s.get(..10)?.parse().ok()
}

/// Adds one row of `source` to `f` (rows with an unreadable day are skipped).
fn add(source: Source, r: &AnyRow, f: &mut Facts) -> StoreResult<()> {
    let id: String = r.try_get("id")?;
    match source {
        Source::Accidents => {
            let Some(severity) = Severity::from_rank(r.try_get("severity")?) else {
                return Ok(());
            };
            f.accidents.push(AccidentFact {
                id,
                day: today(r.try_get("occurred_ms")?),
                title: r.try_get("title")?,
                severity,
            });
        }
        Source::Penalties => {
            if let Some(d) = day(&r.try_get::<String, _>("decided_day")?) {
                f.penalties.push(PenaltyFact {
                    case_id: id,
                    day: d,
                    number: r.try_get("number")?,
                    title: r.try_get("title")?,
                });
            }
        }
        Source::Refusals => {
            if let Some(d) = day(&r.try_get::<String, _>("payment_due")?) {
                let title: String = r.try_get("title")?;
                f.refused_rectifications.push(DatedFact {
                    id,
                    day: d,
                    text: format!("逾期不履行行政处罚决定（{title}），申请强制执行"),
                });
            }
        }
        Source::MajorHazards => {
            if let Some(d) = day(&r.try_get::<String, _>("deadline")?) {
                let code: String = r.try_get("code")?;
                f.overdue_major_hazards.push(DatedFact {
                    id,
                    day: d,
                    text: format!("重大事故隐患 {code} 逾期未整改"),
                });
            }
        }
        Source::Adjustments => {
            if let Some(d) = day(&r.try_get::<String, _>("day")?) {
                f.adjustments.push(AdjustmentFact {
                    id,
                    day: d,
                    points: r.try_get::<i64, _>("points")? as i32,
                    reason: r.try_get("reason")?,
                });
            }
        }
    }
    Ok(())
}

/// One enterprise's facts, read in the writer's transaction.
pub async fn for_enterprise_in(tx: &mut Tx, enterprise_id: &str) -> StoreResult<Facts> {
    let mut all = gather(tx, Some(enterprise_id)).await?;
    Ok(all.remove(enterprise_id).unwrap_or_default())
}

/// Every enterprise's facts (those with none are absent from the map), read in the caller's
/// transaction.
pub async fn all_in(tx: &mut Tx) -> StoreResult<HashMap<String, Facts>> {
    gather(tx, None).await
}

async fn gather(tx: &mut Tx, only: Option<&str>) -> StoreResult<HashMap<String, Facts>> {
    let mut out: HashMap<String, Facts> = HashMap::new();
    for s in SOURCES {
        let mut q = Sql::new(s.sql());
        if let Some(id) = only {
            q.push_bind(&format!(" AND {} = ", s.column()), id);
        }
        for r in q.fetch_all(&mut *tx).await? {
            let id: String = r.try_get("enterprise_id")?;
            add(s, &r, out.entry(id).or_default())?;
        }
    }
    for (id, x) in missed_commitments_in(tx, only).await? {
        out.entry(id).or_default().missed_commitments.push(x);
    }
    for (id, x) in standardisations_in(tx, only).await? {
        out.entry(id).or_default().standardisations.push(x);
    }
    for (id, x) in insurance_policies_in(tx, only).await? {
        out.entry(id).or_default().insurance.push(x);
    }
    for (id, x) in listings_in(tx, only).await? {
        out.entry(id).or_default().listings.push(x);
    }
    Ok(out)
}

/// Days an enterprise's 安全承诺 was missing (credit_commitment_misses of h-commit), each with
/// its enterprise; `only` one enterprise's.
// Wired after the merge.
pub async fn missed_commitments_in(
    _tx: &mut Tx,
    _only: Option<&str>,
) -> StoreResult<Vec<(String, DatedFact)>> {
    Ok(Vec::new())
}

/// 标准化 certificates (credit_standardisations of h-dossier; grade 1–3, from/until).
// Wired after the merge.
pub async fn standardisations_in(
    _tx: &mut Tx,
    _only: Option<&str>,
) -> StoreResult<Vec<(String, PeriodFact)>> {
    Ok(Vec::new())
}

/// 安责险 policies in force (credit_insurance_policies of h-insure).
// Wired after the merge.
pub async fn insurance_policies_in(
    _tx: &mut Tx,
    _only: Option<&str>,
) -> StoreResult<Vec<(String, PeriodFact)>> {
    Ok(Vec::new())
}

/// The units' 严重失信主体名单 listings (credit_listings of h-listing, subject_kind 'unit';
/// until = removed_day or expires_day).
// Wired after the merge.
pub async fn listings_in(
    _tx: &mut Tx,
    _only: Option<&str>,
) -> StoreResult<Vec<(String, PeriodFact)>> {
    Ok(Vec::new())
}
