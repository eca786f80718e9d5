-- 履职报告 and 两单两卡 (issue 22, item 2): one report per enterprise and period (the unique key;
-- a returned one is resubmitted in place), the misses the district's sweep timer records after
-- the due day (`escalated_ms` when the later step told the bureau's leaders), and the posts of an
-- enterprise with their four items as JSON lists of text lines.
-- Statements are separated by lines holding only ";".

CREATE TABLE credit_duty_reports (
    id                TEXT PRIMARY KEY,
    enterprise_id     TEXT NOT NULL REFERENCES enterprises(id),
    period            TEXT NOT NULL,
    due_day           TEXT NOT NULL,
    status            TEXT NOT NULL,
    text              TEXT NOT NULL,
    submitted_ms      BIGINT NOT NULL,
    late              BIGINT NOT NULL,
    submitted_by      TEXT NOT NULL REFERENCES users(id),
    submitted_by_name TEXT NOT NULL,
    reviewed_ms       BIGINT NULL,
    reviewed_by_name  TEXT NULL,
    return_reason     TEXT NULL,
    CONSTRAINT credit_duty_reports_period_key UNIQUE (enterprise_id, period)
)
;
CREATE INDEX credit_duty_reports_status ON credit_duty_reports(status, period)
;
CREATE TABLE credit_duty_report_misses (
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    period        TEXT NOT NULL,
    flagged_ms    BIGINT NOT NULL,
    escalated_ms  BIGINT NULL,
    PRIMARY KEY (enterprise_id, period)
)
;
CREATE INDEX credit_duty_report_misses_period ON credit_duty_report_misses(period)
;
CREATE TABLE credit_posts (
    id              TEXT PRIMARY KEY,
    enterprise_id   TEXT NOT NULL REFERENCES enterprises(id),
    name            TEXT NOT NULL,
    people          BIGINT NOT NULL,
    duties          TEXT NOT NULL,
    daily_tasks     TEXT NOT NULL,
    risk_card       TEXT NOT NULL,
    response_card   TEXT NOT NULL,
    complete        BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL,
    updated_by_name TEXT NOT NULL,
    CONSTRAINT credit_posts_name_key UNIQUE (enterprise_id, name)
)
