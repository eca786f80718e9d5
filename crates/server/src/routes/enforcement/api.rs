//! API types of enforcement: request and response shapes with their OpenAPI schemas, converted
//! from and into the store's rows (ADR 0021).

use serde::{Deserialize, Serialize};
use yingji_core::enforcement::{METHODS, TASK_KINDS, TASK_STATUSES};
use yingji_core::kernel::label_of;

fn label(list: &[(&str, &'static str)], code: &str) -> String {
    label_of(list, code).unwrap_or("").to_string()
}

/// A 执法事项目录 item to add.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    /// The department (a department's staff: their own, which is the default).
    #[serde(default)]
    pub department_id: Option<String>,
    /// 执法事项名称.
    pub name: String,
    /// 执法依据 (the law and article).
    pub legal_basis: String,
    /// 执法方式: key 重点检查, random 双随机抽查, special 专项检查, complaint 举报核查.
    pub method: String,
    /// The supervision category it applies to, one of the department's.
    #[serde(default)]
    pub category: Option<String>,
    /// 检查内容.
    #[serde(default)]
    pub content: Option<String>,
}

impl From<ItemInput> for yingji_core::enforcement::registry::ItemInput {
    fn from(v: ItemInput) -> Self {
        Self {
            name: v.name,
            legal_basis: v.legal_basis,
            method: v.method,
            category: v.category,
            content: v.content,
        }
    }
}

/// A 执法事项目录 item.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Item {
    pub id: String,
    pub department_id: String,
    pub department_name: String,
    pub name: String,
    pub legal_basis: String,
    pub method: String,
    pub method_label: String,
    pub category: Option<String>,
    pub content: Option<String>,
    pub active: bool,
}

impl From<yingji_store::enforcement::items::Item> for Item {
    fn from(v: yingji_store::enforcement::items::Item) -> Self {
        Self {
            method_label: label(&METHODS, &v.method),
            id: v.id,
            department_id: v.department_id,
            department_name: v.department_name,
            name: v.name,
            legal_basis: v.legal_basis,
            method: v.method,
            category: v.category,
            content: v.content,
            active: v.active,
        }
    }
}

/// An inspector to enter in the 执法检查人员名录库 (or whose 执法证 is renewed).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InspectorInput {
    /// The user (an inspector or a department's staff member).
    pub user_id: String,
    /// 执法证号.
    pub cert_no: String,
    /// The last day the 执法证 is valid, YYYY-MM-DD.
    pub cert_valid_until: String,
}

impl From<InspectorInput> for yingji_core::enforcement::registry::InspectorInput {
    fn from(v: InspectorInput) -> Self {
        Self {
            user_id: v.user_id,
            cert_no: v.cert_no,
            cert_valid_until: v.cert_valid_until,
        }
    }
}

/// 回避: an enterprise the inspector must not inspect.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConflictInput {
    pub enterprise_id: String,
    /// 回避原因.
    pub reason: String,
}

/// A recorded conflict of interest.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Conflict {
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub reason: String,
}

/// An inspector in the pool.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Inspector {
    pub user_id: String,
    pub user_name: String,
    pub department_id: String,
    pub department_name: String,
    pub cert_no: String,
    /// YYYY-MM-DD.
    pub cert_valid_until: String,
    pub active: bool,
    pub conflicts: Vec<Conflict>,
}

impl From<yingji_store::enforcement::inspectors::Inspector> for Inspector {
    fn from(v: yingji_store::enforcement::inspectors::Inspector) -> Self {
        Self {
            user_id: v.user_id,
            user_name: v.user_name,
            department_id: v.department_id,
            department_name: v.department_name,
            cert_no: v.cert_no,
            cert_valid_until: v.cert_valid_until,
            active: v.active,
            conflicts: v
                .conflicts
                .into_iter()
                .map(|c| Conflict {
                    enterprise_id: c.enterprise_id,
                    enterprise_name: c.enterprise_name,
                    reason: c.reason,
                })
                .collect(),
        }
    }
}

/// A 双随机 draw to run.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawInput {
    /// 抽查任务名称.
    pub title: String,
    /// The 执法事项 inspected.
    pub item_id: String,
    /// Only enterprises of this supervision category (one of the department's).
    #[serde(default)]
    pub category: Option<String>,
    /// Only enterprises in this street or community.
    #[serde(default)]
    pub region: Option<String>,
    /// 抽查数量 (or give `ratio_percent`).
    #[serde(default)]
    pub count: Option<i64>,
    /// 抽查比例 in percent of the pool, at most two decimals ("5", "2.5").
    #[serde(default)]
    pub ratio_percent: Option<String>,
    /// How a ratio's quota is rounded: ceil (default), half_up, floor.
    #[serde(default)]
    pub rounding: Option<String>,
    /// Inspectors per enterprise, 2 to 5 (default 2).
    #[serde(default)]
    pub team_size: Option<i64>,
    /// The random seed (decimal); absent, the server draws one. Recorded either way.
    #[serde(default)]
    pub seed: Option<String>,
}

