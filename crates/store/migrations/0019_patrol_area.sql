-- 巡查打卡 outside the region patrolled (issue 20): whether the check-in's point lies outside the
-- region's boundary, recorded (GPS is imprecise: never refused) and shown to the supervisors.
-- Check-ins before this migration were not compared: not outside.
ALTER TABLE patrols ADD COLUMN outside_area BIGINT NOT NULL DEFAULT 0
;
-- The idempotency keys are pruned by age (jobs::idempotency): the delete walks this index.
CREATE INDEX idempotency_keys_created ON idempotency_keys(created_ms)
