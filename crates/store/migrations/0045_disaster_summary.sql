-- 灾情统计 (issue 23): the district's yearbook the 防灾减灾 indicators divide by (the year's
-- GDP in hundredths of 万元, exact, and resident population), and the summary lines: per
-- district, year of the process's start (Asia/Shanghai), kind and township ('' for the
-- district's totals), the processes and the figures of each process's latest report. Filing a
-- report moves its process's lines by the difference to the previous latest report (in the
-- same transaction), so the ten-year summary reads a few hundred lines instead of every
-- township row. The lines are backfilled from the reports already filed.
-- This is the PostgreSQL file; 0045_disaster_summary_sqlite.sql computes the year with strftime.
-- Statements are separated by lines holding only ";".

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
CREATE TABLE disaster_summary_lines (
    district_code        TEXT NOT NULL,
    year                 BIGINT NOT NULL,
    kind                 TEXT NOT NULL,
    region_code          TEXT NOT NULL,
    region_name          TEXT NOT NULL,
    processes            BIGINT NOT NULL,
    affected_people      BIGINT NOT NULL,
    deaths               BIGINT NOT NULL,
    missing              BIGINT NOT NULL,
    relocated            BIGINT NOT NULL,
    need_relief          BIGINT NOT NULL,
    crops_affected_ha    BIGINT NOT NULL,
    crops_damaged_ha     BIGINT NOT NULL,
    crops_failed_ha      BIGINT NOT NULL,
    collapsed_households BIGINT NOT NULL,
    collapsed_rooms      BIGINT NOT NULL,
    severe_households    BIGINT NOT NULL,
    severe_rooms         BIGINT NOT NULL,
    damaged_households   BIGINT NOT NULL,
    damaged_rooms        BIGINT NOT NULL,
    loss_wan_yuan        BIGINT NOT NULL,
    PRIMARY KEY (district_code, year, kind, region_code)
)
;
INSERT INTO disaster_summary_lines (district_code, year, kind, region_code, region_name, processes, affected_people, deaths, missing, relocated, need_relief, crops_affected_ha, crops_damaged_ha, crops_failed_ha, collapsed_households, collapsed_rooms, severe_households, severe_rooms, damaged_households, damaged_rooms, loss_wan_yuan)
SELECT p.district_code, CAST(EXTRACT(YEAR FROM to_timestamp(p.started_ms / 1000.0) AT TIME ZONE 'Asia/Shanghai') AS BIGINT), p.kind, '', '', COUNT(*), SUM(r.affected_people), SUM(r.deaths), SUM(r.missing), SUM(r.relocated), SUM(r.need_relief), SUM(r.crops_affected_ha), SUM(r.crops_damaged_ha), SUM(r.crops_failed_ha), SUM(r.collapsed_households), SUM(r.collapsed_rooms), SUM(r.severe_households), SUM(r.severe_rooms), SUM(r.damaged_households), SUM(r.damaged_rooms), SUM(r.loss_wan_yuan)
FROM disaster_processes p JOIN disaster_reports r ON r.id = p.latest_report_id
GROUP BY p.district_code, CAST(EXTRACT(YEAR FROM to_timestamp(p.started_ms / 1000.0) AT TIME ZONE 'Asia/Shanghai') AS BIGINT), p.kind
;
INSERT INTO disaster_summary_lines (district_code, year, kind, region_code, region_name, processes, affected_people, deaths, missing, relocated, need_relief, crops_affected_ha, crops_damaged_ha, crops_failed_ha, collapsed_households, collapsed_rooms, severe_households, severe_rooms, damaged_households, damaged_rooms, loss_wan_yuan)
SELECT p.district_code, CAST(EXTRACT(YEAR FROM to_timestamp(p.started_ms / 1000.0) AT TIME ZONE 'Asia/Shanghai') AS BIGINT), p.kind, r.region_code, MIN(r.region_name), COUNT(*), SUM(r.affected_people), SUM(r.deaths), SUM(r.missing), SUM(r.relocated), SUM(r.need_relief), SUM(r.crops_affected_ha), SUM(r.crops_damaged_ha), SUM(r.crops_failed_ha), SUM(r.collapsed_households), SUM(r.collapsed_rooms), SUM(r.severe_households), SUM(r.severe_rooms), SUM(r.damaged_households), SUM(r.damaged_rooms), SUM(r.loss_wan_yuan)
FROM disaster_processes p JOIN disaster_report_rows r ON r.report_id = p.latest_report_id
GROUP BY p.district_code, CAST(EXTRACT(YEAR FROM to_timestamp(p.started_ms / 1000.0) AT TIME ZONE 'Asia/Shanghai') AS BIGINT), p.kind, r.region_code
