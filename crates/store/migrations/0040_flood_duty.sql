-- 防汛与地灾 and 转移 (issue 23, items 6 and 7): the 三个责任人 of reservoirs, dikes, 山洪危险区 and
-- 地灾隐患点 (one person per object and duty), 汛期三查 / 群测群防 patrol logs, the persons a targeted
-- warning's work order went to, evacuation plans with their name lists, 转移 orders with one answer
-- per person, and 断、禁、停、撤、疏 orders.
-- Statements are separated by lines holding only ";".

CREATE TABLE flood_duty_persons (
    id            TEXT PRIMARY KEY,
    object_id     TEXT NOT NULL REFERENCES protected_objects(id),
    duty          TEXT NOT NULL,
    name          TEXT NOT NULL,
    post          TEXT NOT NULL,
    phone         TEXT NOT NULL,
    user_id       TEXT NULL REFERENCES users(id),
    region_code   TEXT NOT NULL,
    updated_ms    BIGINT NOT NULL,
    CONSTRAINT flood_duty_persons_key UNIQUE (object_id, duty)
)
;
CREATE INDEX flood_duty_persons_user ON flood_duty_persons(user_id)
;
CREATE TABLE flood_patrol_logs (
    id            TEXT PRIMARY KEY,
    object_id     TEXT NOT NULL REFERENCES protected_objects(id),
    kind          TEXT NOT NULL,
    at_ms         BIGINT NOT NULL,
    lon           DOUBLE PRECISION NOT NULL,
    lat           DOUBLE PRECISION NOT NULL,
    place         TEXT NOT NULL,
    result        TEXT NOT NULL,
    finding       TEXT NULL,
    region_code   TEXT NOT NULL,
    street_code   TEXT NOT NULL,
    by_user       TEXT NOT NULL REFERENCES users(id),
    by_name       TEXT NOT NULL,
    created_ms    BIGINT NOT NULL
)
;
CREATE INDEX flood_patrol_logs_object ON flood_patrol_logs(object_id, at_ms)
;
CREATE INDEX flood_patrol_logs_street ON flood_patrol_logs(street_code, at_ms)
;
CREATE TABLE flood_order_persons (
    order_id      TEXT NOT NULL REFERENCES work_orders(id),
    duty          TEXT NOT NULL,
    user_id       TEXT NULL REFERENCES users(id),
    name          TEXT NOT NULL,
    phone         TEXT NOT NULL,
    actions       TEXT NOT NULL,
    created_ms    BIGINT NOT NULL,
    PRIMARY KEY (order_id, duty)
)
;
CREATE INDEX flood_order_persons_user ON flood_order_persons(user_id, order_id)
;
CREATE TABLE evacuation_plans (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    object_id     TEXT NULL REFERENCES protected_objects(id),
    region_code   TEXT NOT NULL,
    street_code   TEXT NOT NULL,
    shelter_id    TEXT NOT NULL REFERENCES shelters(id),
    route         TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_ms    BIGINT NOT NULL,
    updated_ms    BIGINT NOT NULL
)
;
CREATE INDEX evacuation_plans_region ON evacuation_plans(region_code)
;
CREATE TABLE evacuation_plan_people (
    id            TEXT PRIMARY KEY,
    plan_id       TEXT NOT NULL REFERENCES evacuation_plans(id),
    seq           BIGINT NOT NULL,
    name          TEXT NOT NULL,
    phone         TEXT NOT NULL,
    household     TEXT NOT NULL
)
;
CREATE INDEX evacuation_plan_people_plan ON evacuation_plan_people(plan_id, seq)
;
CREATE TABLE evacuation_orders (
    id            TEXT PRIMARY KEY,
    plan_id       TEXT NOT NULL REFERENCES evacuation_plans(id),
    warning_id    TEXT NULL REFERENCES warnings(id),
    incident_id   TEXT NULL REFERENCES incidents(id),
    region_code   TEXT NOT NULL,
    street_code   TEXT NOT NULL,
    shelter_id    TEXT NOT NULL REFERENCES shelters(id),
    issued_by     TEXT NOT NULL,
    issued_ms     BIGINT NOT NULL
)
;
CREATE INDEX evacuation_orders_street ON evacuation_orders(street_code, issued_ms)
;
CREATE TABLE evacuation_answers (
    order_id      TEXT NOT NULL REFERENCES evacuation_orders(id),
    person_id     TEXT NOT NULL,
    seq           BIGINT NOT NULL,
    name          TEXT NOT NULL,
    phone         TEXT NOT NULL,
    household     TEXT NOT NULL,
    answer        TEXT NULL,
    answered_ms   BIGINT NULL,
    answered_by   TEXT NULL,
    checked_in_ms BIGINT NULL,
    PRIMARY KEY (order_id, person_id)
)
;
CREATE TABLE disaster_orders (
    id            TEXT PRIMARY KEY,
    kind          TEXT NOT NULL,
    scope_text    TEXT NOT NULL,
    object_ids    TEXT NOT NULL,
    region_code   TEXT NOT NULL,
    warning_id    TEXT NULL REFERENCES warnings(id),
    incident_id   TEXT NULL REFERENCES incidents(id),
    issued_by     TEXT NOT NULL,
    issued_ms     BIGINT NOT NULL,
    status        TEXT NOT NULL,
    carried_out_by TEXT NULL,
    carried_out_ms BIGINT NULL,
    carried_out_note TEXT NULL
)
;
CREATE INDEX disaster_orders_region ON disaster_orders(region_code, issued_ms)
