-- Photos: the display version (≤1600 px) and the thumbnail (≤320 px) of an image attachment,
-- JPEG, base64 like the original, and the picture's size after EXIF orientation. Made on upload;
-- attachments stored before this migration get theirs on the first request for a smaller size.
ALTER TABLE attachments ADD COLUMN width BIGINT NULL
;
ALTER TABLE attachments ADD COLUMN height BIGINT NULL
;
ALTER TABLE attachments ADD COLUMN display_data TEXT NULL
;
ALTER TABLE attachments ADD COLUMN thumb_data TEXT NULL
;
-- Photos of an incident's 初报/续报/补报: the attachment ids of each report, joined by ','.
ALTER TABLE incident_reports ADD COLUMN attachments TEXT NOT NULL DEFAULT ''
