-- 大联动 (issue 24 item 4): the parts of a joint task. The lead unit is the event's unit; each
-- row is one cooperating unit's part with its deadline (a `grid.joint_part_due` timer), done
-- with a note and photos, or released by the lead with a reason.
-- Statements are separated by lines holding only ";".

CREATE TABLE grid_joint_parts (
    id           TEXT PRIMARY KEY,
    event_id     TEXT NOT NULL,
    unit_kind    TEXT NOT NULL,
    unit_id      TEXT NOT NULL,
    unit_name    TEXT NOT NULL,
    task         TEXT NOT NULL,
    due_ms       BIGINT NOT NULL,
    status       TEXT NOT NULL,
    note         TEXT NULL,
    overdue      BIGINT NOT NULL DEFAULT 0,
    created_by   TEXT NOT NULL,
    created_ms   BIGINT NOT NULL,
    finished_by  TEXT NULL,
    finished_ms  BIGINT NULL
)
;
CREATE INDEX grid_joint_parts_event ON grid_joint_parts(event_id, created_ms)
;
CREATE INDEX grid_joint_parts_unit ON grid_joint_parts(unit_kind, unit_id, status)
