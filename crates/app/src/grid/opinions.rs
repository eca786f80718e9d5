//! 舆情 entries (issue 24 item 1; 舆情分级响应和分类处置): the duty room enters what the monitoring
//! found as a grid event of source 舆情 with its platform, link, heat and level; the dispatch
//! rules apply as for any event, the level tightens the deadlines, and a 重大 or 特别重大 舆情
//! reaches the bureau's leaders at once, all in one transaction.

use super::events::{KIND, check, decide, record_in};
use yingji_core::grid::events::{self as rules, EventInput, Source, may_dispatch};
use yingji_core::grid::opinions::{self as opinion_rules, OpinionInput};
use yingji_core::kernel::role::Scope;
use yingji_core::kernel::validation::Invalid;
use yingji_store::grid::events::{self as reads, EventDetail};
use yingji_store::grid::events_writes::NewEvent;
use yingji_store::grid::opinions::alert_leaders_in;
use yingji_store::kernel::Ctx;
use yingji_store::kernel::idempotency::{self, Key};
use yingji_store::{Store, StoreError, StoreResult, directory};

/// A 舆情 often has no exact place: without a point, the centre of the region named.
async fn placed(store: &Store, input: &EventInput) -> StoreResult<EventInput> {
    let mut input = input.clone();
    if input.lon.is_none() && input.lat.is_none() {
        let region = directory::regions::get(store, &Scope::All, input.region_code.trim())
            .await
            .map_err(|_| Invalid::one("region_code", "请选择舆情涉及的街道、社区或网格"))?;
        if let Some([lon, lat]) = region.center {
            (input.lon, input.lat) = (Some(lon), Some(lat));
        }
    }
    Ok(input)
}

/// 登记舆情 (the duty room). Sent again with the same `key`, the first entry answers.
pub async fn enter(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    (input, opinion): (&EventInput, &OpinionInput),
    key: Option<&str>,
) -> StoreResult<EventDetail> {
    if !may_dispatch(ctx.role) {
        return Err(StoreError::Forbidden(
            opinion_rules::NOT_THE_DUTY_ROOM.into(),
        ));
    }
    let key = key.map(|key| Key {
        user_id: &ctx.user_id,
        key,
        kind: KIND,
    });
    if let Some(id) = idempotency::replayed(store, key).await? {
        return reads::detail(store, ctx, &id).await;
    }
    let opinion = opinion_rules::checked(opinion)?;
    let input = placed(store, input).await?;
    let (checked, config, district) = check(store, Some(&ctx.scope), &input, false).await?;
    let decided = decide(store, &config, &checked).await?;
    let new = NewEvent {
        source: Source::Opinion,
        checked: &checked,
        district_code: &district,
        reporter_user_id: Some(&ctx.user_id),
        tracking_code: None,
        external: None,
        opinion: Some(&opinion),
        attachments: &[],
        summary: rules::filed_summary(Source::Opinion, &checked.category, &checked.title),
    };
    let mut tx = store.begin().await?;
    let (id, code) =
        record_in(&mut tx, &ctx.actor, now_ms, &new, &config, decided.as_ref()).await?;
    if opinion.level.alerts_leaders() {
        let message =
            opinion_rules::leaders_message(opinion.level, &code, &checked.title, &opinion.platform);
        alert_leaders_in(&mut tx, now_ms, (&id, &district), message).await?;
    }
    idempotency::record_in(&mut tx, key, &id, now_ms).await?;
    tx.commit().await?;
    reads::detail(store, ctx, &id).await
}
