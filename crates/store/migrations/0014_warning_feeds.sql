-- Feeds of other bureaus' warnings (Atom/RSS linking to CAP) polled on a schedule, the entries
-- already taken from each, and the kind of person answering for a protected object (for
-- 叫应效能分析 by person type). Statements are separated by lines holding only ";".

CREATE TABLE warning_feeds (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    url              TEXT NOT NULL,
    district_code    TEXT NOT NULL,
    interval_secs    BIGINT NOT NULL,
    active           BIGINT NOT NULL,
    -- Claimed by moving it forward: one node polls a feed at a time.
    next_poll_ms     BIGINT NOT NULL,
    last_polled_ms   BIGINT NULL,
    last_ok_ms       BIGINT NULL,
    last_error       TEXT NULL,
    etag             TEXT NULL,
    taken            BIGINT NOT NULL,
    refused          BIGINT NOT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL
)
;
CREATE TABLE warning_feed_entries (
    feed_id          TEXT NOT NULL REFERENCES warning_feeds(id) ON DELETE CASCADE,
    entry_id         TEXT NOT NULL,
    updated          TEXT NOT NULL,
    cap_url          TEXT NOT NULL,
    -- taken / refused
    status           TEXT NOT NULL,
    warning_id       TEXT NULL REFERENCES warnings(id),
    error            TEXT NULL,
    seen_ms          BIGINT NOT NULL,
    PRIMARY KEY (feed_id, entry_id)
)
;
ALTER TABLE protected_objects ADD COLUMN responsible_type TEXT NOT NULL DEFAULT 'grid_worker'
;
-- An object may be an area (a 地灾隐患点's slope, a 工地's site): its outline, and the outline's box
-- for finding it; lon/lat stay a point inside it for the cell index.
ALTER TABLE protected_objects ADD COLUMN outline TEXT NULL
;
ALTER TABLE protected_objects ADD COLUMN min_lon DOUBLE PRECISION NULL
;
ALTER TABLE protected_objects ADD COLUMN min_lat DOUBLE PRECISION NULL
;
ALTER TABLE protected_objects ADD COLUMN max_lon DOUBLE PRECISION NULL
;
ALTER TABLE protected_objects ADD COLUMN max_lat DOUBLE PRECISION NULL
;
CREATE INDEX protected_objects_outlined ON protected_objects(district_code) WHERE outline IS NOT NULL
