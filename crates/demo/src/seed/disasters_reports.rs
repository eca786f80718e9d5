//! The demo district's 灾情报送: a rainstorm process three weeks ago over two streets with its
//! 初报 (on time), two 续报, the stable mark and the 核报, filed through the use cases at their
//! own times (so deadlines, late marks and audit records are as they would have been), and its
//! 台账: one person dead, one missing, three damaged households; two earlier processes and the
//! yearbook, for the 灾情统计 page.

use super::enforcement_cases::ctx_of;
use yingji_app::disasters::{ledgers, processes, reports, summary};
use yingji_core::disasters::ledgers::{HouseInput, PersonInput};
use yingji_core::disasters::processes::ProcessInput;
use yingji_core::disasters::reports::{ReportInput, RowInput};
use yingji_core::disasters::reports_figures::Figure;
use yingji_core::disasters::summary::YearbookInput;
use yingji_core::kernel::clock::to_rfc3339;
use yingji_store::{Store, StoreResult};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn row(township: &str, figures: &[(Figure, &str)]) -> RowInput {
    let mut values: [Option<String>; 15] = Default::default();
    for (f, v) in figures {
        values[f.index()] = Some((*v).into());
    }
    RowInput {
        township: township.into(),
        values,
    }
}

fn report(kind: &str, scale: i64, description: &str) -> ReportInput {
    let n = |v: i64| (v * scale / 100).to_string();
    ReportInput {
        kind: kind.into(),
        rows: vec![
            row(
                "360403001",
                &[
                    (Figure::AffectedPeople, &n(3200)),
                    (Figure::Deaths, if scale >= 100 { "1" } else { "0" }),
                    (Figure::Missing, if scale >= 100 { "1" } else { "0" }),
                    (Figure::Relocated, &n(860)),
                    (Figure::NeedRelief, &n(240)),
                    (Figure::CropsAffected, "35.60"),
                    (Figure::CropsDamaged, "12.40"),
                    (Figure::CollapsedHouseholds, "2"),
                    (Figure::CollapsedRooms, "5"),
                    (Figure::SevereHouseholds, "1"),
                    (Figure::SevereRooms, "3"),
                    (Figure::DamagedHouseholds, &n(40)),
                    (Figure::DamagedRooms, &n(96)),
                    (Figure::Loss, &format!("{}.50", 420 * scale / 100)),
                ],
            ),
            row(
                "360403002",
                &[
                    (Figure::AffectedPeople, &n(1500)),
                    (Figure::Relocated, &n(300)),
                    (Figure::DamagedHouseholds, &n(12)),
                    (Figure::DamagedRooms, &n(30)),
                    (Figure::Loss, &format!("{}.25", 130 * scale / 100)),
                ],
            ),
        ],
        description: description.into(),
        relief: Some("启动区级Ⅳ级救灾应急响应，开放避难场所 6 处，发放折叠床、棉被和食品".into()),
        explanation: Some("逐户核查后更新".into()),
        attachments: vec![],
    }
}

