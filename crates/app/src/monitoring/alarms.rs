//! 报警: acting on an alarm (确认 / 处置 / 关闭) and turning it into a hidden hazard, each in one
//! transaction; the conversion writes the hazard through the prevention capability's store.

use yingji_core::kernel::role::{Role, Scope};
use yingji_core::monitoring::alarm_hazard::CONVERT_DENIED;
use yingji_store::monitoring::alarm_hazards::{self, ToHazardInput};
use yingji_store::monitoring::{self, Alarm, AlarmAction};
use yingji_store::{Actor, Store, StoreError, StoreResult};

/// ack / handle / close an alarm the caller sees.
pub async fn act(
    store: &Store,
    actor: &Actor,
    scope: &Scope,
    now_ms: i64,
    id: &str,
    input: &AlarmAction,
) -> StoreResult<Alarm> {
    let c = monitoring::check_act(store, scope, id, input).await?;
    let mut tx = store.begin().await?;
    monitoring::act_in(&mut tx, actor, now_ms, id, input, &c).await?;
    tx.commit().await?;
    monitoring::get_alarm(store, scope, id).await
}

/// 转为隐患: the hazard and the alarm's link to it commit together; an alarm becomes at most one.
pub async fn convert(
    store: &Store,
    actor: &Actor,
    scope: &Scope,
    role: Role,
    now_ms: i64,
    alarm_id: &str,
    input: &ToHazardInput,
) -> StoreResult<Alarm> {
    if !role.reports_hazards() {
        return Err(StoreError::Forbidden(CONVERT_DENIED.into()));
    }
    let c = alarm_hazards::check_convert(store, scope, now_ms, alarm_id, input).await?;
    let mut tx = store.begin().await?;
    alarm_hazards::convert_in(&mut tx, actor, now_ms, alarm_id, c).await?;
    tx.commit().await?;
    monitoring::get_alarm(store, scope, alarm_id).await
}
