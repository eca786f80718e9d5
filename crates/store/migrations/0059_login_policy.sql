-- 身份鉴别 (issue 26 items 2, 3): the district's password and session policy (versioned, the
-- highest version applies), password history, last login, the second factor (TOTP secret in its
-- own column, recovery codes, pending two-step logins with their SMS code).
-- Statements are separated by lines holding only ";".

CREATE TABLE security_policies (
    version    BIGINT PRIMARY KEY,
    policy     TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    created_by TEXT NULL
)
;
ALTER TABLE users ADD COLUMN password_changed_ms BIGINT NULL
;
ALTER TABLE users ADD COLUMN last_login_ms BIGINT NULL
;
ALTER TABLE users ADD COLUMN last_login_ip TEXT NULL
;
ALTER TABLE users ADD COLUMN failed_since_login BIGINT NOT NULL DEFAULT 0
;
ALTER TABLE users ADD COLUMN prev_login_ms BIGINT NULL
;
ALTER TABLE users ADD COLUMN prev_login_ip TEXT NULL
;
ALTER TABLE users ADD COLUMN failed_before_login BIGINT NOT NULL DEFAULT 0
;
CREATE TABLE password_history (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hash    TEXT NOT NULL,
    set_ms  BIGINT NOT NULL
)
;
CREATE INDEX password_history_user ON password_history(user_id, set_ms)
;
CREATE TABLE user_factors (
    user_id        TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    totp_secret    TEXT NULL,
    totp_confirmed BIGINT NOT NULL DEFAULT 0,
    totp_last_step BIGINT NULL,
    updated_ms     BIGINT NOT NULL
)
;
CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_ms   BIGINT NULL,
    PRIMARY KEY (user_id, code_hash)
)
;
CREATE TABLE pending_logins (
    token_hash      TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client          TEXT NOT NULL,
    expires_ms      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    sms_code_hash   TEXT NULL,
    sms_expires_ms  BIGINT NULL
)
