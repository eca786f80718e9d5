-- 每日安全承诺 (issue 22, item 2): one commitment per enterprise and day (the unique key; a
-- second is 409), and the misses the district's sweep timer records at the deadline
-- (credit_commitment_misses; `escalated_ms` when the later step told the bureau's leaders).
-- Statements are separated by lines holding only ";".

CREATE TABLE credit_commitments (
    id                  TEXT PRIMARY KEY,
    enterprise_id       TEXT NOT NULL REFERENCES enterprises(id),
    day                 TEXT NOT NULL,
    submitted_ms        BIGINT NOT NULL,
    late                BIGINT NOT NULL,
    units_running       BIGINT NOT NULL,
    units_stopped       BIGINT NOT NULL,
    units_overhaul      BIGINT NOT NULL,
    major_hazard_status TEXT NULL,
    major_hazard_note   TEXT NULL,
    special_works       TEXT NOT NULL,
    duty_person         TEXT NOT NULL,
    duty_phone          TEXT NULL,
    principal_name      TEXT NOT NULL,
    note                TEXT NULL,
    submitted_by        TEXT NOT NULL REFERENCES users(id),
    submitted_by_name   TEXT NOT NULL,
    CONSTRAINT credit_commitments_day_key UNIQUE (enterprise_id, day)
)
;
CREATE INDEX credit_commitments_day ON credit_commitments(day, enterprise_id)
;
CREATE TABLE credit_commitment_misses (
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    day           TEXT NOT NULL,
    flagged_ms    BIGINT NOT NULL,
    escalated_ms  BIGINT NULL,
    PRIMARY KEY (enterprise_id, day)
)
;
CREATE INDEX credit_commitment_misses_day ON credit_commitment_misses(day)
