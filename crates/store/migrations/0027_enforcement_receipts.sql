-- 送达回执 (issue 21, item 9): how each version of a 执法文书 reached the enterprise it was issued
-- on — signed for by the enterprise (name and a drawn signature, an attachment), or recorded by
-- the issuing side as 留置送达 (witness and reason), 邮寄送达 or 电子送达 (the mail number or
-- address in `reference`). One receipt per document version (the unique key; a second is 409).
-- Statements are separated by lines holding only ";".

CREATE TABLE enforcement_receipts (
    id               TEXT PRIMARY KEY,
    document_id      TEXT NOT NULL REFERENCES enforcement_documents(id),
    enterprise_id    TEXT NOT NULL REFERENCES enterprises(id),
    method           TEXT NOT NULL,
    signer_name      TEXT NOT NULL,
    image_id         TEXT NULL REFERENCES attachments(id),
    witness          TEXT NULL,
    reason           TEXT NULL,
    reference        TEXT NULL,
    recorded_by      TEXT NOT NULL REFERENCES users(id),
    recorded_by_name TEXT NOT NULL,
    served_ms        BIGINT NOT NULL,
    CONSTRAINT enforcement_receipts_document_key UNIQUE (document_id)
)
;
CREATE INDEX enforcement_receipts_enterprise ON enforcement_receipts(enterprise_id, served_ms)
