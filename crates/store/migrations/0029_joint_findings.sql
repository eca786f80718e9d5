-- 联合检查 (issue 21): each checked line and finding of an inspection record belongs to one taking
-- part department (a single-department task's: its own). NULL on records made before.
-- Statements are separated by lines holding only ";".
ALTER TABLE inspection_checks ADD COLUMN department_id TEXT NULL
;
ALTER TABLE inspection_findings ADD COLUMN department_id TEXT NULL
;
CREATE INDEX inspection_findings_department ON inspection_findings(department_id)
