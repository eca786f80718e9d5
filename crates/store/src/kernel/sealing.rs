//! The personal fields sealed at rest with SM4 (ADR 0032), and the rows of the start-up job that
//! seals those still in plaintext: batch by batch in id order, remembering in `seal_progress` how
//! far it came, skipping values already sealed, so it can stop and resume on either backend.

use crate::{Sql, StoreResult, Tx};
use sqlx::Row;

/// One sealed column: its table, the column and its blind index column where the field is
/// searched; `key` is the row's TEXT key (`id`, or an SQL expression for a table keyed by several
/// columns) and `rows` limits the job to the rows matching an SQL condition (None: every row).
#[derive(Debug, Clone, Copy)]
pub struct SealedField {
    pub name: &'static str,
    pub label: &'static str,
    pub table: &'static str,
    pub column: &'static str,
    pub blind_index: Option<&'static str>,
    pub key: &'static str,
    pub rows: Option<&'static str>,
}

/// Every personal field sealed so far. A new one: seal on write (`keys::seal_opt`), open in the
/// row mapping (`keys::open_opt`) and list it here so old rows are sealed at start.
pub const FIELDS: &[SealedField] = &[
    SealedField {
        name: "grid_events.reporter_phone",
        label: "网格事件报告人电话",
        table: "grid_events",
        column: "reporter_phone",
        blind_index: Some("reporter_phone_bidx"),
        key: "id",
        rows: None,
    },
    SealedField {
        name: "incidents.reporter_phone",
        label: "突发事件报告人电话",
        table: "incidents",
        column: "reporter_phone",
        blind_index: None,
        key: "id",
        rows: None,
    },
    SealedField {
        name: "hazards.reporter_phone",
        label: "隐患举报人电话",
        table: "hazards",
        column: "reporter_phone",
        blind_index: None,
        key: "id",
        rows: None,
    },
    // s18-field: forest fire use, flood duty and 转移, credit key people, 承灾体 (特殊群体).
    SealedField {
        name: "fire_use_applications.applicant_phone",
        label: "野外用火申请人电话",
        table: "fire_use_applications",
        column: "applicant_phone",
        blind_index: None,
        key: "id",
        rows: None,
    },
    SealedField {
        name: "flood_duty_persons.phone",
        label: "防汛责任人电话",
        table: "flood_duty_persons",
        column: "phone",
        blind_index: None,
        key: "id",
        rows: None,
    },
    SealedField {
        name: "flood_order_persons.phone",
        label: "防汛工单责任人电话",
        table: "flood_order_persons",
        column: "phone",
        blind_index: None,
        key: "order_id || '/' || duty",
        rows: None,
    },
    SealedField {
        name: "evacuation_plan_people.phone",
        label: "转移名单人员电话",
        table: "evacuation_plan_people",
        column: "phone",
        blind_index: None,
        key: "id",
        rows: None,
    },
    SealedField {
        name: "evacuation_answers.phone",
        label: "转移指令人员电话",
        table: "evacuation_answers",
        column: "phone",
        blind_index: None,
        key: "order_id || '/' || person_id",
        rows: None,
    },
    SealedField {
        name: "credit_key_people.phone",
        label: "关键岗位人员电话",
        table: "credit_key_people",
        column: "phone",
        blind_index: None,
        key: "id",
        rows: None,
    },
    SealedField {
        name: "protected_objects.responsible_phone",
        label: "承灾体责任人电话",
        table: "protected_objects",
        column: "responsible_phone",
        blind_index: None,
        key: "id",
        rows: None,
    },
    SealedField {
        name: "protected_objects.name",
        label: "特殊群体姓名",
        table: "protected_objects",
        column: "name",
        blind_index: None,
        key: "id",
        rows: Some("personal = 1"),
    },
    SealedField {
        name: "protected_objects.address",
        label: "特殊群体住址",
        table: "protected_objects",
        column: "address",
        blind_index: None,
        key: "id",
        rows: Some("personal = 1"),
    },
    SealedField {
        name: "protected_objects.note",
        label: "特殊群体备注",
        table: "protected_objects",
        column: "note",
        blind_index: None,
        key: "id",
        rows: Some("personal = 1"),
    },
    // s18-relief: 救助 entries and 一卡通 lines, the 死亡失踪台账, 灾害信息员.
    SealedField {
        name: "disaster_relief_entries.id_number",
        label: "救助对象公民身份号码",
        table: "disaster_relief_entries",
        column: "id_number",
        blind_index: None,
        key: "id",
        rows: None,
    },
    SealedField {
        name: "disaster_relief_entries.phone",
        label: "救助对象联系电话",
        table: "disaster_relief_entries",
        column: "phone",
        blind_index: None,
        key: "id",
        rows: None,
    },
    SealedField {
        name: "disaster_relief_lines.id_number",
        label: "一卡通发放名单公民身份号码",
        table: "disaster_relief_lines",
        column: "id_number",
        blind_index: Some("id_number_bidx"),
        key: "id",
        rows: None,
    },
    SealedField {
        name: "disaster_ledger_persons.id_number",
        label: "因灾死亡失踪人员公民身份号码",
        table: "disaster_ledger_persons",
        column: "id_number",
        blind_index: Some("id_number_bidx"),
        key: "id",
        rows: None,
    },
    SealedField {
        name: "disaster_informants.phone",
        label: "灾害信息员电话",
        table: "disaster_informants",
        column: "phone",
        blind_index: None,
        key: "id",
        rows: None,
    },
    SealedField {
        name: "disaster_informants.backup_phone",
        label: "灾害信息员B岗人员电话",
        table: "disaster_informants",
        column: "backup_phone",
        blind_index: None,
        key: "id",
        rows: None,
    },
    // s18-people: accounts' phones and the TOTP secret.
    SealedField {
        name: "users.phone",
        label: "用户手机号",
        table: "users",
        column: "phone",
        blind_index: None,
        key: "id",
        rows: None,
    },
    SealedField {
        name: "user_factors.totp_secret",
        label: "动态口令密钥",
        table: "user_factors",
        column: "totp_secret",
        blind_index: None,
        key: "user_id",
        rows: None,
    },
    // The phones texted (叫应, the SMS second factor…): a channel's id is sealed too, harmlessly.
    SealedField {
        name: "outbox.destination",
        label: "短信发送号码",
        table: "outbox",
        column: "destination",
        blind_index: None,
        key: "id",
        rows: None,
    },
    // s19-res: resource registers' and the duty roster's phones, 一卡通 card numbers.
    SealedField {
        name: "experts.phone",
        label: "应急专家电话",
        table: "experts",
        column: "phone",
        blind_index: None,
        key: "id",
        rows: None,
    },
    SealedField {
        name: "teams.phone",
        label: "救援队伍联系电话",
        table: "teams",
        column: "phone",
        blind_index: None,
        key: "id",
        rows: None,
    },
    SealedField {
        name: "warehouses.phone",
        label: "储备库联系电话",
        table: "warehouses",
        column: "phone",
        blind_index: None,
        key: "id",
        rows: None,
    },
    SealedField {
        name: "shelters.phone",
        label: "避难场所联系电话",
        table: "shelters",
        column: "phone",
        blind_index: None,
        key: "id",
        rows: None,
    },
    SealedField {
        name: "duty_shifts.phone",
        label: "值班电话",
        table: "duty_shifts",
        column: "phone",
        blind_index: None,
        key: "id",
        rows: None,
    },
    SealedField {
        name: "disaster_relief_entries.card_number",
        label: "救助对象银行卡（社保卡）号",
        table: "disaster_relief_entries",
        column: "card_number",
        blind_index: None,
        key: "id",
        rows: None,
    },
    SealedField {
        name: "disaster_relief_lines.card_number",
        label: "一卡通发放名单银行卡（社保卡）号",
        table: "disaster_relief_lines",
        column: "card_number",
        blind_index: None,
        key: "id",
        rows: None,
    },
    // s19-org: enterprise-side contact phones (enterprises, double prevention, major hazards,
    // the daily safety commitment). Only rows holding a phone are walked (most of a city's
    // hazards hold none).
    SealedField {
        name: "enterprises.principal_phone",
        label: "企业主要负责人电话",
        table: "enterprises",
        column: "principal_phone",
        blind_index: None,
        key: "id",
        rows: Some("principal_phone IS NOT NULL"),
    },
    SealedField {
        name: "enterprises.safety_officer_phone",
        label: "企业安全管理人员电话",
        table: "enterprises",
        column: "safety_officer_phone",
        blind_index: None,
        key: "id",
        rows: Some("safety_officer_phone IS NOT NULL"),
    },
    SealedField {
        name: "risk_points.responsible_phone",
        label: "风险点责任人电话",
        table: "risk_points",
        column: "responsible_phone",
        blind_index: None,
        key: "id",
        rows: Some("responsible_phone IS NOT NULL"),
    },
    SealedField {
        name: "hazards.responsible_phone",
        label: "隐患整改责任人电话",
        table: "hazards",
        column: "responsible_phone",
        blind_index: None,
        key: "id",
        rows: Some("responsible_phone IS NOT NULL"),
    },
    SealedField {
        name: "major_hazards.responsible_phone",
        label: "重大危险源责任人电话",
        table: "major_hazards",
        column: "responsible_phone",
        blind_index: None,
        key: "id",
        rows: Some("responsible_phone IS NOT NULL"),
    },
    SealedField {
        name: "credit_commitments.duty_phone",
        label: "安全承诺值班电话",
        table: "credit_commitments",
        column: "duty_phone",
        blind_index: None,
        key: "id",
        rows: Some("duty_phone IS NOT NULL"),
    },
];

