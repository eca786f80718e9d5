-- Field work on the phone (issue 20): client-generated idempotency keys, so a submission a phone
-- sends again after the network came back is recorded once, and patrol check-ins (巡查打卡).
-- Statements are separated by lines holding only ";".

-- One row per (user, key): the first submission's record. A replay finds it and answers that
-- record instead of writing a second one; the primary key stops two concurrent first sends.
CREATE TABLE idempotency_keys (
    user_id    TEXT NOT NULL,
    idem_key   TEXT NOT NULL,
    kind       TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (user_id, idem_key)
)
;
-- 巡查打卡: a grid worker or street staff member checks in at a place in their area.
CREATE TABLE patrols (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL,
    user_name   TEXT NOT NULL,
    region_code TEXT NOT NULL,
    region_name TEXT NOT NULL,
    lon         DOUBLE PRECISION NOT NULL,
    lat         DOUBLE PRECISION NOT NULL,
    accuracy_m  DOUBLE PRECISION NULL,
    note        TEXT NULL,
    checked_ms  BIGINT NOT NULL
)
;
CREATE INDEX patrols_region ON patrols(region_code, checked_ms)
;
CREATE INDEX patrols_user ON patrols(user_id, checked_ms)
