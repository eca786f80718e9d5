//! The facts a rating reads, gathered from the platform's own tables: accidents (incidents of the
//! 生产安全事故 category), penalty decisions with their document numbers, penalties executed by
//! the court (拒不履行), 重大隐患 overdue, and the department's adjustments. One enterprise's in
//! the writer's transaction, or everyone's at once for the bulk recompute. The other credit parts
//! add missed 安全承诺 days, 标准化 certificates, 安责险 policies and listings.

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

/// Days an enterprise's 安全承诺 was missing at the deadline (credit_commitment_misses), each
/// with its enterprise; `only` one enterprise's.
pub async fn missed_commitments_in(
    tx: &mut Tx,
    only: Option<&str>,
) -> StoreResult<Vec<(String, DatedFact)>> {
    let mut q = Sql::new(
        "SELECT enterprise_id, day FROM credit_commitment_misses WHERE 1 = 1",
    );
    if let Some(id) = only {
        q.push_bind(" AND enterprise_id = ", id);
    }
    let mut out = Vec::new();
    for r in q.fetch_all(&mut *tx).await? {
        let text: String = r.try_get("day")?;
        if let Some(d) = day(&text) {
            out.push((
                r.try_get("enterprise_id")?,
                DatedFact {
                    id: format!("miss-{text}"),
                    day: d,
                    text: format!("{text} 未按时提交安全承诺"),
                },
            ));
        }
    }
    Ok(out)
}

/// Periods of another credit part: each query selects enterprise_id, id, from_day, until_day
/// (NULL when open) and grade; rows with an unreadable start are skipped.
async fn periods_in(
    tx: &mut Tx,
    sql: &str,
    column: &str,
    only: Option<&str>,
) -> StoreResult<Vec<(String, PeriodFact)>> {
    let mut q = Sql::new(sql);
    if let Some(id) = only {
        q.push_bind(&format!(" AND {column} = "), id);
    }
    let mut out = Vec::new();
    for r in q.fetch_all(&mut *tx).await? {
        let from: String = r.try_get("from_day")?;
        let Some(from) = day(&from) else { continue };
        let until: Option<String> = r.try_get("until_day")?;
        out.push((
            r.try_get("enterprise_id")?,
            PeriodFact {
                id: r.try_get("id")?,
                from,
                until: until.as_deref().and_then(day),
                grade: u8::try_from(r.try_get::<i64, _>("grade")?).unwrap_or(0),
            },
        ));
    }
    Ok(out)
}

/// Confirmed 标准化 certificates (credit_standardisations; one per enterprise, grade 1–3). The
/// certificate's start is not recorded, so it counts from the day it was confirmed.
pub async fn standardisations_in(
    tx: &mut Tx,
    only: Option<&str>,
) -> StoreResult<Vec<(String, PeriodFact)>> {
    let mut q = Sql::new(
        "SELECT enterprise_id, grade, valid_until, updated_ms FROM credit_standardisations WHERE status = 'confirmed'",
    );
    if let Some(id) = only {
        q.push_bind(" AND enterprise_id = ", id);
    }
    let mut out = Vec::new();
    for r in q.fetch_all(&mut *tx).await? {
        let id: String = r.try_get("enterprise_id")?;
        let from = today(r.try_get("updated_ms")?);
        let until = day(&r.try_get::<String, _>("valid_until")?);
        let grade = u8::try_from(r.try_get::<i64, _>("grade")?).unwrap_or(0);
        out.push((id.clone(), PeriodFact { id, from, until, grade }));
    }
    Ok(out)
}

/// 安责险 policies in force or past (credit_insurance_policies, status active).
pub async fn insurance_policies_in(
    tx: &mut Tx,
    only: Option<&str>,
) -> StoreResult<Vec<(String, PeriodFact)>> {
    periods_in(
        tx,
        "SELECT enterprise_id, id, starts_day AS from_day, ends_day AS until_day, 0 AS grade FROM credit_insurance_policies WHERE status = 'active'",
        "enterprise_id",
        only,
    )
    .await
}

/// The units' 严重失信主体名单 listings (credit_listings, subject_kind 'unit', once listed): until
/// the day removed, else the end of the management period.
pub async fn listings_in(
    tx: &mut Tx,
    only: Option<&str>,
) -> StoreResult<Vec<(String, PeriodFact)>> {
    periods_in(
        tx,
        "SELECT enterprise_id, id, listed_day AS from_day, COALESCE(removed_day, expires_day) AS until_day, 0 AS grade FROM credit_listings WHERE subject_kind = 'unit' AND listed_day IS NOT NULL AND enterprise_id IS NOT NULL",
        "enterprise_id",
        only,
    )
    .await
}

/// The enterprises of a district flagged for a missing 安全承诺 on `day` (their ratings are
/// recomputed by the sweep that flagged them).
pub async fn missed_on_in(tx: &mut Tx, district: &str, day: &str) -> StoreResult<Vec<String>> {
    let mut q = Sql::new(
        "SELECT m.enterprise_id FROM credit_commitment_misses m JOIN enterprises e ON e.id = m.enterprise_id WHERE m.day = ",
    );
    q.bind(day).push_bind(" AND e.district_code = ", district);
    q.fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect()
}

/// The enterprises a 严重失信 case lists as units.
pub async fn listed_units_in(tx: &mut Tx, case_id: &str) -> StoreResult<Vec<String>> {
    let mut q = Sql::new(
        "SELECT DISTINCT enterprise_id FROM credit_listings WHERE subject_kind = 'unit' AND enterprise_id IS NOT NULL AND case_id = ",
    );
    q.bind(case_id);
    q.fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect()
}
