//! 执法统计: the aggregate queries behind the statistics page, within the caller's departments
//! (an inspector: only the inspections they were on and the cases they handle). Each query groups
//! in SQL at the finest grain the page needs (department × the enterprise's categories × month, or
//! department × person); the app rolls the groups up. Months of instants are bucketed with the
//! month boundaries given (Asia/Shanghai, from core), months of days with `SUBSTR`, so SQLite and
//! PostgreSQL answer alike; sums are cast to BIGINT (PostgreSQL's SUM of BIGINT is NUMERIC).

use super::push_departments;
use super::tasks::Task;
use crate::kernel::Ctx;
use crate::{Sql, Store, StoreResult, Tx};
use sqlx::Row;
use yingji_core::enforcement::stats::{Period, Tally, reads_only_own_line};
use yingji_core::kernel::clock::month_of;

/// What to add up: the period, optionally one department.
pub struct StatsQuery<'a> {
    pub period: Period,
    pub department_id: Option<&'a str>,
    /// Today (`YYYY-MM-DD`, Asia/Shanghai), for the cases past their deadline.
    pub today: &'a str,
}

/// One group: a department, the enterprise's categories as stored (`,a,b,`) and a month (1–12).
#[derive(Debug, Clone, Default)]
pub struct CategoryMonth {
    pub department_id: String,
    pub categories: String,
    pub month: i64,
    pub tally: Tally,
}

/// One person's figures in a department.
#[derive(Debug, Clone, Default)]
pub struct PersonLine {
    pub department_id: String,
    pub user_id: String,
    pub user_name: String,
    pub tally: Tally,
}

/// An open case past its deadline.
#[derive(Debug, Clone)]
pub struct OverdueCase {
    pub id: String,
    pub department_id: String,
    pub title: String,
    pub enterprise_name: String,
    pub state: String,
    /// The deadline passed: the decision's (or its extension's) or the fine's payment.
    pub deadline: String,
}

/// Everything the statistics are made of.
#[derive(Debug, Clone, Default)]
pub struct StatsRows {
    pub groups: Vec<CategoryMonth>,
    pub people: Vec<PersonLine>,
    /// Inspections of the whole year per department (for plan completion).
    pub year_done: Vec<(String, i64)>,
    /// Approved plans of the year: department and planned inspections (重点 + 双随机).
    pub planned: Vec<(String, i64)>,
    pub overdue: Vec<OverdueCase>,
}

/// The filters every query shares: the caller's departments, the one asked for.
fn scoped(q: &mut Sql, ctx: &Ctx, s: &StatsQuery<'_>, column: &str) -> StoreResult<()> {
    push_departments(q, ctx, column)?;
    if let Some(d) = s.department_id {
        q.push_bind(&format!(" AND {column} = "), d);
    }
    Ok(())
}

/// The inspector's own inspections only.
fn own_records(q: &mut Sql, ctx: &Ctx) {
    if reads_only_own_line(ctx.role) {
        q.push_bind(
            " AND r.task_id IN (SELECT own.task_id FROM inspection_task_inspectors own WHERE own.user_id = ",
            ctx.user_id.as_str(),
        )
        .push(")");
    }
}

/// The inspector's own cases only.
fn own_cases(q: &mut Sql, ctx: &Ctx) {
    if reads_only_own_line(ctx.role) {
        q.push_bind(
            " AND c.id IN (SELECT own.case_id FROM enforcement_case_investigators own WHERE own.user_id = ",
            ctx.user_id.as_str(),
        )
        .push(")");
    }
}

/// `CASE WHEN r.recorded_ms < start_2 THEN 1 … ELSE 12 END`.
fn month_case(q: &mut Sql, starts: &[i64; 13]) {
    q.push("CASE");
    for (i, s) in starts[1..12].iter().enumerate() {
        q.push_bind(" WHEN r.recorded_ms < ", *s)
            .push(&format!(" THEN {}", i + 1));
    }
    q.push(" ELSE 12 END");
}

