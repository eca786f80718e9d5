//! 现场检查: the record of an inspection with its checklist, findings (each the hazard it
//! became) and signatures; written in the caller's transaction, read by the task's inspectors,
//! their departments' managers, and the enterprise inspected.

use super::draws::TeamMember;
use super::push_departments;
use super::tasks::Task;
use crate::kernel::Ctx;
use crate::kernel::attachments;
use crate::kernel::audit::{self, Change};
use crate::{Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::enforcement::inspection::{
    CheckedInspection, CheckedSignature, TASK_NOT_FOUND, inspection_summary, signature_summary,
};
use yingji_core::enforcement::reads_only_own_tasks;
use yingji_core::kernel::role::Scope;
use yingji_core::prevention::hazard::HazardLevel;

/// The owner type of a signature image (attachments).
pub const OWNER_TYPE: &str = "inspection";

/// Limits records (alias r) to those the caller reads: an enterprise its own, an inspector the
/// tasks they are on, a manager their departments'.
fn push_scope(w: &mut Sql, ctx: &Ctx) -> StoreResult<()> {
    if let Scope::Enterprise { enterprise_id } = &ctx.scope {
        w.push_bind(" AND r.enterprise_id = ", enterprise_id.as_str());
        return Ok(());
    }
    match &ctx.scope {
        // A joint task's record is also its taking part departments'.
        Scope::Department { department_id, .. } => {
            push_departments(&mut Sql::new(""), ctx, "r.department_id")?;
            w.push_bind(" AND (r.department_id = ", department_id.as_str())
                .push_bind(
                    " OR r.task_id IN (SELECT jd.task_id FROM inspection_task_departments jd WHERE jd.department_id = ",
                    department_id.as_str(),
                )
                .push("))");
        }
        _ => push_departments(w, ctx, "r.department_id")?,
    }
    if reads_only_own_tasks(ctx.role) {
        w.push_bind(
            " AND r.task_id IN (SELECT ti.task_id FROM inspection_task_inspectors ti WHERE ti.user_id = ",
            ctx.user_id.as_str(),
        )
        .push(")");
    }
    Ok(())
}

/// One task the caller may see (as `tasks::list` scopes them), with its team.
pub async fn task(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Task> {
    let mut w = Sql::new(
        "SELECT t.*, i.name AS item_name FROM inspection_tasks t JOIN enforcement_items i ON i.id = t.item_id WHERE 1 = 1",
    );
    super::joint::push_task_scope(&mut w, ctx)
        .map_err(|_| StoreError::Forbidden(TASK_NOT_FOUND.into()))?;
    if reads_only_own_tasks(ctx.role) {
        w.push_bind(
            " AND t.id IN (SELECT ti.task_id FROM inspection_task_inspectors ti WHERE ti.user_id = ",
            ctx.user_id.as_str(),
        )
        .push(")");
    }
    w.push_bind(" AND t.id = ", id);
    let r = store.fetch_optional(w).await?.ok_or(StoreError::NotFound)?;
    let mut t = Task {
        id: r.try_get("id")?,
        department_id: r.try_get("department_id")?,
        item_id: r.try_get("item_id")?,
        item_name: r.try_get("item_name")?,
        draw_id: r.try_get("draw_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        region_code: r.try_get("region_code")?,
        kind: r.try_get("kind")?,
        year: r.try_get("year")?,
        status: r.try_get("status")?,
        team: vec![],
        created_ms: r.try_get("created_ms")?,
    };
    let mut q = Sql::new(
        "SELECT user_id, user_name, cert_no FROM inspection_task_inspectors WHERE task_id = ",
    );
    q.bind(id).push(" ORDER BY user_name");
    for r in store.fetch_all(q).await? {
        t.team.push(TeamMember {
            user_id: r.try_get("user_id")?,
            name: r.try_get("user_name")?,
            cert_no: r.try_get("cert_no")?,
        });
    }
    Ok(t)
}

/// The 检查内容 of a task's 执法事项 (the bureau's own checklist items).
pub async fn item_content(store: &Store, item_id: &str) -> StoreResult<Option<String>> {
    let mut q = Sql::new("SELECT content FROM enforcement_items WHERE id = ");
    q.bind(item_id);
    match store.fetch_optional(q).await? {
        Some(r) => Ok(r.try_get("content")?),
        None => Ok(None),
    }
}

/// A finding as written: the checked finding and the hazard it became.
pub struct NewFinding<'a> {
    pub criterion_code: Option<&'a str>,
    pub category: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    pub level: HazardLevel,
    pub photo_ids: &'a [String],
    pub hazard_id: &'a str,
}

/// Writes the record, its checklist and findings, marks the task done and writes the audit
/// record, in the caller's transaction (which also holds the findings' hazards).
pub async fn record_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    task: &Task,
    checked: &CheckedInspection,
    findings: &[NewFinding<'_>],
) -> StoreResult<String> {
    let id = new_id();
    let major = findings
        .iter()
        .filter(|f| f.level == HazardLevel::Major)
        .count();
    let mut q = Sql::new(
        "INSERT INTO inspection_records (id, task_id, department_id, enterprise_id, enterprise_name, summary, recorded_by, recorded_by_name, recorded_ms, findings, major_findings) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        task.id.clone().into(),
        task.department_id.clone().into(),
        task.enterprise_id.clone().into(),
        task.enterprise_name.clone().into(),
        checked.summary.clone().into(),
        ctx.user_id.clone().into(),
        ctx.display_name.clone().into(),
        now_ms.into(),
        (findings.len() as i64).into(),
        (major as i64).into(),
    ]);
    q.execute(tx).await?;
    for (i, c) in checked.checks.iter().enumerate() {
        let mut q = Sql::new(
            "INSERT INTO inspection_checks (record_id, ord, item_code, item_text, result) VALUES ",
        );
        q.values(vec![
            id.clone().into(),
            (i as i64).into(),
            c.code.clone().into(),
            c.text.clone().into(),
            c.result.clone().into(),
        ]);
        q.execute(tx).await?;
    }
    for (i, f) in findings.iter().enumerate() {
        finding_in(tx, &id, i, f).await?;
    }
    let mut q = Sql::new("UPDATE inspection_tasks SET status = 'done', updated_ms = ");
    q.bind(now_ms).push_bind(" WHERE id = ", task.id.as_str());
    q.execute(tx).await?;
    let counts = (findings.len() as i64, major as i64);
    super::stats::count_inspection_in(tx, task, now_ms, counts).await?;
    let summary = inspection_summary(&task.enterprise_name, findings.len(), major);
    let after = serde_json::json!({
        "task_id": task.id, "enterprise_id": task.enterprise_id,
        "hazards": findings.iter().map(|f| f.hazard_id).collect::<Vec<_>>(),
    });
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            after: Some(after),
            ..Change::of("enforcement.inspect", "inspection_record", &id, summary)
        },
    )
    .await?;
    Ok(id)
}

