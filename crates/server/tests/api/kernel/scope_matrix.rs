//! The write matrix (issue 18): for every write endpoint, callers who may not write the target
//! (another street's or grid's staff, another enterprise, another district, a read-only role)
//! are refused with 403/404 (or, for a create that names a record out of reach, a 400 naming
//! that field), and nothing changes: the watched records read the same, no table grows, no
//! audit record is written. `every_write_operation_is_in_the_matrix` keeps the list whole.

use crate::both;
use crate::helpers::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::collections::HashMap;
use yingji_core::kernel::clock::{Clock, to_rfc3339};

pub const OTHER_STREET: &str = "360403003";

/// What a refusal looks like.
#[derive(Debug, Clone, Copy)]
pub enum Want {
    /// 403 or 404.
    Refused,
    /// 403, 404, or a 400 naming this field (a referenced record out of the caller's reach).
    Field(&'static str),
    /// Any answer, as long as nothing changes (idempotent no-ops such as marking another user's
    /// notification read, or readings of another's sensor listed as refused in a 200).
    Unchanged,
}

pub struct Try {
    pub who: &'static str,
    pub method: &'static str,
    pub path: String,
    pub body: Value,
    pub want: Want,
}

pub fn t(who: &'static str, method: &'static str, path: impl Into<String>, body: Value) -> Try {
    Try {
        who,
        method,
        path: path.into(),
        body,
        want: Want::Refused,
    }
}

impl Try {
    pub fn want(mut self, want: Want) -> Self {
        self.want = want;
        self
    }
}

/// Every write operation of the document, and where the matrix (or an older test) covers it.
const COVERED: &[(&str, &str)] = &[
    // grid::events (grid workers file in their own area; only the unit accepts or returns; only
    // the duty room dispatches; enterprise, department and inspector refused)
    ("post", "/api/v1/grid/events"),
    ("post", "/api/v1/grid/events/{id}/dispatch"),
    ("post", "/api/v1/grid/events/{id}/accept"),
    ("post", "/api/v1/grid/events/{id}/return"),
    ("post", "/api/v1/grid/events/{id}/handle"),
    ("post", "/api/v1/grid/events/{id}/answer"),
    ("post", "/api/v1/grid/events/{id}/visit"),
    // grid::hotline (the duty room imports into its own district; the webhook is signed per
    // district: hotline::refusals_store_nothing)
    ("post", "/api/v1/grid/hotline/import"), // no target: the caller's district
    ("post", "/api/hotline/orders"),
    // grid::rewards (only the district's reward officers and admin; public events only)
    ("post", "/api/v1/grid/rewards/{id}/verify"),
    ("post", "/api/v1/grid/rewards/{id}/identify"),
    ("post", "/api/v1/grid/rewards/{id}/decide"),
    ("post", "/api/v1/grid/rewards/{id}/pay"),
    ("post", "/api/public/rewards/claim"), // anonymous; tracking code + phone, limited
    // grid::joint (only the lead unit or the duty room starts a joint task and releases a part;
    // only the part's unit reports it done; grid worker, other departments, enterprise refused)
    ("post", "/api/v1/grid/events/{id}/joint"),
    (
        "post",
        "/api/v1/grid/events/{id}/joint/parts/{part_id}/done",
    ),
    (
        "post",
        "/api/v1/grid/events/{id}/joint/parts/{part_id}/waive",
    ),
    ("put", "/api/v1/disasters/flood/objects/{id}/persons"), // disasters::flood (object's region; enterprise refused)
    ("post", "/api/v1/disasters/flood/patrols"), // disasters::flood (object's region, kind checked)
    ("post", "/api/v1/disasters/census/import"), // disasters::census (district bureau only; rows in the district)
    ("post", "/api/v1/disasters/evacuation/plans"), // disasters::evacuation (community in scope; grid refused)
    ("post", "/api/v1/disasters/evacuation/orders"), // disasters::evacuation (plan read in scope)
    ("post", "/api/v1/disasters/evacuation/orders/{id}/answers"), // disasters::evacuation (order in scope)
    ("post", "/api/v1/disasters/evacuation/orders/{id}/check-ins"), // disasters::evacuation (order and shelter in scope)
    ("post", "/api/v1/disasters/orders"), // disasters::evacuation (area in scope)
    ("post", "/api/v1/disasters/orders/{id}/carry-out"), // disasters::evacuation (grid outside a street order: 404)
    ("post", "/api/public/attachments"), // anonymous; no target (public::report checks ids)
    ("post", "/api/public/hazard-reports"), // anonymous; no target
    ("post", "/api/public/grid-events"), // anonymous; no target (grid::public)
    ("post", "/api/public/grid-events/{tracking}/visit"), // anonymous; the tracking code and phone check
    ("post", "/api/v1/grid/events/{id}/merge"), // grid::duplicates (duty room; both events read in scope)
    ("post", "/api/v1/grid/events/{id}/hazard"), // grid::conversions (only the unit; duty room refused)
    ("post", "/api/v1/grid/events/{id}/incident"), // grid::conversions (only the duty room; street refused)
    ("post", "/api/v1/grid/opinions"), // grid::opinions (only the duty room; grid refused; region in scope)
    ("post", "/api/public/fire-use"),  // anonymous; no target (disasters::forest)
    // disasters::forest::r05_suspension_on_the_test_clock (authority, duty, other department,
    // street, grid refused); disasters::forest_fire (ranger only, ranger may not confirm)
    ("post", "/api/v1/disasters/forest/areas"),
    ("put", "/api/v1/disasters/forest/areas/{id}"),
    ("post", "/api/v1/disasters/forest/levels"),
    ("post", "/api/v1/disasters/forest/fire-use/{id}/decision"),
    ("post", "/api/v1/disasters/forest/patrols"),
    ("post", "/api/v1/disasters/forest/fire-points"),
    ("post", "/api/v1/disasters/forest/fire-points/{id}/decision"),
    ("post", "/api/v1/alarms/{id}/actions"),
    ("post", "/api/v1/alarms/{id}/hazard"),
    ("post", "/api/v1/allocation-orders"), // scope_writes
    ("post", "/api/v1/allocation-orders/{id}/actions"), // scope_writes
    ("post", "/api/v1/attachments"), // own upload; others' ids refused: hazards::attachments_are_checked
    ("post", "/api/v1/auth/login"),  // no caller
    ("post", "/api/mqtt/auth"), // the broker's hook; shared secret; stores nothing (monitoring::mqtt_cluster)
    ("post", "/api/mqtt/acl"), // the broker's hook; shared secret; stores nothing (monitoring::mqtt_cluster)
    ("post", "/api/v1/auth/logout"), // own session only
    ("post", "/api/v1/auth/password"), // own password only
    // security (ADR 0030): the caller's own factor, or a pending login of its own address;
    // the policy only by Role::manages_security (security::policy::policy_is_versioned_and_guarded)
    ("post", "/api/v1/auth/login/factor"),
    ("post", "/api/v1/auth/login/sms"),
    // 单点退出 from the provider's server: no caller; bounded by the CAS ticket or the signed
    // logout token (tests/api/security/sso.rs)
    ("post", "/api/v1/security/sso/cas/callback"),
    ("post", "/api/v1/security/sso/oidc/logout"),
    ("post", "/api/v1/security/factor/totp"),
    ("post", "/api/v1/security/factor/totp/confirm"),
    ("post", "/api/v1/security/factor/totp/disable"),
    ("post", "/api/v1/security/factor/recovery-codes"),
    ("put", "/api/v1/security/policy"),
    // credit::rating::adjustment_and_objection_by_scope; credit::scheme (leaders only)
    ("put", "/api/v1/credit/scheme"),
    ("post", "/api/v1/credit/recompute"), // credit::rating::bulk_recompute_by_admin
    ("post", "/api/v1/credit/ratings/{enterprise_id}/adjustments"),
    ("post", "/api/v1/credit/ratings/{enterprise_id}/objections"),
    ("post", "/api/v1/credit/objections/{id}/answer"),
    ("post", "/api/v1/departments"),                       // scope
    ("post", "/api/v1/credit/listing-records"),            // credit::listings (department scope)
    ("post", "/api/v1/credit/listings"),                   // credit::listings::scope_and_bad_steps
    ("post", "/api/v1/credit/listings/{id}/steps"), // credit::listings (decider, own enterprise)
    ("post", "/api/v1/credit/public-risks"),        // credit::disclosure (departments only)
    ("post", "/api/v1/credit/public-risks/{id}/withdraw"), // credit::disclosure (department scope)
    ("put", "/api/v1/departments/{id}"),            // scope
    // credit::insurance::insurer_sees_only_its_policyholders (and its bad-input tests)
    ("post", "/api/v1/credit/insurers"),
    ("post", "/api/v1/credit/insurance/policies"),
    ("put", "/api/v1/credit/insurance/policies/{id}"),
    ("post", "/api/v1/credit/insurance/claims"), // credit::insurance::claims_follow_their_steps
    ("post", "/api/v1/credit/insurance/claims/{id}/steps"),
    ("post", "/api/v1/credit/insurance/services"),
    ("post", "/api/v1/credit/insurance/coverage/notify"), // credit::coverage
    ("post", "/api/v1/duty/log"),
    ("put", "/api/v1/duty/shifts"),
    // credit::licences::scope_of_writes
    ("post", "/api/v1/credit/enterprises/{id}/key-people"),
    (
        "put",
        "/api/v1/credit/enterprises/{id}/key-people/{person_id}",
    ),
    (
        "delete",
        "/api/v1/credit/enterprises/{id}/key-people/{person_id}",
    ),
    ("post", "/api/v1/credit/enterprises/{id}/licences"),
    ("put", "/api/v1/credit/enterprises/{id}/standardisation"),
    ("put", "/api/v1/credit/licences/{id}"),
    ("post", "/api/v1/credit/proposals/{id}/decision"),
    ("post", "/api/v1/enforcement/cases"), // enforcement::cases::scope
    ("post", "/api/v1/enforcement/cases/{id}/steps"), // enforcement::cases (scope, reviewer)
    // enforcement::documents::documents_by_department
    ("post", "/api/v1/enforcement/documents"),
    ("post", "/api/v1/enforcement/documents/{id}/versions"),
    ("post", "/api/v1/enforcement/documents/{id}/receipt"), // enforcement::receipts (own enterprise)
    ("post", "/api/v1/credit/commitments"), // credit::commitments (own enterprise, scope)
    // credit::duty_reports::bad_input_scope_and_review (own enterprise; supervising department)
    ("post", "/api/v1/credit/duty-reports"),
    ("post", "/api/v1/credit/duty-reports/{id}/review"),
    // credit::post_cards::posts_by_scope (own enterprise writes; departments read)
    ("post", "/api/v1/credit/posts"),
    ("put", "/api/v1/credit/posts/{id}"),
    ("delete", "/api/v1/credit/posts/{id}"),
    ("post", "/api/v1/enforcement/draws"), // enforcement::draws_by_department_and_public
    ("post", "/api/v1/enforcement/draws/{id}/publish"), // enforcement (department scope)
    ("post", "/api/v1/enforcement/draws/{id}/verify"), // stores nothing
    ("post", "/api/v1/enforcement/inspectors"), // enforcement::enforcement_registers_by_department
    ("post", "/api/v1/enforcement/inspectors/{user_id}/conflicts"), // enforcement registers
    ("post", "/api/v1/enforcement/items"), // enforcement registers
    ("post", "/api/v1/enforcement/joint-tasks"), // enforcement::joint (leaders; departments refused)
    ("post", "/api/v1/enforcement/plans"),       // enforcement::plans::plan_bad_input_and_scope
    ("post", "/api/v1/enforcement/plans/{id}/decision"), // enforcement::plans (leader only)
    ("post", "/api/v1/enforcement/tasks/{id}/inspection"), // enforcement::inspections
    ("post", "/api/v1/enforcement/tasks/{id}/signatures"), // enforcement::inspections
    // enforcement::review::only_the_team_and_the_enterprise
    (
        "post",
        "/api/v1/enforcement/tasks/{id}/review/{hazard_id}/rectification",
    ),
    (
        "post",
        "/api/v1/enforcement/tasks/{id}/review/{hazard_id}/decision",
    ),
    ("post", "/api/public/enforcement/draws/{id}/verify"), // anonymous; stores nothing
    ("post", "/api/v1/enterprises"),                       // scope
    ("post", "/api/v1/enterprises/import"),                // import_export::header_and_file_checks
    ("delete", "/api/v1/enterprises/{id}"),                // scope
    ("put", "/api/v1/enterprises/{id}"),                   // scope
    (
        "post",
        "/api/v1/enterprises/{id}/changes/{change_id}/actions",
    ), // scope_writes
    ("post", "/api/v1/experts"),
    ("put", "/api/v1/experts/{id}"), // registers::edit_and_deactivate_every_register
    ("put", "/api/v1/warehouses/{id}"), // registers
    ("put", "/api/v1/shelters/{id}"), // registers
    ("put", "/api/v1/protected-objects/{id}"), // registers
    ("put", "/api/v1/stock/{id}"),   // registers::stock_and_sensor_edits_stay_in_scope
    ("put", "/api/v1/sensors/{id}"), // registers::stock_and_sensor_edits_stay_in_scope
    ("put", "/api/v1/registers/{register}/{id}/active"), // registers (every register)
    ("post", "/api/v1/registers/{register}/import"), // registers::registers_import_with_a_row_report
    ("post", "/api/v1/disasters/processes"), // disasters::reports::who_may_report (roles, own street)
    ("post", "/api/v1/disasters/processes/{id}/reports"), // disasters::reports::bad_input_stores_nothing (own township)
    ("post", "/api/v1/disasters/processes/{id}/stable"),  // disasters::reports::who_may_report
    ("post", "/api/v1/disasters/processes/{id}/ledgers/persons"), // disasters::ledgers (own township)
    ("post", "/api/v1/disasters/processes/{id}/ledgers/houses"), // disasters::ledgers (own township)
    ("put", "/api/v1/disasters/informants/{id}"), // disasters::informants (own area; grid refused; account of the same street)
    ("post", "/api/v1/disasters/informants/{id}/retire"), // disasters::informants
    ("post", "/api/v1/disasters/informants"), // disasters::ledgers::informants (own area, communities)
    // disasters::consultations::scope_and_completion (bureau hosts; a department completes its
    // own actions only, sees the meetings it attended; street refused)
    ("post", "/api/v1/disasters/consultations"),
    (
        "post",
        "/api/v1/disasters/consultations/{id}/actions/{action_id}/complete",
    ),
    ("put", "/api/v1/disasters/report-settings"), // disasters::reports::r04_higher_levels (局领导 only)
    ("put", "/api/v1/disasters/yearbook"), // disasters::summary (局领导 and admin; the caller's district)
    ("post", "/api/v1/disasters/processes/{id}/relief/entries"), // disasters::relief::bad_input_stores_nothing (own township; grid refused)
    (
        "post",
        "/api/v1/disasters/processes/{id}/relief/from-ledger",
    ), // disasters::relief (the 台账 row's township in scope)
    ("post", "/api/v1/disasters/processes/{id}/relief/import"), // disasters::relief::from_ledger_and_import (rows checked per township)
    (
        "put",
        "/api/v1/disasters/processes/{id}/relief/winter/{township}",
    ), // disasters::relief (own township)
    ("put", "/api/v1/disasters/relief/entries/{id}/progress"), // disasters::relief (entry read in scope)
    ("put", "/api/v1/disasters/relief/settings"), // 局领导 and admin only (disasters::relief)
    ("post", "/api/v1/disasters/relief/batches"), // disasters::payments::nobody_paid_twice (own township)
    ("post", "/api/v1/disasters/relief/batches/{id}/publish"), // disasters::payments::nobody_paid_twice (another street's: 404)
    ("post", "/api/v1/disasters/relief/batches/{id}/objections"), // disasters::payments (batch read in scope)
    ("post", "/api/v1/disasters/relief/batches/{id}/export"), // disasters::payments (batch read in scope)
    ("post", "/api/v1/disasters/relief/batches/{id}/results"), // disasters::payments (batch read in scope)
    ("post", "/api/v1/gateways"),
    ("patch", "/api/v1/gateways/{id}"),
    ("post", "/api/v1/gateways/{id}/secret"),
    ("put", "/api/v1/hazard-criteria/{code}"),
    ("post", "/api/v1/hazards"),
    ("post", "/api/v1/hazards/{id}/actions/{action}"),
    ("post", "/api/v1/incidents"),
    ("post", "/api/v1/incidents/assess"), // a computation, stores nothing
    ("post", "/api/v1/incidents/{id}/close"),
    ("post", "/api/v1/incidents/{id}/dispatches"),
    (
        "post",
        "/api/v1/incidents/{id}/dispatches/{dispatch_id}/return",
    ),
    ("post", "/api/v1/incidents/{id}/escalations"),
    ("post", "/api/v1/incidents/{id}/followups"),
    (
        "post",
        "/api/v1/incidents/{id}/followups/{followup_id}/done",
    ),
    ("post", "/api/v1/incidents/{id}/investigation"),
    ("post", "/api/v1/incidents/{id}/reports"),
    ("post", "/api/v1/incidents/{id}/response"),
    ("post", "/api/v1/incidents/{id}/tasks/{task_id}"),
    ("post", "/api/v1/major-hazards"),
    ("post", "/api/v1/major-hazards/identify"), // a computation, stores nothing
    ("post", "/api/v1/notifications/{id}/read"),
    ("post", "/api/v1/notify-channels"),
    ("put", "/api/v1/notify-channels/{id}"),
    ("post", "/api/v1/notify-channels/{id}/test"),
    ("post", "/api/v1/patrols"), // patrols::patrol_scope (role and own grid)
    // grid::overlays::overlay_writes_by_scope
    ("post", "/api/v1/grid/overlays"),
    ("post", "/api/v1/grid/overlays/import"),
    ("put", "/api/v1/grid/overlays/{id}"),
    ("post", "/api/v1/grid/overlays/{id}/members"),
    ("delete", "/api/v1/grid/overlays/{id}/members/{user_id}"),
    ("post", "/api/v1/grid/patrol-tasks"),
    ("post", "/api/v1/grid/patrol-tasks/{id}/track"),
    ("post", "/api/v1/grid/patrol-tasks/{id}/finish"),
    ("post", "/api/v1/plans"),
    ("post", "/api/v1/protected-objects"),
    ("post", "/api/v1/readings"),
    ("post", "/api/v1/regions"), // scope
    ("delete", "/api/v1/regions/{code}"),
    ("put", "/api/v1/regions/{code}"), // scope
    ("post", "/api/v1/risk-points"),
    ("delete", "/api/v1/risk-points/{id}"),
    ("put", "/api/v1/risk-points/{id}"),
    ("post", "/api/v1/risk/assess"), // a computation, stores nothing
    ("put", "/api/v1/rules"),
    ("post", "/api/v1/sensors"),
    ("post", "/api/v1/shelters"),
    ("post", "/api/v1/shelters/{id}/movements"), // scope_writes
    ("post", "/api/v1/stock"),
    ("post", "/api/v1/stock/{id}/movements"), // scope_writes
    ("post", "/api/v1/teams"),
    ("put", "/api/v1/teams/{id}"), // scope_writes
    ("post", "/api/v1/tokens"),    // own tokens only
    ("delete", "/api/v1/tokens/{id}"),
    ("post", "/api/v1/users"), // scope
    ("put", "/api/v1/users/{id}"),
    ("post", "/api/v1/users/{id}/password"),
    ("post", "/api/v1/users/{id}/unlock"),
    ("post", "/api/v1/warehouses"),
    ("post", "/api/v1/warning-feeds"),
    ("put", "/api/v1/warning-feeds/{id}"),
    ("post", "/api/v1/warning-feeds/{id}/poll"),
    ("post", "/api/v1/warnings"),
    ("post", "/api/v1/warnings/cap"), // role only: warnings::cap_is_taken_in_with_a_token
    ("post", "/api/v1/warnings/{id}/actions"),
    ("post", "/api/v1/work-orders/{id}/answer"),
];

#[test]
fn every_write_operation_is_in_the_matrix() {
    let doc = crate::contract::doc();
    let mut missing = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in ["post", "put", "patch", "delete"] {
            if item.get(method).is_some() && !COVERED.contains(&(method, path.as_str())) {
                missing.push(format!("{method} {path}"));
            }
        }
    }
    assert!(missing.is_empty(), "not in the matrix: {missing:#?}");
}

