-- 网格事件 (issue 24): one table of events from every source (网格员巡查, 随手拍, 12345/12350,
-- 舆情, 值班接报), the unit they were dispatched to and their three deadlines (签收, 处置, 反馈,
-- each a `grid.event_due` timer), the 督办 card reached, the 回访, links to a merged event, a
-- hazard or an incident; and their timeline.
-- Statements are separated by lines holding only ";".

CREATE TABLE grid_events (
    id               TEXT PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    district_code    TEXT NOT NULL,
    region_code      TEXT NOT NULL,
    street_code      TEXT NOT NULL,
    source           TEXT NOT NULL,
    category         TEXT NOT NULL,
    title            TEXT NOT NULL,
    description      TEXT NOT NULL,
    lon              DOUBLE PRECISION NOT NULL,
    lat              DOUBLE PRECISION NOT NULL,
    address          TEXT NULL,
    enterprise_id    TEXT NULL,
    reporter_user_id TEXT NULL,
    reporter_name    TEXT NULL,
    reporter_phone   TEXT NULL,
    tracking_code    TEXT NULL UNIQUE,
    external_no      TEXT NULL,
    external_source  TEXT NULL,
    opinion_url      TEXT NULL,
    opinion_heat     BIGINT NULL,
    status           TEXT NOT NULL,
    unit_kind        TEXT NULL,
    unit_id          TEXT NULL,
    unit_name        TEXT NULL,
    dispatch_reason  TEXT NULL,
    dispatched_ms    BIGINT NULL,
    accept_due_ms    BIGINT NULL,
    handle_due_ms    BIGINT NULL,
    feedback_due_ms  BIGINT NULL,
    accepted_ms      BIGINT NULL,
    handled_ms       BIGINT NULL,
    answered_ms      BIGINT NULL,
    closed_ms        BIGINT NULL,
    card             TEXT NOT NULL DEFAULT '',
    result           TEXT NULL,
    answer           TEXT NULL,
    satisfied        BIGINT NULL,
    reopened         BIGINT NOT NULL DEFAULT 0,
    merged_into      TEXT NULL,
    hazard_id        TEXT NULL,
    incident_id      TEXT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL
)
;
CREATE UNIQUE INDEX grid_events_external ON grid_events(external_source, external_no)
;
CREATE INDEX grid_events_board ON grid_events(district_code, status, created_ms)
;
CREATE INDEX grid_events_unit ON grid_events(unit_kind, unit_id, status)
;
CREATE INDEX grid_events_region ON grid_events(region_code, created_ms)
;
CREATE INDEX grid_events_near ON grid_events(category, created_ms)
;
CREATE TABLE grid_event_steps (
    id          TEXT PRIMARY KEY,
    event_id    TEXT NOT NULL,
    at_ms       BIGINT NOT NULL,
    action      TEXT NOT NULL,
    actor_name  TEXT NOT NULL,
    note        TEXT NULL,
    public      BIGINT NOT NULL DEFAULT 1
)
;
CREATE INDEX grid_event_steps_event ON grid_event_steps(event_id, at_ms)
