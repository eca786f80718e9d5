-- The district's yearbook figures the 防灾减灾 indicators divide by (issue 23, 浔阳 专栏1):
-- the year's GDP (hundredths of 万元, exact) and resident population. One row per district and
-- year; a save replaces the year's row and is audited. Statements are separated by lines
-- holding only ";".

CREATE TABLE disaster_yearbook (
    district_code  TEXT NOT NULL,
    year           BIGINT NOT NULL,
    gdp_wan_yuan   BIGINT NOT NULL,
    population     BIGINT NOT NULL,
    updated_by     TEXT NOT NULL,
    updated_ms     BIGINT NOT NULL,
    PRIMARY KEY (district_code, year)
)
;
CREATE INDEX disaster_report_rows_region ON disaster_report_rows(region_code)
