-- External notifications. A channel is a group robot (企业微信/钉钉), a signed webhook, a mailbox
-- or a phone list belonging to an enterprise, a region (street, district) or a department; a
-- 叫应 step that names that audience sends to it. The outbox holds every message until it is
-- delivered or given up: rows are written in the transaction of the step that caused them and
-- retried with back-off by the delivery loop (yingji-jobs), so nothing committed is lost.
-- Statements are separated by lines holding ";".

CREATE TABLE notify_channels (
    id             TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    endpoint       TEXT NOT NULL,
    secret         TEXT NULL,
    enterprise_id  TEXT NULL REFERENCES enterprises(id),
    department_id  TEXT NULL REFERENCES departments(id),
    region_code    TEXT NOT NULL,
    district_code  TEXT NOT NULL,
    street_code    TEXT NOT NULL,
    community_code TEXT NOT NULL,
    grid_code      TEXT NOT NULL,
    categories     TEXT NOT NULL,
    active         BIGINT NOT NULL,
    created_ms     BIGINT NOT NULL,
    updated_ms     BIGINT NOT NULL
)
;
CREATE INDEX notify_channels_enterprise ON notify_channels(enterprise_id)
;
CREATE INDEX notify_channels_region ON notify_channels(region_code)
;
CREATE INDEX notify_channels_department ON notify_channels(department_id)
;
CREATE TABLE outbox (
    id          TEXT PRIMARY KEY,
    channel_id  TEXT NULL,
    kind        TEXT NOT NULL,
    destination TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    event       TEXT NOT NULL,
    subject_id  TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    link        TEXT NOT NULL,
    status      TEXT NOT NULL,
    attempts    BIGINT NOT NULL,
    next_ms     BIGINT NOT NULL,
    last_error  TEXT NULL,
    created_ms  BIGINT NOT NULL,
    sent_ms     BIGINT NULL
)
;
CREATE INDEX outbox_due ON outbox(status, next_ms)
;
CREATE INDEX outbox_subject ON outbox(subject_id, created_ms)
;
CREATE INDEX outbox_channel ON outbox(channel_id, created_ms)
;
