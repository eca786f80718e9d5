-- Single sign-on (issue 26 item 4, ADR 0031). users.sso_subject links an account to the
-- identity the 统一身份认证 platform asserts (the configured OIDC claim or CAS user/attribute);
-- sso_requests holds a sign-in in progress between the redirect to the provider and the
-- callback: the digest of its state, the nonce and the PKCE verifier, for ten minutes.
-- Statements are separated by lines holding only ";".

ALTER TABLE users ADD COLUMN sso_subject TEXT
;
CREATE UNIQUE INDEX users_sso_subject ON users(sso_subject)
;
CREATE TABLE sso_requests (
    state_hash TEXT PRIMARY KEY,
    protocol   TEXT NOT NULL,
    nonce      TEXT NOT NULL,
    verifier   TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
)
;
CREATE INDEX sso_requests_expires ON sso_requests(expires_ms)
