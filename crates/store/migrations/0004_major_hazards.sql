-- 重大危险源 (GB 18218-2018): each row is one unit (生产单元 or 储存单元) with its chemicals; S, R
-- and the level are computed exactly by yingji-core::major_hazard and stored as decimal text.
-- Statements are separated by lines holding only ";".

CREATE TABLE major_hazards (
    id               TEXT PRIMARY KEY,
    enterprise_id    TEXT NOT NULL REFERENCES enterprises(id),
    code             TEXT NOT NULL,
    name             TEXT NOT NULL,
    unit_type        TEXT NOT NULL,
    chemicals        TEXT NOT NULL,
    population_500m  BIGINT NOT NULL,
    s_value          TEXT NOT NULL,
    is_major         BIGINT NOT NULL,
    alpha            TEXT NOT NULL,
    r_value          TEXT NULL,
    level            BIGINT NULL,
    region_code      TEXT NOT NULL,
    district_code    TEXT NOT NULL,
    street_code      TEXT NOT NULL,
    community_code   TEXT NOT NULL,
    grid_code        TEXT NOT NULL,
    categories       TEXT NOT NULL,
    lon              DOUBLE PRECISION NULL,
    lat              DOUBLE PRECISION NULL,
    responsible_name TEXT NOT NULL,
    responsible_phone TEXT NULL,
    status           TEXT NOT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL,
    CONSTRAINT major_hazards_code_key UNIQUE (code)
)
;
CREATE INDEX major_hazards_enterprise ON major_hazards(enterprise_id)
;
CREATE INDEX major_hazards_region ON major_hazards(district_code, street_code, community_code, grid_code, level)
;
