-- 企业主体责任与信用 (issue 22), the 严重失信主体名单 of 应急管理部令第11号: the qualifying records a
-- department enters (瞒报/谎报, 无证经营, 拒不执行, 评价机构虚假报告 …), the listings (one row per
-- subject — the unit and its 主要负责人 — sharing the case's id and steps), their timeline, and
-- the 重大安全风险 a department publishes on the public page (core::credit).
-- Statements are separated by lines holding only ";".

CREATE TABLE credit_listing_records (
    id             TEXT PRIMARY KEY,
    department_id  TEXT NOT NULL REFERENCES departments(id),
    enterprise_id  TEXT NULL REFERENCES enterprises(id),
    criterion      TEXT NOT NULL,
    occurred_day   TEXT NOT NULL,
    description    TEXT NOT NULL,
    -- JSON array of core::credit::listing_criteria::Subject.
    subjects       TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_ms     BIGINT NOT NULL
)
;
CREATE INDEX credit_listing_records_enterprise ON credit_listing_records(enterprise_id)
;
CREATE TABLE credit_listings (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL,
    enterprise_id   TEXT NULL REFERENCES enterprises(id),
    subject_kind    TEXT NOT NULL,
    subject_name    TEXT NOT NULL,
    subject_code    TEXT NULL,
    subject_role    TEXT NULL,
    department_id   TEXT NOT NULL REFERENCES departments(id),
    criterion       TEXT NOT NULL,
    basis           TEXT NOT NULL,
    record_id       TEXT NULL,
    status          TEXT NOT NULL,
    proposed_day    TEXT NOT NULL,
    notice_number   TEXT NULL,
    notice_day      TEXT NULL,
    statement_until TEXT NULL,
    statement       TEXT NULL,
    decision_number TEXT NULL,
    decided_day     TEXT NULL,
    decision_reason TEXT NULL,
    listed_day      TEXT NULL,
    expires_day     TEXT NULL,
    early_removal_eligible_day TEXT NULL,
    published_day   TEXT NULL,
    repair_reason   TEXT NULL,
    repair_requested_day TEXT NULL,
    repair_decision TEXT NULL,
    removed_day     TEXT NULL,
    -- repaired (信用修复) or expired (管理期限届满).
    removal_kind    TEXT NULL,
    restored_day    TEXT NULL,
    restore_reason  TEXT NULL,
    created_ms      BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL
)
;
CREATE INDEX credit_listings_case ON credit_listings(case_id)
;
CREATE INDEX credit_listings_enterprise ON credit_listings(enterprise_id)
;
CREATE INDEX credit_listings_department ON credit_listings(department_id, status)
;
CREATE INDEX credit_listings_public ON credit_listings(status, expires_day)
;
CREATE TABLE credit_listing_steps (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL,
    step        TEXT NOT NULL,
    status      TEXT NOT NULL,
    note        TEXT NOT NULL,
    actor_name  TEXT NOT NULL,
    created_ms  BIGINT NOT NULL
)
;
CREATE INDEX credit_listing_steps_case ON credit_listing_steps(case_id, created_ms)
;
CREATE TABLE credit_public_risks (
    id             TEXT PRIMARY KEY,
    department_id  TEXT NOT NULL REFERENCES departments(id),
    title          TEXT NOT NULL,
    place          TEXT NOT NULL,
    advice         TEXT NOT NULL,
    from_day       TEXT NOT NULL,
    until_day      TEXT NOT NULL,
    withdrawn      BIGINT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_ms     BIGINT NOT NULL,
    updated_ms     BIGINT NOT NULL
)
;
CREATE INDEX credit_public_risks_period ON credit_public_risks(withdrawn, until_day)
