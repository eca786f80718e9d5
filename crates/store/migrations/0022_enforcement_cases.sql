-- 执法监管 (issue 21), 行政处罚案件: a case from 立案 to 结案 with its investigators, the 法制审核
-- reviewer, the statutory days (core::enforcement::penalty::CaseDays), the fine proposed and
-- decided against the discretion table, the 行刑衔接 flag, and every step on its timeline.
-- Days are YYYY-MM-DD in Asia/Shanghai; money is whole 元.
-- Statements are separated by lines holding only ";".

CREATE TABLE enforcement_cases (
    id                 TEXT PRIMARY KEY,
    department_id      TEXT NOT NULL REFERENCES departments(id),
    enterprise_id      TEXT NOT NULL REFERENCES enterprises(id),
    enterprise_name    TEXT NOT NULL,
    region_code        TEXT NOT NULL,
    title              TEXT NOT NULL,
    facts              TEXT NULL,
    -- finding (检查发现), complaint (投诉举报), referral (移送); the source record's id as text.
    source             TEXT NOT NULL,
    source_id          TEXT NULL,
    state              TEXT NOT NULL,
    reviewer_id        TEXT NULL,
    reviewer_name      TEXT NULL,
    filed_day          TEXT NOT NULL,
    decision_due       TEXT NOT NULL,
    extended_until     TEXT NULL,
    extension_reason   TEXT NULL,
    statement_until    TEXT NULL,
    hearing_until      TEXT NULL,
    decided_day        TEXT NULL,
    payment_due        TEXT NULL,
    accident_grade     TEXT NULL,
    aggravated         BIGINT NOT NULL,
    proposed_fine      BIGINT NULL,
    decided_fine       BIGINT NULL,
    fine_reason        TEXT NULL,
    criminal_transfer  BIGINT NOT NULL,
    transfer_reason    TEXT NULL,
    paid               BIGINT NOT NULL,
    compulsory         BIGINT NOT NULL,
    overdue            BIGINT NOT NULL,
    created_by         TEXT NOT NULL,
    created_ms         BIGINT NOT NULL,
    updated_ms         BIGINT NOT NULL
)
;
CREATE INDEX enforcement_cases_department ON enforcement_cases(department_id, state)
;
CREATE INDEX enforcement_cases_enterprise ON enforcement_cases(enterprise_id)
;
-- The 承办人 of a case (at least two 执法人员 in law; the console names them).
CREATE TABLE enforcement_case_investigators (
    case_id   TEXT NOT NULL REFERENCES enforcement_cases(id),
    user_id   TEXT NOT NULL REFERENCES users(id),
    user_name TEXT NOT NULL,
    PRIMARY KEY (case_id, user_id)
)
;
-- The case's timeline: every step taken (and every deadline missed), oldest first.
CREATE TABLE enforcement_case_steps (
    id         TEXT PRIMARY KEY,
    case_id    TEXT NOT NULL REFERENCES enforcement_cases(id),
    step       TEXT NOT NULL,
    from_state TEXT NULL,
    to_state   TEXT NOT NULL,
    actor_id   TEXT NULL,
    actor_name TEXT NOT NULL,
    note       TEXT NULL,
    at_ms      BIGINT NOT NULL
)
;
CREATE INDEX enforcement_case_steps_case ON enforcement_case_steps(case_id, at_ms)
