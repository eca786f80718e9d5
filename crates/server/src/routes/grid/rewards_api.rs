//! API types of 有奖举报 (ADR 0021). Only the reward officer reads them, so the reporter is in
//! full; amounts are exact: 分 as integers and their text in 元.

use crate::routes::grid::events_api::GridEvent;
use serde::{Deserialize, Serialize};
use yingji_core::enforcement::surcharge::fen_text;
use yingji_core::grid::rewards::status;
use yingji_store::kernel::Ctx;

/// A reward's steps as recorded.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridReward {
    /// verified / rejected / identified / decided / paid
    pub status: String,
    pub status_label: String,
    pub truthful: Option<bool>,
    pub verify_note: Option<String>,
    pub verified_by: Option<String>,
    pub verified_ms: Option<i64>,
    /// major_hazard / violation
    pub kind: Option<String>,
    pub row_code: Option<String>,
    pub row_name: Option<String>,
    pub fine_fen: Option<i64>,
    /// 瞒报谎报事故: the verified hidden deaths.
    pub deaths: Option<i64>,
    pub hazard_id: Option<String>,
    pub case_id: Option<String>,
    pub identify_note: Option<String>,
    pub identified_ms: Option<i64>,
    /// The amount decided, in 分, and as 元 text ("3,000.00").
    pub amount_fen: Option<i64>,
    pub amount_text: Option<String>,
    pub decided_by: Option<String>,
    pub decided_ms: Option<i64>,
    pub paid_on: Option<String>,
    pub pay_method: Option<String>,
    pub pay_reference: Option<String>,
    pub paid_ms: Option<i64>,
}

impl From<yingji_store::grid::rewards::Reward> for GridReward {
    fn from(r: yingji_store::grid::rewards::Reward) -> Self {
        Self {
            status_label: status::label(&r.status).into(),
            status: r.status,
            truthful: r.truthful,
            verify_note: r.verify_note,
            verified_by: r.verified_by,
            verified_ms: r.verified_ms,
            kind: r.kind,
            row_code: r.row_code,
            row_name: r.row_name,
            fine_fen: r.fine_fen,
            deaths: r.deaths,
            hazard_id: r.hazard_id,
            case_id: r.case_id,
            identify_note: r.identify_note,
            identified_ms: r.identified_ms,
            amount_text: r.amount_fen.map(fen_text),
            amount_fen: r.amount_fen,
            decided_by: r.decided_by,
            decided_ms: r.decided_ms,
            paid_on: r.paid_on,
            pay_method: r.pay_method,
            pay_reference: r.pay_reference,
            paid_ms: r.paid_ms,
        }
    }
}

/// A public event with its reward (none before 核查); the reporter in full.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridRewardItem {
    pub event: GridEvent,
    pub reward: Option<GridReward>,
    /// Once identified: the amount 奖励决定 will give (分, and as 元 text), shown before confirming.
    pub proposed_amount_fen: Option<i64>,
    pub proposed_amount_text: Option<String>,
}

impl GridRewardItem {
    pub fn for_officer(v: yingji_store::grid::rewards::Item, ctx: &Ctx) -> Self {
        Self {
            event: GridEvent::seen_by_as(v.event, ctx, true),
            reward: v.reward.map(Into::into),
            proposed_amount_fen: None,
            proposed_amount_text: None,
        }
    }
    pub fn with_proposal(mut self, fen: Option<i64>) -> Self {
        self.proposed_amount_fen = fen;
        self.proposed_amount_text = fen.map(fen_text);
        self
    }
}

/// The caller's view of the reward table: whether they are a reward officer, and the rows of
/// their district's table (none for the others). The console shows its menu entry by it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridRewardTable {
    pub officer: bool,
    pub rows: Vec<yingji_core::grid::rewards::RewardRow>,
    /// 银行转账 / 现金 / 其他
    pub methods: Vec<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GridRewardList {
    pub items: Vec<GridRewardItem>,
}

/// 核查.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = GridRewardVerifyInput)]
pub struct VerifyInput {
    /// 属实 (true) or 不属实 (false).
    pub truthful: bool,
    pub note: String,
}

/// 认定.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = GridRewardIdentifyInput)]
pub struct IdentifyInput {
    /// A row of the district's table (`grid_rewards.rows[].code` in the rules).
    pub row_code: String,
    /// The fine imposed, 元 as an exact decimal ("50000", "1234.50").
    pub fine_yuan: Option<String>,
    /// 瞒报谎报事故: the verified hidden deaths (1–1000); no fine then.
    pub deaths: Option<i64>,
    /// The hazard or the case it led to.
    pub hazard_id: Option<String>,
    pub case_id: Option<String>,
    pub note: Option<String>,
}

/// 发放.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = GridRewardPayInput)]
pub struct PayInput {
    /// YYYY-MM-DD.
    pub paid_on: String,
    /// 银行转账 / 现金 / 其他
    pub method: String,
    pub reference: Option<String>,
}

/// The reporter's claim.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RewardClaimInput {
    pub tracking_code: String,
    pub phone: String,
}

/// What the reporter learns: the amount and how to collect it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RewardClaim {
    /// 元 ("3,000.00").
    pub amount: String,
    /// decided / paid
    pub status: String,
    pub message: String,
}
