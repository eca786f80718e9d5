-- 有奖举报 (issue 24 item 5): one reward per public event, its steps 核查 → 认定 → 奖励决定 →
-- 发放 (amounts in integer 分), and the wrong claims counted per tracking code (lockout).
-- Statements are separated by lines holding only ";".

CREATE TABLE grid_rewards (
    event_id          TEXT PRIMARY KEY,
    district_code     TEXT NOT NULL,
    status            TEXT NOT NULL,
    truthful          BIGINT NULL,
    verify_note       TEXT NULL,
    verified_by       TEXT NULL,
    verified_ms       BIGINT NULL,
    kind              TEXT NULL,
    row_code          TEXT NULL,
    row_name          TEXT NULL,
    fine_fen          BIGINT NULL,
    hazard_id         TEXT NULL,
    case_id           TEXT NULL,
    identify_note     TEXT NULL,
    identified_ms     BIGINT NULL,
    amount_fen        BIGINT NULL,
    decided_by        TEXT NULL,
    decided_ms        BIGINT NULL,
    paid_on           TEXT NULL,
    pay_method        TEXT NULL,
    pay_reference     TEXT NULL,
    paid_ms           BIGINT NULL,
    created_ms        BIGINT NOT NULL,
    updated_ms        BIGINT NOT NULL
)
;
CREATE INDEX grid_rewards_district ON grid_rewards(district_code, status)
;
CREATE TABLE grid_reward_claims (
    tracking_code     TEXT PRIMARY KEY,
    failures          BIGINT NOT NULL DEFAULT 0,
    locked_until_ms   BIGINT NOT NULL DEFAULT 0,
    updated_ms        BIGINT NOT NULL
)
