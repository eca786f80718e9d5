-- 信用脸谱 (issue 22): a district's credit scheme, versioned like its other rules; each
-- enterprise's current rating with its reasons; the history of changes with their explanation;
-- department adjustments and the enterprise's objections. Statements are separated by lines
-- holding only ";".
CREATE TABLE credit_schemes (
    region_code TEXT NOT NULL,
    version     BIGINT NOT NULL,
    body        TEXT NOT NULL,
    note        TEXT NULL,
    created_by  TEXT NULL,
    created_ms  BIGINT NOT NULL,
    PRIMARY KEY (region_code, version)
)
;
CREATE TABLE credit_ratings (
    enterprise_id  TEXT PRIMARY KEY REFERENCES enterprises(id),
    tier           TEXT NOT NULL,
    score          BIGINT NOT NULL,
    reasons        TEXT NOT NULL,
    scheme_version BIGINT NOT NULL,
    as_of_day      TEXT NOT NULL,
    computed_ms    BIGINT NOT NULL
)
;
CREATE INDEX credit_ratings_tier ON credit_ratings(tier, enterprise_id)
;
CREATE TABLE credit_rating_changes (
    id            TEXT PRIMARY KEY,
    enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
    old_tier      TEXT NULL,
    new_tier      TEXT NOT NULL,
    old_score     BIGINT NULL,
    new_score     BIGINT NOT NULL,
    cause         TEXT NOT NULL,
    explanation   TEXT NOT NULL,
    changed_by    TEXT NULL,
    changed_ms    BIGINT NOT NULL
)
;
CREATE INDEX credit_rating_changes_enterprise ON credit_rating_changes(enterprise_id, changed_ms)
;
CREATE TABLE credit_adjustments (
    id              TEXT PRIMARY KEY,
    enterprise_id   TEXT NOT NULL REFERENCES enterprises(id),
    day             TEXT NOT NULL,
    points          BIGINT NOT NULL,
    reason          TEXT NOT NULL,
    objection_id    TEXT NULL,
    created_by      TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_ms      BIGINT NOT NULL
)
;
CREATE INDEX credit_adjustments_enterprise ON credit_adjustments(enterprise_id, day)
;
CREATE TABLE credit_objections (
    id               TEXT PRIMARY KEY,
    enterprise_id    TEXT NOT NULL REFERENCES enterprises(id),
    text             TEXT NOT NULL,
    status           TEXT NOT NULL,
    answer           TEXT NULL,
    points           BIGINT NULL,
    created_by       TEXT NOT NULL,
    created_by_name  TEXT NOT NULL,
    created_ms       BIGINT NOT NULL,
    answered_by_name TEXT NULL,
    answered_ms      BIGINT NULL
)
;
CREATE INDEX credit_objections_enterprise ON credit_objections(enterprise_id, created_ms)
;
