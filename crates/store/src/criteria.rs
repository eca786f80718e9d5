//! 重大事故隐患判定标准: the shipped lists, seeded once into an editable table.

use crate::audit::{self, Change};
use crate::{Actor, Sql, Store, StoreError, StoreResult};
use sqlx::Row;
use yingji_core::hazard::{Criterion, NumericRule, shipped_criteria};

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CriterionRow {
    #[serde(flatten)]
    pub criterion: Criterion,
    pub active: bool,
}

/// Inserts the shipped items that are not in the table yet (a district's edits are kept).
pub async fn seed(store: &Store, now_ms: i64) -> StoreResult<usize> {
    let file = shipped_criteria();
    let existing: Vec<String> = store
        .fetch_all(Sql::new("SELECT code FROM hazard_criteria"))
        .await?
        .iter()
        .map(|r| r.try_get::<String, _>(0))
        .collect::<Result<_, _>>()?;
    let mut tx = store.begin().await?;
    let mut n = 0;
    for (i, c) in file.items.iter().enumerate() {
        if existing.contains(&c.code) {
            continue;
        }
        let mut q = Sql::new(
            "INSERT INTO hazard_criteria (code, list_code, industry, article, text, numeric_rule, verified, active, ord, updated_ms) VALUES ",
        );
        q.values(vec![
            c.code.clone().into(),
            c.list.clone().into(),
            c.industry.clone().into(),
            c.article.clone().into(),
            c.text.clone().into(),
            c.numeric
                .as_ref()
                .map(|n| serde_json::to_string(n).unwrap_or_default())
                .into(),
            c.verified.into(),
            true.into(),
            (i as i64).into(),
            now_ms.into(),
        ]);
        q.execute(&mut tx).await?;
        n += 1;
    }
    tx.commit().await?;
    Ok(n)
}

fn from_row(r: &sqlx::any::AnyRow) -> StoreResult<CriterionRow> {
    let numeric: Option<String> = r.try_get("numeric_rule")?;
    Ok(CriterionRow {
        criterion: Criterion {
            code: r.try_get("code")?,
            list: r.try_get("list_code")?,
            industry: r.try_get("industry")?,
            article: r.try_get("article")?,
            text: r.try_get("text")?,
            verified: r.try_get::<i64, _>("verified")? != 0,
            numeric: numeric.and_then(|s| serde_json::from_str::<NumericRule>(&s).ok()),
        },
        active: r.try_get::<i64, _>("active")? != 0,
    })
}

pub async fn list(store: &Store, active_only: bool) -> StoreResult<Vec<CriterionRow>> {
    let mut q = Sql::new("SELECT * FROM hazard_criteria");
    if active_only {
        q.push(" WHERE active = 1");
    }
    q.push(" ORDER BY ord, code");
    store.fetch_all(q).await?.iter().map(from_row).collect()
}

/// The active items, for grading.
pub async fn active(store: &Store) -> StoreResult<Vec<Criterion>> {
    Ok(list(store, true)
        .await?
        .into_iter()
        .map(|c| c.criterion)
        .collect())
}

/// Edits an item's text or switches it off (items are never deleted: hazards cite them).
pub async fn update(
    store: &Store,
    actor: &Actor,
    now_ms: i64,
    code: &str,
    text: &str,
    active: bool,
) -> StoreResult<CriterionRow> {
    let text = yingji_core::validation::required_text("条款内容", text, 1000)
        .map_err(|m| StoreError::invalid("text", m))?;
    let mut tx = store.begin().await?;
    let mut q = Sql::new("SELECT * FROM hazard_criteria WHERE code = ");
    q.bind(code);
    let before = from_row(
        &q.fetch_optional(&mut tx)
            .await?
            .ok_or(StoreError::NotFound)?,
    )?;
    let mut u = Sql::new("UPDATE hazard_criteria SET text = ");
    u.bind(&text)
        .push_bind(", active = ", active)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE code = ", code);
    u.execute(&mut tx).await?;
    audit::append(
        &mut tx,
        now_ms,
        actor,
        Change {
            action: "hazard_criterion.update",
            entity_type: "hazard_criterion",
            entity_id: Some(code),
            summary: format!("修改重大隐患判定标准条款{code}"),
            before: Some(
                serde_json::json!({"text": before.criterion.text, "active": before.active}),
            ),
            after: Some(serde_json::json!({"text": text, "active": active})),
        },
    )
    .await?;
    tx.commit().await?;
    let mut after = before;
    after.criterion.text = text;
    after.active = active;
    Ok(after)
}
