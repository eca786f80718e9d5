//! 一公开 outcomes: for each task of a published draw, what the records say — the inspection's
//! day and findings, a 责令限期整改指令书 on the task, and a case opened from the inspection with
//! its 行政处罚决定书 number. Read without a session, so nothing about people is selected.

use crate::{Sql, Store, StoreResult};
use sqlx::Row;
use yingji_core::enforcement::outcome::{CaseFacts, Facts};
use yingji_core::kernel::clock::today;

/// A drawn enterprise with the facts of its inspection.
#[derive(Debug, Clone)]
pub struct DrawnOutcome {
    pub task_id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub facts: Facts,
}

/// The outcomes of a draw's tasks (the caller has checked that the draw is published).
pub async fn of_draw(store: &Store, draw_id: &str) -> StoreResult<Vec<DrawnOutcome>> {
    let mut q = Sql::new(
        "SELECT t.id, t.enterprise_id, t.enterprise_name, r.id AS record_id, r.recorded_ms, (SELECT COUNT(*) FROM inspection_findings f WHERE f.record_id = r.id) AS findings, (SELECT COUNT(*) FROM enforcement_documents d WHERE d.kind = 'rectify_order' AND d.subject_kind = 'task' AND d.subject_id = t.id) AS orders FROM inspection_tasks t LEFT JOIN inspection_records r ON r.task_id = t.id WHERE t.draw_id = ",
    );
    q.bind(draw_id).push(" ORDER BY t.enterprise_name, t.id");
    let mut out = Vec::new();
    for r in store.fetch_all(q).await? {
        let record_id: Option<String> = r.try_get("record_id")?;
        let recorded_ms: Option<i64> = r.try_get("recorded_ms")?;
        let task_id: String = r.try_get("id")?;
        let case = match &record_id {
            Some(rid) => case_of(store, &task_id, rid).await?,
            None => None,
        };
        out.push(DrawnOutcome {
            enterprise_id: r.try_get("enterprise_id")?,
            enterprise_name: r.try_get("enterprise_name")?,
            facts: Facts {
                inspected_on: recorded_ms.map(|ms| today(ms).to_string()),
                findings: r.try_get("findings")?,
                rectify_ordered: r.try_get::<i64, _>("orders")? > 0,
                case,
            },
            task_id,
        });
    }
    Ok(out)
}

/// The case opened from an inspection (its source names the task, the record, a finding or the
/// finding's hazard), the furthest along first.
async fn case_of(store: &Store, task_id: &str, record_id: &str) -> StoreResult<Option<CaseFacts>> {
    let mut q = Sql::new(
        "SELECT c.id, c.state, c.title, c.decided_fine, (SELECT d.number FROM enforcement_documents d WHERE d.kind = 'penalty_decision' AND d.subject_kind = 'case' AND d.subject_id = c.id ORDER BY d.version DESC LIMIT 1) AS decision_number FROM enforcement_cases c WHERE c.source = 'finding' AND (c.source_id = ",
    );
    q.bind(task_id)
        .push_bind(" OR c.source_id = ", record_id)
        .push_bind(
            " OR c.source_id IN (SELECT f.id FROM inspection_findings f WHERE f.record_id = ",
            record_id,
        )
        .push_bind(
            ") OR c.source_id IN (SELECT f.hazard_id FROM inspection_findings f WHERE f.record_id = ",
            record_id,
        )
        .push(")) ORDER BY c.decided_fine IS NULL, c.created_ms LIMIT 1");
    let Some(r) = store.fetch_optional(q).await? else {
        return Ok(None);
    };
    Ok(Some(CaseFacts {
        state: r.try_get("state")?,
        title: r.try_get("title")?,
        decided_fine: r.try_get("decided_fine")?,
        decision_number: r.try_get("decision_number")?,
    }))
}
