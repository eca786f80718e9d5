//! 每日安全承诺: the commitments (one per enterprise and day), the day's board of the enterprises
//! that must commit, and the district's sweep timer that records and escalates the misses.
//! Written in the caller's transaction (the scheduler's for the sweep).

use crate::credit::supervisors::{self, ids};
use crate::directory::enterprises::{push_categories_on, push_scope};
use crate::kernel::Ctx;
use crate::kernel::audit::{self, Change};
use crate::kernel::escalation::{self, Escalation};
use crate::kernel::is_unique_violation;
use crate::kernel::timers::{self, CommitmentSweep, TimerCode, TimerKind};
use crate::kernel::todo::{TodoItem, TodoList};
use crate::{Actor, Page, Sql, Store, StoreError, StoreResult, Tx, new_id};
use jiff::civil::Date;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use yingji_core::credit::commitments::{
    self as rules, CheckedCommitment, CommitmentConfig, SpecialWorkCount,
};
use yingji_core::directory::enterprise::split_codes;
use yingji_core::kernel::notify::Message;
use yingji_core::kernel::role::Scope;

/// Who the sweep acts as.
pub const SWEEP_ACTOR: &str = "安全承诺定时器";

#[derive(Debug, Clone, Serialize)]
pub struct Commitment {
    pub id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub day: String,
    pub submitted_ms: i64,
    pub late: bool,
    pub units_running: i64,
    pub units_stopped: i64,
    pub units_overhaul: i64,
    pub major_hazard_status: Option<String>,
    pub major_hazard_note: Option<String>,
    pub special_works: Vec<SpecialWorkCount>,
    pub duty_person: String,
    pub duty_phone: Option<String>,
    pub principal_name: String,
    pub note: Option<String>,
    pub submitted_by_name: String,
}

const COLUMNS: &str = "c.id, c.enterprise_id, e.name AS enterprise_name, c.day, c.submitted_ms, c.late, c.units_running, c.units_stopped, c.units_overhaul, c.major_hazard_status, c.major_hazard_note, c.special_works, c.duty_person, c.duty_phone, c.principal_name, c.note, c.submitted_by_name";

fn row(r: &AnyRow) -> StoreResult<Commitment> {
    let works: String = r.try_get("special_works")?;
    Ok(Commitment {
        id: r.try_get("id")?,
        enterprise_id: r.try_get("enterprise_id")?,
        enterprise_name: r.try_get("enterprise_name")?,
        day: r.try_get("day")?,
        submitted_ms: r.try_get("submitted_ms")?,
        late: r.try_get::<i64, _>("late")? != 0,
        units_running: r.try_get("units_running")?,
        units_stopped: r.try_get("units_stopped")?,
        units_overhaul: r.try_get("units_overhaul")?,
        major_hazard_status: r.try_get("major_hazard_status")?,
        major_hazard_note: r.try_get("major_hazard_note")?,
        special_works: serde_json::from_str(&works).unwrap_or_default(),
        duty_person: r.try_get("duty_person")?,
        duty_phone: crate::kernel::keys::open_opt(r.try_get("duty_phone")?),
        principal_name: r.try_get("principal_name")?,
        note: r.try_get("note")?,
        submitted_by_name: r.try_get("submitted_by_name")?,
    })
}

