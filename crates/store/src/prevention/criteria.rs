//! 重大事故隐患判定标准: the shipped lists, seeded into an editable table (new items on every
//! migrate, so an older database gets the lists added since).

use crate::kernel::audit::{self, Change};
use crate::{Actor, Sql, Store, StoreError, StoreResult, Tx};
use sqlx::Row;
use std::collections::HashMap;
use yingji_core::prevention::hazard::{Criterion, NumericRule, shipped_criteria};

#[derive(Debug, Clone, serde::Serialize)]
pub struct CriterionRow {
    #[serde(flatten)]
    pub criterion: Criterion,
    pub active: bool,
}

/// Brings the table up to the shipped lists: items not in the table yet are inserted (so a
/// database seeded from an older file gets the lists added since), and for items already there
/// only the fields a district cannot edit (list, industry, article, numeric rule, verified,
/// order) follow the file, and the text when the file corrects it and the district has not
/// edited it. A district's text and its switching-off are kept.
pub async fn seed(store: &Store, now_ms: i64) -> StoreResult<usize> {
    let file = shipped_criteria();
    let existing = stored(store).await?;
    let mut tx = store.begin().await?;
    let mut n = 0;
    for (i, c) in file.items.iter().enumerate() {
        let shipped = Shipped::of(c, i);
        match existing.get(&c.code) {
            Some(row) if row.same_as(&shipped) => {}
            Some(row) => {
                // The district's own wording stays; the shipped one follows the file.
                let text = if edited_by_district(&mut tx, row, &c.code).await? {
                    row.text.clone()
                } else {
                    c.text.clone()
                };
                follow_file(&mut tx, c, shipped, text).await?;
            }
            None => {
                insert_shipped(&mut tx, c, shipped, now_ms).await?;
                n += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(n)
}

/// The stored items by code, with the fields that follow the file.
async fn stored(store: &Store) -> StoreResult<HashMap<String, Shipped>> {
    Ok(store
        .fetch_all(Sql::new(
            "SELECT code, list_code, industry, article, numeric_rule, verified, ord, text, shipped_text FROM hazard_criteria",
        ))
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get::<String, _>("code")?,
                Shipped {
                    list: r.try_get("list_code")?,
                    industry: r.try_get("industry")?,
                    article: r.try_get("article")?,
                    numeric: r.try_get("numeric_rule")?,
                    verified: r.try_get::<i64, _>("verified")? != 0,
                    ord: r.try_get("ord")?,
                    text: r.try_get("text")?,
                    shipped_text: r.try_get("shipped_text")?,
                },
            ))
        })
        .collect::<Result<_, sqlx::Error>>()?)
}

/// Whether the district has edited a stored item's text: it differs from the wording the file
/// last gave, or (stored before that wording was kept) an edit of it is in the audit log.
async fn edited_by_district(tx: &mut Tx, row: &Shipped, code: &str) -> StoreResult<bool> {
    Ok(match &row.shipped_text {
        Some(t) => *t != row.text,
        None => {
            let mut q = Sql::new(
                "SELECT COUNT(*) FROM audit_log WHERE action = 'hazard_criterion.update' AND entity_id = ",
            );
            q.bind(code);
            q.fetch_one(tx).await?.try_get::<i64, _>(0)? > 0
        }
    })
}

/// Sets a stored item's fields that follow the file, its text to `text` and the file's
/// wording as the one last shipped.
async fn follow_file(
    tx: &mut Tx,
    c: &Criterion,
    shipped: Shipped,
    text: String,
) -> StoreResult<()> {
    let mut u = Sql::new("UPDATE hazard_criteria SET list_code = ");
    u.bind(shipped.list)
        .push_bind(", industry = ", shipped.industry)
        .push_bind(", article = ", shipped.article)
        .push_bind(", numeric_rule = ", shipped.numeric)
        .push_bind(", verified = ", shipped.verified)
        .push_bind(", ord = ", shipped.ord)
        .push_bind(", text = ", text)
        .push_bind(", shipped_text = ", c.text.as_str())
        .push_bind(" WHERE code = ", c.code.as_str());
    u.execute(tx).await?;
    Ok(())
}

