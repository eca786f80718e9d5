-- 联合检查 (issue 21): one task, several departments, each with its 执法事项; and the month a task is
-- planned for (a joint inspection's; NULL for a draw's, read as the month it was made).
-- Statements are separated by lines holding only ";".
CREATE TABLE inspection_task_departments (
    task_id       TEXT NOT NULL REFERENCES inspection_tasks(id),
    department_id TEXT NOT NULL REFERENCES departments(id),
    item_id       TEXT NOT NULL REFERENCES enforcement_items(id),
    PRIMARY KEY (task_id, department_id)
)
;
CREATE INDEX inspection_task_departments_department ON inspection_task_departments(department_id)
;
ALTER TABLE inspection_tasks ADD COLUMN planned_month TEXT NULL
