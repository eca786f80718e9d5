-- 应急资源 (yingji-core::resource): teams, the 专家库, warehouses and their stock lines kept as a
-- ledger, shelters with their occupancy, allocation orders (调拨单) and the dispatches of an
-- incident. Located rows carry `cell` (core::resource::cell_of) so a radius search reads a few
-- cells through a B-tree index on both backends (ADR 0010). Statements are separated by lines
-- holding only ";".

CREATE TABLE teams (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    specialties      TEXT NOT NULL,
    headcount        BIGINT NOT NULL,
    equipment        TEXT NOT NULL,
    base_address     TEXT NOT NULL,
    lon              DOUBLE PRECISION NOT NULL,
    lat              DOUBLE PRECISION NOT NULL,
    cell             BIGINT NOT NULL,
    region_code      TEXT NOT NULL,
    district_code    TEXT NOT NULL,
    leader           TEXT NOT NULL,
    phone            TEXT NOT NULL,
    status           TEXT NOT NULL,
    incident_id      TEXT NULL REFERENCES incidents(id),
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL
)
;
-- Covering the search's filter and planar order, so only the nearest rows are read in full.
CREATE INDEX teams_cell ON teams(cell, district_code, status, lon, lat)
;
CREATE INDEX teams_district ON teams(district_code, name)
;
CREATE TABLE experts (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    sections         TEXT NOT NULL,
    specialties      TEXT NOT NULL,
    title            TEXT NOT NULL,
    employer         TEXT NOT NULL,
    phone            TEXT NOT NULL,
    lon              DOUBLE PRECISION NOT NULL,
    lat              DOUBLE PRECISION NOT NULL,
    cell             BIGINT NOT NULL,
    region_code      TEXT NOT NULL,
    district_code    TEXT NOT NULL,
    status           TEXT NOT NULL,
    incident_id      TEXT NULL REFERENCES incidents(id),
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL
)
;
CREATE INDEX experts_cell ON experts(cell, district_code, status, lon, lat)
;
CREATE INDEX experts_district ON experts(district_code, name)
;
CREATE TABLE warehouses (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    level            TEXT NOT NULL,
    address          TEXT NOT NULL,
    lon              DOUBLE PRECISION NOT NULL,
    lat              DOUBLE PRECISION NOT NULL,
    cell             BIGINT NOT NULL,
    region_code      TEXT NOT NULL,
    district_code    TEXT NOT NULL,
    manager          TEXT NOT NULL,
    phone            TEXT NOT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL
)
;
CREATE INDEX warehouses_cell ON warehouses(cell, district_code, lon, lat)
;
CREATE INDEX warehouses_district ON warehouses(district_code, name)
;
-- A stock line: one material of one reserve type in one warehouse. `quantity` is the sum of its
-- movements (kept in the same transaction as each movement); `reserved` is what approved
-- allocation orders hold for shipping.
CREATE TABLE stock (
    id               TEXT PRIMARY KEY,
    warehouse_id     TEXT NOT NULL REFERENCES warehouses(id),
    material_code    TEXT NOT NULL,
    material_name    TEXT NOT NULL,
    category_code    TEXT NOT NULL,
    unit             TEXT NOT NULL,
    reserve_type     TEXT NOT NULL,
    quantity         BIGINT NOT NULL,
    reserved         BIGINT NOT NULL,
    min_stock        BIGINT NOT NULL,
    expiry_date      TEXT NULL,
    supplier         TEXT NULL,
    updated_ms       BIGINT NOT NULL,
    CONSTRAINT stock_line_key UNIQUE (warehouse_id, material_code, reserve_type),
    CONSTRAINT stock_non_negative CHECK (quantity >= 0 AND reserved >= 0 AND reserved <= quantity)
)
;
CREATE INDEX stock_material ON stock(material_code, warehouse_id)
;
CREATE INDEX stock_material_name ON stock(material_name, warehouse_id)
;
CREATE TABLE stock_movements (
    id               TEXT PRIMARY KEY,
    stock_id         TEXT NOT NULL REFERENCES stock(id),
    kind             TEXT NOT NULL,
    delta            BIGINT NOT NULL,
    balance_after    BIGINT NOT NULL,
    at_ms            BIGINT NOT NULL,
    order_id         TEXT NULL,
    incident_id      TEXT NULL,
    note             TEXT NULL,
    author           TEXT NOT NULL
)
;
CREATE INDEX stock_movements_stock ON stock_movements(stock_id, at_ms)
;
CREATE TABLE allocation_orders (
    id               TEXT PRIMARY KEY,
    code             TEXT NOT NULL,
    status           TEXT NOT NULL,
    incident_id      TEXT NULL REFERENCES incidents(id),
    from_warehouse_id TEXT NOT NULL REFERENCES warehouses(id),
    to_warehouse_id  TEXT NULL REFERENCES warehouses(id),
    destination      TEXT NOT NULL,
    purpose          TEXT NOT NULL,
    district_code    TEXT NOT NULL,
    requested_by     TEXT NOT NULL,
    requested_ms     BIGINT NOT NULL,
    approved_by      TEXT NULL,
    approved_ms      BIGINT NULL,
    shipped_ms       BIGINT NULL,
    received_ms      BIGINT NULL,
    note             TEXT NULL,
    updated_ms       BIGINT NOT NULL,
    CONSTRAINT allocation_orders_code_key UNIQUE (code)
)
;
CREATE INDEX allocation_orders_district ON allocation_orders(district_code, status, requested_ms)
;
CREATE INDEX allocation_orders_incident ON allocation_orders(incident_id)
;
CREATE TABLE allocation_lines (
    id               TEXT PRIMARY KEY,
    order_id         TEXT NOT NULL REFERENCES allocation_orders(id),
    line_no          BIGINT NOT NULL,
    stock_id         TEXT NOT NULL REFERENCES stock(id),
    requested        BIGINT NOT NULL,
    approved         BIGINT NULL,
    shipped          BIGINT NULL,
    received         BIGINT NULL
)
;
CREATE INDEX allocation_lines_order ON allocation_lines(order_id, line_no)
;
CREATE TABLE shelters (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    address          TEXT NOT NULL,
    lon              DOUBLE PRECISION NOT NULL,
    lat              DOUBLE PRECISION NOT NULL,
    cell             BIGINT NOT NULL,
    region_code      TEXT NOT NULL,
    district_code    TEXT NOT NULL,
    capacity         BIGINT NOT NULL,
    area_m2          BIGINT NOT NULL,
    facilities       TEXT NOT NULL,
    status           TEXT NOT NULL,
    occupancy        BIGINT NOT NULL,
    manager          TEXT NOT NULL,
    phone            TEXT NOT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL,
    CONSTRAINT shelters_occupancy CHECK (occupancy >= 0 AND occupancy <= capacity)
)
;
CREATE INDEX shelters_cell ON shelters(cell, district_code, status, capacity, occupancy, lon, lat)
;
CREATE INDEX shelters_district ON shelters(district_code, name)
;
-- 开放 / 关闭 / 入住 / 离开, each with the occupancy after it.
CREATE TABLE shelter_movements (
    id               TEXT PRIMARY KEY,
    shelter_id       TEXT NOT NULL REFERENCES shelters(id),
    kind             TEXT NOT NULL,
    people           BIGINT NOT NULL,
    occupancy_after  BIGINT NOT NULL,
    at_ms            BIGINT NOT NULL,
    incident_id      TEXT NULL,
    note             TEXT NULL,
    author           TEXT NOT NULL
)
;
CREATE INDEX shelter_movements_shelter ON shelter_movements(shelter_id, at_ms)
;
-- Teams and experts sent to an incident (调派) and their return (归队).
CREATE TABLE incident_dispatches (
    id               TEXT PRIMARY KEY,
    incident_id      TEXT NOT NULL REFERENCES incidents(id),
    resource_type    TEXT NOT NULL,
    resource_id      TEXT NOT NULL,
    resource_name    TEXT NOT NULL,
    distance_m       BIGINT NULL,
    status           TEXT NOT NULL,
    dispatched_ms    BIGINT NOT NULL,
    returned_ms      BIGINT NULL,
    note             TEXT NULL,
    author           TEXT NOT NULL
)
;
CREATE INDEX incident_dispatches_incident ON incident_dispatches(incident_id, dispatched_ms)
;