/// Records a commitment (a second for the day is 409 on `day`) with its audit record.
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx,
    now_ms: i64,
    enterprise: (&str, &str),
    day: Date,
    late: bool,
    c: &CheckedCommitment,
) -> StoreResult<String> {
    let id = new_id();
    let mut q = Sql::new(
        "INSERT INTO credit_commitments (id, enterprise_id, day, submitted_ms, late, units_running, units_stopped, units_overhaul, major_hazard_status, major_hazard_note, special_works, duty_person, duty_phone, principal_name, note, submitted_by, submitted_by_name) VALUES ",
    );
    q.values(vec![
        id.clone().into(),
        enterprise.0.into(),
        day.to_string().into(),
        now_ms.into(),
        i64::from(late).into(),
        c.units_running.into(),
        c.units_stopped.into(),
        c.units_overhaul.into(),
        c.major_hazard_status.clone().into(),
        c.major_hazard_note.clone().into(),
        serde_json::to_string(&c.special_works)
            .unwrap_or_default()
            .into(),
        c.duty_person.clone().into(),
        crate::kernel::keys::seal_opt(c.duty_phone.as_deref())?.into(),
        c.principal_name.clone().into(),
        c.note.clone().into(),
        ctx.user_id.clone().into(),
        ctx.display_name.clone().into(),
    ]);
    q.execute(tx).await.map_err(|e| match e {
        StoreError::Db(ref d) if is_unique_violation(d) => {
            StoreError::conflict("day", rules::already_committed(day))
        }
        e => e,
    })?;
    let change = Change::of(
        "credit.commitment_submit",
        "credit_commitment",
        &id,
        rules::submitted_summary(enterprise.1, day),
    );
    audit::append(tx, now_ms, &ctx.actor, change).await?;
    Ok(id)
}

pub async fn get(store: &Store, scope: &Scope, id: &str) -> StoreResult<Commitment> {
    let mut q = Sql::new(&format!(
        "SELECT {COLUMNS} FROM credit_commitments c JOIN enterprises e ON e.id = c.enterprise_id WHERE c.id = "
    ));
    q.bind(id);
    push_scope(&mut q, scope);
    row(&store.fetch_optional(q).await?.ok_or(StoreError::NotFound)?)
}

/// Commitments the caller may see, newest first; optionally of one enterprise or one day.
pub async fn list(
    store: &Store,
    scope: &Scope,
    enterprise_id: Option<&str>,
    day: Option<&str>,
    page: Page,
) -> StoreResult<(Vec<Commitment>, i64)> {
    let mut w = Sql::new(" WHERE 1 = 1");
    push_scope(&mut w, scope);
    if let Some(e) = enterprise_id {
        w.push_bind(" AND c.enterprise_id = ", e);
    }
    if let Some(d) = day {
        w.push_bind(" AND c.day = ", d);
    }
    let from = " FROM credit_commitments c JOIN enterprises e ON e.id = c.enterprise_id";
    store
        .page_of(
            &format!("SELECT COUNT(*){from}"),
            &format!("SELECT {COLUMNS}{from}"),
            w,
            "c.day DESC, c.submitted_ms DESC, c.id",
            page,
            row,
        )
        .await
}

/// One enterprise on the day's board.
#[derive(Debug, Clone, Serialize)]
pub struct BoardRow {
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub street_code: String,
    pub street_name: Option<String>,
    pub commitment_id: Option<String>,
    pub submitted_ms: Option<i64>,
    pub late: bool,
    /// Recorded as missed at the deadline.
    pub flagged: bool,
    pub escalated: bool,
}

/// The board's counts over the whole scope.
#[derive(Debug, Clone, Default, Serialize)]
pub struct BoardCounts {
    pub required: i64,
    pub submitted: i64,
    pub flagged: i64,
}

/// `SELECT {select} FROM` the required enterprises joined with the day's commitment and miss,
/// in the scope (and street).
fn board_sql(
    select: &str,
    scope: &Scope,
    config: &CommitmentConfig,
    day: &str,
    street: Option<&str>,
) -> Sql {
    let mut q = Sql::new(&format!(
        "SELECT {select} FROM enterprises e LEFT JOIN credit_commitments c ON c.enterprise_id = e.id AND c.day = "
    ));
    q.bind(day);
    q.push_bind(
        " LEFT JOIN credit_commitment_misses m ON m.enterprise_id = e.id AND m.day = ",
        day,
    );
    q.push(" LEFT JOIN regions s ON s.code = e.street_code WHERE e.status = 'operating' AND ");
    push_categories_on(&mut q, "e", &config.categories);
    push_scope(&mut q, scope);
    if let Some(s) = street {
        q.push_bind(" AND e.street_code = ", s);
    }
    q
}

