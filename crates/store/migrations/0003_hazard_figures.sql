-- Indexes for the hazard dashboard and lists at a million hazards (docs/benchmarks.md, issue 3):
-- each dashboard figure is counted from one index without touching the table.
-- Statements are separated by lines holding only ";".

-- Year figures: month × level × status × on-time, and the breakdowns by source and industry.
CREATE INDEX hazards_figures ON hazards(reported_month, level, status, closed_on_time, source, industry, district_code, street_code)
;
-- Open hazards: the overdue count, the overdue list by deadline, open hazards per street.
CREATE INDEX hazards_overdue ON hazards(status, overdue, deadline, street_code, level)
;
-- A street's hazards, newest first, by status or by month (the drill-down from the monthly
-- statistics). The trailing columns are the list's other filters, so that its COUNT(*) is read
-- from the index and the page's rows are checked without visiting the table.
DROP INDEX hazards_street
;
CREATE INDEX hazards_street ON hazards(street_code, status, reported_ms, overdue, level, source, reported_month)
;
CREATE INDEX hazards_street_month ON hazards(street_code, reported_month, reported_ms, status, level, source, overdue)
;
-- Hazards under 挂牌督办 are few: a partial index keeps their count instant.
CREATE INDEX hazards_listed ON hazards(listed, district_code, street_code) WHERE listed = 1
;
