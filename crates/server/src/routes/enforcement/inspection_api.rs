//! API types of 现场检查: the dossier, the record with its checklist, findings and signatures,
//! converted from the store's rows (ADR 0021).

use super::api::Task;
use serde::Serialize;
use yingji_core::enforcement::inspection::{CHECK_RESULTS, SIGN_METHODS, SIGNER_KINDS};
use yingji_core::kernel::label_of;
use yingji_core::prevention::hazard::{CATEGORIES, HazardLevel};
use yingji_store::enforcement::{dossier, inspections};

fn label(list: &[(&str, &'static str)], code: &str) -> String {
    label_of(list, code).unwrap_or("").to_string()
}

fn level_label(level: &str) -> String {
    HazardLevel::parse(level)
        .map(|l| l.label().to_string())
        .unwrap_or_default()
}

/// The enterprise inspected.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DossierEnterprise {
    pub id: String,
    pub name: String,
    pub address: String,
    pub industry_code: String,
    pub categories: Vec<String>,
    pub flags: Vec<String>,
    pub principal_name: Option<String>,
    pub principal_phone: Option<String>,
    pub safety_officer_name: Option<String>,
    pub safety_officer_phone: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DossierRiskPoint {
    pub id: String,
    pub name: String,
    pub location: String,
    pub level: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DossierHazard {
    pub id: String,
    pub code: String,
    pub level: String,
    pub level_label: String,
    pub status: String,
    pub description: String,
    pub deadline: Option<String>,
    pub reported_ms: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DossierSensor {
    pub id: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub unit: String,
    pub status: String,
    pub last_value: Option<i64>,
    pub last_ms: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DossierInspection {
    pub id: String,
    pub summary: String,
    pub recorded_by_name: String,
    pub recorded_ms: i64,
}

/// What an inspector opens on site: the task, the enterprise, its risk points, open hazards,
/// sensors and past inspections.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Dossier {
    pub task: Task,
    pub enterprise: DossierEnterprise,
    pub risk_points: Vec<DossierRiskPoint>,
    pub open_hazards: Vec<DossierHazard>,
    pub sensors: Vec<DossierSensor>,
    pub past_inspections: Vec<DossierInspection>,
}

impl Dossier {
    pub fn of(task: Task, d: dossier::Dossier) -> Self {
        let e = d.enterprise;
        Self {
            task,
            enterprise: DossierEnterprise {
                id: e.id,
                name: e.name,
                address: e.address,
                industry_code: e.industry_code,
                categories: e.categories,
                flags: e.flags,
                principal_name: e.principal_name,
                principal_phone: e.principal_phone,
                safety_officer_name: e.safety_officer_name,
                safety_officer_phone: e.safety_officer_phone,
            },
            risk_points: d
                .risk_points
                .into_iter()
                .map(|r| DossierRiskPoint {
                    id: r.id,
                    name: r.name,
                    location: r.location,
                    level: r.level,
                })
                .collect(),
            open_hazards: d
                .open_hazards
                .into_iter()
                .map(|h| DossierHazard {
                    level_label: level_label(&h.level),
                    id: h.id,
                    code: h.code,
                    level: h.level,
                    status: h.status,
                    description: h.description,
                    deadline: h.deadline,
                    reported_ms: h.reported_ms,
                })
                .collect(),
            sensors: d
                .sensors
                .into_iter()
                .map(|s| DossierSensor {
                    id: s.id,
                    code: s.code,
                    name: s.name,
                    kind: s.kind,
                    unit: s.unit,
                    status: s.status,
                    last_value: s.last_value,
                    last_ms: s.last_ms,
                })
                .collect(),
            past_inspections: d
                .past_inspections
                .into_iter()
                .map(|p| DossierInspection {
                    id: p.id,
                    summary: p.summary,
                    recorded_by_name: p.recorded_by_name,
                    recorded_ms: p.recorded_ms,
                })
                .collect(),
        }
    }
}

/// An inspection record as listed.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InspectionRecord {
    pub id: String,
    pub task_id: String,
    pub department_id: String,
    pub enterprise_id: String,
    pub enterprise_name: String,
    pub summary: String,
    pub recorded_by_name: String,
    pub recorded_ms: i64,
    pub findings: i64,
    pub major_findings: i64,
    pub signatures: i64,
}

impl From<inspections::Record> for InspectionRecord {
    fn from(v: inspections::Record) -> Self {
        Self {
            id: v.id,
            task_id: v.task_id,
            department_id: v.department_id,
            enterprise_id: v.enterprise_id,
            enterprise_name: v.enterprise_name,
            summary: v.summary,
            recorded_by_name: v.recorded_by_name,
            recorded_ms: v.recorded_ms,
            findings: v.findings,
            major_findings: v.major_findings,
            signatures: v.signatures,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InspectionCheck {
    pub code: String,
    pub text: String,
    pub result: String,
    pub result_label: String,
    /// The taking part department the line belongs to (None on older records).
    pub department_id: Option<String>,
    pub department_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InspectionFinding {
    pub criterion_code: Option<String>,
    pub category: String,
    pub category_label: String,
    pub description: String,
    pub location: String,
    pub level: String,
    pub level_label: String,
    pub photo_ids: Vec<String>,
    /// The hazard it became (source 执法检查).
    pub hazard_id: String,
    pub hazard_code: String,
    /// The taking part department the finding belongs to; its hazard is that department's.
    pub department_id: Option<String>,
    pub department_name: Option<String>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InspectionSignature {
    pub kind: String,
    pub kind_label: String,
    pub signer_user_id: Option<String>,
    pub signer_name: String,
    pub method: String,
    pub method_label: String,
    pub image_id: Option<String>,
    pub refusal_reason: Option<String>,
    pub signed_ms: i64,
}

/// A record with its checklist, findings and signatures.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct InspectionDetail {
    pub record: InspectionRecord,
    pub checks: Vec<InspectionCheck>,
    pub findings: Vec<InspectionFinding>,
    pub signatures: Vec<InspectionSignature>,
    /// The findings grouped by taking part department (the lead department first).
    pub departments: Vec<DepartmentFindings>,
}

/// One taking part department's lines and findings on a record.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DepartmentFindings {
    pub department_id: String,
    pub department_name: String,
    /// Its checked lines' codes.
    pub check_codes: Vec<String>,
    pub findings: Vec<InspectionFinding>,
}

/// Groups lines and findings by department, in the order the departments first appear (the
/// caller puts the lead department first).
fn by_department(
    checks: &[InspectionCheck],
    findings: &[InspectionFinding],
) -> Vec<DepartmentFindings> {
    let mut out: Vec<DepartmentFindings> = Vec::new();
    let mut slot = |id: &Option<String>, name: &Option<String>| -> Option<usize> {
        let id = id.as_ref()?;
        Some(match out.iter().position(|d| &d.department_id == id) {
            Some(i) => i,
            None => {
                out.push(DepartmentFindings {
                    department_id: id.clone(),
                    department_name: name.clone().unwrap_or_default(),
                    check_codes: vec![],
                    findings: vec![],
                });
                out.len() - 1
            }
        })
    };
    let mut lines = Vec::new();
    for c in checks {
        lines.push((slot(&c.department_id, &c.department_name), c.code.clone()));
    }
    let mut found = Vec::new();
    for f in findings {
        found.push((slot(&f.department_id, &f.department_name), f.clone()));
    }
    for (i, code) in lines {
        if let Some(i) = i {
            out[i].check_codes.push(code);
        }
    }
    for (i, f) in found {
        if let Some(i) = i {
            out[i].findings.push(f);
        }
    }
    out
}

type Parts = (
    Vec<inspections::Check>,
    Vec<inspections::FindingRow>,
    Vec<inspections::Signature>,
);

impl InspectionDetail {
    /// The record with its parts, the findings also grouped by department.
    pub fn of(record: inspections::Record, parts: Parts) -> Self {
        let mut d = Self::plain(record, parts);
        d.departments = by_department(&d.checks, &d.findings);
        let lead = d.record.department_id.clone();
        d.departments.sort_by_key(|g| g.department_id != lead);
        d
    }

    fn plain(record: inspections::Record, (checks, findings, signatures): Parts) -> Self {
        Self {
            departments: vec![],
            record: record.into(),
            checks: checks
                .into_iter()
                .map(|c| InspectionCheck {
                    result_label: label(&CHECK_RESULTS, &c.result),
                    code: c.code,
                    text: c.text,
                    result: c.result,
                    department_id: c.department_id,
                    department_name: c.department_name,
                })
                .collect(),
            findings: findings
                .into_iter()
                .map(|f| InspectionFinding {
                    category_label: label(CATEGORIES, &f.category),
                    level_label: level_label(&f.level),
                    criterion_code: f.criterion_code,
                    category: f.category,
                    description: f.description,
                    location: f.location,
                    level: f.level,
                    photo_ids: f.photo_ids,
                    hazard_id: f.hazard_id,
                    hazard_code: f.hazard_code,
                    department_id: f.department_id,
                    department_name: f.department_name,
                })
                .collect(),
            signatures: signatures
                .into_iter()
                .map(|s| InspectionSignature {
                    kind_label: label(&SIGNER_KINDS, &s.kind),
                    method_label: label(&SIGN_METHODS, &s.method),
                    kind: s.kind,
                    signer_user_id: s.signer_user_id,
                    signer_name: s.signer_name,
                    method: s.method,
                    image_id: s.image_id,
                    refusal_reason: s.refusal_reason,
                    signed_ms: s.signed_ms,
                })
                .collect(),
        }
    }
}
