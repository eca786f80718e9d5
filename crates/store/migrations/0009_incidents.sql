-- 突发事件接报 and plan-driven response (yingji-core::incident, yingji-core::plan).
-- An incident keeps its latest counts and grade; every 初报/续报/补报 is a row of incident_reports
-- with the counts it carried, and every report, 上报, decision and task change is a row of
-- incident_timeline. Statements are separated by lines holding only ";".

CREATE TABLE incidents (
    id               TEXT PRIMARY KEY,
    code             TEXT NOT NULL,
    title            TEXT NOT NULL,
    category         TEXT NOT NULL,
    subtype          TEXT NOT NULL,
    occurred_ms      BIGINT NOT NULL,
    occurred_month   TEXT NOT NULL,
    received_ms      BIGINT NOT NULL,
    unit_learned_ms  BIGINT NOT NULL,
    enterprise_id    TEXT NULL REFERENCES enterprises(id),
    region_code      TEXT NOT NULL,
    district_code    TEXT NOT NULL,
    street_code      TEXT NOT NULL,
    community_code   TEXT NOT NULL,
    grid_code        TEXT NOT NULL,
    categories       TEXT NOT NULL,
    location         TEXT NOT NULL,
    lon              DOUBLE PRECISION NULL,
    lat              DOUBLE PRECISION NULL,
    deaths           BIGINT NOT NULL,
    missing          BIGINT NOT NULL,
    serious_injuries BIGINT NOT NULL,
    minor_injuries   BIGINT NOT NULL,
    trapped          BIGINT NOT NULL,
    at_risk          BIGINT NOT NULL,
    evacuated        BIGINT NOT NULL,
    loss_yuan        BIGINT NOT NULL,
    severity         BIGINT NOT NULL,
    graded_by_rule   BIGINT NOT NULL,
    larger_risk      BIGINT NOT NULL,
    larger_risk_judged BIGINT NOT NULL,
    warning_level    BIGINT NULL,
    unit_overview    TEXT NULL,
    scene            TEXT NULL,
    account          TEXT NOT NULL,
    measures         TEXT NULL,
    other_info       TEXT NULL,
    response_level   BIGINT NULL,
    status           TEXT NOT NULL,
    last_report_ms   BIGINT NOT NULL,
    window_end_ms    BIGINT NOT NULL,
    recorded_by      TEXT NOT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL,
    closed_ms        BIGINT NULL,
    CONSTRAINT incidents_code_key UNIQUE (code)
)
;
CREATE INDEX incidents_region ON incidents(district_code, street_code, status, occurred_ms)
;
CREATE INDEX incidents_month ON incidents(occurred_month, severity, category)
;
-- The list's order: walking it stops after the page instead of sorting every row.
CREATE INDEX incidents_occurred ON incidents(occurred_ms, id)
;
CREATE INDEX incidents_status ON incidents(status, occurred_ms, id)
;
CREATE INDEX incidents_enterprise ON incidents(enterprise_id)
;
-- 初报 / 续报 / 补报, each with the counts it reported and the grade before and after.
CREATE TABLE incident_reports (
    id               TEXT PRIMARY KEY,
    incident_id      TEXT NOT NULL REFERENCES incidents(id),
    kind             TEXT NOT NULL,
    at_ms            BIGINT NOT NULL,
    casualties       TEXT NOT NULL,
    severity_before  BIGINT NULL,
    severity_after   BIGINT NOT NULL,
    within_window    BIGINT NOT NULL,
    text             TEXT NOT NULL,
    author           TEXT NOT NULL
)
;
CREATE INDEX incident_reports_incident ON incident_reports(incident_id, at_ms)
;
-- When each level above the county had the report (上报), one row per level.
CREATE TABLE incident_escalations (
    incident_id      TEXT NOT NULL REFERENCES incidents(id),
    level            TEXT NOT NULL,
    received_ms      BIGINT NOT NULL,
    note             TEXT NULL,
    author           TEXT NOT NULL,
    PRIMARY KEY (incident_id, level)
)
;
CREATE TABLE incident_timeline (
    id               TEXT PRIMARY KEY,
    incident_id      TEXT NOT NULL REFERENCES incidents(id),
    at_ms            BIGINT NOT NULL,
    kind             TEXT NOT NULL,
    text             TEXT NOT NULL,
    actor            TEXT NOT NULL
)
;
CREATE INDEX incident_timeline_incident ON incident_timeline(incident_id, at_ms)
;
-- 应急预案库: levels (with triggers and task lists) as a JSON document checked by yingji-core::plan.
CREATE TABLE plans (
    id               TEXT PRIMARY KEY,
    code             TEXT NOT NULL,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    owner            TEXT NOT NULL,
    version          TEXT NOT NULL,
    effective_date   TEXT NOT NULL,
    review_cycle_months BIGINT NOT NULL,
    subtypes         TEXT NOT NULL,
    levels           TEXT NOT NULL,
    region_code      TEXT NOT NULL,
    status           TEXT NOT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL,
    CONSTRAINT plans_code_version_key UNIQUE (code, version)
)
;
-- 启动 / 升级 / 降级 / 终止 of a plan's response on an incident.
CREATE TABLE incident_activations (
    id               TEXT PRIMARY KEY,
    incident_id      TEXT NOT NULL REFERENCES incidents(id),
    plan_id          TEXT NOT NULL REFERENCES plans(id),
    action           TEXT NOT NULL,
    level            BIGINT NULL,
    suggested_level  BIGINT NULL,
    reason           TEXT NULL,
    at_ms            BIGINT NOT NULL,
    author           TEXT NOT NULL
)
;
CREATE INDEX incident_activations_incident ON incident_activations(incident_id, at_ms)
;
CREATE TABLE incident_tasks (
    id               TEXT PRIMARY KEY,
    incident_id      TEXT NOT NULL REFERENCES incidents(id),
    activation_id    TEXT NOT NULL REFERENCES incident_activations(id),
    department       TEXT NOT NULL,
    task             TEXT NOT NULL,
    due_ms           BIGINT NOT NULL,
    status           TEXT NOT NULL,
    note             TEXT NULL,
    updated_ms       BIGINT NOT NULL
)
;
CREATE INDEX incident_tasks_incident ON incident_tasks(incident_id, status, due_ms)
;
-- 值班表 and 值班日志.
CREATE TABLE duty_shifts (
    id               TEXT PRIMARY KEY,
    region_code      TEXT NOT NULL,
    day              TEXT NOT NULL,
    shift            TEXT NOT NULL,
    leader           TEXT NOT NULL,
    officer          TEXT NOT NULL,
    phone            TEXT NULL,
    created_ms       BIGINT NOT NULL,
    CONSTRAINT duty_shifts_key UNIQUE (region_code, day, shift)
)
;
CREATE TABLE duty_log (
    id               TEXT PRIMARY KEY,
    region_code      TEXT NOT NULL,
    at_ms            BIGINT NOT NULL,
    kind             TEXT NOT NULL,
    text             TEXT NOT NULL,
    incident_id      TEXT NULL REFERENCES incidents(id),
    author           TEXT NOT NULL
)
;
CREATE INDEX duty_log_day ON duty_log(region_code, at_ms)
;
