-- 救助 and 台账 personal fields sealed with SM4 (issue 26 item 5, ADR 0032): ID numbers and phones
-- are stored as `sm4gcm:v1:…`, so the uniqueness that compared ID numbers moves onto blind-index
-- columns (HMAC-SM3 of the normalised number, written with every new row and by the start-up job
-- for old ones): nobody in two active or paid lines of one phase of a process, one 台账 person per
-- process and ID number. PostgreSQL drops the table constraint; the SQLite variant rebuilds the
-- table (a table constraint cannot be dropped there).
-- Statements are separated by lines holding only ";".

ALTER TABLE disaster_relief_lines ADD COLUMN id_number_bidx TEXT NULL
;
DROP INDEX disaster_relief_lines_once
;
CREATE UNIQUE INDEX disaster_relief_lines_once ON disaster_relief_lines(process_id, phase, id_number_bidx)
    WHERE state IN ('active', 'paid')
;
ALTER TABLE disaster_ledger_persons ADD COLUMN id_number_bidx TEXT NULL
;
ALTER TABLE disaster_ledger_persons DROP CONSTRAINT disaster_ledger_persons_key
;
CREATE UNIQUE INDEX disaster_ledger_persons_key ON disaster_ledger_persons(process_id, id_number_bidx)
