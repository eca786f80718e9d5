-- 年度检查计划 (issue 21): a department's annual plan, its 重点检查 list with how often and why and
-- its 双随机 quotas per category, as drafted and, once the bureau's leader approves it, fixed.
-- `outcome` is core's PlanOutcome as JSON with the enterprises' names; `rules_version` the
-- district rules version whose minimums and cap it used.
-- Statements are separated by lines holding only ";".
CREATE TABLE enforcement_plans (
    id                 TEXT PRIMARY KEY,
    department_id      TEXT NOT NULL REFERENCES departments(id),
    year               BIGINT NOT NULL,
    title              TEXT NOT NULL,
    status             TEXT NOT NULL,
    quotas             TEXT NOT NULL,
    rules_version      BIGINT NOT NULL,
    outcome            TEXT NOT NULL,
    key_count          BIGINT NOT NULL,
    key_inspections    BIGINT NOT NULL,
    random_inspections BIGINT NOT NULL,
    drafted_by         TEXT NOT NULL,
    drafted_by_name    TEXT NOT NULL,
    drafted_ms         BIGINT NOT NULL,
    decided_by         TEXT NULL,
    decided_by_name    TEXT NULL,
    decided_ms         BIGINT NULL,
    opinion            TEXT NULL,
    updated_ms         BIGINT NOT NULL
)
;
CREATE INDEX enforcement_plans_department ON enforcement_plans(department_id, year, status)
