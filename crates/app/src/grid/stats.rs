//! 网格事件统计: the figures of a span within the reader's reach — by source, category, unit and
//! street, the on-time rates of 签收/处置/反馈, satisfaction, the cards issued, the hot spots and
//! the rewards paid — and the events for the export, never with the reporter.

use super::events::config_of;
use std::collections::BTreeMap;
use yingji_core::grid::events::{Source, source_label, status_label};
use yingji_core::grid::events_config::GridEventConfig;
use yingji_core::grid::stats::{
    NOT_A_STATS_READER, Reach, Span, Tally, check_street, on_time, parse_span, reach,
};
use yingji_core::kernel::clock::today;
use yingji_store::grid::stats::{self as rows, EventLine, Group, StatsQuery};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreError, StoreResult};

/// What a request asks for, as the query gives it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ask<'a> {
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub street: Option<&'a str>,
}

/// A line of a breakdown.
#[derive(Debug, Clone)]
pub struct Line {
    pub key: String,
    pub label: String,
    pub tally: Tally,
}

/// A hot spot: its events' mean point, how many, and their categories (label, events).
#[derive(Debug, Clone)]
pub struct HotSpot {
    pub lon: f64,
    pub lat: f64,
    pub events: i64,
    pub categories: Vec<(String, String, i64)>,
}

/// The statistics of a span.
#[derive(Debug, Clone)]
pub struct Report {
    pub span: Span,
    pub street: Option<String>,
    pub totals: Tally,
    pub merged: i64,
    pub sources: Vec<Line>,
    pub categories: Vec<Line>,
    pub units: Vec<Line>,
    pub streets: Vec<Line>,
    pub yellow_cards: i64,
    pub red_cards: i64,
    pub hot_spots: Vec<HotSpot>,
    /// Rewards paid in the span (count, 分): the bureau's district figure only (none for a
    /// street, a department, or a street filter).
    pub rewards: Option<(i64, i64)>,
}

/// The checked request: the reach, the span, the street.
struct Checked {
    reach: Reach,
    span: Span,
    street: Option<String>,
}

fn check(ctx: &Ctx, now_ms: i64, ask: &Ask<'_>) -> StoreResult<Checked> {
    let Some(reach) = reach(ctx.role) else {
        return Err(StoreError::Forbidden(NOT_A_STATS_READER.into()));
    };
    let span = parse_span(ask.from, ask.to, today(now_ms))?;
    let street = check_street(ask.street, ctx.scope.region_prefix().unwrap_or(""))?;
    Ok(Checked {
        reach,
        span,
        street,
    })
}

fn query<'a>(c: &'a Checked, now_ms: i64) -> StatsQuery<'a> {
    let (from_ms, to_ms) = c.span.range_ms();
    StatsQuery {
        reach: c.reach,
        from_ms,
        to_ms,
        now_ms,
        street: c.street.as_deref(),
    }
}

/// The district configurations the groups refer to (for the categories' names).
async fn configs(
    store: &Store,
    districts: impl Iterator<Item = &str>,
) -> StoreResult<Vec<GridEventConfig>> {
    let mut seen: Vec<&str> = districts.collect();
    seen.sort_unstable();
    seen.dedup();
    let mut out = Vec::new();
    for d in seen {
        out.push(config_of(store, d).await?);
    }
    Ok(out)
}

fn category_label(configs: &[GridEventConfig], code: &str) -> String {
    configs
        .iter()
        .find_map(|c| c.category(code).map(|c| c.name.clone()))
        .unwrap_or_else(|| code.to_string())
}

fn tally_of(g: &Group) -> Tally {
    Tally {
        events: g.events,
        closed: g.closed,
        accept: g.accept,
        handle: g.handle,
        feedback: g.feedback,
        satisfaction: g.satisfaction,
    }
}

/// Adds `t` to the line of `key` (named `label` the first time).
fn add(lines: &mut BTreeMap<String, Line>, key: &str, label: impl FnOnce() -> String, t: &Tally) {
    lines
        .entry(key.to_string())
        .or_insert_with(|| Line {
            key: key.to_string(),
            label: label(),
            tally: Tally::default(),
        })
        .tally
        .add(t);
}

fn most_first(lines: BTreeMap<String, Line>) -> Vec<Line> {
    let mut v: Vec<Line> = lines.into_values().collect();
    v.sort_by(|a, b| b.tally.events.cmp(&a.tally.events).then(a.key.cmp(&b.key)));
    v
}

