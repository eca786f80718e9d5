//! The district's 灾情 summary over years with the plan's indicators, and the yearbook (GDP and
//! population per year) they divide by.

use yingji_core::disasters::processes::{NOT_A_READER, may_configure, may_read};
use yingji_core::disasters::summary::{
    self as core, Indicator, NOT_A_YEARBOOK_EDITOR, Summary, YearFigures, YearbookInput,
};
use yingji_store::disasters::summary::{self as store, YearbookEntry};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult, directory};

/// The summary and its indicators.
pub struct SummaryReport {
    pub summary: Summary,
    pub indicators: Vec<Indicator>,
}

/// The summary of the processes the caller may read, started in the years asked (the ten years
/// up to this one by default), with the indicators over the years that have yearbook figures.
pub async fn summary(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    from_year: Option<&str>,
    to_year: Option<&str>,
    kind: Option<&str>,
) -> StoreResult<SummaryReport> {
    if !may_read(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_READER.into()));
    }
    let q = core::parse_query(from_year, to_year, kind, now_ms)?;
    let year_kinds = store::year_kind_lines(store, ctx, &q).await?;
    let townships = store::township_lines(store, ctx, &q).await?;
    let summary = core::fold(&q, &year_kinds, &townships);
    let district = directory::regions::district_of_scope(store, &ctx.scope).await?;
    let book: Vec<YearFigures> = store::yearbook(store, &district)
        .await?
        .iter()
        .map(|e| YearFigures {
            year: i32::try_from(e.year).unwrap_or(0),
            gdp_hundredths: e.gdp_wan_yuan,
            population: e.population,
        })
        .collect();
    // A street's figures over the district's GDP and population would be no indicator at all.
    let indicators = match core::township_of(&ctx.scope) {
        None => core::indicators(&summary, &book),
        Some(_) => vec![],
    };
    Ok(SummaryReport {
        summary,
        indicators,
    })
}

/// The caller's district's yearbook.
pub async fn yearbook(store: &Store, ctx: &Ctx) -> StoreResult<Vec<YearbookEntry>> {
    if !may_read(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_READER.into()));
    }
    let district = directory::regions::district_of_scope(store, &ctx.scope).await?;
    store::yearbook(store, &district).await
}

/// Replaces the caller's district's yearbook (commanders and admins).
pub async fn save_yearbook(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    lines: &[YearbookInput],
) -> StoreResult<Vec<YearbookEntry>> {
    if !may_configure(ctx.role) {
        return Err(StoreError::Forbidden(NOT_A_YEARBOOK_EDITOR.into()));
    }
    let entries = core::parse_yearbook(lines)?;
    let district = directory::regions::district_of_scope(store, &ctx.scope).await?;
    let summary = format!("年度统计：{} 个年度的地区生产总值和常住人口", entries.len());
    let mut tx = store.begin().await?;
    store::save_yearbook_in(&mut tx, ctx, now_ms, &district, &entries, summary).await?;
    tx.commit().await?;
    store::yearbook(store, &district).await
}