fn refused(s: StatusCode) -> bool {
    s == StatusCode::FORBIDDEN || s == StatusCode::NOT_FOUND
}

/// Tables a refused write could leave a row in.
const TABLES: &[&str] = &[
    "credit_insurance_claims",
    "credit_insurance_policies",
    "credit_prevention_services",
    "alarm_events",
    "alarms",
    "credit_listing_records",
    "credit_listings",
    "credit_public_risks",
    "duty_log",
    "duty_shifts",
    "experts",
    "gateways",
    "grid_overlay_members",
    "grid_overlays",
    "grid_patrol_tasks",
    "hazard_events",
    "hazards",
    "incident_activations",
    "incident_dispatches",
    "incident_escalations",
    "incident_followups",
    "incident_reports",
    "incidents",
    "major_hazards",
    "notify_channels",
    "outbox",
    "patrols",
    "plans",
    "protected_objects",
    "readings",
    "risk_points",
    "sensors",
    "shelters",
    "stock",
    "teams",
    "warehouses",
    "warning_feeds",
    "warnings",
    "work_orders",
];

/// Logs in the callers the tries name (demo accounts, or accounts made by `account`).
pub async fn clients(app: &TestApp, tries: &[Try]) -> HashMap<&'static str, Client> {
    let mut out = HashMap::new();
    for t in tries {
        if !out.contains_key(t.who) {
            out.insert(t.who, app.login(t.who).await);
        }
    }
    out
}

