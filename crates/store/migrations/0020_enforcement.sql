-- 执法监管 (issue 21), first part: the 执法事项目录, the 执法检查人员名录库 with 回避, the 双随机
-- draws with everything needed to run them again (复核), and the inspection tasks they make.
-- Statements are separated by lines holding only ";".

-- 执法事项目录: what a department may inspect, on what legal basis and how.
CREATE TABLE enforcement_items (
    id            TEXT PRIMARY KEY,
    department_id TEXT NOT NULL REFERENCES departments(id),
    name          TEXT NOT NULL,
    legal_basis   TEXT NOT NULL,
    method        TEXT NOT NULL,
    category      TEXT NULL,
    content       TEXT NULL,
    active        BIGINT NOT NULL,
    created_ms    BIGINT NOT NULL,
    updated_ms    BIGINT NOT NULL
)
;
CREATE INDEX enforcement_items_department ON enforcement_items(department_id)
;
-- 执法检查人员名录库: one entry per user, with the 执法证 and its last valid day (YYYY-MM-DD).
CREATE TABLE enforcement_inspectors (
    user_id          TEXT PRIMARY KEY REFERENCES users(id),
    department_id    TEXT NOT NULL REFERENCES departments(id),
    cert_no          TEXT NOT NULL,
    cert_valid_until TEXT NOT NULL,
    active           BIGINT NOT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL,
    CONSTRAINT enforcement_inspectors_cert_key UNIQUE (cert_no)
)
;
-- 回避: an inspector who must not inspect an enterprise.
CREATE TABLE enforcement_conflicts (
    user_id       TEXT NOT NULL REFERENCES enforcement_inspectors(user_id),
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    reason        TEXT NOT NULL,
    created_ms    BIGINT NOT NULL,
    PRIMARY KEY (user_id, enterprise_id)
)
;
-- A 双随机 draw. `inputs` holds what the draw was given (the pool's ids, the excluded ids with
-- why, the inspectors with their 执法证 and conflicts, the quota) as JSON, `result` what it drew;
-- `inputs_hash` is the SHA-256 of `inputs`, also in the audit record, so a 复核 runs the draw again
-- on exactly the recorded inputs and a changed record is found.
CREATE TABLE enforcement_draws (
    id            TEXT PRIMARY KEY,
    department_id TEXT NOT NULL REFERENCES departments(id),
    item_id       TEXT NOT NULL REFERENCES enforcement_items(id),
    title         TEXT NOT NULL,
    region_code   TEXT NOT NULL,
    seed          TEXT NOT NULL,
    draw_day      TEXT NOT NULL,
    pool_size     BIGINT NOT NULL,
    candidates    BIGINT NOT NULL,
    picked        BIGINT NOT NULL,
    inputs        TEXT NOT NULL,
    inputs_hash   TEXT NOT NULL,
    result        TEXT NOT NULL,
    drawn_by      TEXT NOT NULL,
    drawn_by_name TEXT NOT NULL,
    drawn_ms      BIGINT NOT NULL,
    published_ms  BIGINT NULL
)
;
CREATE INDEX enforcement_draws_department ON enforcement_draws(department_id, drawn_ms)
;
-- 检查任务: one enterprise to inspect, from a draw (or, later, a plan, a complaint, a joint visit).
CREATE TABLE inspection_tasks (
    id              TEXT PRIMARY KEY,
    department_id   TEXT NOT NULL REFERENCES departments(id),
    item_id         TEXT NOT NULL REFERENCES enforcement_items(id),
    draw_id         TEXT NULL REFERENCES enforcement_draws(id),
    enterprise_id   TEXT NOT NULL REFERENCES enterprises(id),
    enterprise_name TEXT NOT NULL,
    region_code     TEXT NOT NULL,
    kind            TEXT NOT NULL,
    year            BIGINT NOT NULL,
    status          TEXT NOT NULL,
    created_ms      BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL
)
;
CREATE INDEX inspection_tasks_enterprise ON inspection_tasks(enterprise_id, year)
;
CREATE INDEX inspection_tasks_department ON inspection_tasks(department_id, year, status)
;
-- The inspectors of a task (at least two).
CREATE TABLE inspection_task_inspectors (
    task_id   TEXT NOT NULL REFERENCES inspection_tasks(id),
    user_id   TEXT NOT NULL REFERENCES users(id),
    user_name TEXT NOT NULL,
    cert_no   TEXT NOT NULL,
    PRIMARY KEY (task_id, user_id)
)
;
CREATE INDEX inspection_task_inspectors_user ON inspection_task_inspectors(user_id)
