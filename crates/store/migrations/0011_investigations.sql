-- 事后: the investigation of an incident (事故调查, yingji-core::investigation) with the six sections
-- of its report as a JSON document, and the follow-up actions it leads to, each optionally a hidden
-- hazard in the closed loop. Statements are separated by lines holding only ";".

CREATE TABLE incident_investigations (
    incident_id      TEXT PRIMARY KEY REFERENCES incidents(id),
    lead_body        TEXT NOT NULL,
    team_leader      TEXT NOT NULL,
    members          TEXT NOT NULL,
    status           TEXT NOT NULL,
    report_extension_days BIGINT NOT NULL,
    reply_extension_days  BIGINT NOT NULL,
    sections         TEXT NOT NULL,
    started_ms       BIGINT NOT NULL,
    submitted_ms     BIGINT NULL,
    approved_ms      BIGINT NULL,
    reply_note       TEXT NULL,
    updated_ms       BIGINT NOT NULL
)
;
CREATE TABLE incident_followups (
    id               TEXT PRIMARY KEY,
    incident_id      TEXT NOT NULL REFERENCES incidents(id),
    action           TEXT NOT NULL,
    responsible      TEXT NOT NULL,
    due_date         TEXT NULL,
    status           TEXT NOT NULL,
    hazard_id        TEXT NULL REFERENCES hazards(id),
    author           TEXT NOT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL
)
;
CREATE INDEX incident_followups_incident ON incident_followups(incident_id, created_ms)
;
