-- 一企一档 (issue 22): licences and certificates, the 标准化 grade, key people, and the
-- enterprise's proposals waiting for its supervising department. Only confirmed data is in
-- credit_licences and credit_standardisations; a proposal holds its input as JSON until decided.
-- Statements are separated by lines holding only ";".
CREATE TABLE credit_licences (
    id            TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    kind          TEXT NOT NULL,
    number        TEXT NOT NULL,
    scope         TEXT NULL,
    issuer        TEXT NULL,
    valid_from    TEXT NOT NULL,
    valid_until   TEXT NOT NULL,
    status        TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    created_ms    BIGINT NOT NULL,
    updated_ms    BIGINT NOT NULL
)
;
CREATE INDEX credit_licences_enterprise ON credit_licences(enterprise_id, valid_until)
;
CREATE INDEX credit_licences_expiry ON credit_licences(status, valid_until, enterprise_id)
;
CREATE TABLE credit_standardisations (
    enterprise_id      TEXT PRIMARY KEY REFERENCES enterprises(id),
    grade              INTEGER NOT NULL,
    certificate_number TEXT NOT NULL,
    valid_until        TEXT NOT NULL,
    status             TEXT NOT NULL,
    updated_by         TEXT NOT NULL,
    updated_ms         BIGINT NOT NULL
)
;
CREATE TABLE credit_proposals (
    id             TEXT PRIMARY KEY,
    enterprise_id  TEXT NOT NULL REFERENCES enterprises(id),
    subject        TEXT NOT NULL,
    target_id      TEXT NULL,
    payload        TEXT NOT NULL,
    status         TEXT NOT NULL,
    proposed_by    TEXT NOT NULL,
    proposed_ms    BIGINT NOT NULL,
    decided_by     TEXT NULL,
    decided_ms     BIGINT NULL,
    reason         TEXT NULL
)
;
CREATE INDEX credit_proposals_status ON credit_proposals(status, proposed_ms, enterprise_id)
;
CREATE INDEX credit_proposals_enterprise ON credit_proposals(enterprise_id, proposed_ms)
;
CREATE TABLE credit_key_people (
    id                 TEXT PRIMARY KEY,
    enterprise_id      TEXT NOT NULL REFERENCES enterprises(id),
    post               TEXT NOT NULL,
    name               TEXT NOT NULL,
    phone              TEXT NULL,
    certificate_kind   TEXT NULL,
    certificate_number TEXT NULL,
    valid_until        TEXT NULL,
    created_ms         BIGINT NOT NULL,
    updated_ms         BIGINT NOT NULL
)
;
CREATE INDEX credit_key_people_enterprise ON credit_key_people(enterprise_id, post)

;
-- The dossier reads an enterprise's recent alarms.
CREATE INDEX credit_alarms_enterprise ON alarms(enterprise_id, opened_ms)
