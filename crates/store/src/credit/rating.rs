//! Each enterprise's current rating with its reasons, and the history of its changes with their
//! explanation; read within the caller's scope (the enterprises it may see).

use crate::directory::enterprises::{push_categories_on, push_region, push_scope};
use crate::kernel::audit::{self, Change};
use crate::{Actor, Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::credit::rating::{Rating, Reason};
use yingji_core::kernel::role::Scope;

/// A stored rating with its enterprise.
#[derive(Debug, Clone)]
pub struct RatingRow {
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub street_code: String,
    pub street_name: Option<String>,
    pub categories: Vec<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub tier: String,
    pub score: i64,
    pub reasons: Vec<Reason>,
    pub scheme_version: i64,
    pub as_of_day: String,
    pub computed_ms: i64,
}

/// One change of a rating.
#[derive(Debug, Clone)]
pub struct ChangeRow {
    pub id: String,
    pub old_tier: Option<String>,
    pub new_tier: String,
    pub old_score: Option<i64>,
    pub new_score: i64,
    pub cause: String,
    pub explanation: String,
    pub changed_ms: i64,
}

const SELECT: &str = "SELECT r.*, e.name AS enterprise_name, e.street_code, s.name AS street_name, e.categories, e.lon, e.lat FROM credit_ratings r JOIN enterprises e ON e.id = r.enterprise_id LEFT JOIN regions s ON s.code = e.street_code WHERE 1 = 1";

fn from_row(r: &AnyRow) -> StoreResult<RatingRow> {
    let cats: String = r.try_get("categories")?;
    Ok(RatingRow {
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        street_code: r.try_get("street_code")?,
        street_name: r.try_get("street_name")?,
        categories: cats
            .split(',')
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect(),
        lon: r.try_get("lon")?,
        lat: r.try_get("lat")?,
        tier: r.try_get("tier")?,
        score: r.try_get("score")?,
        reasons: serde_json::from_str(&r.try_get::<String, _>("reasons")?).unwrap_or_default(),
        scheme_version: r.try_get("scheme_version")?,
        as_of_day: r.try_get("as_of_day")?,
        computed_ms: r.try_get("computed_ms")?,
    })
}

/// Filters of the list.
#[derive(Debug, Clone, Default)]
pub struct RatingFilter {
    pub tier: Option<String>,
    pub street: Option<String>,
    pub category: Option<String>,
}

fn push_filter(q: &mut Sql, f: &RatingFilter) {
    if let Some(t) = &f.tier {
        q.push_bind(" AND r.tier = ", t.clone());
    }
    if let Some(s) = &f.street {
        push_region(q, s);
    }
    if let Some(c) = &f.category {
        q.push(" AND ");
        push_categories_on(q, "e", std::slice::from_ref(c));
    }
}

/// A page of the ratings the caller may see, lowest score first; with the total.
pub async fn list(
    store: &Store,
    scope: &Scope,
    f: &RatingFilter,
    page: &Page,
) -> StoreResult<(Vec<RatingRow>, i64)> {
    let mut c = Sql::new(
        "SELECT COUNT(*) FROM credit_ratings r JOIN enterprises e ON e.id = r.enterprise_id WHERE 1 = 1",
    );
    push_scope(&mut c, scope);
    push_filter(&mut c, f);
    let total = store.fetch_i64(c).await?;
    let mut q = Sql::new(SELECT);
    push_scope(&mut q, scope);
    push_filter(&mut q, f);
    q.push(" ORDER BY r.score, e.name");
    page.push_limit(&mut q);
    let rows = store.fetch_all(q).await?;
    Ok((
        rows.iter().map(from_row).collect::<StoreResult<_>>()?,
        total,
    ))
}

/// The count per tier of the ratings the caller may see.
pub async fn distribution(store: &Store, scope: &Scope) -> StoreResult<Vec<(String, i64)>> {
    let mut q = Sql::new(
        "SELECT r.tier, COUNT(*) AS n FROM credit_ratings r JOIN enterprises e ON e.id = r.enterprise_id WHERE 1 = 1",
    );
    push_scope(&mut q, scope);
    q.push(" GROUP BY r.tier");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("tier")?, r.try_get("n")?)))
        .collect()
}

/// One enterprise's rating, if the caller may see the enterprise and it was rated.
pub async fn get(store: &Store, scope: &Scope, enterprise_id: &str) -> StoreResult<RatingRow> {
    let mut q = Sql::new(SELECT);
    q.push_bind(" AND r.enterprise_id = ", enterprise_id);
    push_scope(&mut q, scope);
    from_row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// The stored tier and score of an enterprise, read in the writer's transaction.
pub async fn current_in(tx: &mut Tx, enterprise_id: &str) -> StoreResult<Option<(String, i64)>> {
    let mut q = Sql::new("SELECT tier, score FROM credit_ratings WHERE enterprise_id = ");
    q.bind(enterprise_id);
    Ok(match q.fetch_optional(tx).await? {
        Some(r) => Some((r.try_get("tier")?, r.try_get("score")?)),
        None => None,
    })
}

/// The history of an enterprise's rating, newest first, at most `limit` changes (the caller has
/// checked the scope).
pub async fn changes(
    store: &Store,
    enterprise_id: &str,
    limit: i64,
) -> StoreResult<Vec<ChangeRow>> {
    let mut q = Sql::new("SELECT * FROM credit_rating_changes WHERE enterprise_id = ");
    q.bind(enterprise_id)
        .push(" ORDER BY changed_ms DESC, id DESC")
        .push_bind(" LIMIT ", limit);
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(ChangeRow {
                id: r.try_get("id")?,
                old_tier: r.try_get("old_tier")?,
                new_tier: r.try_get("new_tier")?,
                old_score: r.try_get("old_score")?,
                new_score: r.try_get("new_score")?,
                cause: r.try_get("cause")?,
                explanation: r.try_get("explanation")?,
                changed_ms: r.try_get("changed_ms")?,
            })
        })
        .collect()
}

