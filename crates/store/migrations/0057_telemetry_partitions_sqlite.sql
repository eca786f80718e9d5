-- Telemetry partitioned by time is PostgreSQL's (0057_telemetry_partitions.sql): SQLite keeps
-- its WITHOUT ROWID `readings` and prunes by DELETE. This statement does nothing.

SELECT 1
;
