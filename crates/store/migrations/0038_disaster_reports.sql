-- 灾情报送 (issue 23, item 3 and 2): disaster processes with their affected townships, the
-- 初报/续报/核报 with one row of 快报表 figures per township and the district's totals on the
-- report (areas in hundredths of 公顷, money in hundredths of 万元: exact sums), the district's
-- reporting settings (jump rule, higher-level channels), the 死亡失踪 and 倒损住房 台账, and the
-- 灾害信息员 register. Statements are separated by lines holding only ";".

CREATE TABLE disaster_processes (
    id               TEXT PRIMARY KEY,
    district_code    TEXT NOT NULL,
    kind             TEXT NOT NULL,
    subtype          TEXT NOT NULL,
    name             TEXT NOT NULL,
    started_ms       BIGINT NOT NULL,
    status           TEXT NOT NULL,
    stable_ms        BIGINT NULL,
    major            BIGINT NOT NULL,
    incident_id      TEXT NULL REFERENCES incidents(id),
    note             TEXT NULL,
    next_kind        TEXT NULL,
    next_due_ms      BIGINT NULL,
    overdue          BIGINT NOT NULL,
    suggested_level  BIGINT NULL,
    latest_report_id TEXT NULL,
    created_by_name  TEXT NOT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL
)
;
CREATE INDEX disaster_processes_started ON disaster_processes(district_code, started_ms)
;
CREATE INDEX disaster_processes_incident ON disaster_processes(incident_id)
;
CREATE TABLE disaster_process_townships (
    process_id  TEXT NOT NULL REFERENCES disaster_processes(id),
    region_code TEXT NOT NULL,
    region_name TEXT NOT NULL,
    position    BIGINT NOT NULL,
    PRIMARY KEY (process_id, region_code)
)
;
CREATE INDEX disaster_process_townships_region ON disaster_process_townships(region_code)
;
CREATE TABLE disaster_reports (
    id               TEXT PRIMARY KEY,
    process_id       TEXT NOT NULL REFERENCES disaster_processes(id),
    seq              BIGINT NOT NULL,
    kind             TEXT NOT NULL,
    filed_ms         BIGINT NOT NULL,
    filed_by         TEXT NOT NULL,
    filed_by_name    TEXT NOT NULL,
    due_ms           BIGINT NULL,
    late_note        TEXT NULL,
    description      TEXT NOT NULL,
    relief           TEXT NULL,
    explanation      TEXT NULL,
    affected_people      BIGINT NOT NULL,
    deaths               BIGINT NOT NULL,
    missing              BIGINT NOT NULL,
    relocated            BIGINT NOT NULL,
    need_relief          BIGINT NOT NULL,
    crops_affected_ha    BIGINT NOT NULL,
    crops_damaged_ha     BIGINT NOT NULL,
    crops_failed_ha      BIGINT NOT NULL,
    collapsed_households BIGINT NOT NULL,
    collapsed_rooms      BIGINT NOT NULL,
    severe_households    BIGINT NOT NULL,
    severe_rooms         BIGINT NOT NULL,
    damaged_households   BIGINT NOT NULL,
    damaged_rooms        BIGINT NOT NULL,
    loss_wan_yuan        BIGINT NOT NULL,
    CONSTRAINT disaster_reports_seq_key UNIQUE (process_id, seq)
)
;
CREATE INDEX disaster_reports_filed ON disaster_reports(filed_ms)
;
CREATE TABLE disaster_report_rows (
    report_id        TEXT NOT NULL REFERENCES disaster_reports(id),
    region_code      TEXT NOT NULL,
    region_name      TEXT NOT NULL,
    position         BIGINT NOT NULL,
    affected_people      BIGINT NOT NULL,
    deaths               BIGINT NOT NULL,
    missing              BIGINT NOT NULL,
    relocated            BIGINT NOT NULL,
    need_relief          BIGINT NOT NULL,
    crops_affected_ha    BIGINT NOT NULL,
    crops_damaged_ha     BIGINT NOT NULL,
    crops_failed_ha      BIGINT NOT NULL,
    collapsed_households BIGINT NOT NULL,
    collapsed_rooms      BIGINT NOT NULL,
    severe_households    BIGINT NOT NULL,
    severe_rooms         BIGINT NOT NULL,
    damaged_households   BIGINT NOT NULL,
    damaged_rooms        BIGINT NOT NULL,
    loss_wan_yuan        BIGINT NOT NULL,
    PRIMARY KEY (report_id, region_code)
)
;
CREATE TABLE disaster_report_settings (
    district_code        TEXT PRIMARY KEY,
    jump_ratio_pct       BIGINT NOT NULL,
    jump_min             BIGINT NOT NULL,
    city_channel_ids     TEXT NOT NULL,
    province_channel_ids TEXT NOT NULL,
    updated_ms           BIGINT NOT NULL
)
;
CREATE TABLE disaster_ledger_persons (
    id           TEXT PRIMARY KEY,
    process_id   TEXT NOT NULL REFERENCES disaster_processes(id),
    region_code  TEXT NOT NULL,
    name         TEXT NOT NULL,
    sex          TEXT NOT NULL,
    age          BIGINT NOT NULL,
    id_number    TEXT NOT NULL,
    address      TEXT NOT NULL,
    status       TEXT NOT NULL,
    cause        TEXT NOT NULL,
    day          TEXT NOT NULL,
    created_ms   BIGINT NOT NULL,
    CONSTRAINT disaster_ledger_persons_key UNIQUE (process_id, id_number)
)
;
CREATE TABLE disaster_ledger_houses (
    id           TEXT PRIMARY KEY,
    process_id   TEXT NOT NULL REFERENCES disaster_processes(id),
    region_code  TEXT NOT NULL,
    head         TEXT NOT NULL,
    address      TEXT NOT NULL,
    rooms        BIGINT NOT NULL,
    degree       TEXT NOT NULL,
    created_ms   BIGINT NOT NULL
)
;
CREATE INDEX disaster_ledger_houses_process ON disaster_ledger_houses(process_id)
;
CREATE TABLE disaster_informants (
    id              TEXT PRIMARY KEY,
    region_code     TEXT NOT NULL,
    name            TEXT NOT NULL,
    phone           TEXT NOT NULL,
    backup_name     TEXT NULL,
    backup_phone    TEXT NULL,
    user_id         TEXT NULL REFERENCES users(id),
    trainings       TEXT NOT NULL,
    created_ms      BIGINT NOT NULL,
    updated_ms      BIGINT NOT NULL
)
;
CREATE INDEX disaster_informants_region ON disaster_informants(region_code)
;