/// Inserts an item of the file not in the table yet, switched on.
async fn insert_shipped(
    tx: &mut Tx,
    c: &Criterion,
    shipped: Shipped,
    now_ms: i64,
) -> StoreResult<()> {
    let mut q = Sql::new(
        "INSERT INTO hazard_criteria (code, list_code, industry, article, text, shipped_text, numeric_rule, verified, active, ord, updated_ms) VALUES ",
    );
    q.values(vec![
        c.code.clone().into(),
        shipped.list.into(),
        shipped.industry.into(),
        shipped.article.into(),
        c.text.clone().into(),
        c.text.clone().into(),
        shipped.numeric.into(),
        shipped.verified.into(),
        true.into(),
        shipped.ord.into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    Ok(())
}

/// The fields of a stored item that follow the shipped file.
struct Shipped {
    list: String,
    industry: String,
    article: String,
    numeric: Option<String>,
    /// The stored text, and the wording the file last gave.
    text: String,
    shipped_text: Option<String>,
    verified: bool,
    ord: i64,
}

impl Shipped {
    /// The file's item `c`, the `ord`-th of the file.
    fn of(c: &Criterion, ord: usize) -> Self {
        Shipped {
            list: c.list.clone(),
            industry: c.industry.clone(),
            article: c.article.clone(),
            numeric: c
                .numeric
                .as_ref()
                .map(|n| serde_json::to_string(n).unwrap_or_default()),
            verified: c.verified,
            ord: ord as i64,
            text: c.text.clone(),
            shipped_text: Some(c.text.clone()),
        }
    }

    /// Whether nothing that follows the file differs (the stored text may be the district's).
    fn same_as(&self, file: &Shipped) -> bool {
        (&self.list, &self.industry, &self.article, &self.numeric)
            == (&file.list, &file.industry, &file.article, &file.numeric)
            && (self.verified, self.ord) == (file.verified, file.ord)
            && self.shipped_text == file.shipped_text
    }
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

/// Edits an item's text (checked already) or switches it off inside the caller's transaction
/// (items are never deleted: hazards cite them); answers the item as it now reads.
pub async fn update_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    code: &str,
    text: String,
    active: bool,
) -> StoreResult<CriterionRow> {
    let mut q = Sql::new("SELECT * FROM hazard_criteria WHERE code = ");
    q.bind(code);
    let before = from_row(
        &q.fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?,
    )?;
    let mut u = Sql::new("UPDATE hazard_criteria SET text = ");
    u.bind(&text)
        .push_bind(", active = ", active)
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(" WHERE code = ", code);
    u.execute(&mut *tx).await?;
    audit::append(
        tx,
        now_ms,
        actor,
        Change {
            action: "hazard_criterion.update",
            entity_type: "hazard_criterion",
            entity_id: Some(code),
            summary: yingji_core::prevention::hazard::wording::criterion_edited(code),
            before: Some(
                serde_json::json!({"text": before.criterion.text, "active": before.active}),
            ),
            after: Some(serde_json::json!({"text": text, "active": active})),
        },
    )
    .await?;
    let mut after = before;
    after.criterion.text = text;
    after.active = active;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database seeded from the older file (化工 2017 and eight 工贸 2023 items) gets the
    /// lists added since at its next migrate, keeping the district's edits to an item's text.
    #[tokio::test]
    async fn criteria_reach_older_databases() {
        let path = std::env::temp_dir().join(format!(
            "yingji-criteria-{}-{}.db",
            std::process::id(),
            uuid::Uuid::now_v7()
        ));
        let store = Store::connect(&format!("sqlite://{}?mode=rwc", path.display()))
            .await
            .expect("connect");
        crate::migrate::run(&store, 1).await.expect("migrate");
        let shipped = shipped_criteria().items;
        let rows = list(&store, false).await.expect("list");
        assert_eq!(rows.len(), shipped.len());
        let count =
            |rows: &[CriterionRow], l: &str| rows.iter().filter(|r| r.criterion.list == l).count();
        for (l, n) in [
            ("HG-2017", 20),
            ("YH-2017", 20),
            ("GM-2023", 58),
            ("JZ-2022", 34),
            ("RQ-2023", 15),
            ("DY-2023", 6),
            ("KS-2022", 7),
            ("HZ-35181", 10),
        ] {
            assert_eq!(count(&rows, l), n, "{l}");
        }

        // Back to what the older file seeded: its 28 codes, GM-2023-11-01 as it was then.
        let old: Vec<String> = (1..=20)
            .map(|i| format!("HG-2017-{i:02}"))
            .chain(
                [
                    "03-01", "03-02", "03-03", "12-01", "12-02", "13-01", "13-02", "11-01",
                ]
                .iter()
                .map(|c| format!("GM-2023-{c}")),
            )
            .collect();
        let mut del = Sql::new("DELETE FROM hazard_criteria WHERE code NOT IN ");
        del.bind_list(old.iter().map(String::as_str));
        store.execute(del).await.expect("delete");
        store
            .execute(Sql::new(
                "UPDATE hazard_criteria SET article = '第十一条', verified = 0, ord = 27 WHERE code = 'GM-2023-11-01'",
            ))
            .await
            .expect("update");
        // Wording shipped before a correction: one seeded with its wording kept, one seeded before
        // the wording was kept at all. Neither was edited here, so both follow the file.
        store
            .execute(Sql::new(
                "UPDATE hazard_criteria SET text = '旧措辞', shipped_text = '旧措辞' WHERE code = 'GM-2023-03-01'",
            ))
            .await
            .expect("old wording");
        store
            .execute(Sql::new(
                "UPDATE hazard_criteria SET text = '旧措辞', shipped_text = NULL WHERE code = 'GM-2023-03-02'",
            ))
            .await
            .expect("older wording");
        let edited = "粉尘爆炸危险场所设置在非框架结构的多层建（构）筑物内（本区补充说明）";
        // The edit writes an audit record, keyed with the ring a node loads at start.
        if crate::kernel::keys::installed().is_none() {
            let ring = yingji_core::kernel::gm::KeyRing::parse(&format!(
                "audit ta1 {}; data td1 {}; index ti1 {}",
                "1".repeat(64),
                "2".repeat(32),
                "3".repeat(64)
            ))
            .expect("test keys");
            crate::kernel::keys::install(ring);
        }
        let mut tx = store.begin().await.expect("begin");
        update_in(
            &mut tx,
            &Actor::system("test"),
            2,
            "GM-2023-11-01",
            edited.into(),
            false,
        )
        .await
        .expect("edit");
        tx.commit().await.expect("commit");
        assert_eq!(list(&store, false).await.expect("list").len(), 28);

        // The next migrate (every `serve` runs it) seeds the rest and nothing twice.
        crate::migrate::run(&store, 3).await.expect("migrate");
        let rows = list(&store, false).await.expect("list");
        assert_eq!(rows.len(), shipped.len());
        assert_eq!(count(&rows, "HZ-35181"), 10);
        let item = rows
            .iter()
            .find(|r| r.criterion.code == "GM-2023-11-01")
            .expect("GM-2023-11-01");
        assert_eq!(
            (
                item.criterion.article.as_str(),
                item.criterion.verified,
                item.criterion.text.as_str(),
                item.active
            ),
            ("第十一条（一）", true, edited, false)
        );
        let text_of = |code: &str| {
            rows.iter()
                .find(|r| r.criterion.code == code)
                .map(|r| r.criterion.text.clone())
        };
        let file_text = |code: &str| {
            shipped
                .iter()
                .find(|c| c.code == code)
                .map(|c| c.text.clone())
        };
        for code in ["GM-2023-03-01", "GM-2023-03-02"] {
            assert_eq!(text_of(code), file_text(code), "{code}");
        }
        // Listed in the file's order again: 第十一条（一） before its new neighbour （二）.
        let pos = |code: &str| rows.iter().position(|r| r.criterion.code == code);
        assert!(pos("GM-2023-11-01") < pos("GM-2023-11-02"));
        assert!(pos("GM-2023-03-03") < pos("GM-2023-04-01"));
        assert_eq!(seed(&store, 4).await.expect("seed"), 0);
        store.close().await;
        let _ = std::fs::remove_file(&path);
    }
}
