-- Hardening after the checks of issue 18: failed logins counted per account and client address
-- (a stranger can no longer lock the duty officer out), API tokens with an expiry and an optional
-- read-only or resource subset, and changes that an enterprise proposes to the fields its
-- supervising department owns, and the hazard an alarm was turned into. Statements are separated by lines holding only ";".

CREATE TABLE login_failures (
    username         TEXT NOT NULL,
    client           TEXT NOT NULL,
    failures         BIGINT NOT NULL,
    locked_until_ms  BIGINT NULL,
    last_ms          BIGINT NOT NULL,
    PRIMARY KEY (username, client)
)
;
ALTER TABLE api_tokens ADD COLUMN expires_ms BIGINT NULL
;
ALTER TABLE api_tokens ADD COLUMN read_only BIGINT NOT NULL DEFAULT 0
;
-- Comma-separated first path segments under /api/v1/ (hazards, readings …); empty: all.
ALTER TABLE api_tokens ADD COLUMN resources TEXT NOT NULL DEFAULT ''
;
CREATE TABLE enterprise_changes (
    id               TEXT PRIMARY KEY,
    enterprise_id    TEXT NOT NULL REFERENCES enterprises(id) ON DELETE CASCADE,
    -- pending / confirmed / rejected / superseded
    status           TEXT NOT NULL,
    -- The proposed values of the supervised fields, as JSON.
    proposed         TEXT NOT NULL,
    -- Their values when proposed, as JSON.
    current          TEXT NOT NULL,
    proposed_by      TEXT NOT NULL,
    proposed_ms      BIGINT NOT NULL,
    decided_by       TEXT NULL,
    decided_ms       BIGINT NULL,
    note             TEXT NULL
)
;
CREATE INDEX enterprise_changes_pending ON enterprise_changes (enterprise_id, status)
;
ALTER TABLE alarms ADD COLUMN hazard_id TEXT NULL REFERENCES hazards(id)
;
-- 接报: who reported it and how; the 第十二条 items may be 待核实 until the report goes up.
ALTER TABLE incidents ADD COLUMN reporter_name TEXT NULL
;
ALTER TABLE incidents ADD COLUMN reporter_phone TEXT NULL
;
ALTER TABLE incidents ADD COLUMN report_channel TEXT NULL
