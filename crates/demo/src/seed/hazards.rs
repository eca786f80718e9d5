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
    let today = rules::today(now);
    let reported = now - (rng.unit() * 730.0 * DAY as f64) as i64;
    let age_days = (now - reported) / DAY;
    let roll = rng.unit();
    let status = match (age_days > 90, roll) {
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
    };
    let major = rng.chance(0.03);
    let source = match rng.unit() {
        r if r < 0.55 => 0,
        r if r < 0.75 => 1,
        r if r < 0.90 => 2,
        r if r < 0.97 => 3,
        _ => 4,
    };
    let graded = (status != "registered").then_some(reported + DAY);
    let deadline_day = rules::today(reported + (if major { 60 } else { 15 }) * DAY);
    let deadline = graded.map(|_| deadline_day.to_string());
    let open = matches!(status, "registered" | "rectifying" | "pending_acceptance");
    let overdue = open && graded.is_some() && deadline_day < today;
    let closed =
        (status == "closed").then(|| (reported + (1 + rng.below(40) as i64) * DAY).min(now));
    let on_time = closed.map(|c| i64::from(rules::today(c) <= deadline_day));
    let grid = if e.grid.is_empty() {
        &e.region[3]
    } else {
        &e.grid
    };
    let id = yingji_store::new_id();
    let reporter = REPORTERS[source];
    let status_after_report = if graded.is_some() {
        "rectifying"
    } else {
        "registered"
    };
    ev.values(vec![
        yingji_store::new_id().into(),
        id.clone().into(),
        "report".into(),
        None::<String>.into(),
        status_after_report.into(),
        None::<String>.into(),
        reporter.into(),
        None::<String>.into(),
        None::<String>.into(),
        String::new().into(),
        reported.into(),
    ]);
    if let Some(c) = closed {
        ev.push(", ");
        ev.values(vec![
            yingji_store::new_id().into(),
            id.clone().into(),
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
    ins.values(vec![
        id.into(),
        format!(
            "YH{}{}B{:07}",
            e.region[0],
            rules::today(reported).year(),
            seq
        )
        .into(),
        SOURCES[source].0.into(),
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
        rng.pick(CATEGORIES).0.into(),
        (*rng.pick(BENCH_DESCRIPTIONS)).into(),
        (if major { "major" } else { "general" }).into(),
        status.into(),
        String::new().into(),
        deadline.into(),
        i64::from(overdue).into(),
        reporter.into(),
        0i64.into(),
        reported.into(),
        yingji_store::prevention::hazards::month_of(reported).into(),
        graded.into(),
        closed.into(),
        on_time.into(),
        closed.unwrap_or(reported).into(),
    ]);
}
