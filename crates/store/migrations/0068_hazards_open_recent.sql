-- City scale (issue 25): the open hazards of one level, newest first (the hazard list's "open
-- major hazards" filter, page after page) read in index order instead of sorting every open
-- hazard of the level: a partial index over the open statuses only, so it stays small.
-- Statements are separated by lines holding only ";".

CREATE INDEX hazards_open_recent ON hazards(level, reported_ms DESC, id DESC, deadline) WHERE status IN ('registered', 'rectifying', 'pending_acceptance')