/// How far the job came for a field: (the last id done, rows sealed so far).
pub async fn progress_in(tx: &mut Tx, f: &SealedField) -> StoreResult<(String, i64)> {
    let mut q = Sql::new("SELECT after_id, sealed FROM seal_progress WHERE name = ");
    q.bind(f.name);
    Ok(match q.fetch_optional(tx).await? {
        Some(r) => (r.try_get("after_id")?, r.try_get("sealed")?),
        None => (String::new(), 0),
    })
}

/// The next rows after `after_id` (in id order, at most `limit`): (id, stored value or None).
/// Values already sealed come back as `None` so the job only moves past them.
pub async fn batch_in(
    tx: &mut Tx,
    f: &SealedField,
    after_id: &str,
    limit: i64,
) -> StoreResult<Vec<(String, Option<String>)>> {
    let mut q = Sql::new(&format!(
        "SELECT {k} AS id, {c} AS v FROM {t} WHERE {k} > ",
        k = f.key,
        c = f.column,
        t = f.table
    ));
    q.bind(after_id);
    if let Some(rows) = f.rows {
        q.push(&format!(" AND ({rows})"));
    }
    q.push(&format!(" ORDER BY {} LIMIT ", f.key)).bind(limit);
    let rows = q.fetch_all(tx).await?;
    rows.iter()
        .map(|r| {
            let v: Option<String> = r.try_get("v")?;
            let v = v.filter(|v| !v.is_empty() && !yingji_core::kernel::gm::is_sealed(v));
            Ok((r.try_get("id")?, v))
        })
        .collect()
}

