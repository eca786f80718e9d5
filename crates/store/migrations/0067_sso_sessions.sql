-- 单点退出 (issue 26, ADR 0031): a session opened through the 统一身份认证 platform remembers the
-- protocol and the provider's session (the digest of the CAS service ticket or of the OIDC `sid`
-- claim), so logging out here can log out at the provider, and the provider's back-channel
-- logout ends the sessions it opened. A pending two-step login carries the same until its
-- second factor opens the session. Statements are separated by lines holding only ";".

ALTER TABLE sessions ADD COLUMN sso_protocol TEXT NULL
;
ALTER TABLE sessions ADD COLUMN sso_sid TEXT NULL
;
CREATE INDEX sessions_sso_sid ON sessions(sso_sid)
;
ALTER TABLE pending_logins ADD COLUMN sso_protocol TEXT NULL
;
ALTER TABLE pending_logins ADD COLUMN sso_sid TEXT NULL