fn board_row(r: &AnyRow) -> StoreResult<BoardRow> {
    Ok(BoardRow {
        enterprise_id: r.try_get("id")?,
        enterprise_name: r.try_get("name")?,
        street_code: r.try_get("street_code")?,
        street_name: r.try_get("street_name")?,
        commitment_id: r.try_get("commitment_id")?,
        submitted_ms: r.try_get("submitted_ms")?,
        late: r.try_get::<Option<i64>, _>("late")?.unwrap_or(0) != 0,
        flagged: r.try_get::<Option<String>, _>("missed")?.is_some(),
        escalated: r.try_get::<Option<i64>, _>("escalated_ms")?.is_some(),
    })
}

/// The enterprises that must commit (in the caller's scope, optionally one street) with the
/// day's status: the page's rows (missing first) and the counts.
pub async fn board(
    store: &Store,
    scope: &Scope,
    config: &CommitmentConfig,
    day: &str,
    street: Option<&str>,
    page: Page,
) -> StoreResult<(Vec<BoardRow>, BoardCounts)> {
    let select = "COUNT(*) AS required, COUNT(c.id) AS submitted, COUNT(m.day) AS flagged";
    let counts = match store
        .fetch_optional(board_sql(select, scope, config, day, street))
        .await?
    {
        Some(r) => BoardCounts {
            required: r.try_get("required")?,
            submitted: r.try_get("submitted")?,
            flagged: r.try_get("flagged")?,
        },
        None => BoardCounts::default(),
    };
    let select = "e.id, e.name, e.street_code, s.name AS street_name, c.id AS commitment_id, c.submitted_ms, c.late, m.day AS missed, m.escalated_ms";
    let mut q = board_sql(select, scope, config, day, street);
    q.push(" ORDER BY CASE WHEN c.id IS NULL THEN 0 ELSE 1 END, e.name, e.id");
    page.push_limit(&mut q);
    let rows = store
        .fetch_all(q)
        .await?
        .iter()
        .map(board_row)
        .collect::<StoreResult<_>>()?;
    Ok((rows, counts))
}

/// Schedules the district's next sweep (step 1 at the next deadline) unless one is pending.
pub async fn ensure_sweep(
    tx: &mut Tx,
    now_ms: i64,
    district: &str,
    config: &CommitmentConfig,
) -> StoreResult<()> {
    let mut q = Sql::new("SELECT COUNT(*) FROM timers WHERE fired_ms IS NULL AND subject_id = ");
    q.bind(district)
        .push_bind(" AND kind = ", TimerCode::CommitmentSweep.as_str());
    let pending: i64 = q.fetch_one(tx).await?.try_get(0)?;
    if pending > 0 {
        return Ok(());
    }
    let today = rules::day_of(now_ms);
    let day = if config.deadline_ms(today, false) > now_ms {
        today
    } else {
        today.tomorrow().unwrap_or(today)
    };
    let kind = TimerKind::CommitmentSweep(CommitmentSweep {
        day: day.to_string(),
        step: 1,
    });
    timers::schedule(tx, now_ms, &kind, district, config.deadline_ms(day, false)).await?;
    Ok(())
}

/// A sweep step (in the scheduler's transaction, which has claimed the timer).
pub async fn fire_sweep(
    tx: &mut Tx,
    district: &str,
    p: &CommitmentSweep,
    now_ms: i64,
) -> StoreResult<()> {
    let Ok(day) = p.day.parse::<Date>() else {
        return Ok(());
    };
    let config = crate::prevention::rules::current_tx(tx, district)
        .await?
        .rules
        .credit_commitments;
    if p.step == 1 {
        flag_missing(tx, district, day, &config, now_ms).await
    } else {
        escalate_missing(tx, district, day, now_ms).await
    }
}

/// Missing enterprises of a day in a district: (id, name, categories).
async fn missing_of(
    tx: &mut Tx,
    district: &str,
    day: Date,
    only_new_ms: Option<i64>,
) -> StoreResult<Vec<(String, String, Vec<String>)>> {
    let mut q = Sql::new(
        "SELECT e.id, e.name, e.categories FROM credit_commitment_misses m JOIN enterprises e ON e.id = m.enterprise_id WHERE m.day = ",
    );
    q.bind(day.to_string())
        .push_bind(" AND e.district_code = ", district);
    q.push(" AND NOT EXISTS (SELECT 1 FROM credit_commitments c WHERE c.enterprise_id = m.enterprise_id AND c.day = m.day)");
    if let Some(ms) = only_new_ms {
        q.push_bind(" AND m.flagged_ms = ", ms);
    } else {
        q.push(" AND m.escalated_ms IS NULL");
    }
    q.push(" ORDER BY e.name, e.id");
    q.fetch_all(tx)
        .await?
        .iter()
        .map(|r| {
            Ok((
                r.try_get("id")?,
                r.try_get("name")?,
                split_codes(&r.try_get::<String, _>("categories")?),
            ))
        })
        .collect()
}

