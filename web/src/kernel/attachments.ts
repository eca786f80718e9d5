// Attachments (photos, documents) uploaded before the record that cites them by id.
import { api, type Schemas } from './http';

export type Attachment = Schemas['Attachment'];

/** Uploads `file` as the raw body; the server checks its type and size by content. */
export function uploadAttachment(file: File): Promise<Attachment> {
  return api.upload<Attachment>(`/api/v1/attachments?filename=${encodeURIComponent(file.name)}`, file);
}