/// Inspections and findings by department, categories and month. A manager's figures add up the
/// monthly lines per enterprise (migration 0031), joined to the enterprises once per line; an
/// inspector's own come from their records (a few hundred a year).
async fn inspection_groups(
    store: &Store,
    ctx: &Ctx,
    s: &StatsQuery<'_>,
) -> StoreResult<Vec<CategoryMonth>> {
    let q = if reads_only_own_line(ctx.role) {
        own_inspection_groups(ctx, s)?
    } else {
        let (from, to) = s.period.range_days();
        let mut q = Sql::new(
            "SELECT g.department_id, e.categories, CAST(SUBSTR(g.month, 6, 2) AS BIGINT) AS m, CAST(SUM(g.inspections) AS BIGINT) AS n, CAST(SUM(g.findings) AS BIGINT) AS nf, CAST(SUM(g.major_findings) AS BIGINT) AS nm FROM inspection_enterprise_months g JOIN enterprises e ON e.id = g.enterprise_id WHERE ",
        );
        q.push_bind("g.month >= ", &from[..7])
            .push_bind(" AND g.month < ", &to[..7]);
        scoped(&mut q, ctx, s, "g.department_id")?;
        q.push(" GROUP BY 1, 2, 3");
        q
    };
    let rows = store.fetch_all(q).await?;
    rows.iter()
        .map(|r| {
            Ok(CategoryMonth {
                department_id: r.try_get("department_id")?,
                categories: r.try_get("categories")?,
                month: r.try_get("m")?,
                tally: Tally {
                    inspections: r.try_get("n")?,
                    findings: r.try_get::<Option<i64>, _>("nf")?.unwrap_or(0),
                    major_findings: r.try_get::<Option<i64>, _>("nm")?.unwrap_or(0),
                    ..Tally::default()
                },
            })
        })
        .collect()
}

/// The inspector's own inspections by department, categories and month (1–12).
fn own_inspection_groups(ctx: &Ctx, s: &StatsQuery<'_>) -> StoreResult<Sql> {
    let starts = s.period.month_starts_ms();
    let (from, to) = s.period.range_ms();
    let mut q = Sql::new(
        "SELECT r.department_id, e.categories, r.m, COUNT(*) AS n, CAST(SUM(r.findings) AS BIGINT) AS nf, CAST(SUM(r.major_findings) AS BIGINT) AS nm FROM (SELECT r.department_id, r.enterprise_id, r.findings, r.major_findings, ",
    );
    month_case(&mut q, &starts);
    q.push(" AS m FROM inspection_records r WHERE ");
    q.push_bind("r.recorded_ms >= ", from)
        .push_bind(" AND r.recorded_ms < ", to);
    scoped(&mut q, ctx, s, "r.department_id")?;
    own_records(&mut q, ctx);
    q.push(") r JOIN enterprises e ON e.id = r.enterprise_id GROUP BY 1, 2, 3");
    Ok(q)
}

/// Cases filed (by `filed_day`) and penalties decided (by `decided_day`, with the fines) by
/// department, categories and month.
async fn case_groups(
    store: &Store,
    ctx: &Ctx,
    s: &StatsQuery<'_>,
) -> StoreResult<Vec<CategoryMonth>> {
    let (from, to) = s.period.range_days();
    let mut out = Vec::new();
    for (day, decided) in [("c.filed_day", false), ("c.decided_day", true)] {
        let mut q = Sql::new(&format!(
            "SELECT c.department_id, e.categories, SUBSTR({day}, 6, 2) AS m, COUNT(*) AS n, CAST(SUM(COALESCE(c.decided_fine, 0)) AS BIGINT) AS fine FROM enforcement_cases c JOIN enterprises e ON e.id = c.enterprise_id WHERE "
        ));
        q.push_bind(&format!("{day} >= "), from.as_str())
            .push_bind(&format!(" AND {day} < "), to.as_str());
        scoped(&mut q, ctx, s, "c.department_id")?;
        own_cases(&mut q, ctx);
        q.push(&format!(
            " GROUP BY c.department_id, e.categories, SUBSTR({day}, 6, 2)"
        ));
        for r in store.fetch_all(q).await? {
            let n: i64 = r.try_get("n")?;
            let fine = r.try_get::<Option<i64>, _>("fine")?.unwrap_or(0);
            let m: String = r.try_get("m")?;
            let tally = if decided {
                Tally {
                    penalties: n,
                    fine_yuan: fine,
                    ..Tally::default()
                }
            } else {
                Tally {
                    cases: n,
                    ..Tally::default()
                }
            };
            out.push(CategoryMonth {
                department_id: r.try_get("department_id")?,
                categories: r.try_get("categories")?,
                month: m.parse().unwrap_or(0),
                tally,
            });
        }
    }
    Ok(out)
}