impl DrawInput {
    /// The core request, and the seed if one was given (a bad one is a field error).
    pub fn into_request(
        self,
    ) -> Result<
        (yingji_core::enforcement::registry::DrawRequest, Option<u64>),
        crate::error::ApiError,
    > {
        let seed = match self
            .seed
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(s) => Some(s.parse::<u64>().map_err(|_| {
                crate::error::ApiError::field(
                    "seed",
                    format!("随机种子“{s}”无效，应为 0 至 18446744073709551615 之间的整数"),
                )
            })?),
        };
        Ok((
            yingji_core::enforcement::registry::DrawRequest {
                title: self.title,
                item_id: self.item_id,
                category: self.category,
                region: self.region,
                count: self.count,
                ratio_percent: self.ratio_percent,
                rounding: self.rounding,
                team_size: self.team_size,
                seed,
            },
            seed,
        ))
    }
}

/// A member of a drawn team, as published: name and 执法证号.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TeamMember {
    pub user_id: String,
    pub name: String,
    pub cert_no: String,
}

impl From<yingji_store::enforcement::draws::TeamMember> for TeamMember {
    fn from(v: yingji_store::enforcement::draws::TeamMember) -> Self {
        Self {
            user_id: v.user_id,
            name: v.name,
            cert_no: v.cert_no,
        }
    }
}

/// One drawn enterprise and its team.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DrawnPick {
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub team: Vec<TeamMember>,
}

/// A 双随机 draw.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Draw {
    pub id: String,
    pub department_id: String,
    pub department_name: String,
    pub item_id: String,
    pub item_name: String,
    pub title: String,
    pub region_code: String,
    /// The random seed (decimal text).
    pub seed: String,
    /// YYYY-MM-DD.
    pub draw_day: String,
    /// Enterprises in the pool, candidates after the 重点 list and this year's tasks, drawn.
    pub pool_size: i64,
    pub candidates: i64,
    pub picked: i64,
    /// SHA-256 of the recorded inputs (also in the audit log).
    pub inputs_hash: String,
    pub result: Vec<DrawnPick>,
    pub drawn_by_name: String,
    pub drawn_ms: i64,
    pub published_ms: Option<i64>,
}

impl From<yingji_store::enforcement::draws::Draw> for Draw {
    fn from(v: yingji_store::enforcement::draws::Draw) -> Self {
        Self {
            id: v.id,
            department_id: v.department_id,
            department_name: v.department_name,
            item_id: v.item_id,
            item_name: v.item_name,
            title: v.title,
            region_code: v.region_code,
            seed: v.seed,
            draw_day: v.draw_day,
            pool_size: v.pool_size,
            candidates: v.candidates,
            picked: v.picked,
            inputs_hash: v.inputs_hash,
            result: v
                .result
                .into_iter()
                .map(|p| DrawnPick {
                    enterprise_id: p.enterprise_id,
                    enterprise_name: p.enterprise_name,
                    team: p.team.into_iter().map(Into::into).collect(),
                })
                .collect(),
            drawn_by_name: v.drawn_by_name,
            drawn_ms: v.drawn_ms,
            published_ms: v.published_ms,
        }
    }
}

/// The answer of a 复核.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Verification {
    /// The re-run agrees with the record and the inputs with their hash.
    pub consistent: bool,
    pub inputs_hash_ok: bool,
    pub message: String,
}

impl From<yingji_app::enforcement::draws::Verification> for Verification {
    fn from(v: yingji_app::enforcement::draws::Verification) -> Self {
        Self {
            consistent: v.consistent,
            inputs_hash_ok: v.inputs_hash_ok,
            message: v.message,
        }
    }
}

/// An inspection task.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Task {
    pub id: String,
    pub department_id: String,
    pub item_id: String,
    pub item_name: String,
    pub draw_id: Option<String>,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub region_code: String,
    pub kind: String,
    pub kind_label: String,
    pub year: i64,
    pub status: String,
    pub status_label: String,
    pub team: Vec<TeamMember>,
    pub created_ms: i64,
}

impl From<yingji_store::enforcement::tasks::Task> for Task {
    fn from(v: yingji_store::enforcement::tasks::Task) -> Self {
        Self {
            kind_label: label(&TASK_KINDS, &v.kind),
            status_label: label(&TASK_STATUSES, &v.status),
            id: v.id,
            department_id: v.department_id,
            item_id: v.item_id,
            item_name: v.item_name,
            draw_id: v.draw_id,
            enterprise_id: v.enterprise_id,
            enterprise_name: v.enterprise_name,
            region_code: v.region_code,
            kind: v.kind,
            year: v.year,
            status: v.status,
            team: v.team.into_iter().map(Into::into).collect(),
            created_ms: v.created_ms,
        }
    }
}

/// Someone who may be entered in the 执法检查人员名录库.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PoolPerson {
    pub user_id: String,
    pub display_name: String,
    pub username: String,
    pub department_id: String,
    pub department_name: String,
    /// Already in the pool (registering again renews the 执法证).
    pub in_pool: bool,
}

impl From<yingji_store::enforcement::inspectors::PoolPerson> for PoolPerson {
    fn from(p: yingji_store::enforcement::inspectors::PoolPerson) -> Self {
        Self {
            user_id: p.user_id,
            display_name: p.display_name,
            username: p.username,
            department_id: p.department_id,
            department_name: p.department_name,
            in_pool: p.in_pool,
        }
    }
}
