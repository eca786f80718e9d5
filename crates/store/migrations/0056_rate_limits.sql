-- Rate limits shared by every node (issue 25): hits per key (e.g. "login:203.0.113.9") in a fixed
-- one-minute window starting at window_ms. Windows older than two minutes are pruned.
-- Statements are separated by lines holding only ";".

CREATE TABLE rate_limits (
    rkey      TEXT NOT NULL,
    window_ms BIGINT NOT NULL,
    hits      BIGINT NOT NULL,
    PRIMARY KEY (rkey, window_ms)
)
;
CREATE INDEX rate_limits_window ON rate_limits(window_ms)
