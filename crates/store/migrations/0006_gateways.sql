-- Device credentials for ingest: a gateway (采集网关, or a single smart sensor) authenticates to
-- the embedded MQTT broker and to HTTP bulk ingest with its code and a random secret (stored as a
-- SHA-256 digest) and may report only for sensors of its own enterprise or region. Sensors gain a
-- rate-of-change limit (ten-thousandths per minute) and the time they were last seen offline.
-- Statements are separated by lines holding ";".

CREATE TABLE gateways (
    id             TEXT PRIMARY KEY,
    code           TEXT NOT NULL,
    name           TEXT NOT NULL,
    enterprise_id  TEXT NULL REFERENCES enterprises(id),
    region_code    TEXT NOT NULL,
    district_code  TEXT NOT NULL,
    street_code    TEXT NOT NULL,
    community_code TEXT NOT NULL,
    grid_code      TEXT NOT NULL,
    categories     TEXT NOT NULL,
    secret_hash    TEXT NOT NULL,
    active         BIGINT NOT NULL,
    created_ms     BIGINT NOT NULL,
    updated_ms     BIGINT NOT NULL,
    last_seen_ms   BIGINT NULL,
    CONSTRAINT gateways_code_key UNIQUE (code)
)
;
CREATE INDEX gateways_enterprise ON gateways(enterprise_id)
;
CREATE INDEX gateways_region ON gateways(district_code, street_code, community_code, grid_code)
;
ALTER TABLE sensors ADD COLUMN rate_limit BIGINT NULL
;
CREATE INDEX sensors_last_seen ON sensors(status, last_ms)
;
