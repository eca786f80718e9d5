-- Telemetry, compact, and its trends. Readings are keyed by a small integer sensor number
-- instead of the sensor's text id (ingest writes one row per reading: the row's size is what
-- the disk and the WAL pay for) and their quality is a code (0 good, 1 uncertain, 2 bad).
-- 1-minute rollups of the readings keep count, extremes and sum (so that larger buckets are
-- exact); each sensor remembers the end of the minutes already rolled up (`rolled_ms`). A reading
-- that arrives for a minute already rolled lowers `rolled_ms`, and the rollup job redoes the
-- sensor from there; raw readings are pruned only once rolled up.
-- Statements are separated by lines holding ";".
-- This is the SQLite file: the readings table is WITHOUT ROWID (one B-tree, not a table and
-- an index); otherwise the same as 0008_telemetry.sql.

ALTER TABLE sensors ADD COLUMN no BIGINT NULL
;
ALTER TABLE sensors ADD COLUMN rolled_ms BIGINT NULL
;
UPDATE sensors SET no = (SELECT COUNT(*) FROM sensors s2 WHERE s2.id <= sensors.id),
    rolled_ms = (created_ms - 604800000) - ((created_ms - 604800000) % 60000)
;
CREATE UNIQUE INDEX sensors_no ON sensors(no)
;
CREATE TABLE samples (
    sensor_no   BIGINT NOT NULL,
    at_ms       BIGINT NOT NULL,
    value       BIGINT NOT NULL,
    quality     BIGINT NOT NULL,
    received_ms BIGINT NOT NULL,
    PRIMARY KEY (sensor_no, at_ms)
) WITHOUT ROWID
;
INSERT INTO samples (sensor_no, at_ms, value, quality, received_ms)
SELECT s.no, r.at_ms, r.value,
       CASE r.quality WHEN 'bad' THEN 2 WHEN 'uncertain' THEN 1 ELSE 0 END, r.received_ms
FROM readings r JOIN sensors s ON s.id = r.sensor_id
;
DROP TABLE readings
;
ALTER TABLE samples RENAME TO readings
;
CREATE TABLE reading_rollups (
    sensor_no  BIGINT NOT NULL,
    minute_ms  BIGINT NOT NULL,
    n          BIGINT NOT NULL,
    min_value  BIGINT NOT NULL,
    max_value  BIGINT NOT NULL,
    sum_value  BIGINT NOT NULL,
    PRIMARY KEY (sensor_no, minute_ms)
)
;
