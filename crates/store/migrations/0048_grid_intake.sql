-- 群众随手拍 (issue 24): the wrong phone checks of the reporter's 回访 per event, locked at 5.
-- Statements are separated by lines holding only ";".

ALTER TABLE grid_events ADD COLUMN public_tries BIGINT NOT NULL DEFAULT 0