fn message(district: &str, day: Date, title: String, body: String) -> Message {
    Message {
        event: "credit.commitment_missed".into(),
        title,
        body,
        link: format!("/credit/commitments?day={day}"),
        subject_id: district.to_string(),
    }
}

// Long because: the deadline's one set-based insert, then the department, enterprise and next
// timers, each a short block.
async fn flag_missing(
    tx: &mut Tx,
    district: &str,
    day: Date,
    config: &CommitmentConfig,
    now_ms: i64,
) -> StoreResult<()> {
    // The misses in one statement: scales to a district's 100,000 enterprises.
    let mut q = Sql::new(
        "INSERT INTO credit_commitment_misses (enterprise_id, day, flagged_ms) SELECT e.id, ",
    );
    q.bind(day.to_string()).push(", ").bind(now_ms);
    q.push_bind(" FROM enterprises e WHERE e.district_code = ", district);
    q.push(" AND e.status = 'operating' AND ");
    push_categories_on(&mut q, "e", &config.categories);
    q.push(" AND NOT EXISTS (SELECT 1 FROM credit_commitments c WHERE c.enterprise_id = e.id AND c.day = ");
    q.bind(day.to_string());
    q.push(") AND NOT EXISTS (SELECT 1 FROM credit_commitment_misses x WHERE x.enterprise_id = e.id AND x.day = ");
    q.bind(day.to_string()).push(")");
    q.execute(tx).await?;
    let missing = missing_of(tx, district, day, Some(now_ms)).await?;
    if !missing.is_empty() {
        // Each supervising department: its staff, one notice naming its enterprises.
        for (users, names) in supervisors::staff_and_names_in(tx, district, &missing).await? {
            let m = message(
                district,
                day,
                rules::missed_title(day, names.len()),
                rules::missed_body(&names, &config.deadline),
            );
            escalation::step(tx, now_ms, Escalation::in_app(m, users)).await?;
        }
        // The enterprises' own users.
        let mut u = Sql::new(
            "SELECT u.id FROM users u JOIN credit_commitment_misses m ON m.enterprise_id = u.enterprise_id WHERE u.active = 1 AND m.day = ",
        );
        u.bind(day.to_string())
            .push_bind(" AND m.flagged_ms = ", now_ms);
        let users = ids(tx, u).await?;
        let mut m = message(
            district,
            day,
            format!("{day} 安全承诺未提交"),
            rules::missed_own(day, &config.deadline),
        );
        m.link = "/credit/commitments/today".into();
        escalation::step(tx, now_ms, Escalation::in_app(m, users)).await?;
        let change = Change::of(
            "credit.commitment_missed",
            "credit_commitment",
            district,
            rules::missed_summary(day, missing.len()),
        );
        audit::append(tx, now_ms, &Actor::system(SWEEP_ACTOR), change).await?;
    }
    let step2 = TimerKind::CommitmentSweep(CommitmentSweep {
        day: day.to_string(),
        step: 2,
    });
    timers::schedule(tx, now_ms, &step2, district, config.deadline_ms(day, true)).await?;
    let next = day.tomorrow().unwrap_or(day);
    let step1 = TimerKind::CommitmentSweep(CommitmentSweep {
        day: next.to_string(),
        step: 1,
    });
    timers::schedule(
        tx,
        now_ms,
        &step1,
        district,
        config.deadline_ms(next, false),
    )
    .await?;
    Ok(())
}

