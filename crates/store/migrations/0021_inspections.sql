-- 执法监管 (issue 21), 现场检查: the record of an inspection (one per task), the checklist as
-- ticked, the findings (each became a hazard of the closed loop, source 执法检查, in the same
-- transaction) and the signatures of both inspectors and of the enterprise's representative
-- (or their refusal). Statements are separated by lines holding only ";".

CREATE TABLE inspection_records (
    id               TEXT PRIMARY KEY,
    task_id          TEXT NOT NULL REFERENCES inspection_tasks(id),
    department_id    TEXT NOT NULL REFERENCES departments(id),
    enterprise_id    TEXT NOT NULL REFERENCES enterprises(id),
    enterprise_name  TEXT NOT NULL,
    summary          TEXT NOT NULL,
    recorded_by      TEXT NOT NULL REFERENCES users(id),
    recorded_by_name TEXT NOT NULL,
    recorded_ms      BIGINT NOT NULL,
    CONSTRAINT inspection_records_task_key UNIQUE (task_id)
)
;
CREATE INDEX inspection_records_enterprise ON inspection_records(enterprise_id, recorded_ms)
;
CREATE INDEX inspection_records_department ON inspection_records(department_id, recorded_ms)
;
-- One line of the checklist as checked: a 重大隐患判定标准 item (its code) or a bureau item
-- (B-n, from the 执法事项's content); result pass / fail / na.
CREATE TABLE inspection_checks (
    record_id TEXT NOT NULL REFERENCES inspection_records(id),
    ord       BIGINT NOT NULL,
    item_code TEXT NOT NULL,
    item_text TEXT NOT NULL,
    result    TEXT NOT NULL,
    PRIMARY KEY (record_id, ord)
)
;
-- A finding: the criterion it matches (if any), what was seen, the photos (attachment ids,
-- JSON, linked to the hazard) and the hazard it became.
CREATE TABLE inspection_findings (
    id             TEXT PRIMARY KEY,
    record_id      TEXT NOT NULL REFERENCES inspection_records(id),
    ord            BIGINT NOT NULL,
    criterion_code TEXT NULL,
    category       TEXT NOT NULL,
    description    TEXT NOT NULL,
    location       TEXT NOT NULL,
    level          TEXT NOT NULL,
    photo_ids      TEXT NOT NULL,
    hazard_id      TEXT NOT NULL REFERENCES hazards(id)
)
;
CREATE INDEX inspection_findings_record ON inspection_findings(record_id, ord)
;
-- A signature: an inspector of the task (signer_user_id) or the enterprise's representative
-- (signer_name only); method drawn (the PNG image as an attachment) or refused (with why).
CREATE TABLE inspection_signatures (
    id             TEXT PRIMARY KEY,
    task_id        TEXT NOT NULL REFERENCES inspection_tasks(id),
    record_id      TEXT NOT NULL REFERENCES inspection_records(id),
    kind           TEXT NOT NULL,
    signer_user_id TEXT NULL REFERENCES users(id),
    signer_name    TEXT NOT NULL,
    method         TEXT NOT NULL,
    image_id       TEXT NULL REFERENCES attachments(id),
    refusal_reason TEXT NULL,
    signed_by      TEXT NOT NULL REFERENCES users(id),
    signed_ms      BIGINT NOT NULL
)
;
CREATE INDEX inspection_signatures_task ON inspection_signatures(task_id, signed_ms)