/// Adds a recorded inspection to its enterprise's month line and to each inspector's of its
/// task (migration 0031), in the caller's transaction. `counts`: its findings and 重大 findings.
pub async fn count_inspection_in(
    tx: &mut Tx,
    task: &Task,
    now_ms: i64,
    counts: (i64, i64),
) -> StoreResult<()> {
    let month = month_of(now_ms);
    let mut q = Sql::new(
        "INSERT INTO inspection_enterprise_months (department_id, month, enterprise_id, inspections, findings, major_findings) VALUES ",
    );
    q.values(vec![
        task.department_id.clone().into(),
        month.clone().into(),
        task.enterprise_id.clone().into(),
        1i64.into(),
        counts.0.into(),
        counts.1.into(),
    ]);
    q.push(" ON CONFLICT (department_id, month, enterprise_id) DO UPDATE SET inspections = inspection_enterprise_months.inspections + 1, findings = inspection_enterprise_months.findings + excluded.findings, major_findings = inspection_enterprise_months.major_findings + excluded.major_findings");
    q.execute(tx).await?;
    for member in &task.team {
        let mut q = Sql::new(
            "INSERT INTO inspection_person_months (department_id, month, user_id, user_name, inspections, findings, major_findings) VALUES ",
        );
        q.values(vec![
            task.department_id.clone().into(),
            month.clone().into(),
            member.user_id.clone().into(),
            member.name.clone().into(),
            1i64.into(),
            counts.0.into(),
            counts.1.into(),
        ]);
        q.push(" ON CONFLICT (department_id, month, user_id, user_name) DO UPDATE SET inspections = inspection_person_months.inspections + 1, findings = inspection_person_months.findings + excluded.findings, major_findings = inspection_person_months.major_findings + excluded.major_findings");
        q.execute(tx).await?;
    }
    Ok(())
}

/// Inspections (each counts for every inspector of its task, from the monthly lines of
/// migration 0031) and cases (for every 承办人) by department and person.
async fn people(store: &Store, ctx: &Ctx, s: &StatsQuery<'_>) -> StoreResult<Vec<PersonLine>> {
    let (from, to) = s.period.range_days();
    let mine = reads_only_own_line(ctx.role).then_some(ctx.user_id.as_str());
    let mut q = Sql::new(
        "SELECT r.department_id, r.user_id, r.user_name, CAST(SUM(r.inspections) AS BIGINT) AS n, CAST(SUM(r.findings) AS BIGINT) AS nf, CAST(SUM(r.major_findings) AS BIGINT) AS nm FROM inspection_person_months r WHERE ",
    );
    q.push_bind("r.month >= ", &from[..7])
        .push_bind(" AND r.month < ", &to[..7]);
    scoped(&mut q, ctx, s, "r.department_id")?;
    if let Some(me) = mine {
        q.push_bind(" AND r.user_id = ", me);
    }
    q.push(" GROUP BY r.department_id, r.user_id, r.user_name");
    let mut out = Vec::new();
    for r in store.fetch_all(q).await? {
        out.push(PersonLine {
            department_id: r.try_get("department_id")?,
            user_id: r.try_get("user_id")?,
            user_name: r.try_get("user_name")?,
            tally: Tally {
                inspections: r.try_get("n")?,
                findings: r.try_get::<Option<i64>, _>("nf")?.unwrap_or(0),
                major_findings: r.try_get::<Option<i64>, _>("nm")?.unwrap_or(0),
                ..Tally::default()
            },
        });
    }
    let (from, to) = s.period.range_days();
    for (day, decided) in [("c.filed_day", false), ("c.decided_day", true)] {
        let mut q = Sql::new(
            "SELECT c.department_id, ci.user_id, ci.user_name, COUNT(*) AS n, CAST(SUM(COALESCE(c.decided_fine, 0)) AS BIGINT) AS fine FROM enforcement_cases c JOIN enforcement_case_investigators ci ON ci.case_id = c.id WHERE ",
        );
        q.push_bind(&format!("{day} >= "), from.as_str())
            .push_bind(&format!(" AND {day} < "), to.as_str());
        scoped(&mut q, ctx, s, "c.department_id")?;
        if let Some(me) = mine {
            q.push_bind(" AND ci.user_id = ", me);
        }
        q.push(" GROUP BY c.department_id, ci.user_id, ci.user_name");
        for r in store.fetch_all(q).await? {
            let n: i64 = r.try_get("n")?;
            let fine = r.try_get::<Option<i64>, _>("fine")?.unwrap_or(0);
            out.push(PersonLine {
                department_id: r.try_get("department_id")?,
                user_id: r.try_get("user_id")?,
                user_name: r.try_get("user_name")?,
                tally: if decided {
                    Tally {
                        penalties: n,
                        fine_yuan: fine,
                        ..Tally::default()
                    }
                } else {
                    Tally {
                        cases: n,
                        ..Tally::default()
                    }
                },
            });
        }
    }
    Ok(out)
}