// Long because: one process told in order — register, three reports, stable, 核报, 台账.
pub async fn generate_disaster_reports(store: &Store, now: i64) -> StoreResult<usize> {
    let Some(duty) = ctx_of(store, "duty").await? else {
        return Ok(0);
    };
    let start = now - 21 * DAY;
    let p = processes::create(
        store,
        &duty,
        start + HOUR,
        &ProcessInput {
            kind: "flood".into(),
            subtype: "rainstorm".into(),
            name: Some("浔阳区“7·10”暴雨洪涝灾害过程".into()),
            started_at: to_rfc3339(start),
            townships: vec!["360403001".into(), "360403002".into()],
            major: false,
            incident_id: None,
            note: None,
        },
    )
    .await?;
    let steps = [
        (
            HOUR + 30 * 60_000,
            "initial",
            60,
            "强降雨致甘棠、湓浦街道低洼地带积水，部分群众被困",
        ),
        (
            3 * DAY,
            "update",
            90,
            "降雨持续，内涝范围扩大，转移安置人数增加",
        ),
        (
            9 * DAY,
            "update",
            100,
            "降雨减弱，积水逐步消退，核查房屋受损情况",
        ),
    ];
    for (at, kind, scale, text) in steps {
        let mut input = report(kind, scale, text);
        if kind == "initial" {
            input.explanation = None;
        }
        reports::file(store, &duty, start + at, &p.id, &input, None).await?;
    }
    processes::stable(
        store,
        &duty,
        start + 12 * DAY,
        &p.id,
        &to_rfc3339(start + 12 * DAY - 2 * HOUR),
    )
    .await?;
    let fin = report("final", 100, "灾情稳定后逐户核查，核定灾情如下");
    reports::file(store, &duty, start + 15 * DAY, &p.id, &fin, None).await?;
    let day = yingji_core::kernel::clock::today(start + 2 * DAY).to_string();
    for (name, sex, age, id, status, cause) in [
        ("王某某", "男", 72, "11010519491231002X", "dead", "房屋倒塌"),
        (
            "陈某某",
            "女",
            45,
            "360403198001010016",
            "missing",
            "被洪水冲走",
        ),
    ] {
        let person = PersonInput {
            township: "360403001".into(),
            name: name.into(),
            sex: sex.into(),
            age,
            id_number: id.into(),
            address: "甘棠街道南湖社区".into(),
            status: status.into(),
            cause: cause.into(),
            day: day.clone(),
        };
        // An ID number whose check digit is wrong is simply left out of the demo.
        let _ = ledgers::add_person(store, &duty, start + 10 * DAY, &p.id, &person).await;
    }
    for (head, rooms, degree) in [
        ("刘某", 3, "collapsed"),
        ("赵某", 2, "collapsed"),
        ("孙某", 3, "severe"),
    ] {
        let house = HouseInput {
            township: "360403001".into(),
            head: head.into(),
            address: "甘棠街道南湖社区".into(),
            rooms,
            degree: degree.into(),
        };
        ledgers::add_house(store, &duty, start + 10 * DAY, &p.id, &house).await?;
    }
    past_years(store, &duty, now).await?;
    Ok(1)
}

/// Earlier processes (a 风雹 last year, a drought the year before), each with one 初报, and the
/// district's yearbook for the 灾情统计 indicators (浔阳区-sized GDP and population).
async fn past_years(store: &Store, duty: &yingji_store::kernel::Ctx, now: i64) -> StoreResult<()> {
    for (back, kind, subtype, name, scale) in [
        (400, "hail", "hail", "浔阳区“5·02”风雹灾害过程", 40),
        (760, "drought", "drought", "浔阳区夏秋连旱灾害过程", 150),
    ] {
        let start = now - back * DAY;
        let p = processes::create(
            store,
            duty,
            start + HOUR,
            &ProcessInput {
                kind: kind.into(),
                subtype: subtype.into(),
                name: Some(name.into()),
                started_at: to_rfc3339(start),
                townships: vec!["360403001".into(), "360403002".into()],
                major: false,
                incident_id: None,
                note: None,
            },
        )
        .await?;
        let mut input = report("initial", scale, "初步统计灾情如下");
        input.explanation = None;
        reports::file(store, duty, start + HOUR + 30 * 60_000, &p.id, &input, None).await?;
    }
    let Some(commander) = ctx_of(store, "commander").await? else {
        return Ok(());
    };
    let year = i64::from(yingji_core::kernel::clock::today(now).year());
    let lines: Vec<YearbookInput> = (0..4)
        .map(|i| YearbookInput {
            year: (year - 3 + i).to_string(),
            gdp_wan_yuan: (4_200_000 + i * 180_000).to_string(),
            population: (421_000 + i * 900).to_string(),
        })
        .collect();
    summary::save_yearbook(store, &commander, now, &lines).await?;
    Ok(())
}
