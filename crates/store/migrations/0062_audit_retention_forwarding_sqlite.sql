-- Audit retention and forwarding (issue 26, ADR 0033): the SQLite file of
-- 0062_audit_retention_forwarding.sql (same tables; the trigger refuses to delete an audit row
-- younger than `audit_retention.days` by the database's clock). Statements are separated by
-- lines holding only ";".

CREATE TABLE audit_retention (
    id   BIGINT PRIMARY KEY,
    days BIGINT NOT NULL
)
;
INSERT INTO audit_retention (id, days) VALUES (1, 180)
;
CREATE TABLE audit_forwarding (
    id         BIGINT PRIMARY KEY,
    seq        BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
)
;
INSERT INTO audit_forwarding (id, seq, updated_ms) VALUES (1, 0, 0)
;
CREATE TRIGGER audit_log_retained BEFORE DELETE ON audit_log
WHEN OLD.at_ms > CAST(strftime('%s', 'now') AS INTEGER) * 1000
    - COALESCE((SELECT days FROM audit_retention WHERE id = 1), 180) * 86400000
BEGIN
    SELECT RAISE(ABORT, 'audit row is younger than the retention period and cannot be deleted');
END
