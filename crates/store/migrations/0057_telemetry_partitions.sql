-- Telemetry partitioned by time on PostgreSQL (issue 25, ADR 0008): `readings` and
-- `reading_rollups` become tables PARTITION BY RANGE on their time column (epoch ms), so that
-- retention drops whole partitions instead of deleting rows. Each gets a DEFAULT partition,
-- which catches any time no partition covers (late, clock-skewed or far-future readings: ingest
-- never fails for want of a partition) and is pruned by DELETE. The daily (readings) and monthly
-- (rollups) partitions, in Asia/Shanghai, are made by the rollup job's partition upkeep
-- (store::monitoring::partitions), which moves the rows it finds in the default partition into
-- each partition it makes; the existing rows are moved here into the default partitions.
-- The primary keys already hold the time column, as a partitioned table's unique keys must:
-- ingest's ON CONFLICT (sensor_no, at_ms) DO NOTHING and the rollup upsert keep their meaning.
-- The index on the default partitions' time column finds a day's rows when it is moved out.
-- This is the PostgreSQL file; 0057_telemetry_partitions_sqlite.sql does nothing (SQLite keeps
-- its WITHOUT ROWID table and prunes by DELETE).
-- Statements are separated by lines holding only ";".

CREATE TABLE readings_parted (
    sensor_no   BIGINT NOT NULL,
    at_ms       BIGINT NOT NULL,
    value       BIGINT NOT NULL,
    quality     BIGINT NOT NULL,
    received_ms BIGINT NOT NULL,
    PRIMARY KEY (sensor_no, at_ms)
) PARTITION BY RANGE (at_ms)
;
CREATE TABLE readings_default PARTITION OF readings_parted DEFAULT
;
CREATE INDEX readings_default_at ON readings_default (at_ms)
;
INSERT INTO readings_parted (sensor_no, at_ms, value, quality, received_ms)
SELECT sensor_no, at_ms, value, quality, received_ms FROM readings
;
DROP TABLE readings
;
ALTER TABLE readings_parted RENAME TO readings
;
ALTER INDEX readings_parted_pkey RENAME TO readings_pkey
;
CREATE TABLE reading_rollups_parted (
    sensor_no  BIGINT NOT NULL,
    minute_ms  BIGINT NOT NULL,
    n          BIGINT NOT NULL,
    min_value  BIGINT NOT NULL,
    max_value  BIGINT NOT NULL,
    sum_value  BIGINT NOT NULL,
    PRIMARY KEY (sensor_no, minute_ms)
) PARTITION BY RANGE (minute_ms)
;
CREATE TABLE reading_rollups_default PARTITION OF reading_rollups_parted DEFAULT
;
CREATE INDEX reading_rollups_default_at ON reading_rollups_default (minute_ms)
;
INSERT INTO reading_rollups_parted (sensor_no, minute_ms, n, min_value, max_value, sum_value)
SELECT sensor_no, minute_ms, n, min_value, max_value, sum_value FROM reading_rollups
;
DROP TABLE reading_rollups
;
ALTER TABLE reading_rollups_parted RENAME TO reading_rollups
;
ALTER INDEX reading_rollups_parted_pkey RENAME TO reading_rollups_pkey
;
