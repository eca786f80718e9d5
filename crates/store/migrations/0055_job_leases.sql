-- Leases of singleton background work on several nodes (ADR 0027): feed polling, the offline
-- sweep, rollups and retention, idempotency-key pruning. One holder (a node id) per name until
-- until_ms; a node that dies leaves its lease to lapse. Statements are separated by lines
-- holding only ";".

CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until_ms BIGINT NOT NULL
)
