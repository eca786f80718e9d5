-- 安全生产责任保险 (issue 22, item 5): insurers (保险机构) and their users, policies of
-- enterprises, claims after accidents and the insurers' 事故预防服务 records. Amounts are exact
-- 分; days are 'YYYY-MM-DD' in Asia/Shanghai.
-- Statements are separated by lines holding only ";".

CREATE TABLE credit_insurers (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    credit_code  TEXT NOT NULL,
    active       BIGINT NOT NULL,
    created_ms   BIGINT NOT NULL,
    updated_ms   BIGINT NOT NULL,
    CONSTRAINT credit_insurers_code_key UNIQUE (credit_code)
)
;
ALTER TABLE users ADD COLUMN insurer_id TEXT NULL REFERENCES credit_insurers(id)
;
CREATE TABLE credit_insurance_policies (
    id               TEXT PRIMARY KEY,
    enterprise_id    TEXT NOT NULL REFERENCES enterprises(id),
    insurer_id       TEXT NOT NULL REFERENCES credit_insurers(id),
    number           TEXT NOT NULL,
    starts_day       TEXT NOT NULL,
    ends_day         TEXT NOT NULL,
    insured_persons  BIGINT NOT NULL,
    premium_fen      BIGINT NOT NULL,
    cover_fen        BIGINT NOT NULL,
    status           TEXT NOT NULL,
    created_by_name  TEXT NOT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL,
    CONSTRAINT credit_insurance_policies_number_key UNIQUE (insurer_id, number)
)
;
CREATE INDEX credit_insurance_policies_enterprise ON credit_insurance_policies(enterprise_id, ends_day)
;
CREATE TABLE credit_insurance_claims (
    id               TEXT PRIMARY KEY,
    policy_id        TEXT NOT NULL REFERENCES credit_insurance_policies(id),
    enterprise_id    TEXT NOT NULL REFERENCES enterprises(id),
    insurer_id       TEXT NOT NULL REFERENCES credit_insurers(id),
    incident_id      TEXT NOT NULL REFERENCES incidents(id),
    claimed_fen      BIGINT NOT NULL,
    paid_fen         BIGINT NULL,
    status           TEXT NOT NULL,
    reason           TEXT NULL,
    description      TEXT NULL,
    reported_by_name TEXT NOT NULL,
    reported_ms      BIGINT NOT NULL,
    decided_by_name  TEXT NULL,
    decided_ms       BIGINT NULL
)
;
CREATE INDEX credit_insurance_claims_policy ON credit_insurance_claims(policy_id)
;
CREATE TABLE credit_prevention_services (
    id               TEXT PRIMARY KEY,
    insurer_id       TEXT NOT NULL REFERENCES credit_insurers(id),
    enterprise_id    TEXT NOT NULL REFERENCES enterprises(id),
    day              TEXT NOT NULL,
    kind             TEXT NOT NULL,
    findings         TEXT NOT NULL,
    attachment_ids   TEXT NOT NULL,
    recorded_by_name TEXT NOT NULL,
    created_ms       BIGINT NOT NULL
)
;
CREATE INDEX credit_prevention_services_enterprise ON credit_prevention_services(enterprise_id, day)
