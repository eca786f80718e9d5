-- Foundation: regions, departments, accounts, sessions, API tokens, enterprises, audit log.
-- Written in the SQL both SQLite and PostgreSQL accept: BIGINT for integers and epoch-ms
-- instants, DOUBLE PRECISION for coordinates, TEXT for ids (UUIDv7), codes and JSON.
-- Statements are separated by a line holding only ';' so the runner can split them.

CREATE TABLE regions (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    level       TEXT NOT NULL,
    parent_code TEXT NULL REFERENCES regions(code),
    boundary    TEXT NULL,
    center_lon  DOUBLE PRECISION NULL,
    center_lat  DOUBLE PRECISION NULL,
    min_lon     DOUBLE PRECISION NULL,
    min_lat     DOUBLE PRECISION NULL,
    max_lon     DOUBLE PRECISION NULL,
    max_lat     DOUBLE PRECISION NULL,
    created_ms  BIGINT NOT NULL,
    updated_ms  BIGINT NOT NULL
)
;
CREATE INDEX regions_parent ON regions(parent_code)
;
CREATE INDEX regions_level ON regions(level, code)
;
CREATE TABLE departments (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    categories  TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions(code),
    phone       TEXT NULL,
    created_ms  BIGINT NOT NULL,
    updated_ms  BIGINT NOT NULL,
    CONSTRAINT departments_name_key UNIQUE (name)
)
;
CREATE TABLE enterprises (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    uscc                 TEXT NOT NULL,
    industry_code        TEXT NOT NULL,
    categories           TEXT NOT NULL,
    scale                TEXT NOT NULL,
    address              TEXT NOT NULL,
    lon                  DOUBLE PRECISION NULL,
    lat                  DOUBLE PRECISION NULL,
    grid_code            TEXT NOT NULL REFERENCES regions(code),
    -- Derived from grid_code so that region filters are equality lookups on an index on both
    -- backends (a LIKE prefix match needs collation-specific index tricks on PostgreSQL).
    district_code        TEXT NOT NULL,
    street_code          TEXT NOT NULL,
    community_code       TEXT NOT NULL,
    principal_name       TEXT NULL,
    principal_phone      TEXT NULL,
    safety_officer_name  TEXT NULL,
    safety_officer_phone TEXT NULL,
    flags                TEXT NOT NULL,
    status               TEXT NOT NULL,
    employees            BIGINT NULL,
    created_ms           BIGINT NOT NULL,
    updated_ms           BIGINT NOT NULL,
    CONSTRAINT enterprises_uscc_key UNIQUE (uscc)
)
;
-- Region levels with the next level and every list filter and sort key, so that counts,
-- filtered pages (which select ids first, see enterprises::list) and per-region map counts at
-- city scale are answered from the index alone on both backends.
CREATE INDEX enterprises_district_list ON enterprises(district_code, street_code, categories, flags, status, scale, industry_code, name, uscc, updated_ms, created_ms, employees, grid_code, id)
;
CREATE INDEX enterprises_street_list ON enterprises(street_code, community_code, categories, flags, status, scale, industry_code, name, uscc, updated_ms, created_ms, employees, grid_code, id)
;
CREATE INDEX enterprises_community_grid ON enterprises(community_code, grid_code, categories, flags)
;
CREATE INDEX enterprises_grid ON enterprises(grid_code, categories, flags)
;
CREATE INDEX enterprises_name ON enterprises(name)
;
CREATE INDEX enterprises_updated ON enterprises(updated_ms)
;
-- The map layer's bounding-box probe.
CREATE INDEX enterprises_map ON enterprises(lon, lat, categories)
;
CREATE TABLE users (
    id                   TEXT PRIMARY KEY,
    username             TEXT NOT NULL,
    display_name         TEXT NOT NULL,
    phone                TEXT NULL,
    password_hash        TEXT NOT NULL,
    role                 TEXT NOT NULL,
    region_code          TEXT NULL REFERENCES regions(code),
    department_id        TEXT NULL REFERENCES departments(id),
    enterprise_id        TEXT NULL REFERENCES enterprises(id),
    active               BIGINT NOT NULL,
    must_change_password BIGINT NOT NULL,
    failed_logins        BIGINT NOT NULL,
    locked_until_ms      BIGINT NULL,
    created_ms           BIGINT NOT NULL,
    updated_ms           BIGINT NOT NULL,
    CONSTRAINT users_username_key UNIQUE (username)
)
;
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_ms   BIGINT NOT NULL,
    expires_ms   BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL,
    ip           TEXT NULL,
    user_agent   TEXT NULL
)
;
CREATE INDEX sessions_user ON sessions(user_id)
;
CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    created_ms   BIGINT NOT NULL,
    last_used_ms BIGINT NULL,
    revoked_ms   BIGINT NULL,
    CONSTRAINT api_tokens_hash_key UNIQUE (token_hash)
)
;
-- The chain head: one row, locked by every append so that sequence numbers and hashes are
-- assigned one writer at a time on both backends.
CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY,
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
)
;
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')
;
CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at_ms       BIGINT NOT NULL,
    actor_id    TEXT NULL,
    actor_name  TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NULL,
    summary     TEXT NOT NULL,
    before_json TEXT NULL,
    after_json  TEXT NULL,
    ip          TEXT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
)
;
CREATE INDEX audit_at ON audit_log(at_ms)
;
CREATE INDEX audit_entity ON audit_log(entity_type, entity_id)
;
CREATE INDEX audit_actor ON audit_log(actor_id)
;
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_ms BIGINT NOT NULL
)