/// Step 2: those still missing are escalated to the district's 局领导 (commanders) and marked.
async fn escalate_missing(tx: &mut Tx, district: &str, day: Date, now_ms: i64) -> StoreResult<()> {
    let missing = missing_of(tx, district, day, None).await?;
    if missing.is_empty() {
        return Ok(());
    }
    let mut u = Sql::new("UPDATE credit_commitment_misses SET escalated_ms = ");
    u.bind(now_ms).push_bind(" WHERE day = ", day.to_string());
    u.push(" AND escalated_ms IS NULL AND enterprise_id IN (SELECT m.enterprise_id FROM credit_commitment_misses m JOIN enterprises e ON e.id = m.enterprise_id WHERE e.district_code = ");
    u.bind(district);
    u.push(") AND NOT EXISTS (SELECT 1 FROM credit_commitments c WHERE c.enterprise_id = credit_commitment_misses.enterprise_id AND c.day = credit_commitment_misses.day)");
    u.execute(tx).await?;
    let mut q = Sql::new(
        "SELECT id FROM users WHERE active = 1 AND role = 'commander' AND region_code LIKE ",
    );
    q.bind(format!("{district}%"));
    let users = ids(tx, q).await?;
    let names: Vec<String> = missing.iter().map(|m| m.1.clone()).collect();
    let title = rules::escalated_title(day, names.len());
    let m = message(district, day, title, rules::missed_body(&names, "现在"));
    escalation::step(tx, now_ms, Escalation::in_app(m, users)).await?;
    let change = Change::of(
        "credit.commitment_escalated",
        "credit_commitment",
        district,
        rules::escalated_summary(day, missing.len()),
    );
    audit::append(tx, now_ms, &Actor::system(SWEEP_ACTOR), change).await?;
    Ok(())
}

/// The district whose rules apply to a caller: its region's, its enterprise's, or (system
/// administrators) the first district.
pub async fn district_of_scope(store: &Store, scope: &Scope) -> StoreResult<String> {
    let q = match scope {
        Scope::Region { prefix, .. } | Scope::Department { prefix, .. } if prefix.len() >= 6 => {
            return Ok(prefix[..6].to_string());
        }
        Scope::Enterprise { enterprise_id } => {
            let mut q = Sql::new("SELECT district_code FROM enterprises WHERE id = ");
            q.bind(enterprise_id.as_str());
            q
        }
        _ => Sql::new("SELECT code FROM regions WHERE level = 'district' ORDER BY code LIMIT 1"),
    };
    match store.fetch_optional(q).await? {
        Some(r) => Ok(r.try_get(0)?),
        None => Err(StoreError::NotFound),
    }
}

/// The 待办 of the day's commitments in the scope: those not submitted yet (`missed_only`: only
/// those recorded as missed at the deadline), the first `limit` and the total.
pub async fn todo(
    store: &Store,
    scope: &Scope,
    config: &CommitmentConfig,
    day: Date,
    deadline_ms: i64,
    missed_only: bool,
) -> StoreResult<TodoList> {
    let cond = if missed_only {
        " AND c.id IS NULL AND m.day IS NOT NULL"
    } else {
        " AND c.id IS NULL"
    };
    let d = day.to_string();
    let mut q = board_sql("COUNT(*)", scope, config, &d, None);
    q.push(cond);
    let total: i64 = store.fetch_i64(q).await?;
    let select = "e.id, e.name, s.name AS street_name, m.escalated_ms";
    let mut q = board_sql(select, scope, config, &d, None);
    q.push(cond)
        .push(" ORDER BY e.name, e.id")
        .push_bind(" LIMIT ", yingji_core::workbench::TODO_LIMIT);
    let items = store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| {
            let escalated = r.try_get::<Option<i64>, _>("escalated_ms")?.is_some();
            Ok(TodoItem {
                id: r.try_get("id")?,
                code: None,
                title: r.try_get("name")?,
                place: r.try_get("street_name")?,
                status_label: rules::todo_status(missed_only, escalated).into(),
                at_ms: None,
                due_ms: Some(deadline_ms),
                due_date: None,
                overdue: missed_only,
                link: if missed_only {
                    format!("/credit/commitments?day={d}&status=flagged")
                } else {
                    "/credit/commitments/today".into()
                },
            })
        })
        .collect::<StoreResult<_>>()?;
    Ok(TodoList { items, total })
}