async fn finding_in(tx: &mut Tx, record_id: &str, i: usize, f: &NewFinding<'_>) -> StoreResult<()> {
    let mut q = Sql::new(
        "INSERT INTO inspection_findings (id, record_id, ord, criterion_code, category, description, location, level, photo_ids, hazard_id) VALUES ",
    );
    q.values(vec![
        new_id().into(),
        record_id.into(),
        (i as i64).into(),
        f.criterion_code.into(),
        f.category.into(),
        f.description.into(),
        f.location.into(),
        f.level.as_str().into(),
        serde_json::to_string(f.photo_ids)
            .unwrap_or_default()
            .into(),
        f.hazard_id.into(),
    ]);
    q.execute(tx).await?;
    Ok(())
}

/// Writes a signature, links its image to the record and writes the audit record.
pub async fn sign_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    task: &Task,
    record_id: &str,
    s: &CheckedSignature,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO inspection_signatures (id, task_id, record_id, kind, signer_user_id, signer_name, method, image_id, refusal_reason, signed_by, signed_ms) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        task.id.clone().into(),
        record_id.into(),
        s.kind.clone().into(),
        s.user_id.clone().into(),
        s.signer_name.clone().into(),
        s.method.clone().into(),
        s.image_id.clone().into(),
        s.refusal_reason.clone().into(),
        ctx.user_id.clone().into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    if let Some(image) = &s.image_id {
        let ids = [image.clone()];
        attachments::link(
            tx,
            &ids,
            OWNER_TYPE,
            record_id,
            Some(&ctx.user_id),
            "image_id",
        )
        .await?;
    }
    let refused = s.method == "refused";
    let summary = signature_summary(&task.enterprise_name, &s.signer_name, refused);
    let after = serde_json::json!({
        "task_id": task.id, "kind": s.kind, "signer": s.signer_name, "method": s.method,
        "refusal_reason": s.refusal_reason,
    });
    audit::append(
        tx,
        now_ms,
        &ctx.actor,
        Change {
            after: Some(after),
            ..Change::of("enforcement.sign", "inspection_record", record_id, summary)
        },
    )
    .await?;
    Ok(id)
}

