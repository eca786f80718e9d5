-- 会商研判 (issue 23, item 8): meetings linked to one disaster process, warning or incident,
-- the departments present, and the actions with their owner (department or user), deadline and
-- completion; each open action's deadline is a `disaster.consultation_action_due` timer.
-- Statements are separated by lines holding only ";".

CREATE TABLE disaster_consultations (
    id               TEXT PRIMARY KEY,
    district_code    TEXT NOT NULL,
    kind             TEXT NOT NULL,
    topic            TEXT NOT NULL,
    held_ms          BIGINT NOT NULL,
    place            TEXT NULL,
    video            BIGINT NOT NULL,
    host_user_id     TEXT NOT NULL,
    host_name        TEXT NOT NULL,
    participants     TEXT NULL,
    link_kind        TEXT NOT NULL,
    link_id          TEXT NOT NULL,
    link_label       TEXT NOT NULL,
    conclusions      TEXT NULL,
    created_by       TEXT NOT NULL,
    created_by_name  TEXT NOT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL
)
;
CREATE INDEX disaster_consultations_held ON disaster_consultations(district_code, held_ms)
;
CREATE INDEX disaster_consultations_link ON disaster_consultations(link_kind, link_id)
;
CREATE TABLE disaster_consultation_departments (
    consultation_id TEXT NOT NULL REFERENCES disaster_consultations(id),
    department_id   TEXT NOT NULL REFERENCES departments(id),
    department_name TEXT NOT NULL,
    position        BIGINT NOT NULL,
    PRIMARY KEY (consultation_id, department_id)
)
;
CREATE INDEX disaster_consultation_departments_dept ON disaster_consultation_departments(department_id)
;
CREATE TABLE disaster_consultation_actions (
    id                  TEXT PRIMARY KEY,
    consultation_id     TEXT NOT NULL REFERENCES disaster_consultations(id),
    position            BIGINT NOT NULL,
    text                TEXT NOT NULL,
    owner_department_id TEXT NULL REFERENCES departments(id),
    owner_user_id       TEXT NULL REFERENCES users(id),
    owner_name          TEXT NOT NULL,
    due_ms              BIGINT NOT NULL,
    state               TEXT NOT NULL,
    overdue             BIGINT NOT NULL,
    done_ms             BIGINT NULL,
    done_note           TEXT NULL,
    done_by_name        TEXT NULL
)
;
CREATE INDEX disaster_consultation_actions_meeting ON disaster_consultation_actions(consultation_id, position)
;
CREATE INDEX disaster_consultation_actions_dept ON disaster_consultation_actions(owner_department_id, state)
;
CREATE INDEX disaster_consultation_actions_user ON disaster_consultation_actions(owner_user_id, state)
;
-- 灾害信息员 (item 2): retired with a reason, and the grid-worker account that reports.
ALTER TABLE disaster_informants ADD COLUMN retired_ms BIGINT NULL
;
ALTER TABLE disaster_informants ADD COLUMN retired_reason TEXT NULL
;
CREATE INDEX disaster_informants_user ON disaster_informants(user_id)
