-- 有奖举报: 瞒报、谎报事故 are rewarded per verified hidden death (安监总财〔2018〕19号 第十一条
-- 第二项), recorded at 认定. Statements are separated by lines holding only ";".

ALTER TABLE grid_rewards ADD COLUMN deaths BIGINT NULL
