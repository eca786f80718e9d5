-- 救助 and 台账 personal fields sealed with SM4 (issue 26 item 5, ADR 0032), SQLite: as
-- 0064_relief_sealing.sql, but the 台账 persons' table is rebuilt, since SQLite cannot drop the
-- table constraint UNIQUE (process_id, id_number) (nothing references the table; its rows are
-- copied whole, the blind index is filled by the start-up job).
-- Statements are separated by lines holding only ";".

ALTER TABLE disaster_relief_lines ADD COLUMN id_number_bidx TEXT NULL
;
DROP INDEX disaster_relief_lines_once
;
CREATE UNIQUE INDEX disaster_relief_lines_once ON disaster_relief_lines(process_id, phase, id_number_bidx)
    WHERE state IN ('active', 'paid')
;
CREATE TABLE disaster_ledger_persons_sealed (
    id             TEXT PRIMARY KEY,
    process_id     TEXT NOT NULL REFERENCES disaster_processes(id),
    region_code    TEXT NOT NULL,
    name           TEXT NOT NULL,
    sex            TEXT NOT NULL,
    age            BIGINT NOT NULL,
    id_number      TEXT NOT NULL,
    address        TEXT NOT NULL,
    status         TEXT NOT NULL,
    cause          TEXT NOT NULL,
    day            TEXT NOT NULL,
    created_ms     BIGINT NOT NULL,
    id_number_bidx TEXT NULL
)
;
INSERT INTO disaster_ledger_persons_sealed (id, process_id, region_code, name, sex, age, id_number, address, status, cause, day, created_ms)
SELECT id, process_id, region_code, name, sex, age, id_number, address, status, cause, day, created_ms FROM disaster_ledger_persons
;
DROP TABLE disaster_ledger_persons
;
ALTER TABLE disaster_ledger_persons_sealed RENAME TO disaster_ledger_persons
;
CREATE UNIQUE INDEX disaster_ledger_persons_key ON disaster_ledger_persons(process_id, id_number_bidx)
