-- Registers that can be edited, deactivated and imported (issue 18): a deactivated team, expert,
-- warehouse, stock line, shelter or 承灾体 stays in its register and its history, but is no longer
-- found, dispatched, allocated from or targeted. NULL: active. Sensors already have a status
-- ('active' / 'inactive'). `cache_generations` counts changes to definitions that writers cache
-- (the ingest writer's sensors): a writer that sees a new generation reads them again, on every
-- node. Statements are separated by lines holding only ";".

ALTER TABLE teams ADD COLUMN deactivated_ms BIGINT NULL
;
ALTER TABLE experts ADD COLUMN deactivated_ms BIGINT NULL
;
ALTER TABLE warehouses ADD COLUMN deactivated_ms BIGINT NULL
;
ALTER TABLE stock ADD COLUMN deactivated_ms BIGINT NULL
;
ALTER TABLE shelters ADD COLUMN deactivated_ms BIGINT NULL
;
ALTER TABLE protected_objects ADD COLUMN deactivated_ms BIGINT NULL
;
-- Resource search filters on `deactivated_ms` too: the covering cell indexes carry it, so the
-- nearest-first order is still taken from the index and only the rows kept are read.
DROP INDEX teams_cell
;
CREATE INDEX teams_cell ON teams(cell, district_code, status, lon, lat, deactivated_ms)
;
DROP INDEX experts_cell
;
CREATE INDEX experts_cell ON experts(cell, district_code, status, lon, lat, deactivated_ms)
;
DROP INDEX warehouses_cell
;
CREATE INDEX warehouses_cell ON warehouses(cell, district_code, lon, lat, deactivated_ms)
;
DROP INDEX shelters_cell
;
CREATE INDEX shelters_cell ON shelters(cell, district_code, status, capacity, occupancy, lon, lat, deactivated_ms)
;
-- Targeting reads only objects in use: the covering cell index carries `deactivated_ms`, so the
-- search stays an index-only range scan per cell row (ADR 0010, docs/benchmarks.md issue 5). A
-- partial index (WHERE deactivated_ms IS NULL) would not do: SQLite then scans the whole index
-- instead of searching one range per OR term.
DROP INDEX protected_objects_cell
;
CREATE INDEX protected_objects_cell ON protected_objects(cell, kind, district_code, lon, lat, region_code, id, deactivated_ms)
;
CREATE TABLE cache_generations (
    name             TEXT PRIMARY KEY,
    generation       BIGINT NOT NULL
)
;
INSERT INTO cache_generations (name, generation) VALUES ('sensors', 0)
;
-- The wording the shipped file last gave an item, so that a corrected wording reaches the items
-- a district has not edited (NULL: seeded before this column; the audit log tells).
ALTER TABLE hazard_criteria ADD COLUMN shipped_text TEXT NULL

;
-- Sequences are shared by every capability (隐患编号, 事件编号, CAP identifiers, 调拨单号): the
-- table is named for what it is, not for the capability that needed it first.
ALTER TABLE hazard_code_seq RENAME TO sequences
