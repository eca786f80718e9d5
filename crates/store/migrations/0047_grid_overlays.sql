-- 应急格 and 安监格 (issue 24, item 6): overlay grids beside the comprehensive grid tree, each in
-- one street with a boundary (GeoJSON geometry text) and its bounding box for locating points;
-- their members (grid workers, street staff); patrol tasks with a planned route, a due day and
-- the track the phone records; check-ins may name their task.
-- Statements are separated by lines holding only ";".

CREATE TABLE grid_overlays (
    id          TEXT PRIMARY KEY,
    code        TEXT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    street_code TEXT NOT NULL REFERENCES regions(code),
    boundary    TEXT NOT NULL,
    min_lon     DOUBLE PRECISION NOT NULL,
    min_lat     DOUBLE PRECISION NOT NULL,
    max_lon     DOUBLE PRECISION NOT NULL,
    max_lat     DOUBLE PRECISION NOT NULL,
    active      BIGINT NOT NULL,
    created_ms  BIGINT NOT NULL,
    updated_ms  BIGINT NOT NULL,
    CONSTRAINT grid_overlays_code_key UNIQUE (code)
)
;
CREATE INDEX grid_overlays_street ON grid_overlays(street_code, kind)
;
CREATE INDEX grid_overlays_box ON grid_overlays(kind, min_lon, max_lon)
;
CREATE TABLE grid_overlay_members (
    overlay_id TEXT NOT NULL REFERENCES grid_overlays(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    user_name  TEXT NOT NULL,
    added_ms   BIGINT NOT NULL,
    PRIMARY KEY (overlay_id, user_id)
)
;
CREATE INDEX grid_overlay_members_user ON grid_overlay_members(user_id)
;
CREATE TABLE grid_patrol_tasks (
    id              TEXT PRIMARY KEY,
    title           TEXT NOT NULL,
    assignee_id     TEXT NOT NULL REFERENCES users(id),
    assignee_name   TEXT NOT NULL,
    grid_kind       TEXT NOT NULL,
    grid_code       TEXT NOT NULL,
    grid_name       TEXT NOT NULL,
    street_code     TEXT NOT NULL,
    route           TEXT NULL,
    note            TEXT NULL,
    due_day         TEXT NOT NULL,
    status          TEXT NOT NULL,
    track           TEXT NOT NULL,
    track_points    BIGINT NOT NULL,
    started_ms      BIGINT NULL,
    finished_ms     BIGINT NULL,
    created_by      TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_ms      BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL
)
;
CREATE INDEX grid_patrol_tasks_assignee ON grid_patrol_tasks(assignee_id, due_day)
;
CREATE INDEX grid_patrol_tasks_street ON grid_patrol_tasks(street_code, due_day)
;
ALTER TABLE patrols ADD COLUMN task_id TEXT NULL
;
CREATE INDEX patrols_task ON patrols(task_id)
