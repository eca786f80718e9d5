//! The demo district's 会商研判: a 汛前会商 on the “7·10” rainstorm process, held through the use
//! case by the duty officer, with two actions — 区应急管理局's (completed by the department) and
//! 区住房和城乡建设局's (open, due in five days).

use super::enforcement_cases::ctx_of;
use yingji_app::disasters::consultations;
use yingji_core::disasters::consultations::{ActionInput, MeetingInput};
use yingji_core::kernel::clock::{to_rfc3339, today};
use yingji_store::directory::departments;
use yingji_store::{Sql, Store, StoreResult};

const DAY: i64 = 24 * 3_600_000;

pub async fn generate_consultations(store: &Store, now: i64) -> StoreResult<usize> {
    let (Some(duty), Some(yjj)) = (ctx_of(store, "duty").await?, ctx_of(store, "yjj").await?)
    else {
        return Ok(0);
    };
    let mut q = Sql::new("SELECT id FROM disaster_processes WHERE name = ");
    q.bind("浔阳区“7·10”暴雨洪涝灾害过程");
    let Some(process) = store.fetch_optional(q).await? else {
        return Ok(0);
    };
    let process: String = yingji_store::sqlx::Row::try_get(&process, 0)?;
    let (Some(bureau), Some(housing)) = (
        departments::find_by_name(store, "区应急管理局").await?,
        departments::find_by_name(store, "区住房和城乡建设局").await?,
    ) else {
        return Ok(0);
    };
    let held = now - 20 * DAY;
    let input = MeetingInput {
        kind: "pre_season".into(),
        topic: "主汛期防御工作部署暨“7·10”暴雨应对会商".into(),
        held_at: to_rfc3339(held),
        place: Some("区应急指挥中心会商室".into()),
        video: true,
        department_ids: vec![bureau.id.clone(), housing.id.clone()],
        participants: Some("区应急管理局局长、值班员，各部门分管负责人，甘棠、湓浦街道应急办".into()),
        process_id: Some(process),
        conclusions: Some(
            "一、全面排查山塘水库、低洼易涝点和在建工地；\n二、落实转移预案，提前转移危险区群众；\n三、24小时值班，灾情按时报送。".into(),
        ),
        actions: vec![
            ActionInput {
                text: "排查辖区山塘水库和低洼易涝点".into(),
                owner_department_id: Some(bureau.id),
                deadline: today(held + 2 * DAY).to_string(),
                ..Default::default()
            },
            ActionInput {
                text: "检查在建工地和危旧房屋防汛措施".into(),
                owner_department_id: Some(housing.id),
                deadline: today(now + 5 * DAY).to_string(),
                ..Default::default()
            },
        ],
        ..Default::default()
    };
    let m = consultations::create(store, &duty, held + 3_600_000, &input, &[]).await?;
    let first = &m.actions[0].id;
    consultations::complete(
        store,
        &yjj,
        held + DAY,
        &m.id,
        first,
        Some("已排查山塘水库 12 座、易涝点 8 处，发现隐患 2 处已整改"),
    )
    .await?;
    Ok(1)
}
