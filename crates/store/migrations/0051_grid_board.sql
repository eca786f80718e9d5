-- The 督办 board of grid events over tens of thousands of open events (issue 24, p99 < 50 ms):
-- two partial indexes over the open events only. The first covers the board's grouped count
-- (unit, state, card, with the district for the scope) in the order it groups by, so the count
-- walks the index without a sort and without reading the rows; the second gives each card's
-- oldest events first, so the carded list reads only the rows it shows. The queries repeat the
-- predicate `status NOT IN ('closed', 'merged')` word for word, which both SQLite and PostgreSQL
-- need to use a partial index.
-- 舆情分级响应: the level the duty room judged and the platform it was found on.
-- Statements are separated by lines holding only ";".

CREATE INDEX grid_events_open_units ON grid_events(unit_kind, unit_id, status, card, district_code)
    WHERE status NOT IN ('closed', 'merged')
;
CREATE INDEX grid_events_open_cards ON grid_events(card, updated_ms)
    WHERE status NOT IN ('closed', 'merged')
;
ALTER TABLE grid_events ADD COLUMN opinion_level TEXT NULL
;
ALTER TABLE grid_events ADD COLUMN opinion_platform TEXT NULL