/// What a recompute writes.
pub struct Recorded<'a> {
    pub enterprise_id: &'a str,
    pub rating: &'a Rating,
    pub scheme_version: i64,
    pub as_of_day: String,
    pub old: Option<(String, i64)>,
    pub cause: &'a str,
    pub explanation: &'a str,
}

/// Writes the current rating; a new tier or score adds a history row, and a new tier is audited.
pub async fn record_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    w: &Recorded<'_>,
) -> StoreResult<()> {
    let reasons = serde_json::to_string(&w.rating.reasons).unwrap_or_default();
    let score = i64::from(w.rating.score);
    if w.old.is_some() {
        let mut u = Sql::new("UPDATE credit_ratings SET tier = ");
        u.bind(&w.rating.tier)
            .push_bind(", score = ", score)
            .push_bind(", reasons = ", reasons)
            .push_bind(", scheme_version = ", w.scheme_version)
            .push_bind(", as_of_day = ", w.as_of_day.clone())
            .push_bind(", computed_ms = ", now_ms)
            .push_bind(" WHERE enterprise_id = ", w.enterprise_id);
        u.execute(&mut *tx).await?;
    } else {
        let mut i = Sql::new(
            "INSERT INTO credit_ratings (enterprise_id, tier, score, reasons, scheme_version, as_of_day, computed_ms) VALUES ",
        );
        i.values(vec![
            w.enterprise_id.into(),
            w.rating.tier.clone().into(),
            score.into(),
            reasons.into(),
            w.scheme_version.into(),
            w.as_of_day.clone().into(),
            now_ms.into(),
        ]);
        i.execute(&mut *tx).await?;
    }
    let same = w
        .old
        .as_ref()
        .is_some_and(|(t, s)| *t == w.rating.tier && *s == score);
    if same {
        return Ok(());
    }
    let mut h = Sql::new(
        "INSERT INTO credit_rating_changes (id, enterprise_id, old_tier, new_tier, old_score, new_score, cause, explanation, changed_by, changed_ms) VALUES ",
    );
    h.values(vec![
        new_id().into(),
        w.enterprise_id.into(),
        w.old.as_ref().map(|o| o.0.clone()).into(),
        w.rating.tier.clone().into(),
        w.old.as_ref().map(|o| o.1).into(),
        score.into(),
        w.cause.into(),
        w.explanation.into(),
        actor.user_id.clone().into(),
        now_ms.into(),
    ]);
    h.execute(&mut *tx).await?;
    if w.old.as_ref().is_some_and(|(t, _)| *t != w.rating.tier) {
        audit::append(
            tx,
            now_ms,
            actor,
            Change {
                action: "credit.rating_change",
                entity_type: "credit_rating",
                entity_id: Some(w.enterprise_id),
                summary: w.explanation.to_string(),
                before: None,
                after: None,
            },
        )
        .await?;
    }
    Ok(())
}

/// The enterprises to rate: every enterprise's id and region code.
pub async fn enterprises_in(tx: &mut Tx) -> StoreResult<Vec<(String, String)>> {
    Sql::new("SELECT id, grid_code FROM enterprises ORDER BY id")
        .fetch_all(tx)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("grid_code")?)))
        .collect()
}

/// Every stored tier and score, for the bulk recompute.
pub async fn all_current_in(
    tx: &mut Tx,
) -> StoreResult<std::collections::HashMap<String, (String, i64)>> {
    Sql::new("SELECT enterprise_id, tier, score FROM credit_ratings")
        .fetch_all(tx)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("enterprise_id")?,
                (r.try_get("tier")?, r.try_get("score")?),
            ))
        })
        .collect()
}

/// The stored tiers of `ids` (for the inspection plan), in chunks within the bind limits.
pub async fn tiers_of(store: &Store, ids: &[String]) -> StoreResult<Vec<(String, String, String)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut q = Sql::new(
            "SELECT r.enterprise_id, r.tier, e.grid_code FROM credit_ratings r JOIN enterprises e ON e.id = r.enterprise_id WHERE r.enterprise_id IN ",
        );
        q.bind_list(chunk.iter().map(String::as_str));
        for r in store.fetch_all(q).await? {
            out.push((
                r.try_get("enterprise_id")?,
                r.try_get("tier")?,
                r.try_get("grid_code")?,
            ));
        }
    }
    Ok(out)
}

/// The region (grid) code of an enterprise, read in the writer's transaction.
pub async fn region_of_in(tx: &mut Tx, enterprise_id: &str) -> StoreResult<String> {
    let mut q = Sql::new("SELECT grid_code FROM enterprises WHERE id = ");
    q.bind(enterprise_id);
    let r = q.fetch_optional(tx).await?.ok_or(StoreError::NotFound)?;
    Ok(r.try_get("grid_code")?)
}

/// The enterprise of an incident (none for incidents without one), in the writer's transaction.
pub async fn incident_enterprise_in(tx: &mut Tx, incident_id: &str) -> StoreResult<Option<String>> {
    let mut q = Sql::new("SELECT enterprise_id FROM incidents WHERE id = ");
    q.bind(incident_id);
    Ok(match q.fetch_optional(tx).await? {
        Some(r) => r.try_get("enterprise_id")?,
        None => None,
    })
}
