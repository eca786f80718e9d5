-- Sensor trends: 1-minute rollups of the raw readings (count, extremes, sum, so that larger
-- buckets are exact), and per sensor the end of the minutes already rolled up. A reading that
-- arrives for a minute already rolled lowers `rolled_ms`, and the rollup job redoes that sensor
-- from there; raw readings are pruned only once rolled up. Statements are separated by lines
-- holding ";".

ALTER TABLE sensors ADD COLUMN rolled_ms BIGINT NULL
;
CREATE TABLE reading_rollups (
    sensor_id  TEXT NOT NULL,
    minute_ms  BIGINT NOT NULL,
    n          BIGINT NOT NULL,
    min_value  BIGINT NOT NULL,
    max_value  BIGINT NOT NULL,
    sum_value  BIGINT NOT NULL,
    PRIMARY KEY (sensor_id, minute_ms)
)
;
UPDATE sensors SET rolled_ms = (created_ms - 604800000) - ((created_ms - 604800000) % 60000)
;
