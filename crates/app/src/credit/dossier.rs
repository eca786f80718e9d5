//! 一企一档: the enterprise the caller may see (an enterprise user only its own, a department
//! those it supervises, a street its street: otherwise 404 as for the enterprise itself), every
//! section read side by side, the four-colour summary and the merged timeline.

use yingji_core::credit::dossier::{
    ColourCount, SECTION_LIMIT, TIMELINE_LIMIT, TimelineEvent, colour_counts, merge_timeline,
};
use yingji_core::credit::insurance as insurance_rules;
use yingji_core::credit::licences::kind_label;
use yingji_core::credit::standardisation::grade_label;
use yingji_core::kernel::clock::today;
use yingji_store::credit::dossier::{self as sections, Sections};
use yingji_store::credit::insurance::{self, Policy, PolicyFilter};
use yingji_store::credit::rating::{self as ratings, ChangeRow, RatingRow};
use yingji_store::directory::enterprises::{self, Enterprise};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreResult};

#[derive(Debug, Clone)]
pub struct Dossier {
    pub enterprise: Enterprise,
    pub sections: Sections,
    /// The credit face (computed and stored now if it never was).
    pub rating: RatingRow,
    /// The rating's history, newest first.
    pub rating_changes: Vec<ChangeRow>,
    /// 安责险 policies, when the caller's role reads insurance (else none).
    pub policies: Vec<Policy>,
    pub colours: Vec<ColourCount>,
    pub timeline: Vec<TimelineEvent>,
}

/// The dossier of an enterprise the caller may see.
pub async fn dossier(
    store: &Store,
    ctx: &Ctx,
    now_ms: i64,
    enterprise_id: &str,
) -> StoreResult<Dossier> {
    let enterprise = enterprises::get(store, &ctx.scope, enterprise_id).await?;
    let id = enterprise.id.clone();
    let s = sections::sections(store, &ctx.scope, &id).await?;
    let rating = super::rating::current(store, ctx, now_ms, &id).await?;
    let rating_changes = ratings::changes(store, &id, SECTION_LIMIT).await?;
    let policies = if insurance_rules::may_read(ctx.role) {
        let today = today(now_ms).to_string();
        let f = PolicyFilter {
            enterprise_id: Some(id),
            ..Default::default()
        };
        insurance::list(store, ctx, &f, &today, &today).await?
    } else {
        vec![]
    };
    let colours = colour_counts(&s.risk_points.counts);
    let mut timeline = timeline(&s);
    credit_events(&mut timeline, &rating_changes, &policies);
    Ok(Dossier {
        enterprise,
        sections: s,
        rating,
        rating_changes,
        policies,
        colours,
        timeline,
    })
}

/// Adds the rating's changes and the policies to the timeline, keeping it newest first and
/// bounded.
fn credit_events(timeline: &mut Vec<TimelineEvent>, changes: &[ChangeRow], policies: &[Policy]) {
    let ev = TimelineEvent::new;
    let changes = changes
        .iter()
        .map(|c| ev(c.changed_ms, "credit", c.explanation.clone(), c.id.clone()))
        .collect();
    let policies = policies
        .iter()
        .map(|p| {
            ev(
                p.created_ms,
                "insurance",
                format!(
                    "投保安责险（{}，{}），{}至{}",
                    p.insurer_name, p.number, p.starts_day, p.ends_day
                ),
                p.id.clone(),
            )
        })
        .collect();
    let merged = merge_timeline(
        vec![std::mem::take(timeline), changes, policies],
        TIMELINE_LIMIT,
    );
    *timeline = merged;
}

/// The dated events of every section, newest first.
// Long because: one line of events per section (formatted to one line each by rustfmt: many).
fn timeline(s: &Sections) -> Vec<TimelineEvent> {
    let ev = TimelineEvent::new;
    let mut parts = Vec::new();
    parts.push(
        s.licences
            .iter()
            .map(|l| {
                ev(
                    l.updated_ms,
                    "licence",
                    format!(
                        "登记{}（{}），有效期至{}",
                        kind_label(&l.kind),
                        l.number,
                        l.valid_until
                    ),
                    l.id.clone(),
                )
            })
            .collect(),
    );
    parts.push(
        s.proposals
            .iter()
            .map(|p| {
                ev(
                    p.proposed_ms,
                    "licence",
                    format!("{}提交证照信息变更申请", p.proposed_by),
                    p.id.clone(),
                )
            })
            .collect(),
    );
    parts.push(
        s.standardisation
            .iter()
            .map(|x| {
                ev(
                    x.updated_ms,
                    "standardisation",
                    format!(
                        "标准化{}（{}），有效期至{}",
                        grade_label(x.grade),
                        x.certificate_number,
                        x.valid_until
                    ),
                    x.enterprise_id.clone(),
                )
            })
            .collect(),
    );
    parts.push(
        s.hazards
            .items
            .iter()
            .flat_map(|h| {
                let mut v = vec![ev(
                    h.reported_ms,
                    "hazard",
                    format!(
                        "发现{}隐患 {}",
                        if h.level == "major" {
                            "重大"
                        } else {
                            "一般"
                        },
                        h.code
                    ),
                    h.id.clone(),
                )];
                if let Some(c) = h.closed_ms {
                    v.push(ev(
                        c,
                        "hazard",
                        format!("隐患 {} 销号", h.code),
                        h.id.clone(),
                    ));
                }
                v
            })
            .collect(),
    );
    parts.push(
        s.alarms
            .iter()
            .map(|a| {
                ev(
                    a.opened_ms,
                    "alarm",
                    format!("监测报警（{}）", a.level),
                    a.id.clone(),
                )
            })
            .collect(),
    );
    parts.push(
        s.inspections
            .iter()
            .map(|i| {
                ev(
                    i.recorded_ms,
                    "inspection",
                    format!("现场检查（{}）", i.recorded_by_name),
                    i.id.clone(),
                )
            })
            .collect(),
    );
    parts.push(
        s.cases
            .iter()
            .map(|c| {
                ev(
                    c.created_ms,
                    "case",
                    format!("行政处罚立案：{}", c.title),
                    c.id.clone(),
                )
            })
            .collect(),
    );
    parts.push(
        s.incidents
            .iter()
            .map(|i| {
                ev(
                    i.occurred_ms,
                    "incident",
                    format!("事故事件：{}", i.title),
                    i.id.clone(),
                )
            })
            .collect(),
    );
    parts.push(
        s.plans
            .iter()
            .map(|p| {
                ev(
                    p.created_ms,
                    "plan",
                    format!("应急预案备案：{}（{}）", p.name, p.version),
                    p.id.clone(),
                )
            })
            .collect(),
    );
    merge_timeline(parts, TIMELINE_LIMIT)
}
