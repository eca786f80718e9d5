-- Audit retention and forwarding (issue 26, ADR 0033). `audit_retention` holds the days
-- (`[audit] retention_days`, at least 180) that `yingji serve` writes at start; a trigger refuses
-- to delete an audit row younger than that by the database's clock, and TRUNCATE of the log
-- altogether, whoever connects. `audit_forwarding` is the syslog job's cursor: the last audit
-- seq the collector took (rows after it are sent again until it does).
-- This is the PostgreSQL file; 0062_audit_retention_forwarding_sqlite.sql has the same tables
-- and SQLite's trigger. Statements are separated by lines holding only ";".

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
CREATE FUNCTION audit_log_retained() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        RAISE EXCEPTION 'audit_log cannot be truncated (retention, ADR 0033)';
    END IF;
    IF OLD.at_ms > (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT
        - COALESCE((SELECT days FROM audit_retention WHERE id = 1), 180) * 86400000 THEN
        RAISE EXCEPTION 'audit row % is younger than the retention period and cannot be deleted', OLD.seq;
    END IF;
    RETURN OLD;
END
$$
;
CREATE TRIGGER audit_log_retained BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_retained()
;
CREATE TRIGGER audit_log_not_truncated BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_retained()
