-- 预案备案 (issue 22, item 1: "plans filed" in 一企一档): an enterprise's 应急预案 or 现场处置方案
-- in the plan library names the enterprise that filed it, so its dossier lists it.
-- Statements are separated by lines holding only ";".

ALTER TABLE plans ADD COLUMN enterprise_id TEXT REFERENCES enterprises(id)
;
CREATE INDEX plans_enterprise_idx ON plans (enterprise_id, effective_date)
;