/// A record as listed.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub id: String,
    pub task_id: String,
    pub department_id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub summary: String,
    pub recorded_by_name: String,
    pub recorded_ms: i64,
    pub findings: i64,
    pub major_findings: i64,
    pub signatures: i64,
}

const COLUMNS: &str = "r.id, r.task_id, r.department_id, r.enterprise_id, r.enterprise_name, r.summary, r.recorded_by_name, r.recorded_ms, (SELECT COUNT(*) FROM inspection_findings f WHERE f.record_id = r.id) AS findings, (SELECT COUNT(*) FROM inspection_findings f WHERE f.record_id = r.id AND f.level = 'major') AS major_findings, (SELECT COUNT(*) FROM inspection_signatures s WHERE s.record_id = r.id) AS signatures";

fn record_row(r: &AnyRow) -> StoreResult<Record> {
    Ok(Record {
        id: r.try_get("id")?,
        task_id: r.try_get("task_id")?,
        department_id: r.try_get("department_id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        summary: r.try_get("summary")?,
        recorded_by_name: r.try_get("recorded_by_name")?,
        recorded_ms: r.try_get("recorded_ms")?,
        findings: r.try_get("findings")?,
        major_findings: r.try_get("major_findings")?,
        signatures: r.try_get("signatures")?,
    })
}

/// The records the caller reads, newest first; `enterprise` narrows to one enterprise.
pub async fn list(
    store: &Store,
    ctx: &Ctx,
    enterprise: Option<&str>,
    page: Page,
) -> StoreResult<(Vec<Record>, i64)> {
    let mut w = Sql::new("");
    push_scope(&mut w, ctx)?;
    if let Some(e) = enterprise {
        w.push_bind(" AND r.enterprise_id = ", e);
    }
    let from = " FROM inspection_records r WHERE 1 = 1";
    store
        .page_of(
            &format!("SELECT COUNT(*){from}"),
            &format!("SELECT {COLUMNS}{from}"),
            w,
            "r.recorded_ms DESC, r.id",
            page,
            record_row,
        )
        .await
}

/// The record of a task, if one was made (none: `NotFound`), in the caller's scope.
pub async fn by_task(store: &Store, ctx: &Ctx, task_id: &str) -> StoreResult<Record> {
    one(store, ctx, "r.task_id", task_id).await
}

/// A record by id in the caller's scope.
pub async fn get(store: &Store, ctx: &Ctx, id: &str) -> StoreResult<Record> {
    one(store, ctx, "r.id", id).await
}

async fn one(store: &Store, ctx: &Ctx, column: &str, value: &str) -> StoreResult<Record> {
    let mut w = Sql::new(&format!(
        "SELECT {COLUMNS} FROM inspection_records r WHERE 1 = 1"
    ));
    push_scope(&mut w, ctx)?;
    w.push_bind(&format!(" AND {column} = "), value);
    let r = store.fetch_optional(w).await?.ok_or(StoreError::NotFound)?;
    record_row(&r)
}

/// A checklist line as checked.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub code: String,
    pub text: String,
    pub result: String,
    /// The taking part department the line belongs to (None on older records).
    pub department_id: Option<String>,
    pub department_name: Option<String>,
}

