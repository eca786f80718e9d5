-- 双重预防: district rules, risk points, hazards and their closed loop, listed supervision,
-- durable timers, in-app notifications and attachments. Same SQL subset as 0001.

CREATE TABLE district_rules (
    region_code TEXT NOT NULL,
    version     BIGINT NOT NULL,
    body        TEXT NOT NULL,
    note        TEXT NULL,
    created_by  TEXT NULL,
    created_ms  BIGINT NOT NULL,
    PRIMARY KEY (region_code, version)
)
;
CREATE TABLE hazard_criteria (
    code         TEXT PRIMARY KEY,
    list_code    TEXT NOT NULL,
    industry     TEXT NOT NULL,
    article      TEXT NOT NULL,
    text         TEXT NOT NULL,
    numeric_rule TEXT NULL,
    verified     BIGINT NOT NULL,
    active       BIGINT NOT NULL,
    ord          BIGINT NOT NULL,
    updated_ms   BIGINT NOT NULL
)
;
CREATE TABLE risk_points (
    id                 TEXT PRIMARY KEY,
    enterprise_id      TEXT NULL REFERENCES enterprises(id),
    public_kind        TEXT NULL,
    name               TEXT NOT NULL,
    location           TEXT NOT NULL,
    lon                DOUBLE PRECISION NULL,
    lat                DOUBLE PRECISION NULL,
    region_code        TEXT NOT NULL REFERENCES regions(code),
    district_code      TEXT NOT NULL,
    street_code        TEXT NOT NULL,
    community_code     TEXT NOT NULL,
    grid_code          TEXT NOT NULL,
    categories         TEXT NOT NULL,
    hazard_factors     TEXT NOT NULL,
    accident_types     TEXT NOT NULL,
    method             TEXT NOT NULL,
    inputs             TEXT NOT NULL,
    score              TEXT NOT NULL,
    computed_level     TEXT NOT NULL,
    level              TEXT NOT NULL,
    level_rank         BIGINT NOT NULL,
    override_reason    TEXT NULL,
    control_measures   TEXT NOT NULL,
    emergency_measures TEXT NOT NULL,
    control_level      TEXT NOT NULL,
    responsible_name   TEXT NOT NULL,
    responsible_phone  TEXT NULL,
    review_date        TEXT NULL,
    rules_version      BIGINT NOT NULL,
    status             TEXT NOT NULL,
    created_ms         BIGINT NOT NULL,
    updated_ms         BIGINT NOT NULL
)
;
CREATE INDEX risk_points_enterprise ON risk_points(enterprise_id, level_rank)
;
CREATE INDEX risk_points_region ON risk_points(district_code, street_code, community_code, grid_code, level_rank)
;
CREATE TABLE hazards (
    id                TEXT PRIMARY KEY,
    code              TEXT NOT NULL,
    source            TEXT NOT NULL,
    enterprise_id     TEXT NULL REFERENCES enterprises(id),
    risk_point_id     TEXT NULL REFERENCES risk_points(id),
    location          TEXT NOT NULL,
    lon               DOUBLE PRECISION NULL,
    lat               DOUBLE PRECISION NULL,
    region_code       TEXT NOT NULL,
    district_code     TEXT NOT NULL,
    street_code       TEXT NOT NULL,
    community_code    TEXT NOT NULL,
    grid_code         TEXT NOT NULL,
    -- The enterprise's GB/T 4754 section and supervision categories, copied at report time so
    -- statistics and department scopes never join the enterprise table.
    industry          TEXT NOT NULL,
    categories        TEXT NOT NULL,
    department_id     TEXT NULL REFERENCES departments(id),
    category          TEXT NOT NULL,
    description       TEXT NOT NULL,
    level             TEXT NOT NULL,
    status            TEXT NOT NULL,
    criteria          TEXT NOT NULL,
    findings          TEXT NULL,
    deadline          TEXT NULL,
    overdue           BIGINT NOT NULL,
    responsible_name  TEXT NULL,
    responsible_phone TEXT NULL,
    measures          TEXT NULL,
    funds             TEXT NULL,
    plan              TEXT NULL,
    evaluation        TEXT NULL,
    extension         TEXT NULL,
    reporter_id       TEXT NULL,
    reporter_name     TEXT NOT NULL,
    reporter_phone    TEXT NULL,
    rectifier_id      TEXT NULL,
    acceptor_id       TEXT NULL,
    tracking_code     TEXT NULL,
    listed            BIGINT NOT NULL,
    reported_ms       BIGINT NOT NULL,
    reported_month    TEXT NOT NULL,
    graded_ms         BIGINT NULL,
    closed_ms         BIGINT NULL,
    closed_on_time    BIGINT NULL,
    updated_ms        BIGINT NOT NULL,
    CONSTRAINT hazards_code_key UNIQUE (code)
)
;
CREATE UNIQUE INDEX hazards_tracking ON hazards(tracking_code)
;
-- Statistics: one month's rows per region, counted from the index alone.
CREATE INDEX hazards_month ON hazards(reported_month, district_code, street_code, status, level, source, industry, overdue)
;
CREATE INDEX hazards_street ON hazards(street_code, status, reported_ms)
;
CREATE INDEX hazards_district ON hazards(district_code, status, reported_ms)
;
CREATE INDEX hazards_enterprise ON hazards(enterprise_id, reported_ms)
;
CREATE INDEX hazards_department ON hazards(department_id, reported_ms)
;
CREATE INDEX hazards_open ON hazards(status, level, deadline)
;
CREATE TABLE hazard_events (
    id          TEXT PRIMARY KEY,
    hazard_id   TEXT NOT NULL REFERENCES hazards(id),
    action      TEXT NOT NULL,
    from_status TEXT NULL,
    to_status   TEXT NOT NULL,
    actor_id    TEXT NULL,
    actor_name  TEXT NOT NULL,
    note        TEXT NULL,
    data        TEXT NULL,
    attachments TEXT NOT NULL,
    at_ms       BIGINT NOT NULL
)
;
CREATE INDEX hazard_events_hazard ON hazard_events(hazard_id, at_ms)
;
CREATE TABLE hazard_listings (
    id               TEXT PRIMARY KEY,
    hazard_id        TEXT NOT NULL REFERENCES hazards(id),
    listing_level    TEXT NOT NULL,
    supervising_body TEXT NOT NULL,
    department_id    TEXT NULL REFERENCES departments(id),
    deadline         TEXT NOT NULL,
    doc_number       TEXT NOT NULL,
    listed_by        TEXT NULL,
    listed_by_name   TEXT NOT NULL,
    listed_ms        BIGINT NOT NULL,
    status           TEXT NOT NULL,
    steps_fired      BIGINT NOT NULL,
    last_step        TEXT NULL,
    delisted_ms      BIGINT NULL
)
;
CREATE INDEX hazard_listings_hazard ON hazard_listings(hazard_id)
;
CREATE INDEX hazard_listings_status ON hazard_listings(status, deadline)
;
CREATE TABLE hazard_escalations (
    id         TEXT PRIMARY KEY,
    listing_id TEXT NOT NULL REFERENCES hazard_listings(id),
    hazard_id  TEXT NOT NULL REFERENCES hazards(id),
    step_code  TEXT NOT NULL,
    step_label TEXT NOT NULL,
    due_ms     BIGINT NOT NULL,
    fired_ms   BIGINT NOT NULL,
    notified   BIGINT NOT NULL,
    CONSTRAINT hazard_escalations_step_key UNIQUE (listing_id, step_code)
)
;
CREATE TABLE hazard_code_seq (
    scope TEXT PRIMARY KEY,
    next  BIGINT NOT NULL
)
;
-- Durable timers: a row per future action; fired_ms is set in the same transaction as the
-- action's effects, so a timer fires once even with several nodes polling.
CREATE TABLE timers (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    due_ms     BIGINT NOT NULL,
    payload    TEXT NOT NULL,
    fired_ms   BIGINT NULL,
    attempts   BIGINT NOT NULL,
    last_error TEXT NULL,
    created_ms BIGINT NOT NULL
)
;
CREATE INDEX timers_due ON timers(due_ms) WHERE fired_ms IS NULL
;
CREATE INDEX timers_subject ON timers(subject_id, kind)
;
CREATE TABLE notifications (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    link       TEXT NULL,
    created_ms BIGINT NOT NULL,
    read_ms    BIGINT NULL
)
;
CREATE INDEX notifications_user ON notifications(user_id, created_ms)
;
-- Attachment bytes are base64 text: the one type both backends carry through sqlx Any.
CREATE TABLE attachments (
    id          TEXT PRIMARY KEY,
    owner_type  TEXT NULL,
    owner_id    TEXT NULL,
    filename    TEXT NOT NULL,
    mime        TEXT NOT NULL,
    size        BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    data        TEXT NOT NULL,
    uploaded_by TEXT NULL,
    created_ms  BIGINT NOT NULL
)
;
CREATE INDEX attachments_owner ON attachments(owner_id)
