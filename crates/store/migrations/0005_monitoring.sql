-- Monitoring: sensors with thresholds (values in ten-thousandths, yingji-core::alarm::Milli4),
-- readings keyed by (sensor, time) so that a resent reading is a no-op, and alarm incidents with
-- their snapshotted 叫应 policy and response state. Statements are separated by lines holding ";".

CREATE TABLE sensors (
    id               TEXT PRIMARY KEY,
    code             TEXT NOT NULL,
    name             TEXT NOT NULL,
    kind             TEXT NOT NULL,
    unit             TEXT NOT NULL,
    enterprise_id    TEXT NULL REFERENCES enterprises(id),
    major_hazard_id  TEXT NULL REFERENCES major_hazards(id),
    object_name      TEXT NOT NULL,
    region_code      TEXT NOT NULL,
    district_code    TEXT NOT NULL,
    street_code      TEXT NOT NULL,
    community_code   TEXT NOT NULL,
    grid_code        TEXT NOT NULL,
    categories       TEXT NOT NULL,
    lon              DOUBLE PRECISION NULL,
    lat              DOUBLE PRECISION NULL,
    range_min        BIGINT NULL,
    range_max        BIGINT NULL,
    ll               BIGINT NULL,
    l                BIGINT NULL,
    h                BIGINT NULL,
    hh               BIGINT NULL,
    hysteresis       BIGINT NOT NULL,
    offline_after_s  BIGINT NOT NULL,
    last_value       BIGINT NULL,
    last_ms          BIGINT NULL,
    active_levels    TEXT NOT NULL,
    status           TEXT NOT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL,
    CONSTRAINT sensors_code_key UNIQUE (code)
)
;
CREATE INDEX sensors_enterprise ON sensors(enterprise_id)
;
CREATE INDEX sensors_region ON sensors(district_code, street_code, community_code, grid_code)
;
CREATE TABLE readings (
    sensor_id   TEXT NOT NULL,
    at_ms       BIGINT NOT NULL,
    value       BIGINT NOT NULL,
    quality     TEXT NOT NULL,
    received_ms BIGINT NOT NULL,
    PRIMARY KEY (sensor_id, at_ms)
)
;
CREATE TABLE alarms (
    id             TEXT PRIMARY KEY,
    sensor_id      TEXT NOT NULL REFERENCES sensors(id),
    level          TEXT NOT NULL,
    enterprise_id  TEXT NULL,
    region_code    TEXT NOT NULL,
    district_code  TEXT NOT NULL,
    street_code    TEXT NOT NULL,
    community_code TEXT NOT NULL,
    grid_code      TEXT NOT NULL,
    categories     TEXT NOT NULL,
    opened_ms      BIGINT NOT NULL,
    resolved_ms    BIGINT NULL,
    response       TEXT NOT NULL,
    policy         TEXT NOT NULL,
    steps_fired    BIGINT NOT NULL,
    triggers       BIGINT NOT NULL,
    inhibited_by   TEXT NULL,
    open_value     BIGINT NOT NULL,
    peak_value     BIGINT NOT NULL,
    acked_ms       BIGINT NULL,
    acked_by       TEXT NULL,
    disposition    TEXT NULL,
    note           TEXT NULL,
    closed_ms      BIGINT NULL,
    updated_ms     BIGINT NOT NULL
)
;
CREATE INDEX alarms_sensor ON alarms(sensor_id, level, response)
;
CREATE INDEX alarms_board ON alarms(response, opened_ms)
;
CREATE TABLE alarm_events (
    id         TEXT PRIMARY KEY,
    alarm_id   TEXT NOT NULL,
    action     TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    note       TEXT NULL,
    at_ms      BIGINT NOT NULL
)
;
CREATE INDEX alarm_events_alarm ON alarm_events(alarm_id, at_ms)
;