/// A new account with the demo password, ready to log in (its first password changed).
pub async fn account(app: &TestApp, admin: &Client, user: Value) -> String {
    let name = user["username"].as_str().expect("username").to_string();
    let mut body = user;
    body["password"] = json!("Initial2026");
    let (s, u) = app.post(admin, "/api/v1/users", &body).await;
    assert_eq!(s, StatusCode::CREATED, "{u}");
    let c = app.anonymous();
    let login = json!({"username": name, "password": "Initial2026"});
    assert_eq!(
        app.post(&c, "/api/v1/auth/login", &login).await.0,
        StatusCode::OK
    );
    let change = json!({"old_password": "Initial2026", "new_password": PASSWORD});
    let (s, v) = app.post(&c, "/api/v1/auth/password", &change).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{v}");
    u["id"].as_str().expect("id").to_string()
}

/// Runs the tries; `watched` are paths whose answers (as the administrator reads them) must not
/// change. Collects every hole before failing, so one run names them all.
pub async fn run(app: &TestApp, tries: Vec<Try>, watched: &[String]) {
    let admin = app.login("admin").await;
    let callers = clients(app, &tries).await;
    let mut before = Vec::new();
    for p in watched {
        let (s, v) = app.get(&admin, p).await;
        assert_eq!(s, StatusCode::OK, "{p}: {v}");
        before.push(v);
    }
    let mut counts = Vec::new();
    for table in TABLES {
        counts.push(app.count(table).await);
    }
    let mut holes = Vec::new();
    for t in &tries {
        let bare = t.path.split('?').next().unwrap_or_default();
        assert!(
            crate::contract::operation(t.method, bare).is_some(),
            "not a documented operation: {} {}",
            t.method,
            t.path
        );
        let audit = app.count("audit_log").await;
        let method = reqwest::Method::from_bytes(t.method.as_bytes()).expect("method");
        let mut r = callers[t.who].request(method, app.url(&t.path));
        if t.method != "DELETE" {
            r = r.json(&t.body);
        }
        let (s, v) = json(r.send_checked().await.expect("request")).await;
        assert_ne!(v["code"], "password_change_required", "{}", t.who);
        let field_named = |f: &str| {
            v["details"]
                .as_array()
                .is_some_and(|d| d.iter().any(|d| d["field"] == f))
        };
        let ok = match t.want {
            Want::Refused => refused(s),
            Want::Field(f) => refused(s) || (s == StatusCode::BAD_REQUEST && field_named(f)),
            Want::Unchanged => true,
        };
        let what = format!("{} {} as {}", t.method, t.path, t.who);
        if !ok {
            holes.push(format!("{what}: answered {s} {v}"));
        }
        if app.count("audit_log").await != audit {
            holes.push(format!("{what}: left an audit record ({s})"));
        }
    }
    for (p, was) in watched.iter().zip(&before) {
        let (_, now) = app.get(&admin, p).await;
        if &now != was {
            holes.push(format!("{p} changed:\n  was {was}\n  now {now}"));
        }
    }
    for (table, was) in TABLES.iter().zip(counts) {
        let now = app.count(table).await;
        if now != was {
            holes.push(format!("{table}: {was} rows before, {now} after"));
        }
    }
    assert!(
        holes.is_empty(),
        "{} of {} tries not refused cleanly:\n{}",
        holes.len(),
        tries.len(),
        holes.join("\n")
    );
}