/// Writes one row's sealed value (and its blind index), only if it is still the plaintext read.
pub async fn seal_row_in(tx: &mut Tx, f: &SealedField, id: &str, plain: &str) -> StoreResult<u64> {
    let sealed = super::keys::seal(plain)?;
    let mut q = Sql::new(&format!("UPDATE {} SET {} = ", f.table, f.column));
    q.bind(sealed);
    if let Some(b) = f.blind_index {
        q.push_bind(&format!(", {b} = "), super::keys::blind_index(Some(plain))?);
    }
    q.push_bind(&format!(" WHERE {} = ", f.key), id)
        .push_bind(&format!(" AND {} = ", f.column), plain);
    q.execute(tx).await
}

/// Records how far the job came.
pub async fn save_progress_in(
    tx: &mut Tx,
    f: &SealedField,
    (after_id, sealed, done): (&str, i64, bool),
    now_ms: i64,
) -> StoreResult<()> {
    let mut d = Sql::new("DELETE FROM seal_progress WHERE name = ");
    d.bind(f.name);
    d.execute(tx).await?;
    let mut q =
        Sql::new("INSERT INTO seal_progress (name, after_id, sealed, done, updated_ms) VALUES ");
    q.values(vec![
        f.name.into(),
        after_id.into(),
        sealed.into(),
        i64::from(done).into(),
        now_ms.into(),
    ]);
    q.execute(tx).await?;
    Ok(())
}