/// The statistics the caller may read.
// Long because: the independent reads run side by side, then one pass rolls the groups up.
pub async fn report(store: &Store, ctx: &Ctx, now_ms: i64, ask: &Ask<'_>) -> StoreResult<Report> {
    let c = check(ctx, now_ms, ask)?;
    let q = query(&c, now_ms);
    let rewards = async {
        if c.reach != Reach::District || c.street.is_some() {
            return Ok(None);
        }
        let prefix = ctx.scope.region_prefix().unwrap_or("");
        let (from, to) = (q.from_ms, q.to_ms);
        yingji_store::grid::rewards::paid_in_span(store, prefix, from, to)
            .await
            .map(Some)
    };
    let (groups, merged, (yellow_cards, red_cards), spots, rewards) = tokio::try_join!(
        rows::groups(store, ctx, &q),
        rows::merged(store, ctx, &q),
        rows::cards(store, ctx, &q),
        rows::hot_spots(store, ctx, &q),
        rewards,
    )?;
    let configs = configs(store, groups.iter().map(|g| g.district_code.as_str())).await?;
    let mut totals = Tally::default();
    let mut sources: BTreeMap<String, Line> = BTreeMap::new();
    for s in Source::ALL {
        add(
            &mut sources,
            s.as_str(),
            || s.label().into(),
            &Tally::default(),
        );
    }
    let (mut categories, mut units, mut streets) =
        (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    for g in &groups {
        let t = tally_of(g);
        totals.add(&t);
        add(
            &mut sources,
            &g.source,
            || source_label(&g.source).into(),
            &t,
        );
        add(
            &mut categories,
            &g.category,
            || category_label(&configs, &g.category),
            &t,
        );
        let unit_key = format!("{}:{}", g.unit_kind, g.unit_id);
        add(
            &mut units,
            &unit_key,
            || {
                if g.unit_kind.is_empty() {
                    "值班室（待分拨）".into()
                } else {
                    g.unit_name.clone()
                }
            },
            &t,
        );
        add(&mut streets, &g.street_code, || g.street_name.clone(), &t);
    }
    let hot_spots = spots
        .into_iter()
        .map(|s| HotSpot {
            lon: s.lon,
            lat: s.lat,
            events: s.events,
            categories: s
                .categories
                .into_iter()
                .map(|(code, n)| (category_label(&configs, &code), code, n))
                .collect(),
        })
        .collect();
    let mut ordered: Vec<Line> = Source::ALL
        .iter()
        .filter_map(|s| sources.remove(s.as_str()))
        .collect();
    ordered.extend(sources.into_values());
    Ok(Report {
        span: c.span,
        street: c.street.clone(),
        totals,
        merged,
        sources: ordered,
        categories: most_first(categories),
        units: most_first(units),
        streets: streets.into_values().collect(),
        yellow_cards,
        red_cards,
        hot_spots,
        rewards,
    })
}

/// One event of the export, labelled and judged: no reporter, no tracking code.
#[derive(Debug, Clone)]
pub struct EventRow {
    pub line: EventLine,
    pub source_label: String,
    pub category_label: String,
    pub status_label: String,
    pub accept_on_time: Option<bool>,
    pub handle_on_time: Option<bool>,
    pub feedback_on_time: Option<bool>,
}

/// The events of the span within reach for the export, at most `limit`.
pub async fn events(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    ask: &Ask<'_>,
    limit: i64,
) -> StoreResult<(Span, Vec<EventRow>)> {
    let c = check(ctx, now_ms, ask)?;
    let lines = rows::events(store, ctx, &query(&c, now_ms), limit).await?;
    let configs = configs(store, lines.iter().map(|l| l.district_code.as_str())).await?;
    let out = lines
        .into_iter()
        .map(|l| EventRow {
            source_label: source_label(&l.source).into(),
            category_label: category_label(&configs, &l.category),
            status_label: status_label(&l.status).into(),
            accept_on_time: on_time(l.accepted_ms, l.accept_due_ms, now_ms),
            handle_on_time: on_time(l.handled_ms, l.handle_due_ms, now_ms),
            feedback_on_time: on_time(l.answered_ms, l.feedback_due_ms, now_ms),
            line: l,
        })
        .collect();
    Ok((c.span, out))
}