/// The year's inspections per department and the approved plans' planned inspections.
async fn plan_lines(
    store: &Store,
    ctx: &Ctx,
    s: &StatsQuery<'_>,
) -> StoreResult<(Vec<(String, i64)>, Vec<(String, i64)>)> {
    let year = yingji_core::enforcement::stats::Period {
        year: s.period.year,
        month: None,
    };
    let (from, to) = year.range_ms();
    let mut q = Sql::new("SELECT r.department_id, COUNT(*) AS n FROM inspection_records r WHERE ");
    q.push_bind("r.recorded_ms >= ", from)
        .push_bind(" AND r.recorded_ms < ", to);
    scoped(&mut q, ctx, s, "r.department_id")?;
    own_records(&mut q, ctx);
    q.push(" GROUP BY r.department_id");
    let mut done = Vec::new();
    for r in store.fetch_all(q).await? {
        done.push((r.try_get("department_id")?, r.try_get("n")?));
    }
    let mut q = Sql::new(
        "SELECT p.department_id, p.key_inspections + p.random_inspections AS n FROM enforcement_plans p WHERE p.status = 'approved'",
    );
    q.push_bind(" AND p.year = ", i64::from(s.period.year));
    scoped(&mut q, ctx, s, "p.department_id")?;
    let mut planned = Vec::new();
    for r in store.fetch_all(q).await? {
        planned.push((r.try_get("department_id")?, r.try_get("n")?));
    }
    Ok((done, planned))
}

/// Open cases past a deadline today: the decision's (or its extension's) before a decision, the
/// fine's payment before it is paid or enforced, or marked overdue by the deadline timer.
async fn overdue(store: &Store, ctx: &Ctx, s: &StatsQuery<'_>) -> StoreResult<Vec<OverdueCase>> {
    let mut q = Sql::new(
        "SELECT c.id, c.department_id, c.title, c.enterprise_name, c.state, CASE WHEN c.decided_day IS NULL THEN COALESCE(c.extended_until, c.decision_due) ELSE c.payment_due END AS deadline FROM enforcement_cases c WHERE c.state <> 'closed' AND (c.overdue = 1",
    );
    q.push_bind(
        " OR (c.decided_day IS NULL AND COALESCE(c.extended_until, c.decision_due) < ",
        s.today,
    )
    .push_bind(
        ") OR (c.decided_day IS NOT NULL AND c.paid = 0 AND c.compulsory = 0 AND c.payment_due < ",
        s.today,
    )
    .push("))");
    scoped(&mut q, ctx, s, "c.department_id")?;
    own_cases(&mut q, ctx);
    q.push(" ORDER BY deadline, c.id LIMIT 200");
    let mut out = Vec::new();
    for r in store.fetch_all(q).await? {
        out.push(OverdueCase {
            id: r.try_get("id")?,
            department_id: r.try_get("department_id")?,
            title: r.try_get("title")?,
            enterprise_name: r.try_get("enterprise_name")?,
            state: r.try_get("state")?,
            deadline: r
                .try_get::<Option<String>, _>("deadline")?
                .unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Every figure of the statistics page for the caller.
pub async fn rows(store: &Store, ctx: &Ctx, s: &StatsQuery<'_>) -> StoreResult<StatsRows> {
    // Independent reads: run side by side on the pool (SQLite's WAL readers, PostgreSQL's
    // connections), so the page waits for the longest query rather than the sum.
    let (mut groups, cases, people, (year_done, planned), overdue) = tokio::try_join!(
        inspection_groups(store, ctx, s),
        case_groups(store, ctx, s),
        people(store, ctx, s),
        plan_lines(store, ctx, s),
        overdue(store, ctx, s),
    )?;
    groups.extend(cases);
    Ok(StatsRows {
        groups,
        people,
        year_done,
        planned,
        overdue,
    })
}

/// The baseline of the benchmark: how many inspections the same filter selects.
pub async fn count_inspections(store: &Store, ctx: &Ctx, s: &StatsQuery<'_>) -> StoreResult<i64> {
    let (from, to) = s.period.range_ms();
    let mut q = Sql::new("SELECT COUNT(*) AS n FROM inspection_records r WHERE ");
    q.push_bind("r.recorded_ms >= ", from)
        .push_bind(" AND r.recorded_ms < ", to);
    scoped(&mut q, ctx, s, "r.department_id")?;
    own_records(&mut q, ctx);
    match store.fetch_optional(q).await? {
        Some(row) => Ok(row.try_get("n")?),
        None => Ok(0),
    }
}
