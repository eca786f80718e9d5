-- 预警信息 (yingji-core::warning, yingji-cap): warnings authored here (草稿 → 待审核 → 已发布) and
-- warnings taken in as CAP from the weather, water and natural-resources bureaus. One row per CAP
-- message; an update or a cancellation is a new row that names the one it supersedes.
-- Statements are separated by lines holding only ";".

CREATE TABLE warnings (
    id               TEXT PRIMARY KEY,
    identifier       TEXT NOT NULL,
    sender           TEXT NOT NULL,
    sent_ms          BIGINT NULL,
    msg_type         TEXT NOT NULL,
    cap_status       TEXT NOT NULL,
    origin           TEXT NOT NULL,
    status           TEXT NOT NULL,
    event_code       TEXT NOT NULL,
    event_text       TEXT NOT NULL,
    level            BIGINT NOT NULL,
    headline         TEXT NOT NULL,
    description      TEXT NOT NULL,
    instruction      TEXT NOT NULL,
    sender_name      TEXT NOT NULL,
    area_desc        TEXT NOT NULL,
    area             TEXT NOT NULL,
    region_codes     TEXT NOT NULL,
    min_lon          DOUBLE PRECISION NOT NULL,
    min_lat          DOUBLE PRECISION NOT NULL,
    max_lon          DOUBLE PRECISION NOT NULL,
    max_lat          DOUBLE PRECISION NOT NULL,
    effective_ms     BIGINT NOT NULL,
    expires_ms       BIGINT NOT NULL,
    district_code    TEXT NOT NULL,
    cap_xml          TEXT NULL,
    supersedes       TEXT NULL REFERENCES warnings(id),
    author           TEXT NOT NULL,
    author_id        TEXT NULL,
    approver         TEXT NULL,
    approved_ms      BIGINT NULL,
    note             TEXT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL,
    CONSTRAINT warnings_message_key UNIQUE (sender, identifier)
)
;
CREATE INDEX warnings_current ON warnings(district_code, status, expires_ms)
;
CREATE INDEX warnings_created ON warnings(district_code, created_ms)
;
