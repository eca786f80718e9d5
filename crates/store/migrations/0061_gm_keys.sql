-- 国密 (issue 26 item 5, ADR 0032). The audit chain is keyed with HMAC-SM3: each record names its
-- algorithm and audit key; records written before keep `sha256`, up to the legacy boundary that the
-- first start after this migration seals in audit_head (HMAC-SM3 under the audit key, so it cannot
-- be moved without the key). Personal fields are sealed with SM4-GCM in their own columns
-- (`sm4gcm:v1:…`); a searched one gets a blind index column beside it (HMAC-SM3 of the normalised
-- value). seal_progress remembers how far the start-up job sealing old plaintext rows has come.
-- Statements are separated by lines holding only ";".

ALTER TABLE audit_log ADD COLUMN alg TEXT NOT NULL DEFAULT 'sha256'
;
ALTER TABLE audit_log ADD COLUMN key_id TEXT NULL
;
ALTER TABLE audit_head ADD COLUMN legacy_until BIGINT NULL
;
ALTER TABLE audit_head ADD COLUMN legacy_key_id TEXT NULL
;
ALTER TABLE audit_head ADD COLUMN legacy_seal TEXT NULL
;
ALTER TABLE grid_events ADD COLUMN reporter_phone_bidx TEXT NULL
;
CREATE INDEX grid_events_reporter_phone_bidx ON grid_events(reporter_phone_bidx)
;
CREATE TABLE seal_progress (
    name       TEXT PRIMARY KEY,
    after_id   TEXT NOT NULL,
    sealed     BIGINT NOT NULL,
    done       BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
)
