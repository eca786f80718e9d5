-- 风险普查 (issue 23, item 1): the results of the 第一次全国自然灾害综合风险普查 merged into the
-- existing 承灾体 and resource registers. A record carries its 普查编码 (census code); a
-- re-import of the same code within the district updates it. A 承灾体 keeps the census
-- attributes it has no column for as JSON. Statements are separated by lines holding only ";".

ALTER TABLE protected_objects ADD COLUMN census_code TEXT NULL
;
ALTER TABLE protected_objects ADD COLUMN census_attributes TEXT NULL
;
CREATE UNIQUE INDEX protected_objects_census ON protected_objects (district_code, census_code)
;
ALTER TABLE shelters ADD COLUMN census_code TEXT NULL
;
CREATE INDEX shelters_census ON shelters (census_code)
;
ALTER TABLE teams ADD COLUMN census_code TEXT NULL
;
CREATE INDEX teams_census ON teams (census_code)
;
ALTER TABLE warehouses ADD COLUMN census_code TEXT NULL
;
CREATE INDEX warehouses_census ON warehouses (census_code)
;
