//! Synthetic 隐患 for the demo and `yingji bench`: bulk inserts with a report and acceptance
//! timeline and one summary audit record.

use yingji_core::kernel::rng::Rng;
use yingji_core::prevention::hazard::{self as rules, CATEGORIES, SOURCES};
use yingji_store::kernel::audit::{self, Change};
use yingji_store::{Actor, Sql, Store, StoreResult};

const BENCH_DESCRIPTIONS: &[&str] = &[
    "消防通道堆放杂物",
    "配电箱未接地",
    "安全出口指示灯损坏",
    "特种作业人员无证上岗",
    "危化品仓库通风不良",
    "有限空间作业未审批",
    "灭火器过期未更换",
    "粉尘清扫记录缺失",
];

const REPORTERS: [&str; 5] = ["企业安全员", "执法人员", "网格员", "群众", "监测系统"];

/// Generates `count` synthetic hazards over the two years before `now` for the loaded
/// enterprises, for the demo and `yingji bench`: most older ones closed, recent ones still open, some
/// overdue. Bulk inserts with one summary audit record (like the demo loader), a timeline of
/// report and acceptance, and no timers or listings.
pub async fn generate_hazards(
    store: &Store,
    now: i64,
    count: usize,
    seed: u64,
    first_seq: usize,
) -> StoreResult<usize> {
    if count == 0 {
        return Ok(0);
    }
    let ents = enterprises(store).await?;
    if ents.is_empty() {
        return Ok(0);
    }
    let mut rng = Rng::new(seed ^ first_seq as u64);
    let mut written = 0;
    const CHUNK: usize = 400;
    while written < count {
        let mut tx = store.begin().await?;
        for _ in 0..50 {
            let n = CHUNK.min(count - written);
            if n == 0 {
                break;
            }
            let mut ins = Sql::new(
                "INSERT INTO hazards (id, code, source, enterprise_id, location, lon, lat, region_code, district_code, street_code, community_code, grid_code, industry, categories, category, description, level, status, criteria, deadline, overdue, reporter_name, listed, reported_ms, reported_month, graded_ms, closed_ms, closed_on_time, updated_ms) VALUES ",
            );
            let mut ev = Sql::new(
                "INSERT INTO hazard_events (id, hazard_id, action, from_status, to_status, actor_id, actor_name, note, data, attachments, at_ms) VALUES ",
            );
            for i in 0..n {
                let e = &ents[rng.below(ents.len())];
                if i > 0 {
                    ins.push(", ");
                    ev.push(", ");
                }
                push_hazard(&mut ins, &mut ev, &mut rng, e, now, first_seq + written + i);
            }
            ins.execute(&mut tx).await?;
            ev.execute(&mut tx).await?;
            written += n;
        }
        tx.commit().await?;
    }
    let mut tx = store.begin().await?;
    audit::append(
        &mut tx,
        now,
        &Actor::system("bench"),
        Change {
            action: "import",
            entity_type: "hazard",
            entity_id: None,
            summary: format!("生成演示隐患{written}条"),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    store.optimize().await?;
    Ok(written)
}

const DAY: i64 = 86_400_000;

/// An enterprise as the generated hazards need it.
struct Ent {
    id: String,
    name: String,
    region: [String; 4],
    grid: String,
    industry: String,
    categories: String,
    lon: Option<f64>,
    lat: Option<f64>,
}

async fn enterprises(store: &Store) -> StoreResult<Vec<Ent>> {
    use sqlx::Row;
    let rows = store
        .fetch_all(Sql::new(
            "SELECT id, name, grid_code, district_code, street_code, community_code, industry_code, categories, lon, lat FROM enterprises ORDER BY id",
        ))
        .await?;
    rows.iter()
        .map(|r| {
            let industry: String = r.try_get("industry_code")?;
            Ok(Ent {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                grid: r.try_get("grid_code")?,
                region: [
                    r.try_get("district_code")?,
                    r.try_get("street_code")?,
                    r.try_get("community_code")?,
                    r.try_get("grid_code")?,
                ],
                industry: industry.get(..1).unwrap_or("").into(),
                categories: r.try_get("categories")?,
                lon: r.try_get("lon")?,
                lat: r.try_get("lat")?,
            })
        })
        .collect::<StoreResult<_>>()
}

/// One hazard of enterprise `e` onto `ins`, with its report (and acceptance, when closed) onto
/// `ev`; `seq` numbers its code.
fn push_hazard(ins: &mut Sql, ev: &mut Sql, rng: &mut Rng, e: &Ent, now: i64, seq: usize) {
    let d = Draw::new(rng, now);
    let id = yingji_store::new_id();
    push_events(ev, &id, &d);
    push_row(ins, id, e, &d, now, seq);
}

/// The random draws of one hazard, taken in this order (the demo's data depends on it).
struct Draw {
    reported: i64,
    status: &'static str,
    major: bool,
    /// Index into `SOURCES` and `REPORTERS`.
    source: usize,
    closed: Option<i64>,
    category: &'static str,
    description: &'static str,
}

impl Draw {
    fn new(rng: &mut Rng, now: i64) -> Self {
        let reported = now - (rng.unit() * 730.0 * DAY as f64) as i64;
        let age_days = (now - reported) / DAY;
        let status = status_of(age_days > 90, rng.unit());
        let major = rng.chance(0.03);
        let source = source_of(rng.unit());
        let closed =
            (status == "closed").then(|| (reported + (1 + rng.below(40) as i64) * DAY).min(now));
        let category = rng.pick(CATEGORIES).0;
        let description = *rng.pick(BENCH_DESCRIPTIONS);
        Self {
            reported,
            status,
            major,
            source,
            closed,
            category,
            description,
        }
    }

    /// 定级 a day after the report, unless the hazard is still only registered.
    fn graded(&self) -> Option<i64> {
        (self.status != "registered").then_some(self.reported + DAY)
    }
}

/// The status of a hazard by its age (older than 90 days: mostly closed) and a roll in [0, 1).
fn status_of(old: bool, roll: f64) -> &'static str {
    match (old, roll) {
        (true, r) if r < 0.93 => "closed",
        (true, r) if r < 0.95 => "dismissed",
        (true, r) if r < 0.98 => "rectifying",
        (true, r) if r < 0.99 => "registered",
        (true, _) => "pending_acceptance",
        (false, r) if r < 0.40 => "closed",
        (false, r) if r < 0.42 => "dismissed",
        (false, r) if r < 0.77 => "rectifying",
        (false, r) if r < 0.92 => "registered",
        (false, _) => "pending_acceptance",
    }
}

/// The source (企业自查 most often) by a roll in [0, 1).
fn source_of(roll: f64) -> usize {
    match roll {
        r if r < 0.55 => 0,
        r if r < 0.75 => 1,
        r if r < 0.90 => 2,
        r if r < 0.97 => 3,
        _ => 4,
    }
}

/// The hazard's report event, and its acceptance when it was closed.
fn push_events(ev: &mut Sql, id: &str, d: &Draw) {
    let reporter = REPORTERS[d.source];
    let status_after_report = if d.graded().is_some() {
        "rectifying"
    } else {
        "registered"
    };
    ev.values(vec![
        yingji_store::new_id().into(),
        id.into(),
        "report".into(),
        None::<String>.into(),
        status_after_report.into(),
        None::<String>.into(),
        reporter.into(),
        None::<String>.into(),
        None::<String>.into(),
        String::new().into(),
        d.reported.into(),
    ]);
    if let Some(c) = d.closed {
        ev.push(", ");
        ev.values(vec![
            yingji_store::new_id().into(),
            id.into(),
            "accept".into(),
            Some("pending_acceptance").into(),
            "closed".into(),
            None::<String>.into(),
            "验收人".into(),
            Some("整改到位，同意销号").into(),
            None::<String>.into(),
            String::new().into(),
            c.into(),
        ]);
    }
}

/// The hazard's row: its deadline (60 days for a 重大隐患, 15 otherwise) and whether it is
/// overdue or was closed on time follow from the draws.
fn push_row(ins: &mut Sql, id: String, e: &Ent, d: &Draw, now: i64, seq: usize) {
    let today = rules::today(now);
    let graded = d.graded();
    let deadline_day = rules::today(d.reported + (if d.major { 60 } else { 15 }) * DAY);
    let deadline = graded.map(|_| deadline_day.to_string());
    let open = matches!(d.status, "registered" | "rectifying" | "pending_acceptance");
    let overdue = open && graded.is_some() && deadline_day < today;
    let on_time = d.closed.map(|c| i64::from(rules::today(c) <= deadline_day));
    let grid = if e.grid.is_empty() {
        &e.region[3]
    } else {
        &e.grid
    };
    ins.values(vec![
        id.into(),
        format!(
            "YH{}{}B{:07}",
            e.region[0],
            rules::today(d.reported).year(),
            seq
        )
        .into(),
        SOURCES[d.source].0.into(),
        Some(e.id.clone()).into(),
        e.name.clone().into(),
        e.lon.into(),
        e.lat.into(),
        grid.clone().into(),
        e.region[0].clone().into(),
        e.region[1].clone().into(),
        e.region[2].clone().into(),
        e.region[3].clone().into(),
        e.industry.clone().into(),
        e.categories.clone().into(),
        d.category.into(),
        d.description.into(),
        (if d.major { "major" } else { "general" }).into(),
        d.status.into(),
        String::new().into(),
        deadline.into(),
        i64::from(overdue).into(),
        REPORTERS[d.source].into(),
        0i64.into(),
        d.reported.into(),
        yingji_core::kernel::clock::month_of(d.reported).into(),
        graded.into(),
        d.closed.into(),
        on_time.into(),
        d.closed.unwrap_or(d.reported).into(),
    ]);
}
