-- 靶向预警 (yingji-core::target): protected objects (承灾体) located by search cell, and one response
-- work order per object and warning chain (an update re-targets the same chain). Statements are
-- separated by lines holding only ";".

CREATE TABLE protected_objects (
    id               TEXT PRIMARY KEY,
    kind             TEXT NOT NULL,
    name             TEXT NOT NULL,
    address          TEXT NOT NULL,
    lon              DOUBLE PRECISION NOT NULL,
    lat              DOUBLE PRECISION NOT NULL,
    cell             BIGINT NOT NULL,
    region_code      TEXT NOT NULL,
    district_code    TEXT NOT NULL,
    street_code      TEXT NOT NULL,
    responsible_user_id TEXT NULL REFERENCES users(id),
    responsible_name TEXT NOT NULL,
    responsible_phone TEXT NOT NULL,
    personal         BIGINT NOT NULL,
    note             TEXT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL
)
;
-- Covers the targeting query (cells, kinds, district, the point, what an order needs): no table lookups.
CREATE INDEX protected_objects_cell ON protected_objects(cell, kind, district_code, lon, lat, region_code, id)
;
CREATE INDEX protected_objects_region ON protected_objects(region_code)
;
CREATE TABLE work_orders (
    id               TEXT PRIMARY KEY,
    chain_id         TEXT NOT NULL REFERENCES warnings(id),
    warning_id       TEXT NOT NULL REFERENCES warnings(id),
    object_id        TEXT NOT NULL REFERENCES protected_objects(id),
    region_code      TEXT NOT NULL,
    status           TEXT NOT NULL,
    actions          TEXT NOT NULL,
    due_ms           BIGINT NOT NULL,
    escalation       BIGINT NOT NULL,
    acknowledged_ms  BIGINT NULL,
    acknowledged_by  TEXT NULL,
    report           TEXT NULL,
    relocated        BIGINT NOT NULL,
    reported_ms      BIGINT NULL,
    closed_ms        BIGINT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL,
    CONSTRAINT work_orders_chain_object_key UNIQUE (chain_id, object_id)
)
;
CREATE INDEX work_orders_warning ON work_orders(chain_id, status)
;
CREATE INDEX work_orders_region ON work_orders(region_code, status)
;
