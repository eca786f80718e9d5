-- 救助 (issue 23, item 4): relief entries per process and phase (amounts in exact 分), the
-- 冬春救助 figures per township, the district's 公示 days, and the 一卡通 payment batches with
-- their lines. Nobody is paid twice for one phase of one process: a person (ID number) is in at
-- most one line that is neither objected nor failed (partial unique index, both backends).
-- Statements are separated by lines holding only ";".

CREATE TABLE disaster_relief_entries (
    id               TEXT PRIMARY KEY,
    process_id       TEXT NOT NULL REFERENCES disaster_processes(id),
    phase            TEXT NOT NULL,
    region_code      TEXT NOT NULL,
    village          TEXT NOT NULL,
    name             TEXT NOT NULL,
    id_number        TEXT NOT NULL,
    household        BIGINT NOT NULL,
    phone            TEXT NULL,
    kind             TEXT NOT NULL,
    amount_fen       BIGINT NOT NULL,
    items            TEXT NULL,
    given_ms         BIGINT NOT NULL,
    card_number      TEXT NULL,
    progress         TEXT NULL,
    percent          BIGINT NULL,
    source           TEXT NOT NULL,
    recorded_by_name TEXT NOT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL
)
;
CREATE INDEX disaster_relief_entries_process ON disaster_relief_entries(process_id, phase, region_code, given_ms)
;
CREATE TABLE disaster_relief_winter (
    process_id   TEXT NOT NULL REFERENCES disaster_processes(id),
    region_code  TEXT NOT NULL,
    needed       BIGINT NOT NULL,
    updated_ms   BIGINT NOT NULL,
    PRIMARY KEY (process_id, region_code)
)
;
CREATE TABLE disaster_relief_settings (
    district_code TEXT PRIMARY KEY,
    notice_days   BIGINT NOT NULL,
    updated_ms    BIGINT NOT NULL
)
;
CREATE TABLE disaster_relief_batches (
    id               TEXT PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    process_id       TEXT NOT NULL REFERENCES disaster_processes(id),
    phase            TEXT NOT NULL,
    region_code      TEXT NOT NULL,
    region_name      TEXT NOT NULL,
    status           TEXT NOT NULL,
    notice_days      BIGINT NOT NULL,
    notice_start_ms  BIGINT NULL,
    notice_end_ms    BIGINT NULL,
    exported_ms      BIGINT NULL,
    completed_ms     BIGINT NULL,
    created_by_name  TEXT NOT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL
)
;
CREATE INDEX disaster_relief_batches_process ON disaster_relief_batches(process_id, region_code)
;
CREATE TABLE disaster_relief_lines (
    id           TEXT PRIMARY KEY,
    batch_id     TEXT NOT NULL REFERENCES disaster_relief_batches(id),
    process_id   TEXT NOT NULL,
    phase        TEXT NOT NULL,
    entry_id     TEXT NOT NULL REFERENCES disaster_relief_entries(id),
    position     BIGINT NOT NULL,
    reference    TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    id_number    TEXT NOT NULL,
    village      TEXT NOT NULL,
    card_number  TEXT NOT NULL,
    amount_fen   BIGINT NOT NULL,
    state        TEXT NOT NULL,
    reason       TEXT NULL,
    updated_ms   BIGINT NOT NULL
)
;
CREATE INDEX disaster_relief_lines_batch ON disaster_relief_lines(batch_id, position)
;
CREATE UNIQUE INDEX disaster_relief_lines_once ON disaster_relief_lines(process_id, phase, id_number)
    WHERE state IN ('active', 'paid')
