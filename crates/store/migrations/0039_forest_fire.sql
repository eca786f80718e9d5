-- 森林防火 (issue 23, item 5): forest areas (林区) with their outline and exact areas in square
-- metres (hectares × 10000), the daily 森林火险气象等级 per district, 野外用火 applications from the
-- public with their tracking codes and steps, 护林员 patrols, and 火点 that become incidents.
-- Statements are separated by lines holding only ";".

CREATE TABLE forest_areas (
    id            TEXT PRIMARY KEY,
    district_code TEXT NOT NULL,
    street_code   TEXT NOT NULL,
    name          TEXT NOT NULL,
    outline       TEXT NOT NULL,
    area_m2       BIGINT NOT NULL,
    covered_m2    BIGINT NOT NULL,
    center_lon    DOUBLE PRECISION NULL,
    center_lat    DOUBLE PRECISION NULL,
    created_ms    BIGINT NOT NULL,
    updated_ms    BIGINT NOT NULL
)
;
CREATE INDEX forest_areas_district ON forest_areas(district_code, street_code)
;
CREATE TABLE forest_danger_levels (
    district_code TEXT NOT NULL,
    day           TEXT NOT NULL,
    level         BIGINT NOT NULL,
    source        TEXT NOT NULL,
    note          TEXT NULL,
    recorded_by   TEXT NULL,
    recorded_ms   BIGINT NOT NULL,
    PRIMARY KEY (district_code, day)
)
;
CREATE TABLE fire_use_applications (
    id              TEXT PRIMARY KEY,
    code            TEXT NOT NULL UNIQUE,
    tracking_code   TEXT NOT NULL UNIQUE,
    district_code   TEXT NOT NULL,
    street_code     TEXT NULL,
    area_id         TEXT NULL REFERENCES forest_areas(id),
    lon             DOUBLE PRECISION NULL,
    lat             DOUBLE PRECISION NULL,
    place           TEXT NOT NULL,
    applicant_name  TEXT NOT NULL,
    applicant_phone TEXT NOT NULL,
    day_from        TEXT NOT NULL,
    day_to          TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    measures        TEXT NOT NULL,
    status          TEXT NOT NULL,
    reason          TEXT NULL,
    decided_by_name TEXT NULL,
    decided_ms      BIGINT NULL,
    suspended_day   TEXT NULL,
    created_ms      BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL
)
;
CREATE INDEX fire_use_applications_days ON fire_use_applications(district_code, status, day_from, day_to)
;
CREATE TABLE fire_use_events (
    id             TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES fire_use_applications(id),
    status         TEXT NOT NULL,
    note           TEXT NULL,
    at_ms          BIGINT NOT NULL
)
;
CREATE INDEX fire_use_events_application ON fire_use_events(application_id, at_ms)
;
CREATE TABLE forest_patrols (
    id            TEXT PRIMARY KEY,
    district_code TEXT NOT NULL,
    area_id       TEXT NOT NULL REFERENCES forest_areas(id),
    ranger_id     TEXT NOT NULL REFERENCES users(id),
    ranger_name   TEXT NOT NULL,
    started_ms    BIGINT NOT NULL,
    ended_ms      BIGINT NOT NULL,
    track         TEXT NOT NULL,
    result        TEXT NOT NULL,
    note          TEXT NULL,
    photo_ids     TEXT NOT NULL,
    created_ms    BIGINT NOT NULL
)
;
CREATE INDEX forest_patrols_area ON forest_patrols(district_code, started_ms)
;
CREATE TABLE forest_fire_points (
    id            TEXT PRIMARY KEY,
    district_code TEXT NOT NULL,
    area_id       TEXT NULL REFERENCES forest_areas(id),
    lon           DOUBLE PRECISION NOT NULL,
    lat           DOUBLE PRECISION NOT NULL,
    size          TEXT NOT NULL,
    note          TEXT NULL,
    photo_ids     TEXT NOT NULL,
    reporter_id   TEXT NOT NULL REFERENCES users(id),
    reporter_name TEXT NOT NULL,
    reported_ms   BIGINT NOT NULL,
    status        TEXT NOT NULL,
    incident_id   TEXT NULL,
    burnt_m2      BIGINT NOT NULL,
    year          BIGINT NOT NULL,
    decided_ms    BIGINT NULL,
    decided_by_name TEXT NULL
)
;
CREATE INDEX forest_fire_points_year ON forest_fire_points(district_code, year)
