//! The district's 灾情报送 settings: the jump rule (ratio and minimum, [I] 50 % and 10 by
//! default) and the higher levels' channels (the city's and the province's duty rooms, as
//! notification channels) that a report with 10 or more dead and missing reaches at once.

use crate::kernel::audit::{self, Change};
use crate::{Actor, Sql, Store, StoreResult, Tx};
use sqlx::Row;
use yingji_core::disasters::reports_rules::JumpRule;
use yingji_core::kernel::notify::ChannelKind;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub district_code: String,
    pub jump: JumpRule,
    pub city_channel_ids: Vec<String>,
    pub province_channel_ids: Vec<String>,
    pub updated_ms: Option<i64>,
}

fn ids(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

fn from_row(district: &str, row: Option<sqlx::any::AnyRow>) -> StoreResult<Settings> {
    let Some(r) = row else {
        return Ok(Settings {
            district_code: district.into(),
            ..Settings::default()
        });
    };
    Ok(Settings {
        district_code: district.into(),
        jump: JumpRule {
            ratio_pct: r.try_get("jump_ratio_pct")?,
            min: r.try_get("jump_min")?,
        },
        city_channel_ids: ids(&r.try_get::<String, _>("city_channel_ids")?),
        province_channel_ids: ids(&r.try_get::<String, _>("province_channel_ids")?),
        updated_ms: Some(r.try_get("updated_ms")?),
    })
}

fn select(district: &str) -> Sql {
    let mut q = Sql::new("SELECT * FROM disaster_report_settings WHERE district_code = ");
    q.bind(district);
    q
}

/// A district's settings (the defaults when none were saved).
pub async fn get(store: &Store, district: &str) -> StoreResult<Settings> {
    from_row(district, store.fetch_optional(select(district)).await?)
}

/// The same, in a transaction.
pub async fn get_in(tx: &mut Tx, district: &str) -> StoreResult<Settings> {
    from_row(district, select(district).fetch_optional(tx).await?)
}

/// Saves a district's settings (checked by the caller) with the audit record.
pub async fn save_in(
    tx: &mut Tx,
    actor: &Actor,
    now_ms: i64,
    s: &Settings,
    summary: String,
) -> StoreResult<()> {
    let mut d = Sql::new("DELETE FROM disaster_report_settings WHERE district_code = ");
    d.bind(s.district_code.as_str());
    d.execute(tx).await?;
    let mut q = Sql::new(
        "INSERT INTO disaster_report_settings (district_code, jump_ratio_pct, jump_min, city_channel_ids, province_channel_ids, updated_ms) VALUES ",
    );
    q.values(vec![
        s.district_code.clone().into(),
        s.jump.ratio_pct.into(),
        s.jump.min.into(),
        serde_json::to_string(&s.city_channel_ids)
            .unwrap_or_default()
            .into(),
        serde_json::to_string(&s.province_channel_ids)
            .unwrap_or_default()
            .into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    let change = Change::of(
        "disaster.settings",
        "disaster_settings",
        &s.district_code,
        summary,
    );
    audit::append(tx, now_ms, actor, change).await?;
    Ok(())
}

/// Active channels among `ids`: (id, kind, name), in the order given; unknown ids are left out.
pub async fn channels_in(
    tx: &mut Tx,
    ids: &[String],
) -> StoreResult<Vec<(String, ChannelKind, String)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut q = Sql::new("SELECT id, kind, name FROM notify_channels WHERE active = 1 AND id IN ");
    q.bind_list(ids.iter().cloned());
    let mut out = Vec::new();
    for r in q.fetch_all(tx).await? {
        let Some(kind) = ChannelKind::parse(&r.try_get::<String, _>(1)?) else {
            continue;
        };
        out.push((r.try_get(0)?, kind, r.try_get(2)?));
    }
    out.sort_by_key(|c| ids.iter().position(|i| i == &c.0));
    Ok(out)
}

/// Which of `ids` are channels at all (for the settings' check).
pub async fn known_channels(store: &Store, ids: &[String]) -> StoreResult<Vec<String>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut q = Sql::new("SELECT id FROM notify_channels WHERE id IN ");
    q.bind_list(ids.iter().cloned());
    store
        .fetch_all(q)
        .await?
        .iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect()
}
