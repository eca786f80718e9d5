-- 执法文书 (issue 21): numbered documents, each stored with its PDF and the PDF's SHA-256 (also in
-- the audit record). Numbers come from the shared `sequences` table, one sequence per department,
-- kind and year (scope WS-<department>-<kind>-<year>), drawn in the issuing transaction so a
-- number is used once under concurrency and never reused. A document is never changed: a
-- correction is a new row with the same number, the next version and `supersedes_id` pointing at
-- the version it corrects. Statements are separated by lines holding only ";".

CREATE TABLE enforcement_documents (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    number         TEXT NOT NULL,
    department_id  TEXT NOT NULL REFERENCES departments(id),
    year           BIGINT NOT NULL,
    seq            BIGINT NOT NULL,
    version        BIGINT NOT NULL,
    supersedes_id  TEXT NULL REFERENCES enforcement_documents(id),
    subject_kind   TEXT NOT NULL,
    subject_id     TEXT NOT NULL,
    party          TEXT NOT NULL,
    fields         TEXT NOT NULL,
    pdf            TEXT NOT NULL,
    pdf_sha256     TEXT NOT NULL,
    pdf_size       BIGINT NOT NULL,
    issued_by      TEXT NOT NULL,
    issued_by_name TEXT NOT NULL,
    issued_ms      BIGINT NOT NULL,
    CONSTRAINT enforcement_documents_number_key UNIQUE (department_id, kind, year, seq, version)
)
;
CREATE UNIQUE INDEX enforcement_documents_supersedes ON enforcement_documents(supersedes_id)
;
CREATE INDEX enforcement_documents_subject ON enforcement_documents(subject_kind, subject_id)
;
CREATE INDEX enforcement_documents_department ON enforcement_documents(department_id, issued_ms)
;
-- The short name a department's documents carry in their number (浔应急); empty: made from the
-- district's and the department's names.
ALTER TABLE departments ADD COLUMN documents_short_name TEXT NULL
