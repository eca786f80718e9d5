//! 一企一档: the enterprise the caller may see (an enterprise user only its own, a department
//! those it supervises, a street its street: otherwise 404 as for the enterprise itself), every
//! section read side by side, the four-colour summary and the merged timeline.

use yingji_core::credit::dossier::{
    ColourCount, TIMELINE_LIMIT, TimelineEvent, colour_counts, merge_timeline,
};
use yingji_core::credit::licences::kind_label;
use yingji_core::credit::standardisation::grade_label;
use yingji_store::credit::dossier::{self as sections, Sections};
use yingji_store::directory::enterprises::{self, Enterprise};
use yingji_store::kernel::Ctx;
use yingji_store::{Store, StoreResult};

#[derive(Debug, Clone)]
pub struct Dossier {
    pub enterprise: Enterprise,
    pub sections: Sections,
    pub colours: Vec<ColourCount>,
    pub timeline: Vec<TimelineEvent>,
}

/// The dossier of an enterprise the caller may see.
pub async fn dossier(store: &Store, ctx: &Ctx, enterprise_id: &str) -> StoreResult<Dossier> {
    let enterprise = enterprises::get(store, &ctx.scope, enterprise_id).await?;
    let s = sections::sections(store, &ctx.scope, &enterprise.id).await?;
    let colours = colour_counts(&s.risk_points.counts);
    let timeline = timeline(&s);
    Ok(Dossier {
        enterprise,
        sections: s,
        colours,
        timeline,
    })
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
    merge_timeline(parts, TIMELINE_LIMIT)
}
