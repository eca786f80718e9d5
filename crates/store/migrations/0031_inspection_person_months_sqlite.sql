-- 执法统计 (issue 21): inspections, findings and 重大 findings per department, month (YYYY-MM in
-- Asia/Shanghai) and inspector, and per department, month and enterprise, kept up to date when an
-- inspection is recorded (upserts in the same transaction), so the statistics read a few thousand
-- lines instead of every record of the year (and its task's inspectors). Records made before are
-- added up here once.
-- Statements are separated by lines holding only ";".
CREATE TABLE inspection_person_months (
    department_id TEXT NOT NULL,
    month TEXT NOT NULL,
    user_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    inspections BIGINT NOT NULL DEFAULT 0,
    findings BIGINT NOT NULL DEFAULT 0,
    major_findings BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (department_id, month, user_id, user_name)
)
;
INSERT INTO inspection_person_months (department_id, month, user_id, user_name, inspections, findings, major_findings)
SELECT r.department_id, strftime('%Y-%m', r.recorded_ms / 1000 + 28800, 'unixepoch'), ti.user_id, ti.user_name, COUNT(*), SUM(r.findings), SUM(r.major_findings)
FROM inspection_records r JOIN inspection_task_inspectors ti ON ti.task_id = r.task_id
GROUP BY r.department_id, strftime('%Y-%m', r.recorded_ms / 1000 + 28800, 'unixepoch'), ti.user_id, ti.user_name
;
CREATE TABLE inspection_enterprise_months (
    department_id TEXT NOT NULL,
    month TEXT NOT NULL,
    enterprise_id TEXT NOT NULL,
    inspections BIGINT NOT NULL DEFAULT 0,
    findings BIGINT NOT NULL DEFAULT 0,
    major_findings BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (department_id, month, enterprise_id)
)
;
INSERT INTO inspection_enterprise_months (department_id, month, enterprise_id, inspections, findings, major_findings)
SELECT r.department_id, strftime('%Y-%m', r.recorded_ms / 1000 + 28800, 'unixepoch'), r.enterprise_id, COUNT(*), SUM(r.findings), SUM(r.major_findings)
FROM inspection_records r
GROUP BY r.department_id, strftime('%Y-%m', r.recorded_ms / 1000 + 28800, 'unixepoch'), r.enterprise_id
