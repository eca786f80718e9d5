//! 两单两卡: an enterprise's posts with their four items (JSON lists of text lines) and the
//! completeness per enterprise. Written in the caller's transaction.

use crate::directory::enterprises::push_scope;
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::kernel::is_unique_violation;
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::credit::post_cards::{self as rules, CheckedPost, ResponseCard, RiskCard};
use yingji_core::kernel::role::Scope;

#[derive(Debug, Clone, Serialize)]
pub struct Post {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub name: String,
    pub people: i64,
    pub duties: Vec<String>,
    pub daily_tasks: Vec<String>,
    pub risk_card: RiskCard,
    pub response_card: ResponseCard,
    pub updated_ms: i64,
    pub updated_by_name: String,
}

const COLUMNS: &str = "p.id, p.enterprise_id, e.name AS enterprise_name, p.name, p.people, p.duties, p.daily_tasks, p.risk_card, p.response_card, p.updated_ms, p.updated_by_name";
const FROM: &str = " FROM credit_posts p JOIN enterprises e ON e.id = p.enterprise_id";

fn json<T: serde::de::DeserializeOwned + Default>(r: &AnyRow, col: &str) -> StoreResult<T> {
    Ok(serde_json::from_str(&r.try_get::<String, _>(col)?).unwrap_or_default())
}

fn row(r: &AnyRow) -> StoreResult<Post> {
    Ok(Post {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        name: r.try_get("name")?,
        people: r.try_get("people")?,
        duties: json(r, "duties")?,
        daily_tasks: json(r, "daily_tasks")?,
        risk_card: json(r, "risk_card")?,
        response_card: json(r, "response_card")?,
        updated_ms: r.try_get("updated_ms")?,
        updated_by_name: r.try_get("updated_by_name")?,
    })
}

fn text<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

fn complete(c: &CheckedPost) -> i64 {
    i64::from(rules::missing(&c.duties, &c.daily_tasks, &c.risk_card, &c.response_card).is_empty())
}

fn map_duplicate(c: &CheckedPost) -> impl FnOnce(StoreError) -> StoreError + '_ {
    move |e| match e {
        StoreError::Db(ref d) if is_unique_violation(d) => {
            StoreError::conflict("name", rules::duplicate_name(&c.name))
        }
        e => e,
    }
}

async fn audit_change(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    action: &str,
    id: &str,
    summary: String,
) -> StoreResult<()> {
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change::of(action, "credit_post", id, summary),
    )
    .await?;
    Ok(())
}

/// Records a new post (a second of the same name is 409 on `name`).
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    enterprise: (&str, &str),
    c: &CheckedPost,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO credit_posts (id, enterprise_id, name, people, duties, daily_tasks, risk_card, response_card, complete, updated_ms, updated_by_name) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        enterprise.0.into(),
        c.name.clone().into(),
        c.people.into(),
        text(&c.duties).into(),
        text(&c.daily_tasks).into(),
        text(&c.risk_card).into(),
        text(&c.response_card).into(),
        complete(c).into(),
        now_ms.into(),
        ctx.display_name.clone().into(),
    ]);
    q.execute(tx).await.map_err(map_duplicate(c))?;
    let summary = rules::saved_summary(enterprise.1, &c.name);
    audit_change(tx, ctx, now_ms, "credit.post_save", &id, summary).await?;
    Ok(id)
}

/// Replaces a post's content.
pub async fn update_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    post: &Post,
    c: &CheckedPost,
) -> StoreResult<()> {
    let mut q = Sql::new("UPDATE credit_posts SET name = ");
    q.bind(c.name.clone())
        .push_bind(", people = ", c.people)
        .push_bind(", duties = ", text(&c.duties))
        .push_bind(", daily_tasks = ", text(&c.daily_tasks))
        .push_bind(", risk_card = ", text(&c.risk_card))
        .push_bind(", response_card = ", text(&c.response_card))
        .push_bind(", complete = ", complete(c))
        .push_bind(", updated_ms = ", now_ms)
        .push_bind(", updated_by_name = ", ctx.display_name.clone())
        .push_bind(" WHERE id = ", post.id.as_str());
    q.execute(tx).await.map_err(map_duplicate(c))?;
    let summary = rules::saved_summary(&post.enterprise_name, &c.name);
    audit_change(tx, ctx, now_ms, "credit.post_save", &post.id, summary).await
}

pub async fn delete_in(tx: &mut Tx, ctx: &Ctx, now_ms: i64, post: &Post) -> StoreResult<()> {
    let mut q = Sql::new("DELETE FROM credit_posts WHERE id = ");
    q.bind(post.id.as_str());
    q.execute(tx).await?;
    let summary = rules::deleted_summary(&post.enterprise_name, &post.name);
    audit_change(tx, ctx, now_ms, "credit.post_delete", &post.id, summary).await
}

pub async fn get(store: &Store, scope: &Scope, id: &str) -> StoreResult<Post> {
    let mut q = Sql::new(&format!("SELECT {COLUMNS}{FROM} WHERE p.id = "));
    q.bind(id);
    push_scope(&mut q, scope);
    row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// The posts the caller may see (optionally of one enterprise), by enterprise and name.
pub async fn list(
    store: &Store,
    scope: &Scope,
    enterprise_id: Option<&str>,
    page: Page,
) -> StoreResult<(Vec<Post>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_scope(&mut w, scope);
    if let Some(e) = enterprise_id {
        w.push_bind(" AND p.enterprise_id = ", e);
    }
    store
        .page_of(
            &format!("SELECT COUNT(*){FROM}"),
            &format!("SELECT {COLUMNS}{FROM}"),
            w,
            "e.name, p.enterprise_id, p.name, p.id",
            page,
            row,
        )
        .await
}

/// An enterprise's completeness: its posts and those missing any of the four items.
#[derive(Debug, Clone, Serialize)]
pub struct Completeness {
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub posts: i64,
    pub incomplete: i64,
}

/// Completeness per enterprise with posts, in the caller's scope (most incomplete first).
pub async fn completeness(
    store: &Store,
    scope: &Scope,
    page: Page,
) -> StoreResult<(Vec<Completeness>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_scope(&mut w, scope);
    let count = Sql {
        text: format!("SELECT COUNT(DISTINCT p.enterprise_id){FROM}{}", w.text),
        args: w.args.clone(),
    };
    let total: i64 = store.fetch_i64(count).await?;
    let mut q = Sql {
        text: format!(
            "SELECT p.enterprise_id, e.name AS enterprise_name, COUNT(*) AS posts, COUNT(CASE WHEN p.complete = 0 THEN 1 END) AS incomplete{FROM}{} GROUP BY p.enterprise_id, e.name ORDER BY incomplete DESC, e.name, p.enterprise_id",
            w.text
        ),
        args: w.args,
    };
    page.push_limit(&mut q);
    let items = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Completeness {
                enterprise_id: r.try_get("enterprise_id")?,
                enterprise_name: r.try_get("enterprise_name")?,
                posts: r.try_get("posts")?,
                incomplete: r.try_get("incomplete")?,
            })
        })
        .collect::<StoreResult<_>>()?;
    Ok((items, total))
}