/// A finding with the hazard it became.
#[derive(Debug, Clone, Serialize)]
pub struct FindingRow {
    pub criterion_code: Option<String>,
    pub category: String,
    pub description: String,
    pub location: String,
    pub level: String,
    pub photo_ids: Vec<String>,
    pub hazard_id: String,
    pub hazard_code: String,
    /// The taking part department the finding belongs to (None on older records).
    pub department_id: Option<String>,
    pub department_name: Option<String>,
}

/// A signature (or a refusal).
#[derive(Debug, Clone, Serialize)]
pub struct Signature {
    pub kind: String,
    pub signer_user_id: Option<String>,
    pub signer_name: String,
    pub method: String,
    pub image_id: Option<String>,
    pub refusal_reason: Option<String>,
    pub signed_ms: i64,
}

/// The checklist lines, findings and signatures of a record the caller has read.
pub async fn parts(
    store: &Store,
    record_id: &str,
) -> StoreResult<(Vec<Check>, Vec<FindingRow>, Vec<Signature>)> {
    let mut q = Sql::new(
        "SELECT c.item_code, c.item_text, c.result, c.department_id, dp.name AS department_name FROM inspection_checks c LEFT JOIN departments dp ON dp.id = c.department_id WHERE c.record_id = ",
    );
    q.bind(record_id).push(" ORDER BY c.ord");
    let checks = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Check {
                code: r.try_get("item_code")?,
                text: r.try_get("item_text")?,
                result: r.try_get("result")?,
                department_id: r.try_get("department_id")?,
                department_name: r.try_get("department_name")?,
            })
        })
        .collect::<StoreResult<_>>()?;
    let mut q = Sql::new(
        "SELECT f.*, h.code AS hazard_code, dp.name AS department_name FROM inspection_findings f JOIN hazards h ON h.id = f.hazard_id LEFT JOIN departments dp ON dp.id = f.department_id WHERE f.record_id = ",
    );
    q.bind(record_id).push(" ORDER BY f.ord");
    let findings = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            let photos: String = r.try_get("photo_ids")?;
            Ok(FindingRow {
                criterion_code: r.try_get("criterion_code")?,
                category: r.try_get("category")?,
                description: r.try_get("description")?,
                location: r.try_get("location")?,
                level: r.try_get("level")?,
                photo_ids: serde_json::from_str(&photos).unwrap_or_default(),
                hazard_id: r.try_get("hazard_id")?,
                hazard_code: r.try_get("hazard_code")?,
                department_id: r.try_get("department_id")?,
                department_name: r.try_get("department_name")?,
            })
        })
        .collect::<StoreResult<_>>()?;
    Ok((checks, findings, signatures(store, record_id).await?))
}

/// The signatures of a record, in the order given.
pub async fn signatures(store: &Store, record_id: &str) -> StoreResult<Vec<Signature>> {
    let mut q = Sql::new("SELECT * FROM inspection_signatures WHERE record_id = ");
    q.bind(record_id).push(" ORDER BY signed_ms, id");
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            Ok(Signature {
                kind: r.try_get("kind")?,
                signer_user_id: r.try_get("signer_user_id")?,
                signer_name: r.try_get("signer_name")?,
                method: r.try_get("method")?,
                image_id: r.try_get("image_id")?,
                refusal_reason: r.try_get("refusal_reason")?,
                signed_ms: r.try_get("signed_ms")?,
            })
        })
        .collect()
}
