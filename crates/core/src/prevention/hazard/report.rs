//! Reporting a hazard: the staff form (企业自查 / 执法检查 / 网格巡查, graded at once when a
//! deadline is given) and the anonymous public form (群众举报), checked before anything is written.

use super::{
    CATEGORIES, Criterion, Finding, Grade, HazardLevel, TransitionInput, check_grade, label_of,
    level_from_findings, wording,
};
use crate::kernel::role::Role;
use crate::kernel::validation::{
    Errors, Invalid, coordinates, optional_text, phone, required_text,
};
use crate::prevention::access::{allowed_hazard_sources, default_hazard_source};

#[derive(Debug, Clone, Default)]
pub struct HazardInput {
    /// self_check / inspection / grid_patrol (defaults from the role).
    pub source: Option<String>,
    pub enterprise_id: Option<String>,
    pub risk_point_id: Option<String>,
    /// Region of a hazard at a place without an enterprise (community or grid).
    pub region_code: Option<String>,
    pub location: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub category: String,
    pub description: String,
    /// general / major; a met criterion makes it major whatever is chosen here.
    pub level: Option<String>,
    pub findings: Vec<Finding>,
    pub attachments: Vec<String>,
    /// Grading at once (定级): the deadline and the people responsible.
    pub deadline: Option<String>,
    pub responsible_name: Option<String>,
    pub responsible_phone: Option<String>,
    pub measures: Option<String>,
    pub funds: Option<String>,
}

/// The anonymous public form (群众举报).
#[derive(Debug, Clone)]
pub struct PublicReportInput {
    pub region_code: String,
    pub location: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub category: String,
    pub description: String,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    pub attachments: Vec<String>,
}

/// A staff report's own fields, checked (the enterprise, region and risk point are looked up
/// by the caller, which adds their problems to the same `Errors`).
#[derive(Debug, Clone)]
pub struct CheckedReport {
    pub source: String,
    pub description: String,
    pub location: String,
    pub level: HazardLevel,
    /// The criteria met by the findings (any makes the hazard 重大).
    pub criteria: Vec<String>,
    /// Grading at once, when a deadline was given.
    pub grade: Option<Grade>,
}

/// The source a role reports from: the one given, if the role may use it, or its default.
pub fn check_source(errs: &mut Errors, role: Role, given: Option<&str>) -> String {
    let source = given
        .unwrap_or_else(|| default_hazard_source(role))
        .to_string();
    if !allowed_hazard_sources(role).contains(&source.as_str()) {
        errs.add("source", wording::source_refused(&source));
    }
    source
}

/// Category, description and location, common to both forms.
fn check_text(
    errs: &mut Errors,
    category: &str,
    description: &str,
    location: &str,
) -> (String, String) {
    if label_of(CATEGORIES, category).is_none() {
        errs.add("category", format!("隐患类别“{category}”无效"));
    }
    let d = errs
        .check("description", required_text("隐患描述", description, 4000))
        .unwrap_or_default();
    let l = errs
        .check("location", optional_text("隐患位置", location, 200))
        .flatten()
        .unwrap_or_default();
    (d, l)
}

/// The staff form after its source and lookups: text, coordinates, the level against the
/// findings, and grading at once.
pub fn check_report(
    errs: &mut Errors,
    source: String,
    input: &HazardInput,
    criteria: &[Criterion],
    now_ms: i64,
) -> CheckedReport {
    let (description, location) =
        check_text(errs, &input.category, &input.description, &input.location);
    coordinates(errs, input.lon, input.lat);
    let chosen = match input.level.as_deref().filter(|s| !s.is_empty()) {
        None => HazardLevel::General,
        Some(l) => errs
            .check("level", HazardLevel::parse(l))
            .unwrap_or(HazardLevel::General),
    };
    let (level, met) = match level_from_findings(chosen, criteria, &input.findings) {
        Ok(x) => x,
        Err(e) => {
            for f in e.0 {
                errs.add(&f.field, f.message);
            }
            (chosen, vec![])
        }
    };
    let grade = input
        .deadline
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|_| {
            let t = TransitionInput {
                deadline: input.deadline.clone(),
                responsible_name: input.responsible_name.clone(),
                responsible_phone: input.responsible_phone.clone(),
                measures: input.measures.clone(),
                funds: input.funds.clone(),
                ..Default::default()
            };
            check_grade(errs, &t, now_ms)
        });
    CheckedReport {
        source,
        description,
        location,
        level,
        criteria: met,
        grade,
    }
}

/// A public report, checked: description, location, and the reporter's name and phone if given.
#[derive(Debug, Clone)]
pub struct CheckedPublicReport {
    pub description: String,
    pub location: String,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
}

/// The public form's checks; `region_found` is the code of the region named, if it exists.
pub fn check_public(
    input: &PublicReportInput,
    region_found: Option<&str>,
) -> Result<CheckedPublicReport, Invalid> {
    let mut errs = Errors::default();
    let (description, location) = check_text(
        &mut errs,
        &input.category,
        &input.description,
        &input.location,
    );
    if location.is_empty() {
        errs.add("location", "隐患位置不能为空");
    }
    coordinates(&mut errs, input.lon, input.lat);
    let name = errs
        .check(
            "reporter_name",
            optional_text(
                "举报人姓名",
                input.reporter_name.as_deref().unwrap_or(""),
                50,
            ),
        )
        .flatten();
    let tel = errs
        .check(
            "reporter_phone",
            phone("联系电话", input.reporter_phone.as_deref().unwrap_or("")),
        )
        .flatten();
    // A street (9 digits) or finer.
    if region_found.is_none_or(|c| c.len() < 9) {
        errs.add("region_code", wording::PUBLIC_REGION_NEEDED);
    }
    if !errs.is_empty() {
        return Err(errs.into_invalid());
    }
    Ok(CheckedPublicReport {
        description,
        location,
        reporter_name: name,
        reporter_phone: tel,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(region: &str) -> PublicReportInput {
        PublicReportInput {
            region_code: region.into(),
            location: "滨江路12号".into(),
            lon: Some(116.0),
            lat: None,
            category: "fire".into(),
            description: "消防通道堵塞".into(),
            reporter_name: None,
            reporter_phone: Some("123".into()),
            attachments: vec![],
        }
    }

    #[test]
    fn the_public_form_names_each_bad_field() {
        let e = check_public(&public("360403"), Some("360403")).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["lon", "reporter_phone", "region_code"]);
    }

    #[test]
    fn a_role_reports_only_from_its_sources() {
        let mut errs = Errors::default();
        assert_eq!(
            check_source(&mut errs, Role::GridWorker, None),
            "grid_patrol"
        );
        assert!(errs.is_empty());
        check_source(&mut errs, Role::EnterpriseUser, Some("inspection"));
        assert!(errs.has("source"));
    }
}