pub async fn created(app: &TestApp, c: &Client, path: &str, body: &Value) -> Value {
    let (s, v) = app.post(c, path, body).await;
    assert!(s.is_success(), "{path}: {s} {v}");
    v
}

pub fn id(v: &Value) -> String {
    v["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id: {v}"))
        .to_string()
}

fn risk_point(enterprise_id: Option<&str>) -> Value {
    json!({"enterprise_id": enterprise_id, "name": "液氨储罐区", "location": "厂区东侧", "hazard_factors": "液氨泄漏",
           "accident_types": ["中毒和窒息"], "assessment": {"method": "lec", "l": "3", "e": "6", "c": "15"},
           "control_measures": "双人巡检", "emergency_measures": "疏散", "control_level": "company", "responsible_name": "赵六"})
}

fn sensor(code: &str, enterprise_id: Option<&str>, region: Option<&str>) -> Value {
    json!({"code": code, "name": "压力变送器", "kind": "pressure", "unit": "MPa", "object_name": "反应釜",
           "threshold_h": "1.6", "enterprise_id": enterprise_id, "region_code": region})
}

/// An enterprise of another street (a 九小场所, outside 应急局's categories too), with a hazard,
/// a risk point, a sensor with an open alarm, a gateway and a notification channel, made by the
/// administrator: the demo street, its grid worker, the demo enterprise and 应急局 try every
/// write on them, and every create that names it.
async fn another_enterprises_records(app: &TestApp) {
    let admin = app.login("admin").await;
    let (_, v) = app
        .get(
            &admin,
            &format!("/api/v1/enterprises?region={OTHER_STREET}&category=small_venue&page_size=1"),
        )
        .await;
    let f = id(&v["items"][0]);
    let fe = Some(f.as_str());
    let hazard = created(app, &admin, "/api/v1/hazards", &json!({"enterprise_id": f, "category": "fire", "description": "灭火器过期", "location": "一楼"})).await;
    let point = created(app, &admin, "/api/v1/risk-points", &risk_point(fe)).await;
    let sensor_v = created(app, &admin, "/api/v1/sensors", &sensor("FX-1", fe, None)).await;
    let now = app.clock.now_ms();
    let r = created(
        app,
        &admin,
        "/api/v1/readings",
        &json!([{"sensor": "FX-1", "ts": now, "value": "2.0"}]),
    )
    .await;
    let alarm = r["opened_alarm_ids"][0]
        .as_str()
        .expect("alarm")
        .to_string();
    let gw = created(
        app,
        &admin,
        "/api/v1/gateways",
        &json!({"code": "GW-F", "name": "网关", "enterprise_id": f}),
    )
    .await;
    let channel_body = json!({"name": "企业值班", "kind": "email", "endpoint": "zb@example.cn", "enterprise_id": f, "active": true});
    let channel = created(app, &admin, "/api/v1/notify-channels", &channel_body).await;
    let (h, rp, g, c) = (id(&hazard), id(&point), id(&gw), id(&channel));
    let mut tries = Vec::new();
    for who in ["street", "grid", "enterprise", "yjj"] {
        for action in yingji_core::prevention::hazard::Action::ALL {
            tries.push(t(
                who,
                "POST",
                format!("/api/v1/hazards/{h}/actions/{}", action.as_str()),
                json!({}),
            ));
        }
        tries.extend([
            t(who, "PUT", format!("/api/v1/risk-points/{rp}"), risk_point(fe)),
            t(who, "DELETE", format!("/api/v1/risk-points/{rp}"), json!(null)),
            t(who, "PATCH", format!("/api/v1/gateways/{g}"), json!({"active": false})),
            t(who, "POST", format!("/api/v1/gateways/{g}/secret"), json!({})),
            t(who, "PUT", format!("/api/v1/notify-channels/{c}"), channel_body.clone()),
            t(who, "POST", format!("/api/v1/notify-channels/{c}/test"), json!({})),
            t(who, "POST", format!("/api/v1/alarms/{alarm}/actions"), json!({"action": "ack"})),
            t(who, "POST", format!("/api/v1/alarms/{alarm}/actions"), json!({"action": "close", "disposition": "false_alarm"})),
            t(who, "POST", format!("/api/v1/alarms/{alarm}/hazard"), json!({})),
            // Creates that name the enterprise.
            t(who, "POST", "/api/v1/hazards", json!({"enterprise_id": f, "category": "fire", "description": "越权上报"}))
                .want(Want::Field("enterprise_id")),
            t(who, "POST", "/api/v1/risk-points", risk_point(fe)).want(Want::Field("enterprise_id")),
            t(who, "POST", "/api/v1/sensors", sensor("FX-2", fe, None)).want(Want::Field("enterprise_id")),
            t(who, "POST", "/api/v1/gateways", json!({"code": "GW-X", "name": "网关", "enterprise_id": f}))
                .want(Want::Field("enterprise_id")),
            t(who, "POST", "/api/v1/notify-channels", channel_body.clone()).want(Want::Field("enterprise_id")),
            t(who, "POST", "/api/v1/major-hazards", json!({"enterprise_id": f, "code": "MH-X", "name": "罐区", "unit_type": "storage",
                "chemicals": [{"chemical": "氯", "quantity_t": "21.4", "critical_t": "5", "beta": "4"}], "population_500m": 10, "responsible_name": "甲", "responsible_phone": "13900000000"}))
                .want(Want::Field("enterprise_id")),
            t(who, "POST", "/api/v1/incidents", json!({"title": "越权接报", "category": "accident", "subtype": "fire", "enterprise_id": f,
                "occurred_at": to_rfc3339(now - 600_000), "location": "某处", "account": "起火"}))
                .want(Want::Field("enterprise_id")),
        ]);
    }
    // Public records placed in another street.
    for who in ["street", "grid"] {
        tries.extend([
            t(
                who,
                "POST",
                "/api/v1/sensors",
                sensor("FX-3", None, Some(OTHER_STREET)),
            ),
            t(
                who,
                "POST",
                "/api/v1/gateways",
                json!({"code": "GW-Y", "name": "网关", "region_code": OTHER_STREET}),
            ),
            t(who, "POST", "/api/v1/risk-points", {
                let mut b = risk_point(None);
                b["public_kind"] = json!("waterlogging");
                b["region_code"] = json!(first_grid(app, &admin, OTHER_STREET).await);
                b
            })
            .want(Want::Field("region_code")),
        ]);
    }
    // The duty room sees the alarm but reports no hazards, not even by converting an alarm.
    tries.push(t(
        "duty",
        "POST",
        format!("/api/v1/alarms/{alarm}/hazard"),
        json!({}),
    ));
    // Readings for another's sensor are listed as refused and stored nowhere.
    tries.push(
        t(
            "enterprise",
            "POST",
            "/api/v1/readings",
            json!([{"sensor": "FX-1", "ts": now + 1000, "value": "9.0"}]),
        )
        .want(Want::Unchanged),
    );
    let watched = [
        format!("/api/v1/hazards/{h}"),
        format!("/api/v1/risk-points/{rp}"),
        format!("/api/v1/alarms/{alarm}"),
        format!("/api/v1/sensors/{}", id(&sensor_v)),
        format!("/api/v1/notify-channels/{c}"),
        "/api/v1/gateways?page_size=100".to_string(),
    ];
    run(app, tries, &watched).await;
}
both!(another_enterprises_records);
